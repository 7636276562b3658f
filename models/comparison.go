package models

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"
)

// Comparison is the report of another period with the same filters, and
// the change of each headline figure from it to the report compared.
type Comparison struct {
	// From and To are the compared period's first and last days.
	From string `json:"from"`
	To   string `json:"to"`
	// Report is the compared period's totals and breakdowns, figure for
	// figure what a report of that period alone says.
	Report
	// Change is, per figure, the report's value minus the compared one.
	Change map[Figure]Change `json:"change"`
}

// Change is how one figure moved between the compared period (Previous)
// and the report's (Current).
type Change struct {
	Current  int64 `json:"current"`
	Previous int64 `json:"previous"`
	Absolute int64 `json:"absolute"`
	// Percent is Absolute as a percentage of Previous, rounded to one
	// decimal; nil when Previous is 0.
	Percent *float64 `json:"percent"`
}

// NewChange is the change from previous to current.
func NewChange(current, previous int64) Change {
	c := Change{Current: current, Previous: previous, Absolute: current - previous}
	if previous != 0 {
		p := math.Round(float64(c.Absolute)*1000/float64(previous)) / 10
		c.Percent = &p
	}
	return c
}

// ErrOpenPeriod is returned for the previous period of a query without
// both ends.
var ErrOpenPeriod = errors.New("the period needs both a start and an end")

// PreviousPeriod is q over the period of the same length just before its
// own: as many whole months when q's period is whole months (so a year is
// compared with the year before), else as many days.
func (q ReportQuery) PreviousPeriod() (ReportQuery, error) {
	if q.From.IsZero() || q.To.IsZero() {
		return q, ErrOpenPeriod
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

// ReportAndComparison computes the report of q and its comparison with
// other at the same time (two reads in parallel), so that asking for a
// comparison costs about as much time as the report alone.
func (s *Store) ReportAndComparison(ctx context.Context, q, other ReportQuery) (*Report, *Comparison, error) {
	var o *Report
	var oErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		o, oErr = s.Report(ctx, other)
	}()
	r, err := s.Report(ctx, q)
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
func (s *Store) Compare(ctx context.Context, r *Report, other ReportQuery) (*Comparison, error) {
	o, err := s.Report(ctx, other)
	if err != nil {
		return nil, fmt.Errorf("comparison: %w", err)
	}
	return comparison(r, o, other), nil
}

// comparison compares r with o, the report of other.
func comparison(r, o *Report, other ReportQuery) *Comparison {
	c := &Comparison{Report: *o, Change: make(map[Figure]Change, len(Figures()))}
	if !other.From.IsZero() {
		c.From = other.From.Format(time.DateOnly)
	}
	if !other.To.IsZero() {
		c.To = other.To.Add(-time.Nanosecond).Format(time.DateOnly)
	}
	for _, f := range Figures() {
		c.Change[f] = NewChange(r.Totals.Value(f), o.Totals.Value(f))
	}
	return c
}
