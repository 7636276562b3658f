package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// home is the public front page: the campaign at a glance.
func (h *Handler) home(c echo.Context) error {
	ctx := c.Request().Context()
	totals, err := h.reports.Totals(ctx, report.Query{})
	if err != nil {
		return err
	}
	upcoming, err := h.store.Events(ctx, models.EventFilter{Status: models.StatusPlanned, From: h.cfg.Now(), Sort: "start", Brief: true}, models.Page{Size: 6, NoTotal: true})
	if err != nil {
		return err
	}
	featured, err := h.store.Stories(ctx, models.StoryFilter{Status: models.StoryPublished, Featured: true}, models.Page{Size: 6, NoTotal: true})
	if err != nil {
		return err
	}
	ids := make([]uint, 0, len(upcoming.Items)+len(featured.Items))
	for _, e := range upcoming.Items {
		ids = append(ids, e.CityID)
	}
	for _, st := range featured.Items {
		ids = append(ids, st.CityID)
	}
	cities, err := h.store.CitiesByID(ctx, ids)
	if err != nil {
		return err
	}
	names, slugs := map[uint]string{}, map[uint]string{}
	for _, city := range cities {
		names[city.ID], slugs[city.ID] = city.Name, city.Slug
	}
	running, err := h.store.RunningCampaigns(ctx, h.cfg.Now())
	if err != nil {
		return err
	}
	page := views.HomePage{Totals: totals, Upcoming: upcoming.Items, CityNames: names, CitySlugs: slugs, CityZones: cityZones(cities)}
	if len(running) > 0 {
		page.Campaign = &running[0]
	}
	for _, st := range featured.Items {
		page.Featured = append(page.Featured, views.StoryCard{Story: st, CityName: names[st.CityID], CitySlug: slugs[st.CityID]})
	}
	// The page opens with a learner's own words: the newest featured
	// story, one in the reader's language and with a photo if there is.
	lang, _ := h.language(c).Base()
	score := func(st *models.Story) int {
		n := 0
		if st.HasPhoto() {
			n += 2
		}
		if base, _ := language.Make(st.Lang).Base(); base == lang {
			n++
		}
		return n
	}
	for i := range page.Featured {
		if page.Hero == nil || score(&page.Featured[i].Story) > score(&page.Hero.Story) {
			page.Hero = &page.Featured[i]
		}
	}
	return h.render(c, http.StatusOK, views.HomeView(page))
}
