package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

func TestCreateEventStoresLinksAndAudit(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	e := f.ValidEvent()
	must(t, f.Store.CreateEvent(ctx, f.AgadirCoo.Actor(), e))
	got, err := f.Store.Event(ctx, e.ID)
	must(t, err)
	if got.Title != e.Title || *got.Participants != 40 || got.Status != models.StatusHeld {
		t.Errorf("stored event = %+v", got)
	}
	if len(got.LearningAreas) != 1 || got.LearningAreas[0] != models.AreaFamilies {
		t.Errorf("areas = %v", got.LearningAreas)
	}
	if len(got.AgeGroups) != 1 || got.AgeGroups[0] != models.AgeChildren {
		t.Errorf("age groups = %v", got.AgeGroups)
	}
	if len(got.PartnerIDs) != 1 || got.PartnerIDs[0] != f.AgadirPartner.ID {
		t.Errorf("partners = %v", got.PartnerIDs)
	}
	log, err := f.Store.AuditEntries(ctx, models.AuditFilter{CityIDs: []uint{f.Agadir.ID}}, models.Page{})
	must(t, err)
	var found bool
	for _, a := range log.Items {
		if a.Entity == "event" && a.EntityID == e.ID && a.Action == "create" && a.UserEmail == "agadir@example.org" && a.UserID != nil && *a.UserID == f.AgadirCoo.ID {
			found = true
		}
	}
	if !found {
		t.Errorf("no audit entry for the new event in %+v", log.Items)
	}
}

func TestInvalidEventsAreRefusedAndNothingIsWritten(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	future := time.Now().UTC().Add(72 * time.Hour)
	tests := []struct {
		name   string
		change func(e *models.Event)
		field  string
		code   string
	}{
		{"no title", func(e *models.Event) { e.Title = "  " }, "title", "required"},
		{"long title", func(e *models.Event) { e.Title = string(make([]byte, 201)) }, "title", "max"},
		{"bad format", func(e *models.Event) { e.Format = "teleport" }, "format", "oneof"},
		{"bad status", func(e *models.Event) { e.Status = "done" }, "status", "oneof"},
		{"no area", func(e *models.Event) { e.LearningAreas = nil }, "learning_areas", "choose_min"},
		{"bad area", func(e *models.Event) { e.LearningAreas = []models.LearningArea{"magic"} }, "learning_areas", "oneof"},
		{"bad age group", func(e *models.Event) { e.AgeGroups = []models.AgeGroup{"toddlers"} }, "age_groups", "oneof"},
		{"ends before start", func(e *models.Event) { e.EndsAt = e.StartsAt.Add(-time.Hour) }, "ends_at", "after_start"},
		{"held in the future", func(e *models.Event) { e.StartsAt, e.EndsAt = future, future.Add(time.Hour) }, "status", "held_future"},
		{"held without participants", func(e *models.Event) { e.Participants = nil }, "participants", "required"},
		{"negative participants", func(e *models.Event) { n := -1; e.Participants = &n }, "participants", "range"},
		{"too many participants", func(e *models.Event) { n := models.MaxParticipants + 1; e.Participants = &n }, "participants", "range"},
		{"partner of another city", func(e *models.Event) { e.PartnerIDs = []uint{f.FezPartner.ID} }, "partners", "own_city"},
		{"unknown partner", func(e *models.Event) { e.PartnerIDs = []uint{999} }, "partners", "own_city"},
		{"unknown campaign", func(e *models.Event) { e.CampaignID = 999 }, "campaign", "oneof"},
		{"no start", func(e *models.Event) { e.StartsAt = time.Time{} }, "starts_at", "required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := f.ValidEvent()
			tt.change(e)
			err := f.Store.CreateEvent(ctx, f.AgadirCoo.Actor(), e)
			fe, ok := models.AsFieldErrors(err)
			if !ok {
				t.Fatalf("err = %v, want field errors", err)
			}
			if p := fe[tt.field]; p.Code != tt.code {
				t.Errorf("problem on %s = %+v, want code %s (all: %v)", tt.field, p, tt.code, fe)
			}
			if n := countEvents(t, f.Store); n != 0 {
				t.Errorf("events = %d after a refused create, want 0", n)
			}
		})
	}
}

func TestParticipantsAreDroppedUnlessHeld(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	e := f.ValidEvent()
	e.Status = models.StatusCancelled
	must(t, f.Store.CreateEvent(ctx, f.AgadirCoo.Actor(), e))
	got, err := f.Store.Event(ctx, e.ID)
	must(t, err)
	if got.Participants != nil {
		t.Errorf("participants of a cancelled event = %d, want none", *got.Participants)
	}
}

func TestUpdateEventReplacesLinksAndKeepsCity(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	e := f.ValidEvent()
	must(t, f.Store.CreateEvent(ctx, f.AgadirCoo.Actor(), e))
	e.Title = "Renamed"
	e.LearningAreas = []models.LearningArea{models.AreaCulture, models.AreaWorkplace}
	e.PartnerIDs = nil
	must(t, f.Store.UpdateEvent(ctx, f.AgadirCoo.Actor(), e))
	got, err := f.Store.Event(ctx, e.ID)
	must(t, err)
	if got.Title != "Renamed" || len(got.PartnerIDs) != 0 || len(got.LearningAreas) != 2 || got.CityID != f.Agadir.ID {
		t.Errorf("updated event = %+v", got)
	}
	// An update that names another city's event changes nothing.
	moved := *e
	moved.CityID = f.Fez.ID
	moved.Title = "Hijacked"
	if err := f.Store.UpdateEvent(ctx, f.AgadirCoo.Actor(), &moved); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("update across cities: err = %v, want ErrNotFound", err)
	}
	got, _ = f.Store.Event(ctx, e.ID)
	if got.Title != "Renamed" {
		t.Errorf("title = %q after a refused update", got.Title)
	}
}

