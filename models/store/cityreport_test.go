package store_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

func TestCityReportLifecycle(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	coo, staff := f.AgadirCoo.Actor(), f.Staff.Actor()
	year := models.YearPeriod(time.Now().UTC().Year())
	e := f.ValidEvent()
	must(t, f.Store.CreateEvent(ctx, coo, e))

	r, err := f.Store.StartCityReport(ctx, coo, f.Agadir.ID, year)
	must(t, err)
	again, err := f.Store.StartCityReport(ctx, coo, f.Agadir.ID, year)
	must(t, err)
	if again.ID != r.ID || r.Status != models.ReportDraft {
		t.Fatalf("one report per city and period: %d vs %d, %s", again.ID, r.ID, r.Status)
	}
	draft := models.CityReportDraft{Worked: "Reading circles", Ratings: []models.Rating{{Area: models.AreaFamilies, Score: 3, Comment: "Strong"}}, EventIDs: []uint{e.ID}}
	must(t, f.Store.SaveCityReport(ctx, coo, r, r.Version, draft))
	// The form of an older version is refused and writes nothing.
	if err := f.Store.SaveCityReport(ctx, coo, r, r.Version, models.CityReportDraft{Worked: "Overwrite"}); !errors.Is(err, models.ErrStale) {
		t.Fatalf("stale save: err = %v, want ErrStale", err)
	}
	r, _ = f.Store.CityReport(ctx, r.ID)
	if r.Worked != "Reading circles" || r.Ratings()[1].Score != 3 || len(r.FeaturedEvents()) != 1 {
		t.Fatalf("saved draft = %+v", r)
	}
	// Another city's event cannot be picked.
	fez := f.ValidEvent()
	fez.CityID, fez.PartnerIDs = f.Fez.ID, nil
	must(t, f.Store.CreateEvent(ctx, coo, fez))
	if err := f.Store.SaveCityReport(ctx, coo, r, r.Version, models.CityReportDraft{EventIDs: []uint{fez.ID}}); err == nil {
		t.Fatal("another city's event was picked")
	}
	// Only held events of the report's period can be featured, whatever
	// the form offered.
	planned := f.ValidEvent()
	planned.StartsAt, planned.EndsAt = time.Now().UTC().Add(time.Hour).Truncate(time.Minute), time.Now().UTC().Add(2*time.Hour).Truncate(time.Minute)
	planned.Status, planned.Participants = models.StatusPlanned, nil
	must(t, f.Store.CreateEvent(ctx, coo, planned))
	lastYear := f.ValidEvent()
	lastYear.StartsAt, lastYear.EndsAt = lastYear.StartsAt.AddDate(-1, 0, 0), lastYear.EndsAt.AddDate(-1, 0, 0)
	must(t, f.Store.CreateEvent(ctx, coo, lastYear))
	for name, id := range map[string]uint{"planned": planned.ID, "last year's": lastYear.ID} {
		err := f.Store.SaveCityReport(ctx, coo, r, r.Version, models.CityReportDraft{EventIDs: []uint{e.ID, id}})
		if fe, ok := models.AsFieldErrors(err); !ok || fe["events"].Code != "featurable" {
			t.Errorf("a %s event was picked: err = %v", name, err)
		}
	}
	featurable, err := f.Store.FeaturableEvents(ctx, r, 0)
	must(t, err)
	if len(featurable) != 1 || featurable[0].ID != e.ID {
		t.Errorf("featurable events = %+v, want only #%d", featurable, e.ID)
	}
	// The form offers the newest, and always those featured already.
	newer := f.ValidEvent()
	newer.StartsAt, newer.EndsAt = newer.StartsAt.Add(time.Hour), newer.EndsAt.Add(time.Hour)
	must(t, f.Store.CreateEvent(ctx, coo, newer))
	offered := func(featured ...uint) []uint {
		t.Helper()
		r.EventIDs = ""
		for i, id := range featured {
			if i > 0 {
				r.EventIDs += ","
			}
			r.EventIDs += fmt.Sprint(id)
		}
		events, err := f.Store.FeaturableEvents(ctx, r, 1)
		must(t, err)
		var ids []uint
		for _, ev := range events {
			ids = append(ids, ev.ID)
		}
		return ids
	}
	if got := offered(); !slices.Equal(got, []uint{newer.ID}) {
		t.Errorf("offered %v, want the newest #%d", got, newer.ID)
	}
	if got := offered(e.ID, planned.ID); !slices.Equal(got, []uint{e.ID, newer.ID}) {
		t.Errorf("offered %v, want the featured #%d and the newest #%d, not the planned one", got, e.ID, newer.ID)
	}
	must(t, f.Store.DeleteEvent(ctx, coo, newer))
	r.EventIDs = ""
	// Review before submission is refused.
	if err := f.Store.ReviewCityReport(ctx, staff, r, r.Version, true, ""); !errors.Is(err, models.ErrTransition) {
		t.Fatalf("approve a draft: err = %v", err)
	}
	must(t, f.Store.SubmitCityReport(ctx, coo, r, r.Version, report.Frozen[*store.Store](f.Reports, ctx, r)))
	r, _ = f.Store.CityReport(ctx, r.ID)
	if r.Status != models.ReportSubmitted || r.Frozen() == nil || r.Frozen().Totals.EventsHeld != 1 {
		t.Fatalf("submitted report = %s, frozen %+v", r.Status, r.Frozen())
	}
	// Later edits to events do not change the frozen figures.
	must(t, f.Store.CreateEvent(ctx, coo, f.ValidEvent()))
	r, _ = f.Store.CityReport(ctx, r.ID)
	live, err := f.Reports.CityReport(ctx, r)
	must(t, err)
	if r.Frozen().Totals.EventsHeld != 1 || live.Totals.EventsHeld != 2 {
		t.Errorf("frozen %d, live %d; want 1 and 2", r.Frozen().Totals.EventsHeld, live.Totals.EventsHeld)
	}
	if err := f.Store.SaveCityReport(ctx, coo, r, r.Version, draft); !errors.Is(err, models.ErrTransition) && !errors.Is(err, models.ErrStale) {
		t.Fatalf("edit a submitted report: err = %v", err)
	}
	if err := f.Store.ReviewCityReport(ctx, staff, r, r.Version, false, " "); err == nil {
		t.Fatal("changes requested without a comment")
	}
	must(t, f.Store.ReviewCityReport(ctx, staff, r, r.Version, false, "Say more about the families block."))
	r, _ = f.Store.CityReport(ctx, r.ID)
	must(t, f.Store.SaveCityReport(ctx, coo, r, r.Version, models.CityReportDraft{Worked: "Reading circles in 12 districts"}))
	r, _ = f.Store.CityReport(ctx, r.ID)
	must(t, f.Store.SubmitCityReport(ctx, coo, r, r.Version, report.Frozen[*store.Store](f.Reports, ctx, r)))
	r, _ = f.Store.CityReport(ctx, r.ID)
	if r.Frozen().Totals.EventsHeld != 2 {
		t.Errorf("resubmission froze %d events, want 2", r.Frozen().Totals.EventsHeld)
	}
	must(t, f.Store.ReviewCityReport(ctx, staff, r, r.Version, true, ""))
	r, _ = f.Store.CityReport(ctx, r.ID)
	if err := f.Store.ReviewCityReport(ctx, staff, r, r.Version, true, ""); !errors.Is(err, models.ErrTransition) {
		t.Errorf("approve twice: err = %v", err)
	}
	if err := f.Store.SaveCityReport(ctx, coo, r, r.Version, draft); !errors.Is(err, models.ErrTransition) {
		t.Errorf("edit after approval: err = %v", err)
	}
	steps, err := f.Store.CityReportSteps(ctx, r.ID)
	must(t, err)
	var actions []string
	for _, s := range steps {
		actions = append(actions, string(s.Action))
	}
	if got := strings.Join(actions, " "); got != "create save submit request_changes save resubmit approve" {
		t.Errorf("history = %s", got)
	}
}

