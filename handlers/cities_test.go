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

func TestCityNamesInOtherLanguages(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	c := a.loggedIn(t, "staff@example.org")
	form := url.Values{"name": {"Fez"}, "slug": {"fez"}, "country": {"MA"}, "region": {"arab-states"}, "joined_year": {"2024"}, "time_zone": {"Africa/Casablanca"},
		"name_lang": {"ar", "fr", ""}, "name_value": {"فاس", "Fès", ""}}
	wantStatus(t, c.post(t, "/manage/cities/fez", form), http.StatusSeeOther)
	fez, err := a.store.CityBySlug(ctx, "fez")
	must(t, err)
	if fmt.Sprint(fez.Names) != "[{ar فاس} {fr Fès}]" {
		t.Errorf("names = %v", fez.Names)
	}
	doc := c.get(t, "/manage/cities/fez/edit").doc(t)
	if v, _ := doc.Find("#name_value_0").Attr("value"); v != "فاس" {
		t.Errorf("the edit form shows %q in the first name row", v)
	}
	if n := doc.Find("[data-testid=city-names] input[name=name_lang]").Length(); n != 4 {
		t.Errorf("the edit form has %d name rows, want the 2 names and 2 blank rows", n)
	}

	// The directory finds Fez by any of its names and says which.
	for _, tt := range []struct{ q, matched string }{
		{"فاس", "فاس"}, {"فَاس", "فاس"}, {"Fes", "Fès"}, {"FÈS", "Fès"}, {"fez", ""},
	} {
		doc := a.client().get(t, "/cities?q="+url.QueryEscape(tt.q)).doc(t)
		if got := strings.TrimSpace(doc.Find("[data-testid=city-list] h2").Text()); got != "Fez" {
			t.Errorf("%q finds %q, want Fez", tt.q, got)
		}
		if got := doc.Find("[data-testid=matched-name] bdi").Text(); got != tt.matched {
			t.Errorf("%q: matched name %q, want %q", tt.q, got, tt.matched)
		}
	}

	// Bad names are a 422 that writes nothing.
	for _, bad := range []url.Values{
		{"name_lang": {"ar", "AR"}, "name_value": {"فاس", "فاس"}},
		{"name_lang": {"!!"}, "name_value": {"X"}},
		{"name_lang": {"ar"}, "name_value": {""}},
		{"name_lang": {"ar", "fr"}, "name_value": {"فاس"}},
	} {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		f.Set("joined_year", "2020")
		f["name_lang"], f["name_value"] = bad["name_lang"], bad["name_value"]
		res := c.post(t, "/manage/cities/fez", f)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if res.doc(t).Find("[data-testid=error-names]").Length() != 1 {
			t.Errorf("%v: no problem shown on the names", bad)
		}
	}
	fez, err = a.store.CityBySlug(ctx, "fez")
	must(t, err)
	if fez.JoinedYear != 2024 || len(fez.Names) != 2 {
		t.Errorf("after refused forms: %+v", fez)
	}

	// Blank rows remove the names.
	form["name_lang"], form["name_value"] = []string{""}, []string{""}
	wantStatus(t, c.post(t, "/manage/cities/fez", form), http.StatusSeeOther)
	if doc := a.client().get(t, "/cities?q="+url.QueryEscape("فاس")).doc(t); doc.Find("[data-testid=city-list] h2").Length() != 0 {
		t.Error("فاس still finds Fez after its names were removed")
	}
}
