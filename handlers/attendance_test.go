package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
)

// pastEvent stores an event of city that started days ago, with status.
func (a *app) pastEvent(t *testing.T, city *models.City, title string, days int, status models.EventStatus) *models.Event {
	t.Helper()
	start := time.Now().UTC().Add(-time.Duration(days) * 24 * time.Hour).Truncate(time.Minute)
	e := &models.Event{
		CityID: city.ID, CampaignID: a.campaign.ID, Title: title, StartsAt: start, EndsAt: start.Add(time.Hour),
		Format: models.FormatInPerson, Status: status, LearningAreas: []models.LearningArea{models.AreaCulture},
	}
	if city.ID == a.agadir.ID {
		e.PartnerIDs = []uint{a.agadirPart.ID}
	}
	must(t, a.store.CreateEvent(context.Background(), models.CLIActor(), e))
	return e
}

func TestAttendancePageSavesManyCountsAtOnce(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	first := a.pastEvent(t, a.agadir, "Poetry evening", 3, models.StatusPlanned)
	second := a.pastEvent(t, a.agadir, "Repair café", 10, models.StatusPlanned)
	a.pastEvent(t, a.agadir, "Called off", 5, models.StatusCancelled)
	a.pastEvent(t, a.agadir, "Next month", -30, models.StatusPlanned)
	fezEvent := a.pastEvent(t, a.fez, "Fez walk", 4, models.StatusPlanned)
	co := a.loggedIn(t, "agadir@example.org")
	path := "/manage/cities/agadir/attendance"

	res := co.get(t, path)
	wantStatus(t, res, http.StatusOK)
	doc := res.doc(t)
	var titles []string
	doc.Find("[data-testid=attendance-row] th").Each(func(_ int, s *goquery.Selection) { titles = append(titles, strings.TrimSpace(s.Text())) })
	if strings.Join(titles, "|") != "Poetry evening|Repair café" {
		t.Errorf("listed %q, want the two past events without a count, newest first", titles)
	}
	before, err := a.reports.Report(ctx, report.Query{CityID: a.agadir.ID})
	must(t, err)

	// Bad input writes nothing.
	for name, form := range map[string]url.Values{
		"negative":        {models.AttendanceField(first.ID): {"12"}, models.AttendanceField(second.ID): {"-3"}},
		"not a number":    {models.AttendanceField(first.ID): {"twelve"}},
		"another city's":  {models.AttendanceField(first.ID): {"12"}, models.AttendanceField(fezEvent.ID): {"8"}},
		"nothing entered": {models.AttendanceField(first.ID): {""}},
	} {
		t.Run(name, func(t *testing.T) {
			res := co.post(t, path, form)
			wantStatus(t, res, http.StatusUnprocessableEntity)
			if res.doc(t).Find("[data-testid=error-summary]").Length() == 0 {
				t.Error("no error summary")
			}
			e, err := a.store.Event(ctx, first.ID)
			must(t, err)
			if e.Participants != nil || e.Status != models.StatusPlanned {
				t.Error("a refused save wrote a count")
			}
		})
	}
	res = co.post(t, path, url.Values{models.AttendanceField(second.ID): {"-3"}})
	if v, _ := res.doc(t).Find("#" + models.AttendanceField(second.ID)).Attr("value"); v != "-3" {
		t.Errorf("the typed count is not kept: %q", v)
	}

	res = co.post(t, path, url.Values{models.AttendanceField(first.ID): {"12"}, models.AttendanceField(second.ID): {"30"}})
	wantStatus(t, res, http.StatusSeeOther)
	for id, want := range map[uint]int{first.ID: 12, second.ID: 30} {
		e, err := a.store.Event(ctx, id)
		must(t, err)
		if e.Status != models.StatusHeld || e.Participants == nil || *e.Participants != want {
			t.Errorf("event %d: %s %v, want held with %d", id, e.Status, e.Participants, want)
		}
	}
	after, err := a.reports.Report(ctx, report.Query{CityID: a.agadir.ID})
	must(t, err)
	if after.Totals.EventsHeld != before.Totals.EventsHeld+2 || after.Totals.Participants != before.Totals.Participants+42 {
		t.Errorf("report: %+v, before %+v", after.Totals, before.Totals)
	}
	raw, err := a.reports.FromRaw(ctx, report.Query{CityID: a.agadir.ID})
	must(t, err)
	fj, _ := json.Marshal(after)
	rj, _ := json.Marshal(raw)
	if string(fj) != string(rj) {
		t.Errorf("report differs from recomputation\nreport: %s\nraw:    %s", fj, rj)
	}
	if got := co.get(t, path).doc(t).Find("[data-testid=attendance-none]").Length(); got != 1 {
		t.Error("the page still lists events")
	}
	res = a.loggedIn(t, "fez@example.org").post(t, path, url.Values{models.AttendanceField(first.ID): {"1"}})
	wantStatus(t, res, http.StatusForbidden)
}

