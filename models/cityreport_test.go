package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

func TestCityReportLifecycle(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	coo, staff := f.agadirCoo.Actor(), f.staff.Actor()
	year := models.Period{Kind: "year", Key: time.Now().UTC().Format("2006")}
	e := f.validEvent()
	must(t, f.store.CreateEvent(ctx, coo, e))

	r, err := f.store.StartCityReport(ctx, coo, f.agadir.ID, year)
	must(t, err)
	again, err := f.store.StartCityReport(ctx, coo, f.agadir.ID, year)
	must(t, err)
	if again.ID != r.ID || r.Status != models.ReportDraft {
		t.Fatalf("one report per city and period: %d vs %d, %s", again.ID, r.ID, r.Status)
	}
	draft := models.CityReportDraft{Worked: "Reading circles", Ratings: []models.Rating{{Area: models.AreaFamilies, Score: 3, Comment: "Strong"}}, EventIDs: []uint{e.ID}}
	must(t, f.store.SaveCityReport(ctx, coo, r, r.Version, draft))
	// The form of an older version is refused and writes nothing.
	if err := f.store.SaveCityReport(ctx, coo, r, r.Version, models.CityReportDraft{Worked: "Overwrite"}); !errors.Is(err, models.ErrStale) {
		t.Fatalf("stale save: err = %v, want ErrStale", err)
	}
	r, _ = f.store.CityReport(ctx, r.ID)
	if r.Worked != "Reading circles" || r.Ratings()[1].Score != 3 || len(r.FeaturedEvents()) != 1 {
		t.Fatalf("saved draft = %+v", r)
	}
	// Another city's event cannot be picked.
	fez := f.validEvent()
	fez.CityID, fez.PartnerIDs = f.fez.ID, nil
	must(t, f.store.CreateEvent(ctx, coo, fez))
	if err := f.store.SaveCityReport(ctx, coo, r, r.Version, models.CityReportDraft{EventIDs: []uint{fez.ID}}); err == nil {
		t.Fatal("another city's event was picked")
	}
	// Review before submission is refused.
	if err := f.store.ReviewCityReport(ctx, staff, r, r.Version, true, ""); !errors.Is(err, models.ErrTransition) {
		t.Fatalf("approve a draft: err = %v", err)
	}
	must(t, f.store.SubmitCityReport(ctx, coo, r, r.Version))
	r, _ = f.store.CityReport(ctx, r.ID)
	if r.Status != models.ReportSubmitted || r.Frozen() == nil || r.Frozen().Totals.EventsHeld != 1 {
		t.Fatalf("submitted report = %s, frozen %+v", r.Status, r.Frozen())
	}
	// Later edits to events do not change the frozen figures.
	must(t, f.store.CreateEvent(ctx, coo, f.validEvent()))
	r, _ = f.store.CityReport(ctx, r.ID)
	live, err := f.store.LiveCityReport(ctx, r)
	must(t, err)
	if r.Frozen().Totals.EventsHeld != 1 || live.Totals.EventsHeld != 2 {
		t.Errorf("frozen %d, live %d; want 1 and 2", r.Frozen().Totals.EventsHeld, live.Totals.EventsHeld)
	}
	if err := f.store.SaveCityReport(ctx, coo, r, r.Version, draft); !errors.Is(err, models.ErrTransition) && !errors.Is(err, models.ErrStale) {
		t.Fatalf("edit a submitted report: err = %v", err)
	}
	if err := f.store.ReviewCityReport(ctx, staff, r, r.Version, false, " "); err == nil {
		t.Fatal("changes requested without a comment")
	}
	must(t, f.store.ReviewCityReport(ctx, staff, r, r.Version, false, "Say more about the families block."))
	r, _ = f.store.CityReport(ctx, r.ID)
	must(t, f.store.SaveCityReport(ctx, coo, r, r.Version, models.CityReportDraft{Worked: "Reading circles in 12 districts"}))
	r, _ = f.store.CityReport(ctx, r.ID)
	must(t, f.store.SubmitCityReport(ctx, coo, r, r.Version))
	r, _ = f.store.CityReport(ctx, r.ID)
	if r.Frozen().Totals.EventsHeld != 2 {
		t.Errorf("resubmission froze %d events, want 2", r.Frozen().Totals.EventsHeld)
	}
	must(t, f.store.ReviewCityReport(ctx, staff, r, r.Version, true, ""))
	r, _ = f.store.CityReport(ctx, r.ID)
	if err := f.store.ReviewCityReport(ctx, staff, r, r.Version, true, ""); !errors.Is(err, models.ErrTransition) {
		t.Errorf("approve twice: err = %v", err)
	}
	if err := f.store.SaveCityReport(ctx, coo, r, r.Version, draft); !errors.Is(err, models.ErrTransition) {
		t.Errorf("edit after approval: err = %v", err)
	}
	steps, err := f.store.CityReportSteps(ctx, r.ID)
	must(t, err)
	var actions []string
	for _, s := range steps {
		actions = append(actions, string(s.Action))
	}
	if got := strings.Join(actions, " "); got != "create save submit request_changes save resubmit approve" {
		t.Errorf("history = %s", got)
	}
}
