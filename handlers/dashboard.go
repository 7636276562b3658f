package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// dashboard is the signed-in user's home: their cities with counts, what
// is coming up there and what changed lately.
func (h *Handler) dashboard(c echo.Context) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	var cities []models.City
	var err error
	if u.IsStaff() {
		cities, err = h.store.Cities(ctx, models.CityFilter{})
	} else {
		cities, err = h.store.CitiesByID(ctx, u.CityIDs)
	}
	if err != nil {
		return err
	}
	ids, names := cityIndex(cities)
	stats, err := h.store.CityStats(ctx, ids, h.cfg.Now())
	if err != nil {
		return err
	}
	pending, err := h.store.PendingCounts(ctx, ids)
	if err != nil {
		return err
	}
	page := views.DashboardPage{CityNames: names}
	for _, city := range cities {
		page.Cities = append(page.Cities, views.CitySummary{City: city, Stats: stats[city.ID], Pending: pending[city.ID]})
	}
	if len(ids) > 0 {
		upcoming, err := h.store.Events(ctx, models.EventFilter{CityIDs: ids, Status: models.StatusPlanned, From: h.cfg.Now(), Sort: "start"}, models.Page{Size: 8})
		if err != nil {
			return err
		}
		page.Upcoming = upcoming.Items
	}
	activity, err := h.store.AuditEntries(ctx, models.AuditFilter{AllCities: u.IsStaff(), CityIDs: u.CityIDs, ChangesOnly: true}, models.Page{Size: 10})
	if err != nil {
		return err
	}
	page.Activity = activity.Items
	return h.render(c, http.StatusOK, views.DashboardView(page))
}

// listAudit shows the audit log to staff, newest first.
func (h *Handler) listAudit(c echo.Context) error {
	ctx := c.Request().Context()
	n, err := parsePage(c.QueryParam("page"))
	if err != nil {
		return err
	}
	entries, err := h.store.AuditEntries(ctx, models.AuditFilter{AllCities: true}, models.Page{Number: n, Size: 50})
	if err != nil {
		return err
	}
	cities, err := h.store.Cities(ctx, models.CityFilter{})
	if err != nil {
		return err
	}
	_, names := cityIndex(cities)
	return h.render(c, http.StatusOK, views.AuditView(views.AuditPage{Entries: entries, CityNames: names}))
}
