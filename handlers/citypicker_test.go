package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// addCity adds a member city of country to the test network.
func (a *app) addCity(t testing.TB, name, country string) *models.City {
	t.Helper()
	c := &models.City{Name: name, Country: country, Region: models.RegionEuropeNA, JoinedYear: 2024}
	must(t, a.store.CreateCity(context.Background(), models.CLIActor(), c, nil))
	return c
}

// pickerGroup is one country of a city picker as the page shows it.
type pickerGroup struct {
	country string // the summary, without its count
	open    bool
	cities  []string
	checked []string
}

// pickerGroups reads the countries of the city picker of field.
func pickerGroups(doc *goquery.Document, field string) []pickerGroup {
	var out []pickerGroup
	count := regexp.MustCompile(`\s*\(\d+\)$`)
	doc.Find("[data-testid=city-picker-" + field + "] details.city-group").Each(func(_ int, d *goquery.Selection) {
		_, open := d.Attr("open")
		g := pickerGroup{country: count.ReplaceAllString(strings.TrimSpace(d.Find("summary").Text()), ""), open: open}
		d.Find("label").Each(func(_ int, l *goquery.Selection) {
			name := strings.TrimSpace(l.Text())
			g.cities = append(g.cities, name)
			if _, on := l.Find("input[type=checkbox][name=" + field + "]").Attr("checked"); on {
				g.checked = append(g.checked, name)
			}
		})
		out = append(out, g)
	})
	return out
}

// TestCityPickersGroupCitiesByCountry: the invitation form, a
// coordinator's cities and the campaign form list the cities under their
// countries, countries and cities in the page language's alphabetical
// order; each country and city carries the folded names the search
// script looks in.
func TestCityPickersGroupCitiesByCountry(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	evora := a.addCity(t, "Évora", "PT")
	a.addCity(t, "Amadora", "PT")
	a.addCity(t, "Villa María", "AR")
	coordinator := a.users(t, models.UserFilter{Query: "agadir@example.org"})[0]
	pages := []struct{ path, field string }{
		{"/manage/users/new", "cities"},
		{fmt.Sprintf("/manage/users/%d", coordinator.ID), "cities"},
		{"/manage/campaigns/new", "co_leads"},
	}
	for _, lang := range []struct {
		code string
		want []pickerGroup
	}{
		{"en", []pickerGroup{
			{country: "Argentina", cities: []string{"Villa María"}},
			{country: "Morocco", cities: []string{"Agadir", "Fez"}},
			{country: "Portugal", cities: []string{"Amadora", "Évora"}},
		}},
		// Arabic sorts by the Arabic names: البرتغال (Portugal) before المغرب (Morocco).
		{"ar", []pickerGroup{
			{country: "الأرجنتين", cities: []string{"Villa María"}},
			{country: "البرتغال", cities: []string{"Amadora", "Évora"}},
			{country: "المغرب", cities: []string{"Agadir", "Fez"}},
		}},
	} {
		staff := a.loggedIn(t, "staff@example.org")
		wantStatus(t, staff.post(t, "/language", url.Values{"lang": {lang.code}, "next": {"/dashboard"}}), http.StatusSeeOther)
		for _, p := range pages {
			res := staff.get(t, p.path)
			wantStatus(t, res, http.StatusOK)
			doc := res.doc(t)
			got := pickerGroups(doc, p.field)
			if len(got) != len(lang.want) {
				t.Fatalf("%s %s: %d countries, want %d: %+v", lang.code, p.path, len(got), len(lang.want), got)
			}
			for i, w := range lang.want {
				g := got[i]
				if g.country != w.country || strings.Join(g.cities, ",") != strings.Join(w.cities, ",") {
					t.Errorf("%s %s: country %d is %q with %v, want %q with %v", lang.code, p.path, i, g.country, g.cities, w.country, w.cities)
				}
				// A small network shows every country open.
				if !g.open {
					t.Errorf("%s %s: %s is closed in a network of 5 cities", lang.code, p.path, g.country)
				}
			}
			if p.path != "/manage/users/new" && p.field == "cities" {
				if morocco := got[slicesIndex(got, "Morocco", "المغرب")]; strings.Join(morocco.checked, ",") != "Agadir" {
					t.Errorf("%s %s: the coordinator's ticked cities are %v, want Agadir", lang.code, p.path, morocco.checked)
				}
			}
			// What the search script compares: folded names, the country's in every language.
			morocco := doc.Find("[data-testid=city-picker-" + p.field + "] [data-testid=country-MA]")
			search, _ := morocco.Attr("data-search")
			for _, name := range []string{"morocco", "maroc", "marruecos", "المغرب"} {
				if !strings.Contains(search, name) {
					t.Errorf("%s %s: Morocco's search text %q lacks %q", lang.code, p.path, search, name)
				}
			}
			if s, _ := doc.Find(fmt.Sprintf(`label:has(input[value="%d"])`, evora.ID)).Attr("data-search"); s != "evora" {
				t.Errorf("%s %s: Évora is searched as %q, want evora", lang.code, p.path, s)
			}
			// The search field and its messages are the script's to show.
			tools := doc.Find("[data-testid=city-picker-" + p.field + "] .city-picker-tools")
			if _, hidden := tools.Attr("hidden"); !hidden || tools.Find("input[type=search]").Length() != 1 {
				t.Errorf("%s %s: the search field is missing or shown without the script", lang.code, p.path)
			}
			if lang.code == "ar" && strings.TrimSpace(tools.Find("label").Text()) != "ابحث عن مدينة" {
				t.Errorf("%s %s: the search is labelled %q", lang.code, p.path, tools.Find("label").Text())
			}
		}
	}
}

