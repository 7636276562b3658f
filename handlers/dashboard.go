package handlers

import (
	"cmp"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// staffDashboardCities is how many cities staff see on their home page.
const staffDashboardCities = 12

// dashboard is the signed-in user's home: their cities with counts, what
// is coming up there and what changed lately.
func (h *Handler) dashboard(c echo.Context) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	cities, err := h.store.ManagedCities(ctx, u)
	if err != nil {
		return err
	}
	ids, names := cityIndex(cities)
	pending, err := h.store.PendingCounts(ctx, ids)
	if err != nil {
		return err
	}
	page := views.DashboardPage{CityNames: names, CityZones: cityZones(cities)}
	if u.IsStaff() {
		// Staff look after the whole network: the cities whose stories
		// wait longest for a decision come first, and only those are
		// shown, not hundreds of cards.
		for _, n := range pending {
			page.Backlog += n
		}
		slices.SortStableFunc(cities, func(a, b models.City) int { return cmp.Compare(pending[b.ID], pending[a.ID]) })
		page.MoreCities = max(0, len(cities)-staffDashboardCities)
		cities = cities[:min(len(cities), staffDashboardCities)]
	}
	shown, _ := cityIndex(cities)
	stats, err := h.store.CityStats(ctx, shown, h.cfg.Now())
	if err != nil {
		return err
	}
	for _, city := range cities {
		page.Cities = append(page.Cities, views.CitySummary{City: city, Stats: stats[city.ID], Pending: pending[city.ID]})
	}
	if len(ids) > 0 {
		scope := ids
		if u.IsStaff() {
			scope = nil // every city, in the order of the index
		}
		upcoming, err := h.store.Events(ctx, models.EventFilter{CityIDs: scope, Status: models.StatusPlanned, From: h.cfg.Now(), Sort: "start", Brief: true}, models.Page{Size: 8, NoTotal: true})
		if err != nil {
			return err
		}
		page.Upcoming = upcoming.Items
	}
	if u.IsStaff() {
		page.Todo, err = h.staffTodo(c, page.Backlog)
	} else {
		page.Todo, err = h.coordinatorTodo(c, cities, pending)
	}
	if err != nil {
		return err
	}
	// More entries than lines: alike changes make one line.
	activity, err := h.store.AuditEntries(ctx, models.AuditFilter{AllCities: u.IsStaff(), CityIDs: u.CityIDs, ChangesOnly: true, Grouped: true},
		models.Page{Size: 50, NoTotal: true})
	if err != nil {
		return err
	}
	page.Activity = activity.Items
	if page.Names, err = h.store.AuditNames(ctx, activity.Items); err != nil {
		return err
	}
	return h.render(c, http.StatusOK, views.DashboardView(page))
}
