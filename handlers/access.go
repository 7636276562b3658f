package handlers

// The gate: the route table says who may use a route (public, signed in,
// staff); every handler of a city or of a city's record then loads it
// through one of these helpers, which check that the current user may
// manage that city.

import (
	"context"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// cityFor loads the city with slug and checks that the current user may
// manage it. Every city-scoped management handler goes through here, with
// the :slug parameter or a slug from a form.
func (h *Handler) cityFor(c echo.Context, slug string) (*models.City, error) {
	city, err := h.store.CityBySlug(c.Request().Context(), slug)
	if err != nil {
		return nil, err
	}
	if err := authorize(c, city.ID); err != nil {
		return nil, err
	}
	return city, nil
}

// recordFor loads the record named by the :id parameter, checks that the
// current user may manage its city, and loads that city: every handler of
// a city's record goes through here.
func recordFor[T any](h *Handler, c echo.Context, load func(context.Context, uint) (T, error), cityOf func(T) uint) (T, *models.City, error) {
	var zero T
	id, err := paramID(c)
	if err != nil {
		return zero, nil, err
	}
	ctx := c.Request().Context()
	rec, err := load(ctx, id)
	if err != nil {
		return zero, nil, err
	}
	if err := authorize(c, cityOf(rec)); err != nil {
		return zero, nil, err
	}
	city, err := h.store.City(ctx, cityOf(rec))
	return rec, city, err
}

// authorize refuses unless the current user may manage the city.
func authorize(c echo.Context, cityID uint) error {
	if !currentUser(c).CanManageCity(cityID) {
		return models.ErrForbidden
	}
	return nil
}

// paramID parses the :id route parameter; a malformed id is not found.
func paramID(c echo.Context) (uint, error) {
	n, err := strconv.ParseUint(c.Param("id"), 10, 32)
	if err != nil || n == 0 {
		return 0, models.ErrNotFound
	}
	return uint(n), nil
}

// eventFor loads the event named by the :id parameter and its city, and
// checks that the current user may manage that city.
func (h *Handler) eventFor(c echo.Context) (*models.Event, *models.City, error) {
	return recordFor(h, c, h.store.Event, func(e *models.Event) uint { return e.CityID })
}

// partnerFor loads the partner named by the :id parameter and its city,
// and checks that the current user may manage that city.
func (h *Handler) partnerFor(c echo.Context) (*models.Partner, *models.City, error) {
	return recordFor(h, c, h.store.Partner, func(p *models.Partner) uint { return p.CityID })
}

// storyFor loads the story of :id and checks that the current user may
// moderate its city.
func (h *Handler) storyFor(c echo.Context) (*models.Story, *models.City, error) {
	return recordFor(h, c, h.store.Story, func(st *models.Story) uint { return st.CityID })
}

// cityReportFor loads the report of :id and checks access to its city.
func (h *Handler) cityReportFor(c echo.Context) (*models.CityReport, *models.City, error) {
	return recordFor(h, c, h.store.CityReport, func(r *models.CityReport) uint { return r.CityID })
}
