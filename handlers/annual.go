package handlers

import (
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
)

// compareParams are the query parameters that ask for a comparison.
var compareParams = []string{"compare", "compare_from", "compare_to"}

// The comparisons a report can ask for (compare=): none, the period of
// the same length just before, the same period a year earlier, or a
// chosen one (compare_from and compare_to, with compare=period or alone).
const (
	compareNone     = "none"
	comparePrevious = "previous"
	compareYear     = "year"
	comparePeriod   = "period"
)

// compareQuery reads the comparison a report query asks for: compare=
// previous (the period of the same length just before the report's),
// compare=year (the same period a year earlier), or compare_from and
// compare_to (a chosen period, in the forms of from and to); nil when it
// asks for none. The compared period keeps q's filters.
func compareQuery(v url.Values, q report.Query) (*report.Query, error) {
	from, to, mode := strings.TrimSpace(v.Get("compare_from")), strings.TrimSpace(v.Get("compare_to")), v.Get("compare")
	switch {
	case from != "" || to != "":
		if mode != "" && mode != "period" {
			return nil, &queryError{Field: "compare", Problem: "use previous, or compare_from and compare_to alone"}
		}
		if from == "" {
			return nil, typedQueryError("compare_from", "needed with compare_to", "required", "")
		}
		if to == "" {
			return nil, typedQueryError("compare_to", "needed with compare_from", "required", "")
		}
		o := q
		var err error
		if o.From, err = parseDay(from, false); err != nil {
			return nil, typedQueryError("compare_from", badDay, "month_unreadable", from)
		}
		if o.To, err = parseDay(to, true); err != nil {
			return nil, typedQueryError("compare_to", badDay, "month_unreadable", to)
		}
		if !o.To.After(o.From) {
			return nil, typedQueryError("compare_to", "must not be before compare_from", "month_order", to)
		}
		return &o, nil
	case mode == comparePrevious:
		o, err := q.PreviousPeriod()
		if errors.Is(err, models.ErrOpenPeriod) {
			return nil, &queryError{Field: "compare", Problem: "the previous period needs both from and to"}
		}
		return &o, err
	case mode == compareYear:
		o, err := q.YearEarlier()
		if errors.Is(err, models.ErrOpenPeriod) {
			return nil, &queryError{Field: "compare", Problem: "the same period a year earlier needs both from and to"}
		}
		return &o, err
	case mode == "" || mode == compareNone:
		return nil, nil
	case mode == comparePeriod:
		return nil, typedQueryError("compare_from", "needed with compare=period", "required", "")
	}
	return nil, &queryError{Field: "compare", Problem: "use none, previous, year, or compare_from and compare_to"}
}

// compareChosen reports whether the query chooses a comparison, none
// included: an old link's compare_from and compare_to too.
func compareChosen(v url.Values) bool {
	for _, k := range compareParams {
		if strings.TrimSpace(v.Get(k)) != "" {
			return true
		}
	}
	return false
}

// withCompare is v with compare=mode when v chooses no comparison and
// mode is not ""; v itself otherwise.
func withCompare(v url.Values, mode string) url.Values {
	if mode == "" || compareChosen(v) {
		return v
	}
	out := make(url.Values, len(v)+1)
	for k, vs := range v {
		out[k] = vs
	}
	out.Set("compare", mode)
	return out
}

// pageCompare is the comparison the report page makes when the query
// chooses none: the same period a year earlier for a calendar year (an
// annual report), none otherwise. The API and the downloads make none
// unless asked: the page's links to them carry its choice.
func pageCompare(q report.Query) string {
	if q.CalendarYear() {
		return compareYear
	}
	return ""
}

// documentCompare is the comparison the printable document makes when
// the query chooses none: the same period a year earlier for a calendar
// year, else the previous period of the same length when the period has
// both ends.
func documentCompare(q report.Query) string {
	switch {
	case q.CalendarYear():
		return compareYear
	case !q.From.IsZero() && !q.To.IsZero():
		return comparePrevious
	}
	return ""
}

// comparedReport computes the report of q and, when v asks for one, its
// comparison (nil otherwise), both at once.
func (h *Handler) comparedReport(c echo.Context, v url.Values, q report.Query) (*models.Report, *models.Comparison, error) {
	other, err := compareQuery(v, q)
	if err != nil {
		return nil, nil, err
	}
	ctx := c.Request().Context()
	if other == nil {
		r, err := h.reports.Report(ctx, q)
		return r, nil, err
	}
	return h.reports.ReportAndComparison(ctx, q, *other)
}

// pageComparedReport is pageReport with the comparison the request asks
// for.
func (h *Handler) pageComparedReport(c echo.Context) (report.Query, *models.Report, *models.Comparison, error) {
	q, err := h.reportQuery(c)
	if err != nil {
		return q, nil, nil, badQuery(err)
	}
	r, cmp, err := h.comparedReport(c, c.QueryParams(), q)
	return q, r, cmp, badQuery(err)
}

// apiReportBody is the API's report, with the comparison beside the
// totals and breakdowns when one was asked for.
type apiReportBody struct {
	*models.Report
	Comparison *models.Comparison `json:"comparison,omitempty"`
}

// badQuery turns a query error into the 400 of an HTML page.
func badQuery(err error) error {
	var qe *queryError
	if errors.As(err, &qe) {
		return echo.NewHTTPError(http.StatusBadRequest, qe.Error()).SetInternal(qe)
	}
	return err
}

// degrees parses a coordinate in decimal degrees within ±limit; empty is
// nil (no point), anything else unreadable or off the globe a problem
// named by the field ("latitude" or "longitude").
func (pe parseErrors) degrees(field, s string, limit float64) *float64 {
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", "."))
	if s == "" {
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || v < -limit || v > limit {
		models.FieldErrors(pe).Add(field, field, "")
		return nil
	}
	return &v
}

// degreesText shows a stored coordinate in the city form.
func degreesText(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}
