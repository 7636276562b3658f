package handlers

import (
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// queryError names the query parameter that is wrong. A parameter people
// type in the report's filter (a month) also has the Code of a validation
// message and its Param, for the page to say beside the field.
type queryError struct {
	Field, Problem string
	Code, Param    string
}

// typedQueryError is a problem with a month typed in the report filter:
// code is a validation code, value what was typed.
func typedQueryError(field, problem, code, value string) *queryError {
	return &queryError{Field: field, Problem: problem, Code: code, Param: strings.TrimSpace(value)}
}

func (e *queryError) Error() string { return e.Field + ": " + e.Problem }

// reportQuery reads the report query shared by the pages, the CSV export
// and the API: from, to (YYYY-MM-DD, or YYYY-MM for whole months; to is
// inclusive), campaign (hashtag), region, country (ISO code), city (slug)
// and cohort (year joined).
func (h *Handler) reportQuery(c echo.Context) (report.Query, error) {
	var q report.Query
	v := c.QueryParams()
	for name := range v {
		if !slices.Contains([]string{"from", "to", "campaign", "region", "country", "city", "cohort", "sort", "dir", "quiet", "rows", "map"}, name) && !slices.Contains(compareParams, name) {
			return q, &queryError{Field: name, Problem: "unknown parameter"}
		}
	}
	ctx := c.Request().Context()
	if s := v.Get("from"); strings.TrimSpace(s) != "" {
		t, err := parseDay(s, false)
		if err != nil {
			return q, typedQueryError("from", badDay, "month_unreadable", s)
		}
		q.From = t
	}
	if s := v.Get("to"); strings.TrimSpace(s) != "" {
		t, err := parseDay(s, true)
		if err != nil {
			return q, typedQueryError("to", badDay, "month_unreadable", s)
		}
		q.To = t
		if !q.From.IsZero() && !q.To.After(q.From) {
			return q, typedQueryError("to", "must not be before from", "month_order", s)
		}
	}
	if s := v.Get("campaign"); s != "" {
		cp, err := h.store.CampaignByHashtag(ctx, s)
		if errors.Is(err, models.ErrNotFound) {
			return q, &queryError{Field: "campaign", Problem: "no such campaign"}
		}
		if err != nil {
			return q, err
		}
		q.CampaignID = cp.ID
	}
	if s := v.Get("region"); s != "" {
		if q.Region = models.Region(s); !q.Region.Valid() {
			return q, &queryError{Field: "region", Problem: "no such region"}
		}
	}
	if s := v.Get("country"); s != "" {
		if q.Country = strings.ToUpper(s); !models.IsCountryCode(q.Country) {
			return q, &queryError{Field: "country", Problem: "not an ISO 3166-1 alpha-2 code"}
		}
	}
	if s := v.Get("city"); s != "" {
		city, err := h.store.CityBySlug(ctx, s)
		if errors.Is(err, models.ErrNotFound) {
			return q, &queryError{Field: "city", Problem: "no such city"}
		}
		if err != nil {
			return q, err
		}
		q.CityID = city.ID
	}
	if s := v.Get("cohort"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < models.FirstNetworkYear || n > models.LastYear {
			return q, &queryError{Field: "cohort", Problem: "not a year the network could have been joined"}
		}
		q.Cohort = n
	}
	return q, nil
}

// badDay is the API's word on a period's bound it cannot read.
const badDay = "use YYYY-MM-DD or YYYY-MM, or a day or month as people write them (25/03/2026, 03/2026, March 2026)"

// parseDay reads a bound of a report's period as models.ParseDayOrMonth
// does: a day as the forms read it (YYYY-MM-DD, 25/03/2026…), or a month
// (YYYY-MM, 03/2026, mars 2026…) as its first day. An end is inclusive:
// the result is the next day (or next month).
func parseDay(s string, end bool) (time.Time, error) {
	t, month, err := models.ParseDayOrMonth(s)
	if err != nil || t.Year() > 2200 {
		return time.Time{}, errors.New("bad date")
	}
	if end && month {
		t = t.AddDate(0, 1, 0)
	} else if end {
		t = t.AddDate(0, 0, 1)
	}
	return t, nil
}

// labelled fills the labels of a report's rows in the language of ctx: a
// country's name, a month's, and for the breakdowns of fixed keys (the
// regions, the dimensions) the catalog's "<name>.<key>". The engine names
// the cities.
func labelled(ctx context.Context, r *models.Report) *models.Report {
	for _, bd := range models.AllBreakdowns() {
		rows, fixed := *bd.Rows(&r.Breakdowns), bd.Keys() != nil
		for i := range rows {
			switch {
			case bd.From == models.FromCountries:
				rows[i].Label = views.CountryName(ctx, rows[i].Key)
			case bd.From == models.FromMonths:
				if t, err := models.ParseMonth(rows[i].Key); err == nil {
					rows[i].Label = views.MonthLabel(ctx, t)
				}
			case fixed:
				rows[i].Label = views.T(ctx, bd.Name+"."+rows[i].Key)
			}
		}
	}
	return r
}

// apiReport answers GET /api/v1/report with the totals and breakdowns.
func (h *Handler) apiReport(c echo.Context) error {
	q, err := h.reportQuery(c)
	var qe *queryError
	if errors.As(err, &qe) {
		return c.JSON(http.StatusBadRequest, map[string]string{"error": qe.Error(), "field": qe.Field})
	}
	if err != nil {
		return err
	}
	r, cmp, err := h.comparedReport(c, c.QueryParams(), q)
	if errors.As(err, &qe) {
		return c.JSON(http.StatusBadRequest, map[string]string{"error": qe.Error(), "field": qe.Field})
	}
	if err != nil {
		return err
	}
	body := apiReportBody{Report: labelled(h.apiContext(c), r)}
	if cmp != nil {
		labelled(h.apiContext(c), &cmp.Report)
		body.Comparison = cmp
	}
	c.Response().Header().Set("Access-Control-Allow-Origin", "*")
	return c.JSON(http.StatusOK, body)
}

// apiContext is a request context for English labels.
func (h *Handler) apiContext(c echo.Context) context.Context {
	return h.catalog.WithRequest(c.Request().Context(), views.Request{Lang: h.catalog.Match("en")})
}

// pageReport reads the query of a report page or export and computes
// its report; a bad query is a 400.
func (h *Handler) pageReport(c echo.Context) (report.Query, *models.Report, error) {
	q, err := h.reportQuery(c)
	var qe *queryError
	if errors.As(err, &qe) {
		return q, nil, echo.NewHTTPError(http.StatusBadRequest, qe.Error())
	}
	if err != nil {
		return q, nil, err
	}
	r, err := h.reports.Report(c.Request().Context(), q)
	return q, r, err
}

// showReports is the network report page, or a city's with ?city=. A
// calendar year is compared with the year before unless the query
// chooses otherwise (pageCompare); the page's links carry the choice.
func (h *Handler) showReports(c echo.Context) error {
	v := c.QueryParams()
	q, err := h.reportQuery(c)
	var r *models.Report
	var cmp *models.Comparison
	if err == nil {
		v = withCompare(v, pageCompare(q))
		r, cmp, err = h.comparedReport(c, v, q)
	}
	err = badQuery(err)
	if qe := (*queryError)(nil); errors.As(err, &qe) && qe.Code != "" {
		return h.refuseReportFilter(c, qe)
	}
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	vctx := h.viewContext(c)
	if cmp != nil {
		labelled(vctx, &cmp.Report)
	}
	page := views.ReportPage{Report: labelled(vctx, r), Comparison: cmp, Query: reportParams(v), Sort: models.Figure(c.QueryParam("sort")), Desc: c.QueryParam("dir") == "desc",
		AllRows: c.QueryParam("rows") == "all"}
	var ok bool
	if page.MapFigure, ok = views.MapFigure(c.QueryParam("map")); !ok {
		return echo.NewHTTPError(http.StatusBadRequest, "map: use one of the cities' figures")
	}
	if rows := c.QueryParam("rows"); rows != "" && rows != "all" {
		return echo.NewHTTPError(http.StatusBadRequest, "rows: use all")
	}
	if page.Campaigns, err = h.store.Campaigns(ctx); err != nil {
		return err
	}
	if page.Cities, err = h.store.Cities(ctx, models.CityFilter{}); err != nil {
		return err
	}
	if q.CityID != 0 {
		for i := range page.Cities {
			if page.Cities[i].ID == q.CityID {
				page.City = &page.Cities[i]
			}
		}
	}
	if currentUser(c).IsStaff() {
		months, err := strconv.Atoi(c.QueryParam("quiet"))
		if err != nil || months < 1 || months > 60 {
			months = 6
		}
		page.QuietMonths = months
		fu, err := h.reports.FollowUp(ctx, q, h.cfg.Now().AddDate(0, -months, 0))
		if err != nil {
			return err
		}
		page.Quiet, page.Backlog = fu.Quiet, fu.Backlog
		page.Staff = true
	}
	sortRows(page.Report.Breakdowns.ByCity, page.Sort, page.Desc)
	return h.renderCtx(c, vctx, http.StatusOK, views.ReportView(page))
}

// refuseReportFilter answers a report page whose filter has a month
// that cannot be read, or a period that ends before it starts: the
// filter again, as typed, with the problem beside its field, and no
// report (a 400).
func (h *Handler) refuseReportFilter(c echo.Context, qe *queryError) error {
	ctx := c.Request().Context()
	page := views.ReportPage{Query: reportParams(c.QueryParams()), Errors: models.FieldErrors{}}
	page.Errors.Add(qe.Field, qe.Code, qe.Param)
	var err error
	if page.Campaigns, err = h.store.Campaigns(ctx); err != nil {
		return err
	}
	if page.Cities, err = h.store.Cities(ctx, models.CityFilter{}); err != nil {
		return err
	}
	return h.renderCtx(c, h.viewContext(c), http.StatusBadRequest, views.ReportView(page))
}

// reportParams keeps the report query's own parameters, for links.
func reportParams(v url.Values) url.Values {
	out := url.Values{}
	for _, k := range append([]string{"from", "to", "campaign", "region", "country", "city", "cohort"}, compareParams...) {
		if s := v.Get(k); s != "" {
			out.Set(k, s)
		}
	}
	return out
}

// sortRows orders the by-city rows by a figure, or by name when by is not
// a figure.
func sortRows(rows []models.Row, by models.Figure, desc bool) {
	value := func(r models.Row) int64 {
		if p := r.Value(by); p != nil {
			return *p
		}
		return 0
	}
	slices.SortStableFunc(rows, func(a, b models.Row) int {
		d := strings.Compare(a.Label, b.Label)
		if by.Valid() {
			d = cmp.Compare(value(a), value(b))
		}
		if desc {
			return -d
		}
		return d
	})
}

// exportReport is the by-city breakdown of the query as CSV, one row per
// city, a header row first.
func (h *Handler) exportReport(c echo.Context) error {
	_, r, err := h.pageReport(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	cities, err := h.store.Cities(ctx, models.CityFilter{})
	if err != nil {
		return err
	}
	bySlug := make(map[string]models.City, len(cities))
	for _, city := range cities {
		bySlug[city.Slug] = city
	}
	rows := [][]string{append([]string{"city", "slug", "country", "region", "joined_year"}, cityFigureHeader()...)}
	figures := cityFigures()
	for _, row := range r.Breakdowns.ByCity {
		city := bySlug[row.Key]
		cells := []string{row.Label, row.Key, city.Country, string(city.Region), strconv.Itoa(city.JoinedYear)}
		for _, f := range figures {
			cells = append(cells, strconv.FormatInt(*row.Value(f), 10))
		}
		rows = append(rows, cells)
	}
	return writeCSV(c, "learnthroughlife-report.csv", rows)
}

// cityFigures are the figures of one city, in the order of the CSVs: the
// figures of the by-city breakdown.
func cityFigures() []models.Figure { return models.BreakdownFrom(models.FromCities).Figures }

// cityFigureHeader is the CSV header of cityFigures: a city's active
// figure is 0 or 1, so its column is "active".
func cityFigureHeader() []string {
	var out []string
	for _, f := range cityFigures() {
		if f == models.FigureActiveCities {
			out = append(out, "active")
			continue
		}
		out = append(out, string(f))
	}
	return out
}

// writeCSV sends rows as a CSV download that spreadsheets open as UTF-8,
// with every cell that a spreadsheet would run as a formula made inert.
func writeCSV(c echo.Context, filename string, rows [][]string) error {
	var b strings.Builder
	b.WriteString("\ufeff")
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	for _, row := range rows {
		safe := make([]string, len(row))
		for i, cell := range row {
			safe[i] = inertCell(cell)
		}
		if err := w.Write(safe); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", filename))
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", []byte(b.String()))
}

// inertCell prefixes a cell that starts like a formula with a quote, as
// OWASP advises against CSV injection.
func inertCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
