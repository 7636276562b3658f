package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

func TestSeedDemoOnlyIntoEmptyDatabase(t *testing.T) {
	s := newTestStore(t)
	ctx := context.Background()
	must(t, s.SeedDemo(ctx, time.Now()))
	cities, err := s.Cities(ctx, models.CityFilter{})
	must(t, err)
	slugs := map[string]bool{}
	regions := map[models.Region]bool{}
	for _, c := range cities {
		slugs[c.Slug] = true
		regions[c.Region] = true
	}
	for _, slug := range []string{"agadir", "fez", "essaouira", "marrakech", "ifrane", "chefchaouen", "benguerir"} {
		if !slugs[slug] {
			t.Errorf("demo lacks %s", slug)
		}
	}
	if len(regions) != 5 {
		t.Errorf("demo covers %d regions, want 5", len(regions))
	}
	if n := countEvents(t, s); n < 100 {
		t.Errorf("demo has %d events, want at least 100", n)
	}
	for _, l := range models.DemoLogins() {
		if _, err := s.Authenticate(ctx, l.Email, models.DemoPassword, "127.0.0.1"); err != nil {
			t.Errorf("demo login %s: %v", l.Email, err)
		}
	}
	if err := s.SeedDemo(ctx, time.Now()); !errors.Is(err, models.ErrNotEmpty) {
		t.Fatalf("second seed: err = %v, want ErrNotEmpty", err)
	}
}
