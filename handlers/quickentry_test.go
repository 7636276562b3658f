package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

func TestDuplicateEventOpensAFilledFormDatedToday(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	co := a.loggedIn(t, "agadir@example.org")
	res := co.get(t, fmt.Sprintf("/manage/events/%d/duplicate", a.agadirEvent.ID))
	wantStatus(t, res, http.StatusOK)
	doc := res.doc(t)
	form := doc.Find("[data-testid=event-form]")
	if action, _ := form.Attr("action"); action != "/manage/cities/agadir/events" {
		t.Errorf("the copy posts to %q, want a new event of the city", action)
	}
	if v, _ := form.Find("#title").Attr("value"); v != "Agadir reading afternoon" {
		t.Errorf("title %q", v)
	}
	if got := doc.Find("[data-testid=form-notice]").Text(); got != "Copy of “Agadir reading afternoon”: check the date, then save." {
		t.Errorf("notice %q", got)
	}
	// Each row of the events list offers its copy.
	list := co.get(t, "/manage/cities/agadir/events").doc(t)
	if href, _ := list.Find("[data-testid=duplicate-row]").First().Attr("href"); href != fmt.Sprintf("/manage/events/%d/duplicate", a.agadirEvent.ID) {
		t.Errorf("the row's copy links to %q", href)
	}
	loc := a.agadir.Location()
	start := a.agadirEvent.StartsAt.In(loc)
	now := time.Now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), start.Hour(), start.Minute(), 0, 0, loc)
	date, _ := form.Find("#starts_at_date").Attr("value")
	clock, _ := form.Find("#starts_at_time").Attr("value")
	if date != today.Format("02/01/2006") || clock != today.Format("15:04") {
		t.Errorf("starts %q %q, want today at %s", date, clock, today.Format("15:04"))
	}
	if v, _ := form.Find("#participants").Attr("value"); v != "" {
		t.Errorf("participants copied: %q", v)
	}
	if v, _ := form.Find("#status option[selected]").Attr("value"); v != "planned" {
		t.Errorf("status %q, want planned", v)
	}
	if form.Find(fmt.Sprintf("input[name=partners][value='%d'][checked]", a.agadirPart.ID)).Length() != 1 ||
		form.Find("input[name=learning_areas][value=families-communities][checked]").Length() != 1 {
		t.Error("the copy lost its partners or learning areas")
	}
	if events := a.countEvents(t); events != 2 {
		t.Errorf("opening a copy wrote an event: %d", events)
	}
	wantStatus(t, a.loggedIn(t, "fez@example.org").get(t, fmt.Sprintf("/manage/events/%d/duplicate", a.agadirEvent.ID)), http.StatusForbidden)
}

func TestSaveAndAddAnotherKeepsWhatTheNextEventShares(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	co := a.loggedIn(t, "agadir@example.org")
	form := a.validEventForm("Festival day one")
	form.Set("venue", "Old medina")
	form.Del("starts_at")
	form.Del("ends_at")
	form.Set("starts_at_date", "9.12.2030")
	form.Set("starts_at_time", "14h")
	form.Set("ends_at_date", "9.12.2030")
	form.Set("ends_at_time", "16h")
	form["age_groups"] = []string{"youth", "adults"}
	form.Set("partners", fmt.Sprint(a.agadirPart.ID))
	form["learning_areas"] = []string{"culture", "families-communities"}
	form.Set("then", "another")
	res := co.post(t, "/manage/cities/agadir/events", form)
	wantStatus(t, res, http.StatusSeeOther)
	next := res.Header.Get("Location")
	if !strings.HasPrefix(next, "/manage/cities/agadir/events/new?") {
		t.Fatalf("sent to %q, want another new event", next)
	}
	if a.countEvents(t) != 3 {
		t.Fatal("the event was not saved")
	}
	doc := co.get(t, next).doc(t)
	if v, _ := doc.Find("#venue").Attr("value"); v != "Old medina" {
		t.Errorf("venue %q", v)
	}
	if v, _ := doc.Find("#title").Attr("value"); v != "" {
		t.Errorf("title kept: %q", v)
	}
	if doc.Find(fmt.Sprintf("input[name=partners][value='%d'][checked]", a.agadirPart.ID)).Length() != 1 {
		t.Error("partner not kept")
	}
	if doc.Find("input[name=learning_areas][checked]").Length() != 2 {
		t.Error("learning areas not kept")
	}
	// The next event of the day is typed from the same date, time and ages.
	for field, want := range map[string]string{"starts_at_date": "9.12.2030", "starts_at_time": "14h", "ends_at_date": "9.12.2030", "ends_at_time": "16h"} {
		if v, _ := doc.Find("#" + field).Attr("value"); v != want {
			t.Errorf("%s %q, want the last one's", field, v)
		}
	}
	// A link kept from before the fields were split still fills them.
	old := co.get(t, "/manage/cities/agadir/events/new?starts_at="+url.QueryEscape("9/12/2030 14h")).doc(t)
	date, _ := old.Find("#starts_at_date").Attr("value")
	clock, _ := old.Find("#starts_at_time").Attr("value")
	if date != "9/12/2030" || clock != "14h" {
		t.Errorf("an old link's start shows as %q %q", date, clock)
	}
	if doc.Find("input[name=age_groups][checked]").Length() != 2 {
		t.Error("age groups not kept")
	}
	if doc.Find("[data-testid=flash], [role=status]").Length() == 0 && !strings.Contains(doc.Text(), "Event created") {
		t.Error("no word that the first event was saved")
	}
}

