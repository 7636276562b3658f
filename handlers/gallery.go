package handlers

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// galleryParams are the query parameters the gallery knows.
var galleryParams = []string{"q", "city", "region", "area", "lang", "after"}

// listStories is the public gallery of published stories: full-text
// search, filters by city, region, learning area and language, all in the
// URL, and pages that follow a cursor (never a count). A value it does
// not know is a 400 that names the parameter.
func (h *Handler) listStories(c echo.Context) error {
	ctx := c.Request().Context()
	v := c.QueryParams()
	for name, values := range v {
		if !slices.Contains(galleryParams, name) {
			return &queryError{Field: name, Problem: "unknown parameter"}
		}
		if len(values) > 1 {
			return &queryError{Field: name, Problem: "given more than once"}
		}
	}
	f := views.GalleryFilter{
		Query: strings.TrimSpace(v.Get("q")), City: v.Get("city"), Region: v.Get("region"),
		Area: v.Get("area"), Lang: v.Get("lang"), After: v.Get("after"),
	}
	q := models.GalleryQuery{Text: f.Query, Area: models.LearningArea(f.Area), Lang: f.Lang}
	if len(f.Query) > models.MaxSearchLen {
		return &queryError{Field: "q", Problem: "too long"}
	}
	if q.Area != "" && !q.Area.Valid() {
		return &queryError{Field: "area", Problem: "no such learning area"}
	}
	if f.Lang != "" && !slices.ContainsFunc(h.catalog.Languages(), func(t language.Tag) bool { return t.String() == f.Lang }) {
		return &queryError{Field: "lang", Problem: "not one of the site's languages"}
	}
	if f.Region != "" && !models.Region(f.Region).Valid() {
		return &queryError{Field: "region", Problem: "no such region"}
	}
	after, err := models.ParseGalleryCursor(f.After)
	if err != nil {
		return &queryError{Field: "after", Problem: "not a page of this gallery"}
	}
	q.After = after
	cities, err := h.store.Cities(ctx, models.CityFilter{})
	if err != nil {
		return err
	}
	byID := make(map[uint]*models.City, len(cities))
	for i := range cities {
		city := &cities[i]
		byID[city.ID] = city
		if (f.City != "" || f.Region != "") && (f.City == "" || city.Slug == f.City) && (f.Region == "" || city.Region == models.Region(f.Region)) {
			q.CityIDs = append(q.CityIDs, city.ID)
		}
	}
	if f.City != "" && !slices.ContainsFunc(cities, func(city models.City) bool { return city.Slug == f.City }) {
		return &queryError{Field: "city", Problem: "no such city"}
	}
	page := views.GalleryPage{Filter: f, Cities: cities}
	// A city outside the region chosen: no story can match.
	if len(q.CityIDs) > 0 || (f.City == "" && f.Region == "") {
		res, err := h.store.SearchStories(ctx, q)
		if err != nil {
			return err
		}
		for _, st := range res.Stories {
			city := byID[st.CityID]
			page.Stories = append(page.Stories, views.StoryCard{Story: st, CityName: city.Name, CitySlug: city.Slug})
		}
		page.Next = res.Next.String()
	}
	return h.render(c, http.StatusOK, views.GalleryView(page))
}
