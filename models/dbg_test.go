package models_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

func TestDbgScale(t *testing.T) {
	path := os.Getenv("SCALE_DB")
	if path == "" {
		t.Skip()
	}
	s, err := models.Open(path, t.TempDir())
	must(t, err)
	ctx := context.Background()
	for _, q := range []models.ReportQuery{{}, {Region: models.RegionAfrica, From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}} {
		for i := 0; i < 3; i++ {
			t0 := time.Now()
			r, err := s.Report(ctx, q)
			must(t, err)
			t.Logf("fast %v %+v", time.Since(t0), r.Totals)
		}
		t0 := time.Now()
		r, err := s.ReportFromRaw(ctx, q)
		must(t, err)
		t.Logf("raw %v %+v", time.Since(t0), r.Totals)
	}
}
