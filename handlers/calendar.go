package handlers

import (
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// calendarListLimit bounds the events the calendar lists for a month: the
// whole network plans thousands; a region or a city narrows them.
const calendarListLimit = 200

// showCalendar is the public calendar: a month (?month=2026-12) of global
// days and the cities' planned and held events, as a grid and as a list,
// for the network, a region (?region=) or a city (?city=slug).
func (h *Handler) showCalendar(c echo.Context) error {
	ctx := c.Request().Context()
	q := c.QueryParams()
	now := h.cfg.Now().UTC()
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	if s := q.Get("month"); s != "" {
		m, err := time.Parse("2006-01", s)
		if err != nil || m.Year() < models.FirstNetworkYear || m.Year() > models.LastYear+1 {
			return echo.NewHTTPError(http.StatusBadRequest, "month must be YYYY-MM")
		}
		month = m
	}
	region := models.Region(q.Get("region"))
	if region != "" && !region.Valid() {
		return echo.NewHTTPError(http.StatusBadRequest, "unknown region")
	}
	cities, err := h.store.Cities(ctx, models.CityFilter{})
	if err != nil {
		return err
	}
	// A month's events in every city's local time start up to 14 hours
	// either side of the month in UTC.
	f := models.CalendarFilter{From: month.Add(-14 * time.Hour), To: month.AddDate(0, 1, 0).Add(14 * time.Hour)}
	page := views.CalendarPage{Month: month, Region: string(region), Cities: cities, Now: now}
	if slug := q.Get("city"); slug != "" {
		i := slices.IndexFunc(cities, func(city models.City) bool { return city.Slug == slug })
		if i < 0 {
			return echo.NewHTTPError(http.StatusBadRequest, "unknown city")
		}
		page.City = &cities[i]
		f.CityIDs = []uint{cities[i].ID}
	} else if region != "" {
		f.CityIDs = []uint{}
		for _, city := range cities {
			if city.Region == region {
				f.CityIDs = append(f.CityIDs, city.ID)
			}
		}
	}
	events, total, err := h.store.CalendarEvents(ctx, f, calendarListLimit)
	if err != nil {
		return err
	}
	var counts map[string]int
	if total > int64(len(events)) {
		// Too many to list: the grid counts them per day from the index.
		if counts, err = h.store.CalendarDayCounts(ctx, f); err != nil {
			return err
		}
	}
	days, err := h.store.GlobalDays(ctx)
	if err != nil {
		return err
	}
	page.Build(events, total, counts, days)
	return h.render(c, http.StatusOK, views.CalendarView(page))
}
