package handlers

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// listAudit shows the audit log to staff, newest first, filtered by who,
// what, city and dates; the filters stay in the URL.
func (h *Handler) listAudit(c echo.Context) error {
	ctx := c.Request().Context()
	q := c.QueryParams()
	n, err := parsePage(q.Get("page"))
	if err != nil {
		return err
	}
	filter := models.AuditFilter{AllCities: true, Who: strings.TrimSpace(q.Get("who")), Action: models.AuditAction(q.Get("action"))}
	if len(filter.Who) > 254 || (filter.Action != "" && !filter.Action.Valid()) {
		return echo.NewHTTPError(http.StatusBadRequest, "bad filter")
	}
	if s := q.Get("city"); s != "" {
		city, err := h.store.CityBySlug(ctx, s)
		if errors.Is(err, models.ErrNotFound) {
			return echo.NewHTTPError(http.StatusBadRequest, "no such city")
		}
		if err != nil {
			return err
		}
		filter.AllCities, filter.CityIDs = false, []uint{city.ID}
	}
	for _, d := range []struct {
		name string
		dst  *time.Time
		end  bool
	}{{"from", &filter.From, false}, {"to", &filter.To, true}} {
		if s := q.Get(d.name); s != "" {
			t, err := parseDate(s)
			if err != nil || t.Year() < models.FirstEventYear || t.Year() > models.LastYear {
				return echo.NewHTTPError(http.StatusBadRequest, "bad date")
			}
			if d.end {
				t = t.AddDate(0, 0, 1) // the last day is included
			}
			*d.dst = t
		}
	}
	entries, err := h.store.AuditEntries(ctx, filter, models.Page{Number: n, Size: 25})
	if err != nil {
		return err
	}
	cities, err := h.store.Cities(ctx, models.CityFilter{})
	if err != nil {
		return err
	}
	_, names := cityIndex(cities)
	named, err := h.store.AuditNames(ctx, entries.Items)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, views.AuditView(views.AuditPage{Entries: entries, Names: named, CityNames: names, Cities: cities, Query: cleanQuery(q)}))
}
