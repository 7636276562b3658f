package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

// TestPeriodCityReports: the reports of one period in the statuses asked
// (every status when none), each with its own city, by city name.
func TestPeriodCityReports(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	actor := models.CLIActor()
	year, other := models.YearPeriod(2025), models.YearPeriod(2024)
	approved := storetest.CityReports(t, f.Store, 2, year) // City 000 approved, City 001 submitted
	draft, err := f.Store.StartCityReport(ctx, actor, f.Fez.ID, year)
	must(t, err)
	_, err = f.Store.StartCityReport(ctx, actor, f.Agadir.ID, other)
	must(t, err)

	for _, tc := range []struct {
		statuses []models.CityReportStatus
		want     string
	}{
		{nil, "City 000 approved, City 001 submitted, Fez draft"},
		{models.NetworkReportStatuses(), "City 000 approved, City 001 submitted"},
		{[]models.CityReportStatus{models.ReportDraft}, "Fez draft"},
		{[]models.CityReportStatus{models.ReportChangesRequested}, ""},
	} {
		got, err := f.Store.PeriodCityReports(ctx, year, tc.statuses)
		must(t, err)
		var rows []string
		for _, r := range got {
			if r.Report.CityID != r.City.ID || r.Report.PeriodKey != year.Key {
				t.Errorf("%v: report %d of city %d period %s listed with city %d", tc.statuses, r.Report.ID, r.Report.CityID, r.Report.PeriodKey, r.City.ID)
			}
			rows = append(rows, r.City.Name+" "+string(r.Report.Status))
		}
		if s := strings.Join(rows, ", "); s != tc.want {
			t.Errorf("%v: %q, want %q", tc.statuses, s, tc.want)
		}
	}
	// What it lists is the report as stored.
	got, err := f.Store.CityReport(ctx, approved[0].Report.ID)
	must(t, err)
	if got.Worked != approved[0].Report.Worked || got.RatingsJSON != approved[0].Report.RatingsJSON || got.ApprovedAt == nil {
		t.Errorf("listed %+v, stored %+v", approved[0].Report, got)
	}
	if got, err := f.Store.PeriodCityReports(ctx, year, []models.CityReportStatus{models.ReportDraft}); err != nil || got[0].Report.ID != draft.ID {
		t.Errorf("drafts: %v, %v", got, err)
	}
}

// TestPeriodCityReportsAtNetworkScale: 400 cities' reports come in two
// queries, not one per city.
func TestPeriodCityReportsAtNetworkScale(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("writes 400 city reports")
	}
	s, _ := storetest.Open(t)
	year := models.YearPeriod(2025)
	storetest.CityReports(t, s, 400, year)
	count := s.CountQueries()
	got, err := s.PeriodCityReports(context.Background(), year, models.NetworkReportStatuses())
	must(t, err)
	if n := count(); n != 2 {
		t.Errorf("%d queries for %d city reports, want 2", n, len(got))
	}
	if len(got) != 400 || got[0].City.Name != "City 000" || got[399].City.Name != "City 399" {
		t.Errorf("listed %d reports, from %q", len(got), got[0].City.Name)
	}
}

// BenchmarkPeriodCityReports lists 400 cities' reports of a period, as
// the network's workbook, document and self-assessment do.
func BenchmarkPeriodCityReports(b *testing.B) {
	s, _ := storetest.Open(b)
	year := models.YearPeriod(2025)
	start := time.Now()
	storetest.CityReports(b, s, 400, year)
	b.Logf("wrote 400 city reports in %s", time.Since(start).Round(time.Millisecond))
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		got, err := s.PeriodCityReports(ctx, year, models.NetworkReportStatuses())
		if err != nil || len(got) != 400 {
			b.Fatal(fmt.Sprint(len(got)), err)
		}
	}
}