// TestAttendanceRecordsCountsByAgeGroup gives an event that reached
// several age groups its counts by age group on the attendance page:
// refused when they do not add up to its count, making it when it is
// left empty.
func TestAttendanceRecordsCountsByAgeGroup(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	start := time.Now().UTC().Add(-6 * 24 * time.Hour).Truncate(time.Minute)
	several := &models.Event{
		CityID: a.agadir.ID, CampaignID: a.campaign.ID, Title: "Family games night", StartsAt: start, EndsAt: start.Add(time.Hour),
		Format: models.FormatInPerson, Status: models.StatusPlanned, LearningAreas: []models.LearningArea{models.AreaFamilies},
		AgeGroups: []models.AgeGroup{models.AgeChildren, models.AgeAdults},
	}
	must(t, a.store.CreateEvent(ctx, models.CLIActor(), several))
	one := a.pastEvent(t, a.agadir, "Poetry evening", 3, models.StatusPlanned)
	co := a.loggedIn(t, "agadir@example.org")
	path := "/manage/cities/agadir/attendance"

	doc := co.get(t, path).doc(t)
	for _, g := range []models.AgeGroup{models.AgeChildren, models.AgeAdults} {
		if doc.Find("#"+models.AttendanceAgesField(several.ID, g)).Length() != 1 {
			t.Errorf("no field for the %s of %q", g, several.Title)
		}
	}
	if doc.Find("[data-testid=ages-"+fmt.Sprint(one.ID)+"]").Length() != 0 {
		t.Error("counts by age group asked of an event without several age groups")
	}

	children, adults := models.AttendanceAgesField(several.ID, models.AgeChildren), models.AttendanceAgesField(several.ID, models.AgeAdults)
	res := co.post(t, path, url.Values{models.AttendanceField(several.ID): {"30"}, children: {"10"}, adults: {"15"}, models.AttendanceField(one.ID): {"8"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	doc = res.doc(t)
	if msg := doc.Find("[data-testid=error-" + models.AttendanceAgesField(several.ID, "") + "]").Text(); !strings.Contains(msg, "30") {
		t.Errorf("the refusal of the counts by age group: %q", msg)
	}
	if _, open := doc.Find("[data-testid=ages-" + fmt.Sprint(several.ID) + "]").Attr("open"); !open {
		t.Error("the refused counts are folded away")
	}
	if v, _ := doc.Find("#" + adults).Attr("value"); v != "15" {
		t.Errorf("the typed count is not kept: %q", v)
	}
	for _, id := range []uint{several.ID, one.ID} {
		e, err := a.store.Event(ctx, id)
		must(t, err)
		if e.Participants != nil {
			t.Fatalf("a refused save wrote event %d's count", id)
		}
	}
	wantStatus(t, co.post(t, path, url.Values{"ages_" + fmt.Sprint(several.ID) + "_babies": {"3"}}), http.StatusBadRequest)

	// The counts by age group alone make the event's count.
	wantStatus(t, co.post(t, path, url.Values{children: {"10"}, adults: {"20"}}), http.StatusSeeOther)
	e, err := a.store.Event(ctx, several.ID)
	must(t, err)
	if e.Participants == nil || *e.Participants != 30 || e.AgeParticipants[models.AgeChildren] != 10 || e.AgeParticipants[models.AgeAdults] != 20 {
		t.Errorf("saved: %v participants, by age group %v", e.Participants, e.AgeParticipants)
	}
	fast, err := a.reports.Compute(ctx, report.Query{CityID: a.agadir.ID})
	must(t, err)
	raw, err := a.reports.FromRaw(ctx, report.Query{CityID: a.agadir.ID})
	must(t, err)
	if mustJSONBytes(t, fast) != mustJSONBytes(t, raw) {
		t.Error("after the attendance, the roll-ups and the raw tables disagree")
	}
}

// TestAttendanceMarksAnEventNotHeld: an event that did not take place is
// ticked so on the attendance page: it is cancelled and leaves the list
// and the to-do; ticked with a count too, or another city's, nothing is
// written.
func TestAttendanceMarksAnEventNotHeld(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	rained := a.pastEvent(t, a.agadir, "Picnic in the rain", 3, models.StatusPlanned)
	held := a.pastEvent(t, a.agadir, "Repair café", 10, models.StatusPlanned)
	fezEvent := a.pastEvent(t, a.fez, "Fez walk", 4, models.StatusPlanned)
	co := a.loggedIn(t, "agadir@example.org")
	path := "/manage/cities/agadir/attendance"
	if co.get(t, path).doc(t).Find(fmt.Sprintf("[data-testid=not-held-%d]", rained.ID)).Length() != 1 {
		t.Fatal("no way to say the event did not take place")
	}
	for name, form := range map[string]url.Values{
		"count and not held": {models.AttendanceField(rained.ID): {"12"}, models.AttendanceNotHeldField(rained.ID): {"true"}},
		"another city's":     {models.AttendanceNotHeldField(fezEvent.ID): {"true"}},
		"not a number":       {models.AttendanceNotHeldField(rained.ID) + "x": {"true"}},
	} {
		res := co.post(t, path, form)
		if res.StatusCode != http.StatusUnprocessableEntity && res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d", name, res.StatusCode)
		}
		for _, id := range []uint{rained.ID, fezEvent.ID} {
			e, err := a.store.Event(ctx, id)
			must(t, err)
			if e.Status != models.StatusPlanned || e.Participants != nil {
				t.Errorf("%s: a refused save changed %q: %s", name, e.Title, e.Status)
			}
		}
	}
	res := co.post(t, path, url.Values{models.AttendanceNotHeldField(rained.ID): {"true"}, models.AttendanceField(held.ID): {"7"}})
	wantStatus(t, res, http.StatusSeeOther)
	page := co.get(t, path).doc(t)
	if got := page.Find("[data-testid=flash]").Text(); got != "Count saved for 1 event. 1 event marked as not held (cancelled)." {
		t.Errorf("flash %q", got)
	}
	if page.Find("[data-testid=attendance-row]").Length() != 0 {
		t.Errorf("still listed: %q", page.Find("[data-testid=attendance-row]").Text())
	}
	e, err := a.store.Event(ctx, rained.ID)
	must(t, err)
	if e.Status != models.StatusCancelled || e.Participants != nil {
		t.Errorf("not held: stored %s with %v", e.Status, e.Participants)
	}
	if strings.Contains(co.get(t, "/dashboard").doc(t).Find("[data-testid=todo-attendance]").Text(), "Agadir") {
		t.Error("the to-do still asks for the count")
	}
}
