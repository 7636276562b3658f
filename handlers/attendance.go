package handlers

// The attendance page (issue 13): a city's past events without a
// participant count, whose counts, and counts by age group, are saved
// many at once.

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// showAttendance lists the city's events waiting for their count.
func (h *Handler) showAttendance(c echo.Context) error {
	city, err := h.cityFor(c, c.Param("slug"))
	if err != nil {
		return err
	}
	return h.renderAttendance(c, http.StatusOK, city, map[string]string{}, nil)
}

// saveAttendance records the counts typed in; empty ones are left for later.
func (h *Handler) saveAttendance(c echo.Context) error {
	city, err := h.cityFor(c, c.Param("slug"))
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	values := map[string]string{}
	counts := map[uint]int{}
	ages := map[uint]map[models.AgeGroup]int{}
	var notHeld []uint
	pe := parseErrors{}
	for key, vs := range form {
		if len(vs) == 0 || strings.TrimSpace(vs[0]) == "" {
			continue
		}
		if rest, ok := strings.CutPrefix(key, "not_held_"); ok {
			id, err := strconv.ParseUint(rest, 10, 32)
			if err != nil {
				return echo.NewHTTPError(http.StatusBadRequest, "bad event id")
			}
			values[key] = vs[0]
			notHeld = append(notHeld, uint(id))
		}
		if rest, ok := strings.CutPrefix(key, "count_"); ok {
			id, err := strconv.ParseUint(rest, 10, 32)
			if err != nil {
				return echo.NewHTTPError(http.StatusBadRequest, "bad event id")
			}
			values[key] = vs[0]
			counts[uint(id)] = pe.int(key, vs[0], true)
		}
		if rest, ok := strings.CutPrefix(key, "ages_"); ok {
			idText, group, _ := strings.Cut(rest, "_")
			id, err := strconv.ParseUint(idText, 10, 32)
			if err != nil || !models.AgeGroup(group).Valid() {
				return echo.NewHTTPError(http.StatusBadRequest, "bad event id or age group")
			}
			values[key] = vs[0]
			if ages[uint(id)] == nil {
				ages[uint(id)] = map[models.AgeGroup]int{}
			}
			ages[uint(id)][models.AgeGroup(group)] = pe.int(models.AttendanceAgesField(uint(id), ""), vs[0], true)
		}
	}
	if len(counts) == 0 && len(ages) == 0 && len(notHeld) == 0 {
		return h.renderAttendance(c, http.StatusUnprocessableEntity, city, values, models.FieldErrors{"_": {Code: "attendance_none"}})
	}
	if len(pe) > 0 {
		err = models.FieldErrors(pe)
	} else {
		err = h.store.SaveAttendance(c.Request().Context(), currentUser(c).Actor(), city.ID, counts, ages, notHeld, h.cfg.Now())
	}
	if fe, ok := models.AsFieldErrors(err); ok {
		return h.renderAttendance(c, http.StatusUnprocessableEntity, city, values, fe)
	}
	if err != nil {
		return err
	}
	lc := h.langContext(c)
	var done []string
	if n := len(counts) + len(ages) - overlap(counts, ages); n > 0 {
		done = append(done, views.Tn(lc, "attendance.saved", n))
	}
	if len(notHeld) > 0 {
		done = append(done, views.Tn(lc, "attendance.not_held_saved", len(notHeld)))
	}
	h.flash(c, strings.Join(done, " "))
	return redirect(c, views.AttendanceURL(city))
}

func (h *Handler) renderAttendance(c echo.Context, status int, city *models.City, values map[string]string, fe models.FieldErrors) error {
	ctx := c.Request().Context()
	events, err := h.store.EventsWithoutAttendance(ctx, []uint{city.ID}, h.cfg.Now())
	if err != nil {
		return err
	}
	total := int64(len(events))
	if total == models.MaxAttendanceRows {
		if total, err = h.store.CountEventsWithoutAttendance(ctx, []uint{city.ID}, h.cfg.Now()); err != nil {
			return err
		}
	}
	return h.render(c, status, views.AttendanceView(views.AttendancePage{
		City: city, Events: events, Total: total, Values: values, Errors: fe,
	}))
}

// overlap counts the events given both a count and counts by age group.
func overlap(counts map[uint]int, ages map[uint]map[models.AgeGroup]int) int {
	n := 0
	for id := range ages {
		if _, ok := counts[id]; ok {
			n++
		}
	}
	return n
}
