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
	cities, err := h.store.ManagedCities(ctx, u)
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
	page := views.DashboardPage{CityNames: names, CityZones: cityZones(cities)}
	if !u.IsStaff() && len(ids) > 0 {
		asked, err := h.store.CityReports(ctx, models.CityReportFilter{CityIDs: ids, Status: models.ReportChangesRequested})
		if err != nil {
			return err
		}
		byID := map[uint]models.City{}
		for _, city := range cities {
			byID[city.ID] = city
		}
		for _, r := range asked {
			page.ChangesAsked = append(page.ChangesAsked, views.CityReportRow{Report: r, City: byID[r.CityID]})
		}
	}
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
