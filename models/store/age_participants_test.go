package store_test

import (
	"context"
	"maps"
	"testing"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

// TestParticipantsByAgeGroup checks the age group breakdown's definition:
// an event counts in every age group it reached, with the participants it
// recorded for that group; an event that reached one group has all its
// participants there; one that reached several without recording them
// counts as an event only.
func TestParticipantsByAgeGroup(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	actor := f.AgadirCoo.Actor()
	recorded := f.ValidEvent()
	recorded.AgeGroups = []models.AgeGroup{models.AgeChildren, models.AgeAdults}
	recorded.AgeParticipants = map[models.AgeGroup]int{models.AgeChildren: 10, models.AgeAdults: 30}
	must(t, f.Store.CreateEvent(ctx, actor, recorded))
	unrecorded := f.ValidEvent()
	unrecorded.Title = "Unrecorded"
	unrecorded.AgeGroups = []models.AgeGroup{models.AgeChildren, models.AgeAdults}
	n := 25
	unrecorded.Participants = &n
	must(t, f.Store.CreateEvent(ctx, actor, unrecorded))
	single := f.ValidEvent()
	single.Title = "Single"
	single.AgeGroups = []models.AgeGroup{models.AgeYouth}
	seven := 7
	single.Participants = &seven
	must(t, f.Store.CreateEvent(ctx, actor, single))

	got, err := f.Store.Event(ctx, single.ID)
	must(t, err)
	if want := map[models.AgeGroup]int{models.AgeYouth: 7}; !maps.Equal(got.AgeParticipants, want) {
		t.Errorf("one age group reached: stored %v, want %v", got.AgeParticipants, want)
	}
	got, err = f.Store.Event(ctx, unrecorded.ID)
	must(t, err)
	if len(got.AgeParticipants) != 0 {
		t.Errorf("no counts given: stored %v", got.AgeParticipants)
	}

	type figures struct{ events, participants int64 }
	want := map[string]figures{"children": {2, 10}, "youth": {1, 7}, "adults": {2, 30}, "older-adults": {0, 0}}
	check := func(label string) {
		t.Helper()
		for name, engine := range map[string]func(context.Context, report.Query) (*models.Report, error){
			"roll-ups": f.Reports.Compute, "raw": f.Reports.FromRaw,
		} {
			r, err := engine(ctx, report.Query{})
			must(t, err)
			for _, row := range r.Breakdowns.ByAgeGroup {
				if w := want[row.Key]; *row.EventsHeld != w.events || *row.Participants != w.participants {
					t.Errorf("%s, %s: %s = %d events, %d participants; want %+v", label, name, row.Key, *row.EventsHeld, *row.Participants, w)
				}
			}
		}
	}
	check("created")

	// The refill of migration 27 gives the same rows.
	must(t, f.Store.RefillAges())
	check("refilled")

	// Counts that do not add up to the total are refused, and change nothing.
	recorded.AgeParticipants = map[models.AgeGroup]int{models.AgeChildren: 10, models.AgeAdults: 31}
	if fe, ok := models.AsFieldErrors(f.Store.UpdateEvent(ctx, actor, recorded)); !ok || fe["age_participants"].Code != "age_sum" || fe["age_participants"].Param != "40" {
		t.Fatalf("counts adding up to 41 of 40: %v", fe)
	}
	check("after a refused edit")

	// A count for a group not ticked means it was reached; a group ticked
	// without a count had none.
	recorded.AgeGroups = []models.AgeGroup{models.AgeChildren, models.AgeAdults}
	recorded.AgeParticipants = map[models.AgeGroup]int{models.AgeChildren: 15, models.AgeOlderAdults: 25}
	must(t, f.Store.UpdateEvent(ctx, actor, recorded))
	got, err = f.Store.Event(ctx, recorded.ID)
	must(t, err)
	if w := map[models.AgeGroup]int{models.AgeChildren: 15, models.AgeAdults: 0, models.AgeOlderAdults: 25}; !maps.Equal(got.AgeParticipants, w) {
		t.Errorf("after the edit: %v, want %v", got.AgeParticipants, w)
	}
	want = map[string]figures{"children": {2, 15}, "youth": {1, 7}, "adults": {2, 0}, "older-adults": {1, 25}}
	check("edited")

	// Out of range, or an unknown group, is refused.
	for _, bad := range []map[models.AgeGroup]int{{models.AgeChildren: -1, models.AgeAdults: 41}, {"toddlers": 40}} {
		e := f.ValidEvent()
		e.AgeParticipants = bad
		if fe, ok := models.AsFieldErrors(e.Validate(e.StartsAt.AddDate(0, 0, 1))); !ok || fe["age_participants"].Code == "" {
			t.Errorf("%v: %v", bad, fe)
		}
	}
	// An event not held has no participants, so none by age group.
	planned := f.ValidEvent()
	planned.Status, planned.StartsAt = models.StatusPlanned, planned.StartsAt.AddDate(0, 1, 0)
	planned.EndsAt = planned.StartsAt
	planned.AgeParticipants = map[models.AgeGroup]int{models.AgeChildren: 3}
	must(t, planned.Validate(planned.StartsAt))
	if planned.AgeParticipants != nil || planned.Participants != nil {
		t.Errorf("a planned event keeps %v, %v", planned.AgeParticipants, planned.Participants)
	}
}
