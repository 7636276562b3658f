package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

func TestDirectorySearch(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{"Agadir", "Fez"}},
		{"q=aga", []string{"Agadir"}},
		{"q=Morocco", []string{"Agadir", "Fez"}},
		{"q=MA", []string{"Agadir", "Fez"}},
		// The country in every interface language, accents and case aside.
		{"q=Maroc", []string{"Agadir", "Fez"}},
		{"q=marruecos", []string{"Agadir", "Fez"}},
		{"q=" + url.QueryEscape("المغرب"), []string{"Agadir", "Fez"}},
		{"q=MARÓC", []string{"Agadir", "Fez"}},
		{"q=paris", nil},
		{"region=arab-states&q=fez", []string{"Fez"}},
		{"region=africa", nil},
	}
	for _, tt := range tests {
		res := a.client().get(t, "/cities?"+tt.query)
		wantStatus(t, res, http.StatusOK)
		var got []string
		res.doc(t).Find("[data-testid=city-list] h2").Each(func(_ int, s *goquery.Selection) { got = append(got, strings.TrimSpace(s.Text())) })
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("?%s: cities %v, want %v", tt.query, got, tt.want)
		}
	}
	wantStatus(t, a.client().get(t, "/cities?region=atlantis"), http.StatusBadRequest)
	wantStatus(t, a.client().get(t, "/cities?q="+strings.Repeat("a", 200)), http.StatusBadRequest)
}

func TestStaffCreatesAndEditsCities(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	c := a.loggedIn(t, "staff@example.org")
	coordinators, err := a.store.Coordinators(ctx)
	must(t, err)
	var fezCoo uint
	for _, u := range coordinators {
		if u.Email == "fez@example.org" {
			fezCoo = u.ID
		}
	}
	form := url.Values{"name": {"Essaouira"}, "country": {"ma"}, "region": {"arab-states"}, "joined_year": {"2024"}, "co_lead": {"true"}, "time_zone": {"Africa/Casablanca"}, "coordinators": {fmt.Sprint(fezCoo)}}
	wantStatus(t, c.post(t, "/manage/cities", form), http.StatusSeeOther)
	city, err := a.store.CityBySlug(ctx, "essaouira")
	must(t, err)
	if city.Country != "MA" || !city.CoLead || city.Region != models.RegionArabStates || city.TimeZone != "Africa/Casablanca" {
		t.Errorf("created city = %+v", city)
	}
	if v, _ := c.get(t, "/manage/cities/essaouira/edit").doc(t).Find("#time_zone").Attr("value"); v != "Africa/Casablanca" {
		t.Errorf("the edit form shows time zone %q", v)
	}
	// The Fez coordinator now manages Essaouira too.
	fez := a.loggedIn(t, "fez@example.org")
	wantStatus(t, fez.get(t, "/manage/cities/essaouira/events"), http.StatusOK)

	// Editing removes the coordinator again.
	form.Del("coordinators")
	form.Set("name", "Essaouira")
	wantStatus(t, c.post(t, "/manage/cities/essaouira", form), http.StatusSeeOther)
	wantStatus(t, fez.get(t, "/manage/cities/essaouira/events"), http.StatusForbidden)

	// Bad input comes back with errors and writes nothing.
	bad := url.Values{"name": {"Ifrane"}, "country": {"ZZ"}, "region": {"moon"}, "joined_year": {"soon"}, "time_zone": {"Africa/Atlantis"}, "coordinators": {"abc"}}
	res := c.post(t, "/manage/cities", bad)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	doc := res.doc(t)
	for _, field := range []string{"country", "region", "joined_year", "time_zone", "coordinators"} {
		if doc.Find("[data-testid=error-"+field+"]").Length() != 1 {
			t.Errorf("no error beside %s", field)
		}
	}
	if v, _ := doc.Find("#name").Attr("value"); v != "Ifrane" {
		t.Errorf("name not kept: %q", v)
	}
	if _, err := a.store.CityBySlug(ctx, "ifrane"); err != models.ErrNotFound {
		t.Errorf("invalid city was stored: %v", err)
	}
	res = c.post(t, "/manage/cities", a.validCityForm("Agadir"))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if res.doc(t).Find("[data-testid=error-name]").Length() != 1 {
		t.Error("duplicate name has no error beside the field")
	}
}

// TestDirectoryFilterIsAPlainForm: Pico CSS draws a role=search element as
// one pill of input and button, which turned the filter's Apply button into
// a giant half-pill and clipped the search hint; the filter is a named form.
func TestDirectoryFilterIsAPlainForm(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	doc := a.client().get(t, "/cities").doc(t)
	form := doc.Find("form[data-testid=city-filter]")
	if form.Length() != 1 || form.AttrOr("aria-label", "") == "" {
		t.Fatal("no named filter form")
	}
	if doc.Find("[role=search]").Length() != 0 {
		t.Error("a role=search element, which Pico draws as a pill")
	}
	if form.Find("#q-hint").Length() != 1 {
		t.Error("the search hint is missing")
	}
}
