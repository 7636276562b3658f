package models_test

import (
	"context"
	"errors"
	"testing"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

func TestPartnerValidation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tests := []struct {
		name    string
		partner models.Partner
		field   string
	}{
		{"no name", models.Partner{Sector: models.SectorMedia}, "name"},
		{"bad sector", models.Partner{Name: "X", Sector: "army"}, "sector"},
		{"bad email", models.Partner{Name: "X", Sector: models.SectorMedia, ContactEmail: "x@"}, "contact_email"},
		{"javascript website", models.Partner{Name: "X", Sector: models.SectorMedia, Website: "javascript:alert(1)"}, "website"},
		{"website without host", models.Partner{Name: "X", Sector: models.SectorMedia, Website: "https://"}, "website"},
	}
	for _, tt := range tests {
		p := tt.partner
		p.CityID = f.agadir.ID
		err := f.store.CreatePartner(ctx, models.CLIActor(), &p)
		if fe, ok := models.AsFieldErrors(err); !ok || fe[tt.field].Code == "" {
			t.Errorf("%s: err = %v, want a problem on %s", tt.name, err, tt.field)
		}
	}
	all, err := f.store.Partners(ctx, models.PartnerFilter{CityID: f.agadir.ID}, models.Page{})
	must(t, err)
	if all.Total != 1 {
		t.Errorf("partners = %d after refused creations, want 1", all.Total)
	}
}

func TestDeletePartnerInUseIsRefused(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	must(t, f.store.CreateEvent(ctx, f.agadirCoo.Actor(), f.validEvent()))
	if err := f.store.DeletePartner(ctx, f.agadirCoo.Actor(), f.agadirPartner); !errors.Is(err, models.ErrInUse) {
		t.Fatalf("delete partner in use: err = %v, want ErrInUse", err)
	}
	if _, err := f.store.Partner(ctx, f.agadirPartner.ID); err != nil {
		t.Fatalf("partner gone after refused delete: %v", err)
	}
	must(t, f.store.DeletePartner(ctx, models.CLIActor(), f.fezPartner))
	if _, err := f.store.Partner(ctx, f.fezPartner.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("deleted partner: err = %v", err)
	}
}

func TestCityValidationAndCoordinators(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	bad := []struct {
		name  string
		city  models.City
		field string
	}{
		{"bad country", models.City{Name: "X", Country: "XX", Region: models.RegionAfrica, JoinedYear: 2020}, "country"},
		{"bad region", models.City{Name: "X", Country: "FR", Region: "mars", JoinedYear: 2020}, "region"},
		{"early year", models.City{Name: "X", Country: "FR", Region: models.RegionEuropeNA, JoinedYear: 1999}, "joined_year"},
		{"bad slug", models.City{Name: "X", Slug: "Bad Slug", Country: "FR", Region: models.RegionEuropeNA, JoinedYear: 2020}, "slug"},
		{"taken name", models.City{Name: "Agadir", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2020}, "name"},
	}
	for _, tt := range bad {
		c := tt.city
		err := f.store.CreateCity(ctx, models.CLIActor(), &c, nil)
		if fe, ok := models.AsFieldErrors(err); !ok || fe[tt.field].Code == "" {
			t.Errorf("%s: err = %v, want a problem on %s", tt.name, err, tt.field)
		}
	}
	// Staff cannot be made a coordinator.
	c := models.City{Name: "Essaouira", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2024}
	err := f.store.CreateCity(ctx, models.CLIActor(), &c, []uint{f.staff.ID})
	if fe, ok := models.AsFieldErrors(err); !ok || fe["coordinators"].Code == "" {
		t.Fatalf("staff as coordinator: err = %v", err)
	}
	cities, err := f.store.Cities(ctx, models.CityFilter{})
	must(t, err)
	if len(cities) != 2 {
		t.Fatalf("cities = %d after refused creations, want 2", len(cities))
	}
	must(t, f.store.CreateCity(ctx, models.CLIActor(), &c, []uint{f.agadirCoo.ID}))
	u, err := f.store.User(ctx, f.agadirCoo.ID)
	must(t, err)
	if len(u.CityIDs) != 2 || !u.CanManageCity(c.ID) {
		t.Errorf("coordinator cities = %v, want Agadir and Essaouira", u.CityIDs)
	}
}

func TestCitiesSearch(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tests := []struct {
		filter models.CityFilter
		want   int
	}{
		{models.CityFilter{Query: "aga"}, 1},
		{models.CityFilter{Query: "MA"}, 2},
		{models.CityFilter{Query: "morocco", Countries: []string{"MA"}}, 2},
		{models.CityFilter{Region: models.RegionAfrica}, 0},
		{models.CityFilter{Region: models.RegionArabStates, Query: "agádir"}, 1},
		{models.CityFilter{Query: "_"}, 0},
	}
	for _, tt := range tests {
		got, err := f.store.Cities(ctx, tt.filter)
		must(t, err)
		if len(got) != tt.want {
			t.Errorf("%+v: %d cities, want %d", tt.filter, len(got), tt.want)
		}
	}
}
