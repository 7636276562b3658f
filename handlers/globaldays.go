package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// listGlobalDays lists the calendar's global days for staff.
func (h *Handler) listGlobalDays(c echo.Context) error {
	days, err := h.store.GlobalDays(c.Request().Context())
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, views.ManageGlobalDaysView(days))
}

// newGlobalDay shows an empty global day form.
func (h *Handler) newGlobalDay(c echo.Context) error {
	return h.render(c, http.StatusOK, views.GlobalDayFormView(views.GlobalDayFormPage{}))
}

// createGlobalDay stores a new global day.
func (h *Handler) createGlobalDay(c echo.Context) error {
	return h.saveGlobalDay(c, 0)
}

// globalDayParam is the global day named by the route's :id.
func (h *Handler) globalDayParam(c echo.Context) (*models.GlobalDay, error) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 32)
	if err != nil {
		return nil, models.ErrNotFound
	}
	return h.store.GlobalDay(c.Request().Context(), uint(id))
}

// editGlobalDay shows a global day's form.
func (h *Handler) editGlobalDay(c echo.Context) error {
	g, err := h.globalDayParam(c)
	if err != nil {
		return err
	}
	f := views.GlobalDayForm{Month: strconv.Itoa(g.Month), Day: strconv.Itoa(g.Day), Name: g.Name,
		NameFR: g.Texts["fr"].Name, NameES: g.Texts["es"].Name, NameAR: g.Texts["ar"].Name}
	return h.render(c, http.StatusOK, views.GlobalDayFormView(views.GlobalDayFormPage{ID: g.ID, Form: f}))
}

// updateGlobalDay saves a global day.
func (h *Handler) updateGlobalDay(c echo.Context) error {
	g, err := h.globalDayParam(c)
	if err != nil {
		return err
	}
	return h.saveGlobalDay(c, g.ID)
}

func (h *Handler) saveGlobalDay(c echo.Context, id uint) error {
	var f views.GlobalDayForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	pe := parseErrors{}
	g := &models.GlobalDay{ID: id, Name: f.Name, Texts: map[string]models.CampaignText{
		"fr": {Name: f.NameFR}, "es": {Name: f.NameES}, "ar": {Name: f.NameAR},
	}}
	g.Month = pe.int("month", f.Month, true)
	g.Day = pe.int("day", f.Day, true)
	err := pe.then(func() error { return g.Validate() },
		func() error { return h.store.SaveGlobalDay(c.Request().Context(), currentUser(c).Actor(), g) })
	if fe, ok := models.AsFieldErrors(err); ok {
		return h.render(c, http.StatusUnprocessableEntity, views.GlobalDayFormView(views.GlobalDayFormPage{ID: id, Form: f, Errors: fe}))
	}
	if err != nil {
		return err
	}
	h.flash(c, h.t(c, "global_days.saved", nil))
	return redirect(c, "/manage/global-days")
}

// deleteGlobalDay deletes a global day.
func (h *Handler) deleteGlobalDay(c echo.Context) error {
	g, err := h.globalDayParam(c)
	if err != nil {
		return err
	}
	if err := h.store.DeleteGlobalDay(c.Request().Context(), currentUser(c).Actor(), g.ID); err != nil {
		return err
	}
	h.flash(c, h.t(c, "global_days.deleted", map[string]any{"Day": g.Name}))
	return redirect(c, "/manage/global-days")
}
