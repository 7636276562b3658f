package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// parseFeed reads a feed with an independent iCalendar parser and writes
// it back with that parser's encoder, which checks each component has the
// properties RFC 5545 requires.
func parseFeed(t *testing.T, body string) *ical.Calendar {
	t.Helper()
	cal, err := ical.NewDecoder(strings.NewReader(body)).Decode()
	if err != nil {
		t.Fatalf("feed does not parse: %v\n%s", err, body)
	}
	if err := ical.NewEncoder(&bytes.Buffer{}).Encode(cal); err != nil {
		t.Fatalf("feed is not valid iCalendar: %v", err)
	}
	for _, line := range strings.Split(body, "\r\n") {
		if len(line) > 75 {
			t.Fatalf("line longer than 75 octets: %q", line)
		}
	}
	return cal
}

func feedEvent(cal *ical.Calendar, uid string) *ical.Event {
	for _, e := range cal.Events() {
		if p := e.Props.Get(ical.PropUID); p != nil && p.Value == uid {
			return &e
		}
	}
	return nil
}

func TestCalendarFeeds(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	a.agadir.TimeZone = "Africa/Casablanca"
	must(t, a.store.UpdateCity(ctx, models.CLIActor(), a.agadir, nil))
	start := time.Now().Add(10 * 24 * time.Hour).UTC().Truncate(time.Minute)
	e := a.plannedEvent(t, a.agadir, "Family reading morning, with a title long enough to be folded over several lines of the feed", start)

	res := a.client().get(t, "/cities/agadir/calendar.ics")
	wantStatus(t, res, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	cal := parseFeed(t, res.body)
	ev := feedEvent(cal, fmt.Sprintf("event-%d@localhost", e.ID))
	if ev == nil {
		t.Fatalf("the planned event is not in Agadir's feed:\n%s", res.body)
	}
	dtstart := ev.Props.Get(ical.PropDateTimeStart)
	if tz := dtstart.Params.Get(ical.ParamTimezoneID); tz != "Africa/Casablanca" {
		t.Errorf("DTSTART TZID = %q, want the city's zone", tz)
	}
	got, err := ev.DateTimeStart(time.UTC)
	must(t, err)
	if !got.Equal(start) {
		t.Errorf("DTSTART = %v, want %v", got, start)
	}
	if n := len(cal.Children); n == 0 || !strings.Contains(res.body, "BEGIN:VTIMEZONE\r\nTZID:Africa/Casablanca") {
		t.Error("no VTIMEZONE for the city's zone")
	}
	if ev.Props.Get(ical.PropDateTimeStamp) == nil {
		t.Error("no DTSTAMP")
	}
	// The four global days, yearly, all day.
	for _, name := range []string{"International Day of Education", "International Literacy Day", "International Day of Older Persons", "International Day of Persons with Disabilities"} {
		if !strings.Contains(strings.ReplaceAll(res.body, "\r\n ", ""), "SUMMARY:"+name) {
			t.Errorf("global day %q missing", name)
		}
	}
	if !strings.Contains(res.body, "RRULE:FREQ=YEARLY") {
		t.Error("global days do not recur yearly")
	}

	// In Arabic, the global days' names are Arabic, still folded at 75
	// octets (not characters).
	ar := a.client()
	ar.setCookie("ltl_lang", "ar")
	arBody := ar.get(t, "/cities/agadir/calendar.ics").body
	parseFeed(t, arBody)
	if !strings.Contains(strings.ReplaceAll(arBody, "\r\n ", ""), "SUMMARY:اليوم الدولي للأشخاص ذوي الإعاقة") {
		t.Error("no Arabic global day in the Arabic feed")
	}

	// A calendar app sends no cookie: the feed's link says the language.
	if body := a.client().get(t, "/cities/agadir/calendar.ics?lang=fr").body; !strings.Contains(strings.ReplaceAll(body, "\r\n ", ""), "SUMMARY:Journée internationale de l'alphabétisation") {
		t.Error("no French global day in the feed with lang=fr")
	}

	// An edit keeps the UID: subscribers see it change, not twice.
	e.Title = "Family reading morning (new room)"
	must(t, a.store.UpdateEvent(ctx, models.CLIActor(), e))
	cal = parseFeed(t, a.client().get(t, "/cities/agadir/calendar.ics").body)
	ev = feedEvent(cal, fmt.Sprintf("event-%d@localhost", e.ID))
	if ev == nil || ev.Props.Get(ical.PropSummary).Value != "Family reading morning (new room)" {
		t.Error("the edited event did not keep its UID")
	}

	// The network feed has it too; another city's feed does not.
	cal = parseFeed(t, a.client().get(t, "/calendar.ics").body)
	if feedEvent(cal, fmt.Sprintf("event-%d@localhost", e.ID)) == nil {
		t.Error("the network feed lacks the event")
	}
	cal = parseFeed(t, a.client().get(t, "/cities/fez/calendar.ics").body)
	if feedEvent(cal, fmt.Sprintf("event-%d@localhost", e.ID)) != nil {
		t.Error("Fez's feed has Agadir's event")
	}
	wantStatus(t, a.client().get(t, "/cities/atlantis/calendar.ics"), http.StatusNotFound)
}

func TestCalendarPage(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	start := time.Date(2027, 9, 8, 10, 0, 0, 0, time.UTC)
	a.plannedEvent(t, a.agadir, "Literacy day fair", start)
	a.plannedEvent(t, a.fez, "Fez reading circle", start.Add(2*time.Hour))

	res := a.client().get(t, "/calendar?month=2027-09")
	wantStatus(t, res, http.StatusOK)
	doc := res.doc(t)
	list := doc.Find("[data-testid=calendar-list]").Text()
	for _, want := range []string{"International Literacy Day", "Literacy day fair", "Fez reading circle"} {
		if !strings.Contains(list, want) {
			t.Errorf("the list lacks %q", want)
		}
	}
	if !strings.Contains(doc.Find("[data-testid=calendar-grid]").Text(), "International Literacy Day") {
		t.Error("the grid lacks the global day")
	}
	// Filtered by city, and by a region with no event.
	list = a.client().get(t, "/calendar?month=2027-09&city=fez").doc(t).Find("[data-testid=calendar-list]").Text()
	if strings.Contains(list, "Literacy day fair") || !strings.Contains(list, "Fez reading circle") {
		t.Errorf("city filter: %q", list)
	}
	if href, _ := a.client().get(t, "/calendar?month=2027-09&city=fez").doc(t).Find("[data-testid=calendar-feed]").Attr("href"); href != "/cities/fez/calendar.ics?lang=en" {
		t.Errorf("Fez's calendar subscribes to %q", href)
	}
	doc = a.client().get(t, "/calendar?month=2027-09&region=africa").doc(t)
	if doc.Find("[data-testid=calendar-event]").Length() != 0 {
		t.Error("the Africa region shows Moroccan (Arab States) events")
	}
	// In Arabic, the global day has its Arabic name.
	c := a.client()
	c.setCookie("ltl_lang", "ar")
	if !strings.Contains(c.get(t, "/calendar?month=2027-09").body, "اليوم الدولي لمحو الأمية") {
		t.Error("no Arabic name for International Literacy Day")
	}
	for _, bad := range []string{"month=2027-13", "month=soon", "region=atlantis", "city=atlantis"} {
		wantStatus(t, a.client().get(t, "/calendar?"+bad), http.StatusBadRequest)
	}
}

func TestStaffManagesGlobalDays(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	c := a.loggedIn(t, "staff@example.org")
	count := func() int {
		days, err := a.store.GlobalDays(ctx)
		must(t, err)
		return len(days)
	}
	if n := count(); n != 4 {
		t.Fatalf("%d global days seeded, want 4", n)
	}
	form := url.Values{"day": {"16"}, "month": {"11"}, "name": {"International Day for Tolerance"}, "name_fr": {"Journée internationale pour la tolérance"}}
	wantStatus(t, c.post(t, "/manage/global-days", form), http.StatusSeeOther)
	if count() != 5 {
		t.Fatal("global day not created")
	}
	for _, bad := range []url.Values{
		{"day": {"30"}, "month": {"2"}, "name": {"No such day"}},
		{"day": {"29"}, "month": {"2"}, "name": {"Leap day"}},
		{"day": {"1"}, "month": {"13"}, "name": {"No such month"}},
		{"day": {"x"}, "month": {"1"}, "name": {"Bad day"}},
		{"day": {"1"}, "month": {"1"}, "name": {""}},
	} {
		wantStatus(t, c.post(t, "/manage/global-days", bad), http.StatusUnprocessableEntity)
	}
	if count() != 5 {
		t.Error("a refused form wrote a global day")
	}
	days, err := a.store.GlobalDays(ctx)
	must(t, err)
	var tolerance models.GlobalDay
	for _, d := range days {
		if d.Month == 11 {
			tolerance = d
		}
	}
	form.Set("name", "International Day for Tolerance (UNESCO)")
	wantStatus(t, c.post(t, fmt.Sprintf("/manage/global-days/%d", tolerance.ID), form), http.StatusSeeOther)
	g, err := a.store.GlobalDay(ctx, tolerance.ID)
	must(t, err)
	if g.Name != "International Day for Tolerance (UNESCO)" || g.NameIn("fr") != "Journée internationale pour la tolérance" {
		t.Errorf("after edit: %+v", g)
	}
	wantStatus(t, c.post(t, fmt.Sprintf("/manage/global-days/%d/delete", tolerance.ID), url.Values{}), http.StatusSeeOther)
	if count() != 4 {
		t.Error("global day not deleted")
	}
	if n := a.countAudit(t, models.EntityGlobalDay); n != 3 {
		t.Errorf("%d global day audit entries, want 3", n)
	}
}

// The demo data's feeds, the network's and every city's, load in an
// independent iCalendar parser, as a calendar app subscribing to them
// would.
func TestDemoCalendarFeedsParse(t *testing.T) {
	a := newDemoApp(t)
	cities, err := a.store.Cities(context.Background(), models.CityFilter{})
	must(t, err)
	events := 0
	for _, path := range append([]string{"/calendar.ics"}, func() (out []string) {
		for _, c := range cities {
			out = append(out, "/cities/"+c.Slug+"/calendar.ics")
		}
		return out
	}()...) {
		res := a.client().get(t, path)
		wantStatus(t, res, http.StatusOK)
		cal := parseFeed(t, res.body)
		for _, e := range cal.Events() {
			if uid := e.Props.Get(ical.PropUID); uid != nil && strings.HasPrefix(uid.Value, "event-") {
				events++
			}
		}
	}
	if len(cities) < 20 || events == 0 {
		t.Fatalf("%d cities, %d events in their feeds: the demo data is too thin to check", len(cities), events)
	}
}
