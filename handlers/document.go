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
// it covers the last whole calendar year; unless compare asks otherwise
// (compare=none for no comparison) a calendar year is compared with the
// year before, any other period with the previous one of the same
// length (documentCompare). The annex of the cities' approved reports is
// for staff only: their narratives are written to UNESCO.
func (h *Handler) reportDocument(c echo.Context) error {
	q, err := h.reportQuery(c)
	if err != nil {
		return badQuery(err)
	}
	now := h.cfg.Now().UTC()
	q.From, q.To = h.documentPeriod(q.From, q.To)
	v := withCompare(c.QueryParams(), documentCompare(q))
	page := views.DocumentPage{Query: reportParams(v), Generated: now, Staff: currentUser(c).IsStaff()}
	var ok bool
	if page.MapFigure, ok = views.MapFigure(c.QueryParam("map")); !ok {
		return echo.NewHTTPError(http.StatusBadRequest, "map: use one of the cities' figures")
	}
	other, err := compareQuery(v, q)
	if err != nil {
		return badQuery(err)
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
	page.From, page.To = q.From, lastDay(q.To)
	if page.Intro, page.IntroLang, err = h.documentIntro(c, page.From, page.To); err != nil {
		return err
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

// documentPeriod is the network document's period, from (included) to
// (excluded): the one asked for, or the last whole calendar year when
// neither end is given.
func (h *Handler) documentPeriod(from, to time.Time) (time.Time, time.Time) {
	if from.IsZero() && to.IsZero() {
		from = time.Date(h.cfg.Now().UTC().Year()-1, 1, 1, 0, 0, 0, 0, time.UTC)
		to = from.AddDate(1, 0, 0)
	}
	return from, to
}

// lastDay is the day before end (the first day after a period), zero for
// an open end.
func lastDay(end time.Time) time.Time {
	if end.IsZero() {
		return end
	}
	return end.AddDate(0, 0, -1)
}

// dayKey writes a period's end as the introductions are keyed: a day,
// "" for an open end.
func dayKey(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// documentIntro is the introduction to the document of the period (its
// first and last days) in the request's language, else in English, with
// the language it is in; "" when there is none.
func (h *Handler) documentIntro(c echo.Context, from, last time.Time) (string, string, error) {
	texts, err := h.store.DocumentIntros(c.Request().Context(), dayKey(from), dayKey(last))
	if err != nil {
		return "", "", err
	}
	lang, _ := h.language(c).Base()
	if text := texts[lang.String()]; text != "" {
		return text, lang.String(), nil
	}
	return texts["en"], "en", nil
}

// introPeriod reads the period of an introduction from the query or the
// form's from and to, as the document reads them.
func (h *Handler) introPeriod(c echo.Context, from, to string) (time.Time, time.Time, error) {
	var start, end time.Time
	var err error
	if from != "" {
		if start, err = parseDay(from, false); err != nil {
			return start, end, &queryError{Field: "from", Problem: "use YYYY-MM-DD or YYYY-MM"}
		}
	}
	if to != "" {
		if end, err = parseDay(to, true); err != nil {
			return start, end, &queryError{Field: "to", Problem: "use YYYY-MM-DD or YYYY-MM"}
		}
		if !start.IsZero() && !end.After(start) {
			return start, end, &queryError{Field: "to", Problem: "must not be before from"}
		}
	}
	start, end = h.documentPeriod(start, end)
	return start, lastDay(end), nil
}

// editDocumentIntro shows staff's form for the introduction of a
// period's document (GET /manage/document-introduction, the document's
// from and to).
func (h *Handler) editDocumentIntro(c echo.Context) error {
	from, last, err := h.introPeriod(c, c.QueryParam("from"), c.QueryParam("to"))
	if err != nil {
		return badQuery(err)
	}
	texts, err := h.store.DocumentIntros(c.Request().Context(), dayKey(from), dayKey(last))
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, views.DocumentIntroFormView(views.DocumentIntroPage{From: from, To: last, Texts: texts}))
}

// saveDocumentIntro saves the introduction's texts, one per language, and
// goes back to the document; texts that do not validate are shown again
// with their problems, and nothing is saved.
func (h *Handler) saveDocumentIntro(c echo.Context) error {
	from, last, err := h.introPeriod(c, c.FormValue("from"), c.FormValue("to"))
	if err != nil {
		return badQuery(err)
	}
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	texts := map[string]string{}
	for _, lang := range models.CampaignLanguages() {
		if v, ok := form[models.IntroField(lang)]; ok {
			texts[lang] = v[0]
		}
	}
	err = h.store.SaveDocumentIntros(c.Request().Context(), currentUser(c).Actor(), dayKey(from), dayKey(last), texts, h.cfg.Now())
	if fe, ok := models.AsFieldErrors(err); ok {
		return h.render(c, http.StatusUnprocessableEntity, views.DocumentIntroFormView(views.DocumentIntroPage{From: from, To: last, Texts: texts, Errors: fe}))
	}
	if err != nil {
		return err
	}
	h.flash(c, h.t(c, "annual.doc_intro_saved", nil))
	return redirect(c, views.DocumentURL(from, last))
}
