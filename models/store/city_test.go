package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

func TestCityValidationAndCoordinators(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
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
		{"unknown time zone", models.City{Name: "X", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2020, TimeZone: "Africa/Atlantis"}, "time_zone"},
		{"the server's zone", models.City{Name: "X", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2020, TimeZone: "Local"}, "time_zone"},
		{"latitude off the globe", models.City{Name: "X", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2020, Latitude: new(91.0), Longitude: new(-9.6)}, "latitude"},
		{"longitude off the globe", models.City{Name: "X", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2020, Latitude: new(30.4), Longitude: new(-180.5)}, "longitude"},
		{"half a point", models.City{Name: "X", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2020, Latitude: new(30.4)}, "longitude"},
	}
	for _, tt := range bad {
		c := tt.city
		err := f.Store.CreateCity(ctx, models.CLIActor(), &c, nil)
		if fe, ok := models.AsFieldErrors(err); !ok || fe[tt.field].Code == "" {
			t.Errorf("%s: err = %v, want a problem on %s", tt.name, err, tt.field)
		}
	}
	// Staff cannot be made a coordinator.
	c := models.City{Name: "Essaouira", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2024}
	err := f.Store.CreateCity(ctx, models.CLIActor(), &c, []uint{f.Staff.ID})
	if fe, ok := models.AsFieldErrors(err); !ok || fe["coordinators"].Code == "" {
		t.Fatalf("staff as coordinator: err = %v", err)
	}
	cities, err := f.Store.Cities(ctx, models.CityFilter{})
	must(t, err)
	if len(cities) != 2 {
		t.Fatalf("cities = %d after refused creations, want 2", len(cities))
	}
	must(t, f.Store.CreateCity(ctx, models.CLIActor(), &c, []uint{f.AgadirCoo.ID}))
	u, err := f.Store.User(ctx, f.AgadirCoo.ID)
	must(t, err)
	if len(u.CityIDs) != 2 || !u.CanManageCity(c.ID) {
		t.Errorf("coordinator cities = %v, want Agadir and Essaouira", u.CityIDs)
	}
}

func TestCitiesSearch(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
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
		got, err := f.Store.Cities(ctx, tt.filter)
		must(t, err)
		if len(got) != tt.want {
			t.Errorf("%+v: %d cities, want %d", tt.filter, len(got), tt.want)
		}
	}
}

