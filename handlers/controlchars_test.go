package handlers_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// injected is a title that, written raw into a calendar feed, makes a
// lenient reader (one that ends lines at a bare CR) see a link and an
// alarm of the attacker's.
const injected = "Reading club\rURL:https://evil.example\rBEGIN:VALARM"

// rawExec runs a statement on the test's database directly, past the
// store's validation: a row written before the rule, or by another path.
func (a *app) rawExec(t testing.TB, query string, args ...any) {
	t.Helper()
	driver := "sqlite3"
	if strings.HasPrefix(a.dsn, "postgres") {
		driver = "pgx"
		n := 0
		query = regexp.MustCompile(`\?`).ReplaceAllStringFunc(query, func(string) string { n++; return fmt.Sprintf("$%d", n) })
	}
	db, err := sql.Open(driver, a.dsn)
	must(t, err)
	defer db.Close()
	_, err = db.Exec(query, args...)
	must(t, err)
}

// TestFormsRefuseControlCharacters: a CR or ESC in a one-line field of an
// event, a partner, a campaign or a story gets 422, the message beside
// the field, and writes nothing. Refused rather than dropped: no browser
// puts one in a one-line field, so it is a crafted request, and dropping
// it silently would store a title nobody typed.
func TestFormsRefuseControlCharacters(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	co := a.loggedIn(t, "agadir@example.org")
	staff := a.loggedIn(t, "staff@example.org")
	const msg = "Remove the control characters"
	check := func(t *testing.T, res *response, field string) {
		t.Helper()
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if got := res.doc(t).Find("[data-testid=error-" + field + "]").Text(); !strings.Contains(got, msg) {
			t.Errorf("error beside %s: %q", field, got)
		}
	}
	t.Run("event", func(t *testing.T) {
		before := a.countEvents(t)
		check(t, co.post(t, "/manage/cities/agadir/events", a.validEventForm(injected)), "title")
		form := a.validEventForm("Reading club")
		form.Set("description", "Bring a book.\x1b[2J")
		check(t, co.post(t, "/manage/cities/agadir/events", form), "description")
		check(t, co.post(t, fmt.Sprintf("/manage/events/%d", a.agadirEvent.ID), a.validEventForm(injected)), "title")
		if a.countEvents(t) != before {
			t.Error("a refused event was written")
		}
		e, err := a.store.Event(context.Background(), a.agadirEvent.ID)
		must(t, err)
		if e.Title != "Agadir reading afternoon" {
			t.Errorf("a refused update changed the title to %q", e.Title)
		}
	})
	t.Run("partner", func(t *testing.T) {
		before := a.countPartners(t)
		check(t, co.post(t, "/manage/cities/agadir/partners", validPartnerForm("Agadir\x1b[31m Library")), "name")
		if a.countPartners(t) != before {
			t.Error("a refused partner was written")
		}
	})
	t.Run("campaign", func(t *testing.T) {
		before := a.countCampaigns(t)
		form := validCampaignForm("#Learn2027")
		form.Set("name_fr", "Villes\rURL:https://evil.example")
		check(t, staff.post(t, "/manage/campaigns", form), "name_fr")
		if a.countCampaigns(t) != before {
			t.Error("a refused campaign was written")
		}
	})
	t.Run("story", func(t *testing.T) {
		before := a.countStories(t)
		form := validStoryForm()
		form.Set("title", "I learned\u009b to read")
		check(t, a.client().post(t, "/stories", form), "title")
		if a.countStories(t) != before {
			t.Error("a refused story was written")
		}
	})
	t.Run("rejection reason", func(t *testing.T) {
		code := a.submit(t, validStoryForm(), nil)
		st := a.storyByCode(t, code)
		res := co.post(t, fmt.Sprintf("/manage/stories/%d/reject", st.ID), url.Values{"reason": {"Off topic\x1b[2J"}})
		check(t, res, "reason")
		if got := a.storyByCode(t, code); got.Status != models.StoryPending {
			t.Errorf("a refused rejection changed the story to %s", got.Status)
		}
	})
	// A textarea's lines end in CRLF as browsers send them: accepted, kept
	// as LF.
	t.Run("multi-line text", func(t *testing.T) {
		form := a.validEventForm("Reading club with lines")
		form.Set("description", "Bring a book.\r\nOr two.")
		wantStatus(t, co.post(t, "/manage/cities/agadir/events", form), http.StatusSeeOther)
		p, err := a.store.Events(context.Background(), models.EventFilter{CityIDs: []uint{a.agadir.ID}, Query: "with lines"}, models.Page{})
		must(t, err)
		if len(p.Items) != 1 || p.Items[0].Description != "Bring a book.\nOr two." {
			t.Errorf("stored: %+v", p.Items)
		}
	})
}

