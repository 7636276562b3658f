package report_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models/report"
)

// BenchmarkReportComparison times the full network report of last year
// without the cache, alone and with its comparison with the year before
// (both computed at once, as on a page view after a write), and prints
// the ratio, which must stay within 2×.
func BenchmarkReportComparison(b *testing.B) {
	s, reports := benchStore(b)
	ctx := context.Background()
	year := time.Now().Year() - 1
	q := report.Query{From: time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC)}
	prev, err := q.PreviousPeriod()
	if err != nil {
		b.Fatal(err)
	}
	for range b.N {
		alone50, _ := timings(b, 30, func() error { _, err := reports.Compute(ctx, q); return err })
		both50, both95 := timings(b, 30, func() error {
			_, _, err := report.New(s).ReportAndComparison(ctx, q, prev)
			return err
		})
		cached50, _ := timings(b, 30, func() error {
			r, err := reports.Report(ctx, q)
			if err != nil {
				return err
			}
			_, err = reports.Compare(ctx, r, prev)
			return err
		})
		fmt.Printf("report full network year  alone p50 %7.1f ms | with comparison p50 %7.1f ms  p95 %7.1f ms (%.2fx) | cached with comparison p50 %6.2f ms\n",
			ms(alone50), ms(both50), ms(both95), float64(both50)/float64(alone50), ms(cached50))
		b.ReportMetric(ms(both50), "compare-p50-ms")
		b.ReportMetric(float64(both50)/float64(alone50), "ratio")
	}
}