// slicesIndex is the index of the group named one of names.
func slicesIndex(gs []pickerGroup, names ...string) int {
	for i, g := range gs {
		for _, n := range names {
			if g.country == n {
				return i
			}
		}
	}
	return -1
}

// TestCityPickerOfALargeNetworkOpensTheTickedCountries: past 40 cities,
// only the countries of the ticked cities are open; a refused invitation
// keeps its ticks (their country open) and shows its error in the picker,
// and writes nothing.
func TestCityPickerOfALargeNetworkOpensTheTickedCountries(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	countries := []string{"PT", "AR", "KR", "BR", "DE", "FR", "IE", "CN", "MX", "EG"}
	for i := range 40 {
		a.addCity(t, fmt.Sprintf("City %02d", i), countries[i%len(countries)])
	}
	villa := a.addCity(t, "Villa María", "AR")
	staff := a.loggedIn(t, "staff@example.org")

	open := func(gs []pickerGroup) []string {
		var out []string
		for _, g := range gs {
			if g.open {
				out = append(out, g.country)
			}
		}
		return out
	}
	coordinator := a.users(t, models.UserFilter{Query: "agadir@example.org"})[0]
	doc := staff.get(t, fmt.Sprintf("/manage/users/%d", coordinator.ID)).doc(t)
	if got := open(pickerGroups(doc, "cities")); strings.Join(got, ",") != "Morocco" {
		t.Errorf("open countries of Agadir's coordinator: %v, want Morocco", got)
	}
	doc = staff.get(t, "/manage/users/new").doc(t)
	if got := pickerGroups(doc, "cities"); len(got) != 11 || len(open(got)) != 0 {
		t.Errorf("a blank invitation: %d countries, open %v; want 11, none open", len(got), open(got))
	}

	before := len(a.users(t, models.UserFilter{}))
	res := staff.post(t, "/manage/users", url.Values{"name": {""}, "email": {"new@example.org"}, "role": {"coordinator"}, "language": {"en"}, "cities": {fmt.Sprint(villa.ID)}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	doc = res.doc(t)
	gs := pickerGroups(doc, "cities")
	if got := open(gs); strings.Join(got, ",") != "Argentina" {
		t.Errorf("after a refusal the open countries are %v, want Argentina", got)
	}
	if argentina := gs[slicesIndex(gs, "Argentina")]; strings.Join(argentina.checked, ",") != "Villa María" {
		t.Errorf("after a refusal Argentina's ticks are %v", argentina.checked)
	}
	if n := len(a.users(t, models.UserFilter{})); n != before {
		t.Errorf("%d users after a refused invitation, want %d", n, before)
	}

	res = staff.post(t, "/manage/users", url.Values{"name": {"New Person"}, "email": {"new@example.org"}, "role": {"coordinator"}, "language": {"en"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	doc = res.doc(t)
	picker := doc.Find("[data-testid=city-picker-cities]")
	if picker.Find("[data-testid=error-cities]").Length() != 1 || picker.Find("input[aria-invalid=true]").Length() != 41+2 {
		t.Errorf("a coordinator without a city: the picker shows no error or leaves boxes valid:\n%s", res.body)
	}
	if d, _ := picker.Attr("aria-describedby"); d == "" {
		t.Error("the picker is not described by its error")
	}
	if n := len(a.users(t, models.UserFilter{})); n != before {
		t.Errorf("%d users after a refused invitation, want %d", n, before)
	}
}
