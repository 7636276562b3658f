package report_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
)

func TestPreviousPeriod(t *testing.T) {
	d := func(y, m, day int) time.Time { return time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC) }
	for _, tt := range []struct{ from, to, wantFrom, wantTo time.Time }{
		{d(2025, 1, 1), d(2026, 1, 1), d(2024, 1, 1), d(2025, 1, 1)},
		{d(2025, 3, 1), d(2025, 6, 1), d(2024, 12, 1), d(2025, 3, 1)},
		{d(2025, 3, 10), d(2025, 3, 20), d(2025, 2, 28), d(2025, 3, 10)},
	} {
		p, err := report.Query{From: tt.from, To: tt.to, Region: models.RegionAfrica}.PreviousPeriod()
		if err != nil || !p.From.Equal(tt.wantFrom) || !p.To.Equal(tt.wantTo) || p.Region != models.RegionAfrica {
			t.Errorf("previous of %v–%v = %v–%v (%v), want %v–%v", tt.from, tt.to, p.From, p.To, err, tt.wantFrom, tt.wantTo)
		}
	}
	if _, err := (report.Query{From: d(2025, 1, 1)}).PreviousPeriod(); err == nil {
		t.Error("an open period has a previous period")
	}
	for _, tt := range []struct {
		cur, prev int64
		pct       *float64
	}{{110, 100, ptr(10.0)}, {1, 3, ptr(-66.7)}, {5, 0, nil}} {
		c := models.NewChange(tt.cur, tt.prev)
		if c.Absolute != tt.cur-tt.prev || (c.Percent == nil) != (tt.pct == nil) || (c.Percent != nil && *c.Percent != *tt.pct) {
			t.Errorf("NewChange(%d, %d) = %+v", tt.cur, tt.prev, c)
		}
	}
}

// TestYearEarlier: the same period a year earlier, and which periods are
// calendar years (compared with the year before by default).
func TestYearEarlier(t *testing.T) {
	d := func(y, m, day int) time.Time { return time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC) }
	for _, tt := range []struct{ from, to, wantFrom, wantTo time.Time }{
		{d(2025, 1, 1), d(2026, 1, 1), d(2024, 1, 1), d(2025, 1, 1)},
		{d(2025, 3, 1), d(2025, 6, 1), d(2024, 3, 1), d(2024, 6, 1)},
		{d(2025, 3, 10), d(2025, 3, 20), d(2024, 3, 10), d(2024, 3, 20)},
		// 29 February has no day a year earlier: 28 February.
		{d(2024, 2, 29), d(2024, 3, 1), d(2023, 2, 28), d(2023, 3, 1)},
		{d(2024, 2, 1), d(2024, 3, 1), d(2023, 2, 1), d(2023, 3, 1)},
		{d(2025, 2, 1), d(2025, 3, 1), d(2024, 2, 1), d(2024, 3, 1)},
	} {
		p, err := report.Query{From: tt.from, To: tt.to, Country: "MA"}.YearEarlier()
		if err != nil || !p.From.Equal(tt.wantFrom) || !p.To.Equal(tt.wantTo) || p.Country != "MA" {
			t.Errorf("a year before %v–%v = %v–%v (%v), want %v–%v", tt.from, tt.to, p.From, p.To, err, tt.wantFrom, tt.wantTo)
		}
	}
	for _, q := range []report.Query{{From: d(2025, 1, 1)}, {To: d(2025, 1, 1)}, {}} {
		if _, err := q.YearEarlier(); err == nil {
			t.Errorf("the open period %v–%v has a year before", q.From, q.To)
		}
	}
	for _, tt := range []struct {
		from, to time.Time
		want     bool
	}{
		{d(2025, 1, 1), d(2026, 1, 1), true}, {d(2025, 1, 1), d(2025, 12, 31), false}, {d(2025, 2, 1), d(2026, 2, 1), false},
		{d(2025, 1, 1), d(2027, 1, 1), false}, {d(2025, 1, 1), time.Time{}, false}, {time.Time{}, d(2026, 1, 1), false},
	} {
		if got := (report.Query{From: tt.from, To: tt.to}).CalendarYear(); got != tt.want {
			t.Errorf("%v–%v is a calendar year: %v", tt.from, tt.to, got)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	must(t, err)
	return string(b)
}
