package models_test

import (
	"context"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// An event entered on the clock of a city ahead of UTC, early on the 1st,
// is counted on the UTC day before, on both engines, and its roll-ups are
// its raw figures.
func TestEventOnACityClockIsFiledInUTC(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	must(t, err)
	e := f.validEvent()
	e.StartsAt = time.Date(2024, 3, 1, 5, 0, 0, 0, tokyo)
	e.EndsAt = e.StartsAt.Add(2 * time.Hour)
	must(t, f.store.CreateEvent(ctx, f.agadirCoo.Actor(), e))
	stored, err := f.store.Event(ctx, e.ID)
	must(t, err)
	if _, offset := stored.StartsAt.Zone(); !stored.StartsAt.Equal(e.StartsAt) || offset != 0 {
		t.Errorf("stored start %v, want %v in UTC", stored.StartsAt, e.StartsAt.UTC())
	}
	wantHeld(t, f.store, 1, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC))
	wantHeld(t, f.store, 1, time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC))
	wantHeld(t, f.store, 0, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC))
}

// Migration 29 files in UTC an event written on its city's clock before
// it, and its roll-ups become those of a rebuild.
func TestMigration29FilesEventsInUTC(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	must(t, err)
	f.agadir.TimeZone = "Asia/Tokyo"
	must(t, f.store.UpdateCity(ctx, models.CLIActor(), f.agadir, nil))
	e := f.validEvent()
	e.StartsAt = time.Date(2024, 6, 15, 10, 0, 0, 0, time.UTC)
	e.EndsAt = e.StartsAt.Add(2 * time.Hour)
	must(t, f.store.CreateEvent(ctx, f.agadirCoo.Actor(), e))
	start := time.Date(2024, 3, 1, 5, 0, 0, 0, tokyo)
	must(t, f.store.FileEventAsBefore29(ctx, e.ID, start, start.Add(2*time.Hour)))
	stale, err := f.store.RollupDump()
	must(t, err)
	must(t, f.store.EventsInUTC(ctx))
	kept, err := f.store.RollupDump()
	must(t, err)
	must(t, f.store.RebuildRollups(ctx))
	rebuilt, err := f.store.RollupDump()
	must(t, err)
	if stale == rebuilt {
		t.Fatal("the roll-ups of an event on its city's clock were not stale: the test shows nothing")
	}
	if kept != rebuilt {
		t.Errorf("after migration 29's fill, the roll-ups differ from a rebuild\nkept:\n%.4000s\nrebuilt:\n%.4000s", kept, rebuilt)
	}
	wantHeld(t, f.store, 1, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC))
	wantHeld(t, f.store, 0, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC))
}

// wantHeld fails the test unless the report from the roll-ups, equal to
// the raw one, counts n events held from from to to.
func wantHeld(t *testing.T, s *models.Store, n int64, from, to time.Time) {
	t.Helper()
	q := models.ReportQuery{From: from, To: to}
	fast, err := s.ComputeReport(context.Background(), q)
	must(t, err)
	wantRaw(t, s, q, fast, "")
	if fast.Totals.EventsHeld != n {
		t.Errorf("%s to %s: %d events held, want %d", from.Format(time.DateOnly), to.Format(time.DateOnly), fast.Totals.EventsHeld, n)
	}
}