func TestDeleteEvent(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	e := f.ValidEvent()
	must(t, f.Store.CreateEvent(ctx, f.AgadirCoo.Actor(), e))
	must(t, f.Store.DeleteEvent(ctx, f.AgadirCoo.Actor(), e))
	if _, err := f.Store.Event(ctx, e.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("deleted event: err = %v, want ErrNotFound", err)
	}
	if err := f.Store.DeleteEvent(ctx, f.AgadirCoo.Actor(), e); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("second delete: err = %v, want ErrNotFound", err)
	}
}

func TestEventsFilterSortAndPage(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	base := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	for i, title := range []string{"Alpha", "Bravo", "Charlie", "Delta", "Echo"} {
		e := f.ValidEvent()
		e.Title = title
		e.StartsAt = base.AddDate(0, i, 0)
		e.EndsAt = e.StartsAt.Add(time.Hour)
		if i%2 == 1 {
			e.Status = models.StatusCancelled
			e.Format = models.FormatOnline
		}
		must(t, f.Store.CreateEvent(ctx, f.AgadirCoo.Actor(), e))
	}
	titles := func(p models.Paged[models.Event]) []string {
		var out []string
		for _, e := range p.Items {
			out = append(out, e.Title)
		}
		return out
	}
	tests := []struct {
		name   string
		filter models.EventFilter
		page   models.Page
		want   []string
		total  int64
	}{
		{"newest first", models.EventFilter{}, models.Page{Size: 2}, []string{"Echo", "Delta"}, 5},
		{"second page", models.EventFilter{}, models.Page{Number: 2, Size: 2}, []string{"Charlie", "Bravo"}, 5},
		{"oldest first", models.EventFilter{Sort: "start"}, models.Page{Size: 1}, []string{"Alpha"}, 5},
		{"by status", models.EventFilter{Status: models.StatusCancelled, Sort: "title"}, models.Page{}, []string{"Bravo", "Delta"}, 2},
		{"by format", models.EventFilter{Format: models.FormatInPerson, Sort: "title"}, models.Page{}, []string{"Alpha", "Charlie", "Echo"}, 3},
		{"by query", models.EventFilter{Query: "ARL"}, models.Page{}, []string{"Charlie"}, 1},
		{"query with wildcard", models.EventFilter{Query: "%"}, models.Page{}, nil, 0},
		{"by period", models.EventFilter{From: base.AddDate(0, 1, 0), To: base.AddDate(0, 3, 0), Sort: "start"}, models.Page{}, []string{"Bravo", "Charlie"}, 2},
		{"by area", models.EventFilter{Area: models.AreaCulture}, models.Page{}, nil, 0},
		{"other city", models.EventFilter{CityIDs: []uint{f.Fez.ID}}, models.Page{}, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := f.Store.Events(ctx, tt.filter, tt.page)
			must(t, err)
			if got := titles(p); !equal(got, tt.want) || p.Total != tt.total {
				t.Errorf("got %v (total %d), want %v (total %d)", got, p.Total, tt.want, tt.total)
			}
		})
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The audit log counts its matches only so far, and its pages still
// lead on past the count.
func TestAuditLogCountsUpToItsLimit(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	for range 5 {
		must(t, f.Store.CreateEvent(ctx, f.AgadirCoo.Actor(), f.ValidEvent()))
	}
	filter := models.AuditFilter{CityIDs: []uint{f.Agadir.ID}, Action: models.AuditCreate}
	all, err := f.Store.AuditEntries(ctx, filter, models.Page{Size: 100})
	must(t, err)
	if all.AtLeast || all.Total < 5 || int(all.Total) != len(all.Items) {
		t.Fatalf("uncapped: total %d (at least: %v) of %d items", all.Total, all.AtLeast, len(all.Items))
	}
	capped, err := f.Store.AuditEntries(ctx, filter, models.Page{Number: 2, Size: 2, CountUpTo: 3})
	must(t, err)
	if !capped.AtLeast || capped.Total != 3 || len(capped.Items) != 2 || capped.Pages() != 3 {
		t.Fatalf("capped at 3: total %d, at least %v, %d items, %d pages", capped.Total, capped.AtLeast, len(capped.Items), capped.Pages())
	}
	if capped.Items[0].ID != all.Items[2].ID {
		t.Errorf("page 2 starts at entry %d, want %d", capped.Items[0].ID, all.Items[2].ID)
	}
	exact, err := f.Store.AuditEntries(ctx, filter, models.Page{Size: 2, CountUpTo: all.Total})
	must(t, err)
	if exact.AtLeast || exact.Total != all.Total {
		t.Errorf("capped at the exact count: total %d, at least %v", exact.Total, exact.AtLeast)
	}
}