func TestAddPartnerFromTheEventForm(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	co := a.loggedIn(t, "agadir@example.org")
	events, partners := a.countEvents(t), a.countPartners(t)
	form := a.validEventForm("Half-typed event")
	form.Set("venue", "Kasbah")
	form.Set("then", "add_partner")
	form.Set("new_partner", "")
	res := co.post(t, "/manage/cities/agadir/events", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if got := res.doc(t).Find("[data-testid=error-new_partner]").Text(); got == "" {
		t.Errorf("no error beside the partner's name:\n%s", res.body)
	}
	if a.countEvents(t) != events || a.countPartners(t) != partners {
		t.Fatal("a refused partner wrote something")
	}

	form.Set("new_partner", "Souss Digital Club")
	form.Set("new_partner_sector", "civil-society")
	res = co.post(t, "/manage/cities/agadir/events", form)
	wantStatus(t, res, http.StatusOK)
	if a.countPartners(t) != partners+1 || a.countEvents(t) != events {
		t.Fatalf("partners %d events %d: want one partner more and no event", a.countPartners(t), a.countEvents(t))
	}
	doc := res.doc(t)
	if v, _ := doc.Find("#title").Attr("value"); v != "Half-typed event" {
		t.Errorf("title not kept: %q", v)
	}
	if v, _ := doc.Find("#venue").Attr("value"); v != "Kasbah" {
		t.Errorf("venue not kept: %q", v)
	}
	checked := doc.Find("input[name=partners][checked]").Parent().Text()
	if !strings.Contains(checked, "Souss Digital Club") {
		t.Errorf("new partner not ticked: %q", checked)
	}
	if v, _ := doc.Find("#new_partner").Attr("value"); v != "" {
		t.Errorf("new partner field not cleared: %q", v)
	}

	// The kept form then saves, with the new partner.
	form.Del("then")
	form.Del("new_partner")
	form.Del("partners")
	doc.Find("input[name=partners][checked]").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("value")
		form.Add("partners", id)
	})
	wantStatus(t, co.post(t, "/manage/cities/agadir/events", form), http.StatusSeeOther)
	if a.countEvents(t) != events+1 {
		t.Error("the event was not saved")
	}
}

func TestOneCityCoordinatorNeverChoosesTheCity(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	doc := a.loggedIn(t, "agadir@example.org").get(t, "/manage/city-reports").doc(t)
	if v, _ := doc.Find("[data-testid=start-report] #city option[selected]").Attr("value"); v != "agadir" {
		t.Errorf("city preselected: %q, want agadir", v)
	}
	doc = a.loggedIn(t, "staff@example.org").get(t, "/manage/city-reports").doc(t)
	if n := doc.Find("[data-testid=start-report] #city option[selected]").Length(); n != 0 {
		t.Error("staff, who manage every city, got one preselected")
	}
}
