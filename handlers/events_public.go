package handlers

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// publicEvent loads the event named by the :id parameter and its city,
// for the public: any event a city logged is public, as on its page.
func (h *Handler) publicEvent(c echo.Context) (*models.Event, *models.City, error) {
	id, err := paramID(c)
	if err != nil {
		return nil, nil, err
	}
	ctx := c.Request().Context()
	e, err := h.store.Event(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	city, err := h.store.City(ctx, e.CityID)
	if err != nil {
		return nil, nil, err
	}
	return e, city, nil
}

// showEvent is an event's public page: what, when on its city's clock,
// where, who organises it, and a link to add it to a calendar.
func (h *Handler) showEvent(c echo.Context) error {
	e, city, err := h.publicEvent(c)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, views.EventView(views.EventPage{Event: e, City: city, BaseURL: h.cfg.BaseURL}))
}

// eventCalendar is one event as an iCalendar file, to add to a calendar.
func (h *Handler) eventCalendar(c echo.Context) error {
	e, city, err := h.publicEvent(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="event-%d.ics"`, e.ID))
	return h.writeCalendar(c, e.Title, city.TimeZone, []models.Event{*e}, []models.City{*city}, false)
}
