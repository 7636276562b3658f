package models_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

func BenchmarkZZProf(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	year := time.Now().Year() - 1
	qs := map[string]models.ReportQuery{
		"region-year": {Region: models.RegionAfrica, From: time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC)},
		"net-days":    {From: time.Date(year, 1, 2, 0, 0, 0, 0, time.UTC), To: time.Date(year, 12, 30, 0, 0, 0, 0, time.UTC)},
		"full":        {},
	}
	which := os.Getenv("Q")
	for name, q := range qs {
		if which != "" && which != name {
			continue
		}
		lo := time.Hour
		p50, p95 := timings(b, 60, func() error {
			t0 := time.Now()
			_, err := s.ComputeReport(ctx, q)
			lo = min(lo, time.Since(t0))
			return err
		})
		fmt.Printf("%-12s min %6.1f ms p50 %6.1f ms p95 %6.1f ms\n", name, ms(lo), ms(p50), ms(p95))
	}
}

func BenchmarkZZAudit(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	for _, f := range []struct {
		name string
		f    models.AuditFilter
		p    int
	}{
		{"all", models.AuditFilter{AllCities: true}, 1},
		{"all p40", models.AuditFilter{AllCities: true}, 40},
		{"who", models.AuditFilter{AllCities: true, Who: "coordinator17@example.org"}, 1},
		{"action reject", models.AuditFilter{AllCities: true, Action: "reject"}, 1},
		{"action erase", models.AuditFilter{AllCities: true, Action: "erase"}, 1},
		{"city", models.AuditFilter{CityIDs: []uint{17}}, 1},
	} {
		p50, _ := timings(b, 7, func() error {
			_, err := s.AuditEntries(ctx, f.f, models.Page{Number: f.p, Size: 25})
			return err
		})
		fmt.Printf("audit %-14s p50 %8.1f ms\n", f.name, ms(p50))
	}
}

func BenchmarkZZEdit(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	e, err := s.Event(ctx, 123457)
	if err != nil {
		b.Fatal(err)
	}
	fmt.Println(e.StartsAt, e.Status, e.CityID)
	p50, p95 := timings(b, 15, func() error {
		n := 10
		if e.Participants != nil {
			n = *e.Participants + 1
		}
		e.Participants = &n
		return s.UpdateEvent(ctx, models.CLIActor(), e)
	})
	fmt.Printf("event edit p50 %.1f ms p95 %.1f ms\n", ms(p50), ms(p95))
}
