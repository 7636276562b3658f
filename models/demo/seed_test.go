package demo_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/demo"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
)

func TestSeedOnlyIntoEmptyDatabase(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	ctx := context.Background()
	must(t, demo.Seed(ctx, s, time.Now()))
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
	// Each story belongs to one city; Moroccan cities have stories in
	// Arabic, French and English; every event is in daytime on its city's
	// clock, and every city has its own time zone.
	storyCity := map[string]string{}
	for _, c := range cities {
		loc, err := models.LoadTimeZone(c.TimeZone)
		if err != nil || c.TimeZone == "UTC" {
			t.Errorf("%s: time zone %q (%v)", c.Slug, c.TimeZone, err)
			continue
		}
		stories, err := s.Stories(ctx, models.StoryFilter{CityIDs: []uint{c.ID}}, models.Page{Size: 100})
		must(t, err)
		langs, public := map[string]bool{}, map[string]bool{}
		for _, st := range stories.Items {
			if other, ok := storyCity[st.Title]; ok {
				t.Errorf("story %q is in %s and %s", st.Title, other, c.Slug)
			}
			storyCity[st.Title] = c.Slug
			langs[st.Lang] = true
			if st.Status == models.StoryPublished {
				public[st.Lang] = true
			}
		}
		if c.Country == "MA" && !(public["ar"] && public["fr"] && public["en"]) {
			t.Errorf("%s has published stories in %v, want Arabic, French and English", c.Slug, public)
		}
		if len(stories.Items) == 0 || langs[""] {
			t.Errorf("%s: %d stories, languages %v", c.Slug, len(stories.Items), langs)
		}
		events, err := s.Events(ctx, models.EventFilter{CityIDs: []uint{c.ID}}, models.Page{Size: 100})
		must(t, err)
		for _, e := range events.Items {
			start, end := e.StartsAt.In(loc), e.EndsAt.In(loc)
			if start.Hour() < 8 || end.Hour()*60+end.Minute() > 21*60+30 || end.YearDay() != start.YearDay() || e.Lang == "" {
				t.Errorf("%s: event %q from %v to %v (%s)", c.Slug, e.Title, start, end, e.Lang)
			}
		}
	}
	for _, l := range demo.Logins() {
		if _, err := s.Authenticate(ctx, l.Email, demo.Password, "127.0.0.1"); err != nil {
			t.Errorf("demo login %s: %v", l.Email, err)
		}
	}
	if err := demo.Seed(ctx, s, time.Now()); !errors.Is(err, store.ErrNotEmpty) {
		t.Fatalf("second seed: err = %v, want ErrNotEmpty", err)
	}
}

// TestDemoPasswordIsRefusedAsNew: the demo logins' password is public (the
// README prints it), so no one may choose it, or a variation, as theirs.
func TestDemoPasswordIsRefusedAsNew(t *testing.T) {
	for _, pw := range []string{demo.Password, demo.Password + "2026", demo.Password + "!"} {
		fe, ok := models.AsFieldErrors(models.CheckNewPassword(pw, "Someone", "someone@example.org"))
		if !ok || fe["password"].Code != "common_password" {
			t.Errorf("CheckNewPassword(%q) = %v, want common_password", pw, fe)
		}
	}
}
