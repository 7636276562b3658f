package report_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/demo"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
)

// TestBlockCoverageAgreesWithTheReport: the heat-map's counts per block,
// summed over the cities, are the report's events held plus stories
// published per learning area.
func TestBlockCoverageAgreesWithTheReport(t *testing.T) {
	t.Parallel()
	s, reports := newEngine(t)
	ctx := context.Background()
	must(t, demo.Seed(ctx, s, time.Now()))
	for _, q := range []report.Query{{}, {Region: models.RegionArabStates}} {
		cov, err := reports.BlockCoverage(ctx, q)
		must(t, err)
		r, err := reports.FromRaw(ctx, q)
		must(t, err)
		if len(cov.Cities) != len(r.Breakdowns.ByCity) {
			t.Errorf("%+v: %d cities, the report has %d", q, len(cov.Cities), len(r.Breakdowns.ByCity))
		}
		for i, row := range r.Breakdowns.ByLearningArea {
			var sum int64
			for _, c := range cov.Cities {
				sum += c.Counts[i]
			}
			if want := *row.EventsHeld + *row.StoriesPublished; sum != want {
				t.Errorf("%+v: %s sums to %d, the report says %d", q, row.Key, sum, want)
			}
		}
		for _, a := range cov.ThinBlocks() {
			if !slices.Contains(models.LearningAreas(), a) {
				t.Errorf("thin block %q", a)
			}
		}
	}
}
