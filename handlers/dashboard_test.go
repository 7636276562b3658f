package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestDashboardShowsOwnCitiesAndActivity(t *testing.T) {
	a := newApp(t)
	c := a.loggedIn(t, "agadir@example.org")
	wantStatus(t, c.post(t, "/manage/cities/agadir/events", a.validEventForm("Dashboard event")), http.StatusSeeOther)
	doc := c.get(t, "/dashboard").doc(t)
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
	staff := a.loggedIn(t, "staff@example.org").get(t, "/manage/audit")
	wantStatus(t, staff, http.StatusOK)
	if !strings.Contains(staff.body, "Dashboard event") {
		t.Error("audit log lacks the new event")
	}
}

// TestDashboardGreetsOnce: signing in lands on the dashboard, which says
// welcome once, not a second time in a flash message.
func TestDashboardGreetsOnce(t *testing.T) {
	a := newApp(t)
	c := a.client()
	res := c.post(t, "/login", url.Values{"email": {"agadir@example.org"}, "password": {password}})
	wantStatus(t, res, http.StatusSeeOther)
	page := c.get(t, res.Header.Get("Location"))
	wantStatus(t, page, http.StatusOK)
	if n := strings.Count(page.doc(t).Find("main").Text(), "Welcome"); n != 1 {
		t.Errorf("the dashboard says welcome %d times", n)
	}
}
