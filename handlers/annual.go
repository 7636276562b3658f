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

// compareQuery reads the comparison a report query asks for: compare=
// previous (the period of the same length just before the report's), or
// compare_from and compare_to (a chosen period, in the forms of from and
// to); nil when it asks for none. The compared period keeps q's filters.
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
	case mode == "previous":
		o, err := q.PreviousPeriod()
		if errors.Is(err, models.ErrOpenPeriod) {
			return nil, &queryError{Field: "compare", Problem: "the previous period needs both from and to"}
		}
		return &o, err
	case mode == "" || mode == "none":
		return nil, nil
	case mode == "period":
		return nil, typedQueryError("compare_from", "needed with compare=period", "required", "")
	}
	return nil, &queryError{Field: "compare", Problem: "use previous, or compare_from and compare_to"}
}

// comparedReport computes the report of q and, when the request asks for
// one, its comparison (nil otherwise), both at once.
func (h *Handler) comparedReport(c echo.Context, q report.Query) (*models.Report, *models.Comparison, error) {
	other, err := compareQuery(c.QueryParams(), q)
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

// pageComparedReport is pageReport with the comparison the page asks for.
func (h *Handler) pageComparedReport(c echo.Context) (report.Query, *models.Report, *models.Comparison, error) {
	q, err := h.reportQuery(c)
	if err != nil {
		return q, nil, nil, badQuery(err)
	}
	r, cmp, err := h.comparedReport(c, q)
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