// TestImportRefusesControlCharacters: the import applies the same rule,
// row by row, and writes nothing.
func TestImportRefusesControlCharacters(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	co := a.loggedIn(t, "agadir@example.org")
	for _, tc := range []struct{ kind, data, column string }{
		{"events", "Title,Starts,Learning areas\n\"Reading club\rURL:https://evil.example\",2025-01-01,culture\n", "Title"},
		{"events", "Title,Starts,Venue,Learning areas\nReading club,2025-01-01,Town\x1b[2Jhall,culture\n", "Venue"},
		{"partners", "Name,Sector\nSouss\x1b[31m Digital Club,media\n", "Name"},
	} {
		events, partners := a.countEvents(t), a.countPartners(t)
		res := co.uploadFile(t, "/manage/cities/agadir/import", url.Values{"kind": {tc.kind}}, "x.csv", []byte(tc.data))
		wantStatus(t, res, http.StatusUnprocessableEntity)
		cells := res.doc(t).Find("[data-testid=problem-row]").First().Find("td")
		if got := strings.TrimSpace(cells.Eq(1).Text()); got != tc.column {
			t.Errorf("%q: problem in column %q, want %q", tc.data, got, tc.column)
		}
		if got := cells.Eq(2).Text(); !strings.Contains(got, "Remove the control characters") {
			t.Errorf("%q: reason %q", tc.data, got)
		}
		if a.countEvents(t) != events || a.countPartners(t) != partners {
			t.Errorf("%q: a refused file wrote something", tc.data)
		}
	}
}

// TestCalendarFeedEscapesStoredControlCharacters: a row already in the
// database with a CR (written before the rule) comes out of the feed as
// an escaped line break, never as a line of its own, and the other
// controls are dropped.
func TestCalendarFeedEscapesStoredControlCharacters(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	start := time.Now().Add(10 * 24 * time.Hour).UTC().Truncate(time.Minute)
	e := a.plannedEvent(t, a.agadir, "Reading club", start)
	a.rawExec(t, "UPDATE events SET title = ?, venue = ?, description = ? WHERE id = ?",
		injected, "Town hall\r\nATTACH:https://evil.example", "Bring a book.\x1b[2J\rEND:VEVENT", e.ID)
	for _, path := range []string{"/calendar.ics", "/cities/agadir/calendar.ics"} {
		res := a.client().get(t, path)
		wantStatus(t, res, http.StatusOK)
		// A lenient reader ends a line at CR, LF or CRLF.
		for _, line := range regexp.MustCompile(`\r\n|\r|\n`).Split(res.body, -1) {
			for _, bad := range []string{"URL:https://evil", "BEGIN:VALARM", "ATTACH:", "END:VEVENT\\"} {
				if strings.HasPrefix(line, bad) {
					t.Errorf("%s: injected line %q", path, line)
				}
			}
		}
		if strings.ContainsAny(res.body, "\x1b") || strings.Count(res.body, "\r") != strings.Count(res.body, "\r\n") {
			t.Errorf("%s: a control character or a bare CR in the feed", path)
		}
		ev := feedEvent(parseFeed(t, res.body), fmt.Sprintf("event-%d@localhost", e.ID))
		if ev == nil {
			t.Fatalf("%s: the event is not in the feed", path)
		}
		if got, _ := ev.Props.Text(ical.PropSummary); got != "Reading club\nURL:https://evil.example\nBEGIN:VALARM" {
			t.Errorf("%s: SUMMARY = %q", path, got)
		}
		if got, _ := ev.Props.Text(ical.PropDescription); got != "Bring a book.[2J\nEND:VEVENT" {
			t.Errorf("%s: DESCRIPTION = %q", path, got)
		}
	}
}
