package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestPeriodDueFollowsTheCampaignsRule(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	end := day("2025-06-30")
	cp := &models.Campaign{Hashtag: "#Spring2025", Name: "Spring", StartsOn: day("2025-01-01"), EndsOn: &end, DueDays: 10, ReportPeriods: "campaign,quarter"}
	must(t, f.Store.SaveCampaign(ctx, models.CLIActor(), cp))

	cases := []struct {
		name   string
		period models.Period
		want   string
	}{
		{"campaign: days after its last day", models.CampaignPeriod("#spring2025"), "2025-07-11"},
		{"quarter inside the campaign: its days", models.QuarterPeriod(2025, 1), "2025-04-11"},
		{"quarter of the running open campaign: 30 days", models.QuarterPeriod(2025, 4), "2026-01-31"},
	}
	for _, tc := range cases {
		due, err := f.Store.PeriodDue(ctx, tc.period)
		must(t, err)
		if due == nil || due.Format(time.DateOnly) != tc.want {
			t.Errorf("%s: due %v, want %s", tc.name, due, tc.want)
		}
	}

	// A fixed day wins for the whole campaign; a report started then
	// carries it, and CityReportDue agrees.
	fixed := day("2025-09-01")
	cp.DueOn = &fixed
	must(t, f.Store.SaveCampaign(ctx, models.CLIActor(), cp))
	r, err := f.Store.StartCityReport(ctx, models.CLIActor(), f.Agadir.ID, models.CampaignPeriod(cp.Hashtag))
	must(t, err)
	due, err := f.Store.CityReportDue(ctx, r)
	must(t, err)
	if r.DueOn == nil || !r.DueOn.Equal(fixed) || due == nil || !due.Equal(fixed) {
		t.Errorf("report due %v, CityReportDue %v, want %v", r.DueOn, due, fixed)
	}

	// Archived, the campaign's quarters fall back to 30 days.
	must(t, f.Store.ArchiveCampaign(ctx, models.CLIActor(), cp.ID, true, time.Now()))
	due, err = f.Store.PeriodDue(ctx, models.QuarterPeriod(2025, 1))
	must(t, err)
	if due.Format(time.DateOnly) != "2025-05-01" {
		t.Errorf("quarter of an archived campaign due %v, want 2025-05-01", due)
	}
}

func TestRunningCampaigns(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	end := day("2026-03-31")
	short := &models.Campaign{Hashtag: "#Short", Name: "Short", StartsOn: day("2026-03-01"), EndsOn: &end}
	must(t, f.Store.CreateCampaign(ctx, short))
	for _, tc := range []struct {
		at   string
		want int
	}{{"2026-02-28", 1}, {"2026-03-31", 2}, {"2026-04-01", 1}} {
		at, _ := time.Parse(time.DateTime, tc.at+" 23:00:00")
		cs, err := f.Store.RunningCampaigns(ctx, at)
		must(t, err)
		if len(cs) != tc.want {
			t.Errorf("at %s: %d running, want %d", tc.at, len(cs), tc.want)
		}
	}
}
