package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// home is the public front page: the campaign at a glance.
func (h *Handler) home(c echo.Context) error {
	ctx := c.Request().Context()
	cities, countries, err := h.store.CountCities(ctx)
	if err != nil {
		return err
	}
	upcoming, err := h.store.Events(ctx, models.EventFilter{Status: models.StatusPlanned, From: h.cfg.Now(), Sort: "start"}, models.Page{Size: 6})
	if err != nil {
		return err
	}
	names, slugs, err := h.cityNames(c, upcoming.Items)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, views.HomeView(views.HomePage{
		Cities: int(cities), Countries: int(countries), Upcoming: upcoming.Items, CityNames: names, CitySlugs: slugs,
	}))
}

// cityNames maps the city ids of events to the cities' names and slugs.
func (h *Handler) cityNames(c echo.Context, events []models.Event) (names, slugs map[uint]string, err error) {
	ids := make([]uint, 0, len(events))
	for _, e := range events {
		ids = append(ids, e.CityID)
	}
	cities, err := h.store.CitiesByID(c.Request().Context(), ids)
	if err != nil {
		return nil, nil, err
	}
	names, slugs = map[uint]string{}, map[uint]string{}
	for _, city := range cities {
		names[city.ID], slugs[city.ID] = city.Name, city.Slug
	}
	return names, slugs, nil
}
