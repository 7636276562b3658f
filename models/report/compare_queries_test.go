package report_test

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

// countingStore counts the queries the engine runs through it.
type countingStore struct {
	*store.Store
	n atomic.Int64
}

func (s *countingStore) Rows(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s.n.Add(1)
	return s.Store.Rows(ctx, query, args...)
}

// TestComparisonQueriesOncePerPeriod: a comparison runs the report's
// queries once for each of the two periods, whatever the number of rows
// of its breakdowns (cities, months, keys): twice the report's alone,
// and as many with 2 cities as with 12 that each have events.
func TestComparisonQueriesOncePerPeriod(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	src := &countingStore{Store: f.Store}
	d := func(y int) time.Time { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC) }
	// Whole months (the roll-ups) and days (the raw tables at the ends).
	queries := []report.Query{{From: d(2025), To: d(2026)}, {From: time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 9, 20, 0, 0, 0, 0, time.UTC)}}
	count := func(q report.Query) (alone, both int64) {
		t.Helper()
		other, err := q.YearEarlier()
		must(t, err)
		src.n.Store(0)
		_, err = report.New(src).Report(ctx, q)
		must(t, err)
		alone = src.n.Load()
		src.n.Store(0)
		_, cmp, err := report.New(src).ReportAndComparison(ctx, q, other)
		must(t, err)
		if cmp == nil {
			t.Fatal("no comparison")
		}
		return alone, src.n.Load()
	}
	var before [][2]int64
	for _, q := range queries {
		alone, both := count(q)
		if both != 2*alone {
			t.Errorf("%v: the report alone runs %d queries, with its comparison %d", q.From, alone, both)
		}
		t.Logf("%s–%s: %d queries alone, %d with its comparison", q.From.Format(time.DateOnly), q.To.Format(time.DateOnly), alone, both)
		before = append(before, [2]int64{alone, both})
	}
	// Ten more cities, each with events in both years and every month.
	for i := range 10 {
		city := &models.City{Name: fmt.Sprintf("City %d", i), Country: "FR", Region: models.RegionEuropeNA, JoinedYear: 2020}
		must(t, f.Store.CreateCity(ctx, models.CLIActor(), city, nil))
		for m := range 24 {
			e := f.ValidEvent()
			e.CityID, e.PartnerIDs = city.ID, nil
			e.StartsAt = time.Date(2024+m/12, time.Month(1+m%12), 15, 10, 0, 0, 0, time.UTC)
			e.EndsAt = e.StartsAt.Add(time.Hour)
			must(t, f.Store.CreateEvent(ctx, models.CLIActor(), e))
		}
	}
	for i, q := range queries {
		alone, both := count(q)
		if alone != before[i][0] || both != before[i][1] {
			t.Errorf("%v: with 12 cities %d and %d queries, with 2 %d and %d", q.From, alone, both, before[i][0], before[i][1])
		}
	}
}
