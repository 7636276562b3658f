package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/demo"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
)

// TestDemoAndScaleCitiesHavePoints: every demo city and every generated
// city has a point, on the globe, for the network map.
func TestDemoAndScaleCitiesHavePoints(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	seeded := newTestStore(t)
	must(t, demo.Seed(ctx, seeded, time.Now()))
	scale := newTestStore(t)
	must(t, demo.SeedScale(ctx, scale, demo.ScaleSizes{Cities: 120, Countries: 200, Partners: 120, Events: 50, Stories: 50, Years: 1}, time.Now(), nil))
	for name, s := range map[string]*store.Store{"demo": seeded, "scale": scale} {
		cities, err := s.Cities(ctx, models.CityFilter{})
		must(t, err)
		for _, c := range cities {
			if !c.HasPoint() {
				t.Errorf("%s: %s has no point", name, c.Name)
				continue
			}
			if err := c.Validate(); err != nil {
				t.Errorf("%s: %s: %v", name, c.Name, err)
			}
		}
	}
}
