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

// checklistSteps reads a city's checklist on the dashboard: each step's
// state, and whether the checklist is shown at all.
func checklistSteps(t *testing.T, doc *goquery.Document, city string) (map[string]bool, bool) {
	t.Helper()
	var list *goquery.Selection
	doc.Find("[data-testid=checklist]").Each(func(_ int, s *goquery.Selection) {
		if strings.Contains(s.Find("h2").Text(), city) {
			list = s
		}
	})
	if list == nil {
		return nil, false
	}
	steps := map[string]bool{}
	list.Find("li[data-done]").Each(func(_ int, li *goquery.Selection) {
		name, _ := li.Attr("data-testid")
		done, _ := li.Attr("data-done")
		steps[strings.TrimPrefix(name, "checklist-")] = done == "true"
		// The state is said in words, not by colour alone.
		text := li.Text()
		if done == "true" && !strings.Contains(text, "✓ Done") || done == "false" && !strings.Contains(text, "To do") {
			t.Errorf("%s: step %s (done %s) says %q", city, name, done, text)
		}
	})
	return steps, true
}

// TestChecklistTicksEachStep: a new coordinator of two cities sees, for
// each, the first steps not yet done; each is ticked once done through
// the real routes (a partner, an event, staff's invitation, the page
// checked), and the checklist goes once all four are.
func TestChecklistTicksEachStep(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	cli := models.CLIActor()
	essaouira := &models.City{Name: "Essaouira", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2024}
	must(t, a.store.CreateCity(ctx, cli, essaouira, nil))
	_, err := a.store.CreateUser(ctx, cli, models.NewUser{Email: "new@example.org", Name: "New Coordinator", Password: password,
		Role: models.RoleCoordinator, CityIDs: []uint{essaouira.ID, a.agadir.ID}})
	must(t, err)
	c := a.loggedIn(t, "new@example.org")
	want := func(city string, page, partners, events, colleague bool) {
		t.Helper()
		steps, shown := checklistSteps(t, c.get(t, "/dashboard").doc(t), city)
		if !shown {
			t.Fatalf("%s: no checklist", city)
		}
		w := map[string]bool{"page": page, "partners": partners, "events": events, "colleague": colleague}
		if fmt.Sprint(steps) != fmt.Sprint(w) {
			t.Errorf("%s: steps %v, want %v", city, steps, w)
		}
	}
	// Agadir has a partner, an event and another coordinator already.
	want("Agadir", false, true, true, true)
	want("Essaouira", false, false, false, false)

	wantStatus(t, c.post(t, "/manage/cities/essaouira/partners", validPartnerForm("Essaouira Radio")), http.StatusSeeOther)
	want("Essaouira", false, true, false, false)
	wantStatus(t, c.post(t, "/manage/cities/essaouira/events", a.validEventForm("Gnaoua reading")), http.StatusSeeOther)
	want("Essaouira", false, true, true, false)
	// Coordinators cannot invite: staff do, and the invited account counts.
	wantStatus(t, c.post(t, "/manage/users", url.Values{"name": {"Colleague"}, "email": {"colleague@example.org"}, "role": {"coordinator"},
		"cities": {fmt.Sprint(essaouira.ID)}, "language": {"fr"}}), http.StatusForbidden)
	want("Essaouira", false, true, true, false)
	staff := a.loggedIn(t, "staff@example.org")
	wantStatus(t, staff.post(t, "/manage/users", url.Values{"name": {"Colleague"}, "email": {"colleague@example.org"}, "role": {"coordinator"},
		"cities": {fmt.Sprint(essaouira.ID)}, "language": {"fr"}}), http.StatusSeeOther)
	want("Essaouira", false, true, true, true)

	res := c.post(t, "/manage/cities/essaouira/checked", nil)
	wantStatus(t, res, http.StatusSeeOther)
	doc := c.get(t, res.Header.Get("Location")).doc(t)
	if _, shown := checklistSteps(t, doc, "Essaouira"); shown {
		t.Error("Essaouira's checklist is still shown with every step done")
	}
	if _, shown := checklistSteps(t, doc, "Agadir"); !shown {
		t.Error("Agadir's checklist went with Essaouira's")
	}
	// Checking again writes no second entry.
	wantStatus(t, c.post(t, "/manage/cities/essaouira/checked", nil), http.StatusSeeOther)
	if n := a.checks(t); n != 1 {
		t.Errorf("%d check entries, want 1", n)
	}

	// Staff see no checklist, whatever their cities.
	if n := staff.get(t, "/dashboard").doc(t).Find("[data-testid=checklist]").Length(); n != 0 {
		t.Errorf("staff see %d checklists", n)
	}
}

// checks counts the audit entries of cities' pages checked.
func (a *app) checks(t *testing.T) int64 {
	t.Helper()
	p, err := a.store.AuditEntries(context.Background(), models.AuditFilter{AllCities: true, Action: models.AuditCheck}, models.Page{Size: 1})
	must(t, err)
	return p.Total
}

// TestCheckCityPageRefusals: another city's coordinator, an unknown city
// and a request without its CSRF token are refused, and write nothing.
func TestCheckCityPageRefusals(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	fez := a.loggedIn(t, "fez@example.org")
	wantStatus(t, fez.post(t, "/manage/cities/agadir/checked", nil), http.StatusForbidden)
	wantStatus(t, fez.post(t, "/manage/cities/atlantis/checked", nil), http.StatusNotFound)
	wantStatus(t, fez.postRaw(t, "/manage/cities/fez/checked", url.Values{}, nil), http.StatusForbidden)
	if n := a.checks(t); n != 0 {
		t.Errorf("refused requests wrote %d entries", n)
	}
	// The Fez checklist still asks for the page.
	steps, shown := checklistSteps(t, fez.get(t, "/dashboard").doc(t), "Fez")
	if !shown || steps["page"] {
		t.Errorf("Fez: shown %v, steps %v", shown, steps)
	}
}
