package handlers_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestPublicEventPage: an event has a public page with its time in words
// on its city's clock, its place with a map link, its city, share tags
// and a calendar file of that one event; the cards link to it.
func TestPublicEventPage(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	path := fmt.Sprintf("/events/%d", a.agadirEvent.ID)
	c := a.client()
	res := c.get(t, path)
	wantStatus(t, res, http.StatusOK)
	doc := res.doc(t)
	if got := doc.Find("h1").Text(); got != a.agadirEvent.Title {
		t.Errorf("title %q", got)
	}
	start := a.agadirEvent.StartsAt.In(a.agadir.Location())
	if when := doc.Find("[data-testid=event-starts]").Text(); !strings.Contains(when, fmt.Sprint(start.Year())) || !strings.Contains(when, start.Weekday().String()) {
		t.Errorf("starts %q, want %s in words", when, start)
	}
	if href, _ := doc.Find("[data-testid=event-city]").Attr("href"); href != "/cities/agadir" {
		t.Errorf("city link %q", href)
	}
	if og, _ := doc.Find(`meta[property="og:url"]`).Attr("content"); !strings.HasSuffix(og, path) {
		t.Errorf("og:url %q", og)
	}
	if a.agadirEvent.Venue != "" && doc.Find("[data-testid=event-map]").Length() != 1 {
		t.Error("no map link for the venue")
	}

	// The calendar file holds that event alone, on its city's clock.
	ics, _ := doc.Find("[data-testid=event-ics]").Attr("href")
	file := c.get(t, ics)
	wantStatus(t, file, http.StatusOK)
	if cd := file.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") || !strings.Contains(cd, ".ics") {
		t.Errorf("Content-Disposition %q", cd)
	}
	cal := parseFeed(t, file.body)
	events := cal.Events()
	if len(events) != 1 {
		t.Fatalf("%d events in the file, want 1", len(events))
	}
	if got, err := events[0].DateTimeStart(nil); err != nil || !got.Equal(a.agadirEvent.StartsAt) {
		t.Errorf("DTSTART %v (%v), want %v", got, err, a.agadirEvent.StartsAt)
	}

	// Cards link to it: the city's events, and the upcoming ones of the
	// home page and the campaign's.
	if c.get(t, "/cities/agadir").doc(t).Find(`a[href="`+path+`"]`).Length() == 0 {
		t.Error("the city's page does not link to the event")
	}
	soon := a.plannedEvent(t, a.agadir, "Reading night", time.Now().Add(48*time.Hour))
	for _, page := range []string{"/", "/campaigns/learnthroughlife"} {
		if c.get(t, page).doc(t).Find(fmt.Sprintf(`a[href="/events/%d"]`, soon.ID)).Length() == 0 {
			t.Errorf("%s does not link to the upcoming event", page)
		}
	}
	for _, bad := range []string{"/events/0", "/events/abc", "/events/999999", "/events/999999/event.ics"} {
		wantStatus(t, c.get(t, bad), http.StatusNotFound)
	}
}
