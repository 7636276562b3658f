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

func TestDashboardShowsOwnCitiesAndActivity(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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

// Staff's home shows the network's moderation backlog and the cities with
// the most stories waiting first, not every city of the network.
func TestStaffDashboardShowsTheBacklogFirst(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	for _, city := range []string{"fez", "fez", "agadir"} {
		f := validStoryForm()
		f.Set("city", city)
		a.submit(t, f, nil)
	}
	pending, err := a.store.Stories(context.Background(), models.StoryFilter{Status: models.StoryPending}, models.Page{Size: 100})
	must(t, err)
	doc := a.loggedIn(t, "staff@example.org").get(t, "/dashboard").doc(t)
	backlog := doc.Find("[data-testid=network-backlog]").Text()
	if want := fmt.Sprintf("%d stories wait", len(pending.Items)); !strings.Contains(backlog, want) {
		t.Errorf("backlog %q, want %q", backlog, want)
	}
	var order []string
	doc.Find("[data-testid=dashboard-cities] h3").Each(func(_ int, s *goquery.Selection) { order = append(order, strings.TrimSpace(s.Text())) })
	byCity := map[string]int{}
	for _, st := range pending.Items {
		byCity[map[uint]string{a.agadir.ID: "Agadir", a.fez.ID: "Fez"}[st.CityID]]++
	}
	first := "Agadir"
	if byCity["Fez"] > byCity["Agadir"] {
		first = "Fez"
	}
	if len(order) == 0 || order[0] != first {
		t.Errorf("cities %v, want %s first (pending %v)", order, first, byCity)
	}
}
