package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

// An event entered on the clock of a city ahead of UTC, early on the 1st,
// is counted on the UTC day before, on both engines, and its roll-ups are
// its raw figures.
func TestEventOnACityClockIsFiledInUTC(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	must(t, err)
	e := f.ValidEvent()
	e.StartsAt = time.Date(2024, 3, 1, 5, 0, 0, 0, tokyo)
	e.EndsAt = e.StartsAt.Add(2 * time.Hour)
	must(t, f.Store.CreateEvent(ctx, f.AgadirCoo.Actor(), e))
	stored, err := f.Store.Event(ctx, e.ID)
	must(t, err)
	if _, offset := stored.StartsAt.Zone(); !stored.StartsAt.Equal(e.StartsAt) || offset != 0 {
		t.Errorf("stored start %v, want %v in UTC", stored.StartsAt, e.StartsAt.UTC())
	}
	wantHeld(t, f.Store, 1, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC))
	wantHeld(t, f.Store, 1, time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC))
	wantHeld(t, f.Store, 0, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC))
}

// Migration 29 files in UTC an event written on its city's clock before
// it, and its roll-ups become those of a rebuild.
func TestMigration29FilesEventsInUTC(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	must(t, err)
	f.Agadir.TimeZone = "Asia/Tokyo"
	must(t, f.Store.UpdateCity(ctx, models.CLIActor(), f.Agadir, nil))
	e := f.ValidEvent()
	e.StartsAt = time.Date(2024, 6, 15, 10, 0, 0, 0, time.UTC)
	e.EndsAt = e.StartsAt.Add(2 * time.Hour)
	must(t, f.Store.CreateEvent(ctx, f.AgadirCoo.Actor(), e))
	start := time.Date(2024, 3, 1, 5, 0, 0, 0, tokyo)
	must(t, f.Store.FileEventAsBefore29(ctx, e.ID, start, start.Add(2*time.Hour)))
	stale := storetest.RollupDump(t, f.Store)
	must(t, f.Store.EventsInUTC(ctx))
	kept := storetest.RollupDump(t, f.Store)
	must(t, f.Store.RebuildRollups(ctx))
	rebuilt := storetest.RollupDump(t, f.Store)
	if stale == rebuilt {
		t.Fatal("the roll-ups of an event on its city's clock were not stale: the test shows nothing")
	}
	if kept != rebuilt {
		t.Errorf("after migration 29's fill, the roll-ups differ from a rebuild\nkept:\n%.4000s\nrebuilt:\n%.4000s", kept, rebuilt)
	}
	wantHeld(t, f.Store, 1, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC))
	wantHeld(t, f.Store, 0, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC))
}

// wantHeld fails the test unless the report from the roll-ups, equal to
// the raw one, counts n events held from from to to.
func wantHeld(t *testing.T, s *store.Store, n int64, from, to time.Time) {
	t.Helper()
	q := report.Query{From: from, To: to}
	fast, err := report.New(s).Compute(context.Background(), q)
	must(t, err)
	storetest.WantRaw(t, report.New(s), q, fast, "")
	if fast.Totals.EventsHeld != n {
		t.Errorf("%s to %s: %d events held, want %d", from.Format(time.DateOnly), to.Format(time.DateOnly), fast.Totals.EventsHeld, n)
	}
}
