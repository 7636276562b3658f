package views

import (
	"context"
	"net/url"
	"strconv"

	"github.com/a-h/templ"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// EventPage is the data of an event's public page.
type EventPage struct {
	Event *models.Event
	City  *models.City
	// BaseURL is the site's public address, for the page's share tags.
	BaseURL string
}

// EventURL is the public page of an event.
func EventURL(id uint) string { return "/events/" + strconv.FormatUint(uint64(id), 10) }

// meta describes the page for search engines and for sharing: its date
// and city, then its description.
func (p EventPage) meta(ctx context.Context) Meta {
	summary := inWords(ctx, p.Event.StartsAt, p.City) + " · " + p.City.Name
	if p.Event.Description != "" {
		summary += " · " + p.Event.Description
	}
	return Meta{Description: excerpt(summary, 160), URL: p.BaseURL + EventURL(p.Event.ID), Lang: p.Event.Lang}
}

// venueMapURL searches the venue, in its city and country, on
// OpenStreetMap.
func venueMapURL(e *models.Event, city *models.City) templ.SafeURL {
	q := url.Values{"query": {e.Venue + ", " + city.Name + ", " + city.Country}}
	return templ.SafeURL("https://www.openstreetmap.org/search?" + q.Encode())
}
