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
		if err == nil {
			page.GettingStarted, err = h.gettingStarted(c, cities)
		}
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

// gettingStarted is a coordinator's first-day checklist (issue 33): the
// first steps in each of their cities, for the cities where some are not
// done yet. One query for all the cities.
func (h *Handler) gettingStarted(c echo.Context, cities []models.City) ([]views.CityChecklist, error) {
	ids, _ := cityIndex(cities)
	steps, err := h.store.GettingStarted(c.Request().Context(), currentUser(c).ID, ids)
	if err != nil {
		return nil, err
	}
	of := map[uint]models.GettingStarted{}
	for _, s := range steps {
		of[s.CityID] = s
	}
	var out []views.CityChecklist
	for _, city := range cities {
		if s, ok := of[city.ID]; ok && !s.Done() {
			out = append(out, views.CityChecklist{City: city, Steps: s})
		}
	}
	return out, nil
}

// checkCityPage records that a coordinator looked at their city's public
// page and found it right: the first step of their checklist.
func (h *Handler) checkCityPage(c echo.Context) error {
	city, err := h.cityFor(c, c.Param("slug"))
	if err != nil {
		return err
	}
	if err := h.store.CheckCityPage(c.Request().Context(), currentUser(c).Actor(), city); err != nil {
		return err
	}
	h.flash(c, h.t(c, "checklist.checked", map[string]any{"City": city.Name}))
	return redirect(c, "/dashboard")
}