func TestCityReportLate(t *testing.T) {
	due := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	before, after := due.Add(-time.Hour), due.Add(time.Hour)
	report := func(s models.CityReportStatus) *models.CityReport { return &models.CityReport{Status: s} }
	for _, tc := range []struct {
		name string
		r    *models.CityReport
		due  *time.Time
		now  time.Time
		want bool
	}{
		{"not started, before the due day", nil, &due, before, false},
		{"not started, after it", nil, &due, after, true},
		{"draft, after it", report(models.ReportDraft), &due, after, true},
		{"sent back, after it", report(models.ReportChangesRequested), &due, after, true},
		{"submitted, after it", report(models.ReportSubmitted), &due, after, false},
		{"approved, after it", report(models.ReportApproved), &due, after, false},
		{"no due day", nil, nil, after, false},
	} {
		if got := tc.r.Late(tc.due, tc.now); got != tc.want {
			t.Errorf("%s: late = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestNetworkReporting: who has reported puts each city in one state, from
// its report of the period (another period's does not count), late only
// once the due day has passed and never while it is unknown; and the
// periods with reports are listed once each.
func TestNetworkReporting(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	actor := models.CLIActor()
	cities := map[string]*models.City{"Agadir": f.Agadir, "Fez": f.Fez}
	for _, name := range []string{"Dakar", "Essaouira", "Ifrane", "Marrakech"} {
		c := &models.City{Name: name, Country: "MA", Region: models.RegionArabStates, JoinedYear: 2022}
		must(t, f.Store.CreateCity(ctx, actor, c, nil))
		cities[name] = c
	}
	start := func(city string, p models.Period) *models.CityReport {
		t.Helper()
		r, err := f.Store.StartCityReport(ctx, actor, cities[city].ID, p)
		must(t, err)
		return r
	}
	submit := func(r *models.CityReport) *models.CityReport {
		t.Helper()
		must(t, f.Store.SubmitCityReport(ctx, actor, r, r.Version, report.Frozen[*store.Store](f.Reports, ctx, r)))
		r, err := f.Store.CityReport(ctx, r.ID)
		must(t, err)
		return r
	}
	year := models.YearPeriod(2024)
	approved := submit(start("Agadir", year))
	must(t, f.Store.ReviewCityReport(ctx, actor, approved, approved.Version, true, ""))
	submit(start("Fez", year))
	sentBack := submit(start("Essaouira", year))
	must(t, f.Store.ReviewCityReport(ctx, actor, sentBack, sentBack.Version, false, "Add the festival's figures."))
	start("Ifrane", year)
	start("Marrakech", models.YearPeriod(2025))

	// Thirty days (the running campaign's rule) after the year's end.
	due := time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC)
	reached := map[models.ReportingState]bool{}
	for _, tc := range []struct {
		name string
		p    models.Period
		now  time.Time
		due  *time.Time
		// want is each city, by name, with its state and its report's
		// status.
		want   string
		counts map[models.ReportingState]int
	}{
		{"on the due day", year, due, &due,
			"Agadir approved/approved, Dakar not_started, Essaouira changes_requested/changes_requested, Fez submitted/submitted, Ifrane draft/draft, Marrakech not_started",
			map[models.ReportingState]int{models.ReportingNotStarted: 2, models.ReportingDraft: 1, models.ReportingSubmitted: 1,
				models.ReportingChangesRequested: 1, models.ReportingApproved: 1, models.ReportingLate: 0}},
		{"past it", year, due.Add(time.Second), &due,
			"Agadir approved/approved, Dakar late, Essaouira late/changes_requested, Fez submitted/submitted, Ifrane late/draft, Marrakech late",
			map[models.ReportingState]int{models.ReportingNotStarted: 0, models.ReportingDraft: 0, models.ReportingSubmitted: 1,
				models.ReportingChangesRequested: 0, models.ReportingApproved: 1, models.ReportingLate: 4}},
		{"a campaign that runs on, not due", models.CampaignPeriod(f.Campaign.Hashtag), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), nil,
			"Agadir not_started, Dakar not_started, Essaouira not_started, Fez not_started, Ifrane not_started, Marrakech not_started",
			map[models.ReportingState]int{models.ReportingNotStarted: 6, models.ReportingDraft: 0, models.ReportingSubmitted: 0,
				models.ReportingChangesRequested: 0, models.ReportingApproved: 0, models.ReportingLate: 0}},
	} {
		got, err := f.Store.NetworkReporting(ctx, tc.p, tc.now)
		must(t, err)
		var states []string
		for _, c := range got.Cities {
			s := c.City.Name + " " + string(c.State)
			if c.Report != nil {
				s += "/" + string(c.Report.Status)
			}
			states = append(states, s)
			reached[c.State] = true
		}
		if s := strings.Join(states, ", "); s != tc.want {
			t.Errorf("%s: cities\n%s\nwant\n%s", tc.name, s, tc.want)
		}
		if !maps.Equal(got.Counts, tc.counts) {
			t.Errorf("%s: counts %v, want %v", tc.name, got.Counts, tc.counts)
		}
		if got.Period.String() != tc.p.String() || !reflect.DeepEqual(got.Due, tc.due) {
			t.Errorf("%s: period %s due %v, want %s due %v", tc.name, got.Period, got.Due, tc.p, tc.due)
		}
	}
	for _, s := range models.ReportingStates() {
		if !reached[s] {
			t.Errorf("no city reached the state %s", s)
		}
	}

	periods, err := f.Store.ReportedPeriods(ctx)
	must(t, err)
	var names []string
	for _, p := range periods {
		names = append(names, p.String())
	}
	if got := strings.Join(names, " "); got != "year:2024 year:2025" {
		t.Errorf("reported periods %q, want \"year:2024 year:2025\"", got)
	}
}