func TestCityKeepsItsPoint(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	// A whole point is kept.
	placed := models.City{Name: "Tiznit", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2024, Latitude: new(29.6974), Longitude: new(-9.7316)}
	must(t, f.Store.CreateCity(ctx, models.CLIActor(), &placed, nil))
	got, err := f.Store.CityBySlug(ctx, "tiznit")
	must(t, err)
	if !got.HasPoint() || *got.Latitude != 29.6974 || *got.Longitude != -9.7316 {
		t.Errorf("stored point = %v, %v", got.Latitude, got.Longitude)
	}
}

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"Agadir": "agadir", "Fès": "fes", "Villa María": "villa-maria", "Sønderborg": "sonderborg",
		"  Medellín!! ": "medellin", "Seodaemun-gu": "seodaemun-gu",
	} {
		if got := models.Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsCountryCode(t *testing.T) {
	for code, want := range map[string]bool{"MA": true, "FR": true, "ma": false, "XX": false, "MAR": false, "": false, "419": false, "EU": false} {
		if got := models.IsCountryCode(code); got != want {
			t.Errorf("IsCountryCode(%q) = %v, want %v", code, got, want)
		}
	}
}

func TestCityTimeZone(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	c := models.City{Name: "Nanjing", Country: "CN", Region: models.RegionAsiaPacific, JoinedYear: 2024, TimeZone: " Asia/Shanghai "}
	must(t, f.Store.CreateCity(ctx, models.CLIActor(), &c, nil))
	got, err := f.Store.City(ctx, c.ID)
	must(t, err)
	if got.TimeZone != "Asia/Shanghai" || got.Location().String() != "Asia/Shanghai" {
		t.Errorf("time zone = %q (%v)", got.TimeZone, got.Location())
	}
	got.TimeZone = "Asia/Seoul"
	must(t, f.Store.UpdateCity(ctx, models.CLIActor(), got, nil))
	if again, _ := f.Store.City(ctx, c.ID); again.TimeZone != "Asia/Seoul" {
		t.Errorf("updated time zone = %q", again.TimeZone)
	}
	// A city created without one, as every city was before zones, is on UTC.
	if f.Agadir.TimeZone != "UTC" || f.Agadir.Location() != time.UTC {
		t.Errorf("default time zone = %q", f.Agadir.TimeZone)
	}
}

// The list of every city is kept between reads, and every change of a
// city shows in the next read.
func TestEveryCityListFollowsChanges(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	names := func() []string {
		t.Helper()
		cities, err := f.Store.Cities(ctx, models.CityFilter{})
		must(t, err)
		var out []string
		for _, c := range cities {
			out = append(out, c.Name)
		}
		return out
	}
	before := names()
	list, err := f.Store.Cities(ctx, models.CityFilter{})
	must(t, err)
	list[0].Name = "changed by a caller"
	if got := names(); !slices.Equal(got, before) {
		t.Fatalf("a caller's change leaked into the kept list: %v", got)
	}
	f.Fez.Name = "Fès"
	must(t, f.Store.UpdateCity(ctx, models.CLIActor(), f.Fez, nil))
	must(t, f.Store.CreateCity(ctx, models.CLIActor(), &models.City{Name: "Ifrane", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2022}, nil))
	if got := names(); !slices.Contains(got, "Fès") || !slices.Contains(got, "Ifrane") || slices.Contains(got, "Fez") {
		t.Errorf("cities after a rename and a new city: %v", got)
	}
}

func TestCityOtherNames(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	fez := *f.Fez
	fez.Names = []models.CityName{{Lang: "ar", Name: "فاس"}, {Lang: "fr", Name: "Fès"}}
	must(t, f.Store.UpdateCity(ctx, models.CLIActor(), &fez, nil))
	got, err := f.Store.CityBySlug(ctx, "fez")
	must(t, err)
	if !slices.Equal(got.Names, fez.Names) {
		t.Errorf("names = %v, want %v", got.Names, fez.Names)
	}
	// Found by any of its names, accents, case and Arabic marks aside.
	for _, q := range []string{"فاس", "فَاس", "fès", "FES", "Fes", "fez"} {
		cities, err := f.Store.Cities(ctx, models.CityFilter{Query: q})
		must(t, err)
		if len(cities) != 1 || cities[0].ID != fez.ID || len(cities[0].Names) != 2 {
			t.Errorf("%q finds %v, want Fez with its names", q, cities)
		}
	}
	all, err := f.Store.Cities(ctx, models.CityFilter{})
	must(t, err)
	if i := slices.IndexFunc(all, func(c models.City) bool { return c.ID == fez.ID }); i < 0 || len(all[i].Names) != 2 {
		t.Errorf("every city: Fez's names missing: %v", all)
	}
	// A write without names (a cohort sheet's) keeps them.
	again := *got
	again.Names = nil
	again.JoinedYear = 2023
	must(t, f.Store.UpdateCity(ctx, models.CLIActor(), &again, nil))
	got, err = f.Store.City(ctx, fez.ID)
	must(t, err)
	if len(got.Names) != 2 || got.JoinedYear != 2023 {
		t.Errorf("after a write without names: %+v", got)
	}
	// Bad names are refused and write nothing.
	for _, names := range [][]models.CityName{
		{{Lang: "ar", Name: "فاس"}, {Lang: "AR", Name: "فاس"}},
		{{Lang: "not a language", Name: "X"}},
		{{Lang: "ar", Name: ""}},
		{{Lang: "ar", Name: "a\x00b"}},
	} {
		bad := *got
		bad.Name = "Fez renamed"
		bad.Names = names
		err := f.Store.UpdateCity(ctx, models.CLIActor(), &bad, nil)
		if fe, ok := models.AsFieldErrors(err); !ok || fe["names"].Code == "" {
			t.Errorf("names %v: err = %v, want a problem on names", names, err)
		}
	}
	got, err = f.Store.City(ctx, fez.ID)
	must(t, err)
	if got.Name != "Fez" || len(got.Names) != 2 {
		t.Errorf("after refused writes: %+v", got)
	}
	// Empty names remove them.
	got.Names = []models.CityName{}
	must(t, f.Store.UpdateCity(ctx, models.CLIActor(), got, nil))
	if cities, err := f.Store.Cities(ctx, models.CityFilter{Query: "فاس"}); err != nil || len(cities) != 0 {
		t.Errorf("after removing the names, فاس finds %v (%v)", cities, err)
	}
}
