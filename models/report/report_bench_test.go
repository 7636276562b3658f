package report_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
)

// benchStore opens the network-scale database named by BENCH_DB (made by
// make bench), and its report engine, or skips.
func benchStore(b *testing.B) (*store.Store, *report.Engine) {
	b.Helper()
	path := os.Getenv("BENCH_DB")
	if path == "" {
		b.Skip("BENCH_DB not set: run make bench")
	}
	s, err := store.Open(path, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s, report.New(s)
}

// timings runs fn n times and returns the median and 95th percentile.
func timings(b *testing.B, n int, fn func() error) (p50, p95 time.Duration) {
	b.Helper()
	d := make([]time.Duration, 0, n)
	for range n {
		t0 := time.Now()
		if err := fn(); err != nil {
			b.Fatal(err)
		}
		d = append(d, time.Since(t0))
	}
	slices.Sort(d)
	return d[len(d)/2], d[min(len(d)-1, len(d)*95/100)]
}

// BenchmarkReportEngine times the full network report and a filtered one
// (a region and one year) from the roll-ups, without the cache, and the
// same from the raw tables, and prints the ratio.
func BenchmarkReportEngine(b *testing.B) {
	_, reports := benchStore(b)
	ctx := context.Background()
	year := time.Now().Year() - 1
	queries := []struct {
		name string
		q    report.Query
	}{
		{"full network", report.Query{}},
		{"region and year", report.Query{Region: models.RegionAfrica,
			From: time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC)}},
		// Days, not whole months: the whole months from the roll-ups, the
		// days at both ends from the raw tables.
		{"network days", report.Query{
			From: time.Date(year, 1, 2, 0, 0, 0, 0, time.UTC), To: time.Date(year, 12, 30, 0, 0, 0, 0, time.UTC)}},
		{"region days", report.Query{Region: models.RegionAfrica,
			From: time.Date(year, 3, 17, 0, 0, 0, 0, time.UTC), To: time.Date(year, 8, 9, 0, 0, 0, 0, time.UTC)}},
		{"city in 3 weeks", report.Query{CityID: 1,
			From: time.Date(year, 5, 20, 0, 0, 0, 0, time.UTC), To: time.Date(year, 6, 10, 0, 0, 0, 0, time.UTC)}},
	}
	for _, tt := range queries {
		b.Run(tt.name, func(b *testing.B) {
			for range b.N {
				fast50, fast95 := timings(b, 60, func() error { _, err := reports.Compute(ctx, tt.q); return err })
				raw50, raw95 := timings(b, 3, func() error { _, err := reports.FromRaw(ctx, tt.q); return err })
				fmt.Printf("report %-16s roll-ups p50 %7.1f ms  p95 %7.1f ms | raw tables p50 %8.0f ms  p95 %8.0f ms | ratio %5.0fx\n",
					tt.name, ms(fast50), ms(fast95), ms(raw50), ms(raw95), float64(raw50)/float64(fast50))
				b.ReportMetric(ms(fast50), "p50-ms")
				b.ReportMetric(ms(fast95), "p95-ms")
				b.ReportMetric(ms(raw50), "raw-p50-ms")
			}
		})
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
