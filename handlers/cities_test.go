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
	a := newApp(t)
	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{"Agadir", "Fez"}},
		{"q=aga", []string{"Agadir"}},
		{"q=Morocco", []string{"Agadir", "Fez"}},
		{"q=MA", []string{"Agadir", "Fez"}},
		{"q=paris", nil},
		{"region=arab-states&q=fez", []string{"Fez"}},
		{"region=africa", nil},
	}
	for _, tt := range tests {
		res := a.client().get("/cities?" + tt.query)
		wantStatus(t, res, http.StatusOK)
		var got []string
		res.doc(t).Find("[data-testid=city-list] h2").Each(func(_ int, s *goquery.Selection) { got = append(got, strings.TrimSpace(s.Text())) })
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("?%s: cities %v, want %v", tt.query, got, tt.want)
		}
	}
	wantStatus(t, a.client().get("/cities?region=atlantis"), http.StatusBadRequest)
	wantStatus(t, a.client().get("/cities?q="+strings.Repeat("a", 200)), http.StatusBadRequest)
}

func TestStaffCreatesAndEditsCities(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	c := a.loggedIn("staff@example.org")
	coordinators, err := a.store.Coordinators(ctx)
	must(t, err)
	var fezCoo uint
	for _, u := range coordinators {
		if u.Email == "fez@example.org" {
			fezCoo = u.ID
		}
	}
	form := url.Values{"name": {"Essaouira"}, "country": {"ma"}, "region": {"arab-states"}, "joined_year": {"2024"}, "co_lead": {"true"}, "coordinators": {fmt.Sprint(fezCoo)}}
	wantStatus(t, c.post("/manage/cities", form), http.StatusSeeOther)
	city, err := a.store.CityBySlug(ctx, "essaouira")
	must(t, err)
	if city.Country != "MA" || !city.CoLead || city.Region != models.RegionArabStates {
		t.Errorf("created city = %+v", city)
	}
	// The Fez coordinator now manages Essaouira too.
	fez := a.loggedIn("fez@example.org")
	wantStatus(t, fez.get("/manage/cities/essaouira/events"), http.StatusOK)

	// Editing removes the coordinator again.
	form.Del("coordinators")
	form.Set("name", "Essaouira")
	wantStatus(t, c.post("/manage/cities/essaouira", form), http.StatusSeeOther)
	wantStatus(t, fez.get("/manage/cities/essaouira/events"), http.StatusForbidden)

	// Bad input comes back with errors and writes nothing.
	bad := url.Values{"name": {"Ifrane"}, "country": {"ZZ"}, "region": {"moon"}, "joined_year": {"soon"}, "coordinators": {"abc"}}
	res := c.post("/manage/cities", bad)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	doc := res.doc(t)
	for _, field := range []string{"country", "region", "joined_year", "coordinators"} {
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
	res = c.post("/manage/cities", a.validCityForm("Agadir"))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if res.doc(t).Find("[data-testid=error-name]").Length() != 1 {
		t.Error("duplicate name has no error beside the field")
	}
}

func TestPartnerCRUD(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	c := a.loggedIn("agadir@example.org")
	form := url.Values{"name": {"Radio Agadir"}, "sector": {"media"}, "contact_name": {"Omar"}, "contact_email": {"omar@radio.example"}, "website": {"https://radio.example"}, "active": {"true"}}
	wantStatus(t, c.post("/manage/cities/agadir/partners", form), http.StatusSeeOther)
	list := c.get("/manage/cities/agadir/partners?q=radio").doc(t)
	if !strings.Contains(list.Find("[data-testid=partner-table]").Text(), "omar@radio.example") {
		t.Error("the coordinator does not see the contact email")
	}
	page, err := a.store.Partners(ctx, models.PartnerFilter{CityID: a.agadir.ID, Query: "radio"}, models.Page{})
	must(t, err)
	p := page.Items[0]

	// Bad input.
	bad := url.Values{"name": {""}, "sector": {"army"}, "contact_email": {"omar@"}, "website": {"javascript:alert(1)"}}
	res := c.post(fmt.Sprintf("/manage/partners/%d", p.ID), bad)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	doc := res.doc(t)
	for _, field := range []string{"name", "sector", "contact_email", "website"} {
		if doc.Find("[data-testid=error-"+field+"]").Length() != 1 {
			t.Errorf("no error beside %s", field)
		}
	}
	got, err := a.store.Partner(ctx, p.ID)
	must(t, err)
	if got.Name != "Radio Agadir" || got.Website != "https://radio.example" {
		t.Errorf("an invalid update changed the partner: %+v", got)
	}

	// Deactivate, then delete.
	form.Del("active")
	wantStatus(t, c.post(fmt.Sprintf("/manage/partners/%d", p.ID), form), http.StatusSeeOther)
	got, _ = a.store.Partner(ctx, p.ID)
	if got.Active {
		t.Error("partner still active")
	}
	wantStatus(t, c.post(fmt.Sprintf("/manage/partners/%d/delete", p.ID), nil), http.StatusSeeOther)
	if _, err := a.store.Partner(ctx, p.ID); err != models.ErrNotFound {
		t.Errorf("partner not deleted: %v", err)
	}

	// A partner that took part in an event stays.
	res = c.post(fmt.Sprintf("/manage/partners/%d/delete", a.agadirPart.ID), nil)
	wantStatus(t, res, http.StatusConflict)
	if !strings.Contains(res.body, "inactive") {
		t.Error("refusal does not say what to do instead")
	}
}

func TestDashboardShowsOwnCitiesAndActivity(t *testing.T) {
	a := newApp(t)
	c := a.loggedIn("agadir@example.org")
	wantStatus(t, c.post("/manage/cities/agadir/events", a.validEventForm("Dashboard event")), http.StatusSeeOther)
	doc := c.get("/dashboard").doc(t)
	cities := doc.Find("[data-testid=dashboard-cities]").Text()
	if !strings.Contains(cities, "Agadir") || strings.Contains(cities, "Fez") {
		t.Errorf("dashboard cities: %q", cities)
	}
	if !strings.Contains(doc.Find("[data-testid=activity]").Text(), "Dashboard event") {
		t.Error("recent activity lacks the new event")
	}
	if !strings.Contains(doc.Find("[data-testid=dashboard-upcoming]").Text(), "Dashboard event") {
		t.Error("upcoming lacks the new event")
	}
	if strings.Contains(doc.Text(), "Fez coding club") {
		t.Error("dashboard shows another city's event")
	}
	staff := a.loggedIn("staff@example.org").get("/manage/audit")
	wantStatus(t, staff, http.StatusOK)
	if !strings.Contains(staff.body, "Dashboard event") {
		t.Error("audit log lacks the new event")
	}
}
