package handlers

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// reportDocument is the network report of a period as one printable
// document (GET /reports/document, the report's query). Without a period
// it covers the last whole calendar year; it is compared with the
// previous period of the same length unless compare asks otherwise
// (compare=none for no comparison). The annex of the cities' approved
// reports is for staff only: their narratives are written to UNESCO.
func (h *Handler) reportDocument(c echo.Context) error {
	q, err := h.reportQuery(c)
	if err != nil {
		return badQuery(err)
	}
	now := h.cfg.Now().UTC()
	if q.From.IsZero() && q.To.IsZero() {
		q.From = time.Date(now.Year()-1, 1, 1, 0, 0, 0, 0, time.UTC)
		q.To = q.From.AddDate(1, 0, 0)
	}
	page := views.DocumentPage{Query: reportParams(c.QueryParams()), Generated: now, Staff: currentUser(c).IsStaff()}
	var ok bool
	if page.MapFigure, ok = views.MapFigure(c.QueryParam("map")); !ok {
		return echo.NewHTTPError(http.StatusBadRequest, "map: use one of the cities' figures")
	}
	other, err := compareQuery(c.QueryParams(), q)
	if err != nil {
		return badQuery(err)
	}
	if other == nil && c.QueryParam("compare") != "none" {
		if prev, err := q.PreviousPeriod(); err == nil {
			other = &prev
		}
	}
	ctx := c.Request().Context()
	if other != nil {
		page.Report, page.Comparison, err = h.reports.ReportAndComparison(ctx, q, *other)
	} else {
		page.Report, err = h.reports.Report(ctx, q)
	}
	if err != nil {
		return err
	}
	vctx := h.viewContext(c)
	labelled(vctx, page.Report)
	if page.Comparison != nil {
		labelled(vctx, &page.Comparison.Report)
	}
	page.From = q.From
	if !q.To.IsZero() {
		page.To = q.To.AddDate(0, 0, -1)
	}
	if page.Cities, err = h.store.Cities(ctx, models.CityFilter{}); err != nil {
		return err
	}
	if page.Coverage, err = h.reports.BlockCoverage(ctx, q); err != nil {
		return err
	}
	page.Filters = documentFilters(c, vctx, page.Cities)
	if page.Staff {
		annex, cities, err := h.reports.ApprovedCityReports(ctx, q)
		if err != nil {
			return err
		}
		page.Annex, page.AnnexCity = annex, make(map[uint]string, len(cities))
		for _, city := range cities {
			page.AnnexCity[city.ID] = city.Name
		}
	}
	return h.renderCtx(c, vctx, http.StatusOK, views.DocumentView(page))
}

// documentFilters describe the query's filters other than the period, in
// the page's language.
func documentFilters(c echo.Context, vctx context.Context, cities []models.City) []string {
	v := c.QueryParams()
	var out []string
	if s := v.Get("campaign"); s != "" {
		out = append(out, views.T(vctx, "event.campaign")+": #"+strings.TrimPrefix(s, "#"))
	}
	if s := v.Get("region"); s != "" {
		out = append(out, views.T(vctx, "city.region")+": "+views.T(vctx, "region."+s))
	}
	if s := v.Get("country"); s != "" {
		out = append(out, views.T(vctx, "city.country")+": "+views.CountryName(vctx, strings.ToUpper(s)))
	}
	if s := v.Get("city"); s != "" {
		for _, city := range cities {
			if city.Slug == s {
				out = append(out, views.T(vctx, "story.city")+": "+city.Name)
			}
		}
	}
	if s := v.Get("cohort"); s != "" {
		out = append(out, views.T(vctx, "report.cohort")+": "+s)
	}
	return out
}
