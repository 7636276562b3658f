package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/demo"
)

// The region a cohort file's country gives agrees with the regions of the
// demo's real member cities, and the demo's campaign has its co-leads.
func TestCountryRegionAgreesWithTheDemoCities(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := context.Background()
	must(t, demo.Seed(ctx, s, time.Now()))
	cities, err := s.Cities(ctx, models.CityFilter{})
	must(t, err)
	coLeads := 0
	for _, c := range cities {
		if r, ok := models.CountryRegion(c.Country); !ok || r != c.Region {
			t.Errorf("%s (%s): CountryRegion = %q, %v; the demo says %q", c.Name, c.Country, r, ok, c.Region)
		}
		if c.CoLead {
			coLeads++
		}
	}
	cp, err := s.CampaignBySlug(ctx, "learnthroughlife")
	must(t, err)
	if len(cp.CoLeads) != coLeads || coLeads == 0 {
		t.Errorf("the campaign has %d co-leads, the demo %d co-leading cities", len(cp.CoLeads), coLeads)
	}
	if _, ok := models.CountryRegion("ZZ"); ok {
		t.Error("ZZ has a region")
	}
}
