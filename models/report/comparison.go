package report

import (
	"context"
	"fmt"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// PreviousPeriod is q over the period of the same length just before its
// own: as many whole months when q's period is whole months (so a year is
// compared with the year before), else as many days.
func (q Query) PreviousPeriod() (Query, error) {
	if q.From.IsZero() || q.To.IsZero() {
		return q, models.ErrOpenPeriod
	}
	p := q
	p.To = q.From
	if wholeMonth(q.From) && wholeMonth(q.To) {
		months := (q.To.Year()-q.From.Year())*12 + int(q.To.Month()) - int(q.From.Month())
		p.From = q.From.AddDate(0, -months, 0)
		return p, nil
	}
	p.From = q.From.Add(-q.To.Sub(q.From))
	return p, nil
}

func wholeMonth(t time.Time) bool { return midnight(t) && t.Day() == 1 }

// YearEarlier is q over the same period a year earlier: a calendar year
// is compared with the year before, March 2026 with March 2025. A period
// that starts on 29 February starts on 28 February of the year before;
// one that ends on 29 February (To is 1 March) ends on 28 February.
func (q Query) YearEarlier() (Query, error) {
	if q.From.IsZero() || q.To.IsZero() {
		return q, models.ErrOpenPeriod
	}
	p := q
	p.From, p.To = q.From.AddDate(-1, 0, 0), q.To.AddDate(-1, 0, 0)
	if q.From.Month() == time.February && q.From.Day() == 29 {
		p.From = p.From.AddDate(0, 0, -1)
	}
	return p, nil
}

// CalendarYear reports whether q's period is one whole calendar year,
// 1 January to 31 December: the period of an annual report.
func (q Query) CalendarYear() bool {
	return !q.From.IsZero() && q.From.Equal(time.Date(q.From.Year(), 1, 1, 0, 0, 0, 0, time.UTC)) &&
		q.To.Equal(q.From.AddDate(1, 0, 0))
}

// ReportAndComparison computes the report of q and its comparison with
// other at the same time (two reads in parallel), so that asking for a
// comparison costs about as much time as the report alone.
func (e *Engine) ReportAndComparison(ctx context.Context, q, other Query) (*models.Report, *models.Comparison, error) {
	var o *models.Report
	var oErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		o, oErr = e.Report(ctx, other)
	}()
	r, err := e.Report(ctx, q)
	<-done
	if err != nil {
		return nil, nil, err
	}
	if oErr != nil {
		return nil, nil, fmt.Errorf("comparison: %w", oErr)
	}
	return r, comparison(r, o, other), nil
}

// Compare is the comparison of r, the report of q, with the report of
// other (q's filters over another period), both from Report and so from
// its cache when they can be.
func (e *Engine) Compare(ctx context.Context, r *models.Report, other Query) (*models.Comparison, error) {
	o, err := e.Report(ctx, other)
	if err != nil {
		return nil, fmt.Errorf("comparison: %w", err)
	}
	return comparison(r, o, other), nil
}

// comparison compares r with o, the report of other.
func comparison(r, o *models.Report, other Query) *models.Comparison {
	c := &models.Comparison{Report: *o, Change: make(map[models.Figure]models.Change, len(models.Figures()))}
	if !other.From.IsZero() {
		c.From = other.From.Format(time.DateOnly)
	}
	if !other.To.IsZero() {
		c.To = other.To.Add(-time.Nanosecond).Format(time.DateOnly)
	}
	for _, f := range models.Figures() {
		c.Change[f] = models.NewChange(r.Totals.Value(f), o.Totals.Value(f))
	}
	return c
}
