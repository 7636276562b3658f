package handlers

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// The windows of the calendar feeds: a city's feed holds its events from
// a month back to a year ahead; the network's, the next events of every
// city, at most networkFeedLimit of them.
const (
	feedPast         = 30 * 24 * time.Hour
	feedAhead        = 365 * 24 * time.Hour
	cityFeedLimit    = 2000
	networkFeedLimit = 500
)

// networkCalendarFeed is the network's iCalendar feed: global days and the
// next events of every city, each in its city's time zone.
func (h *Handler) networkCalendarFeed(c echo.Context) error {
	ctx := c.Request().Context()
	now := h.cfg.Now()
	events, err := h.store.FeedEvents(ctx, models.CalendarFilter{From: now.Add(-24 * time.Hour), To: now.Add(feedAhead)}, networkFeedLimit)
	if err != nil {
		return err
	}
	cities, err := h.store.Cities(ctx, models.CityFilter{})
	if err != nil {
		return err
	}
	return h.writeCalendar(c, h.t(c, "calendar.feed_network", nil), "", events, cities, true)
}

// cityCalendarFeed is a city's iCalendar feed: global days and the city's
// events, in its time zone.
func (h *Handler) cityCalendarFeed(c echo.Context) error {
	ctx := c.Request().Context()
	city, err := h.store.CityBySlug(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	now := h.cfg.Now()
	events, err := h.store.FeedEvents(ctx, models.CalendarFilter{CityIDs: []uint{city.ID}, From: now.Add(-feedPast), To: now.Add(feedAhead)}, cityFeedLimit)
	if err != nil {
		return err
	}
	return h.writeCalendar(c, h.t(c, "calendar.feed_city", map[string]any{"City": city.Name}), city.TimeZone, events, []models.City{*city}, true)
}

// writeCalendar writes an RFC 5545 calendar of the global days (all-day,
// yearly; only withDays) and events (in their cities' time zones, each zone described by
// a VTIMEZONE). UIDs are the records' ids at the site's host, so a changed
// event replaces itself in a subscriber's calendar.
func (h *Handler) writeCalendar(c echo.Context, name, zone string, events []models.Event, cities []models.City, withDays bool) error {
	ctx := c.Request().Context()
	var days []models.GlobalDay
	if withDays {
		var err error
		if days, err = h.store.GlobalDays(ctx); err != nil {
			return err
		}
	}
	host := "localhost"
	if u, err := url.Parse(h.cfg.BaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	byID := make(map[uint]*models.City, len(cities))
	for i := range cities {
		byID[cities[i].ID] = &cities[i]
	}
	cal := ics.NewCalendarFor("LearnThroughLife tracker")
	cal.SetMethod(ics.MethodPublish)
	name = icsText(name)
	cal.SetName(name)
	cal.SetXWRCalName(name)
	cal.SetRefreshInterval("PT6H")
	if zone != "" {
		cal.SetXWRTimezone(zone)
	}
	// The language of the global days' names: the feed's ?lang=, which its
	// links carry, else the request's.
	tag := h.language(c)
	if t, ok := h.catalog.Supported(c.QueryParam("lang")); ok {
		tag = t
	}
	lang, _ := tag.Base()
	now := h.cfg.Now()
	for _, g := range days {
		ev := cal.AddEvent(fmt.Sprintf("globalday-%d@%s", g.ID, host))
		ev.SetDtStampTime(g.UpdatedAt)
		ev.SetModifiedAt(g.UpdatedAt)
		first := g.In(g.CreatedAt.Year())
		ev.SetAllDayStartAt(first)
		ev.SetAllDayEndAt(first.AddDate(0, 0, 1))
		ev.AddRrule("FREQ=YEARLY")
		ev.SetSummary(icsText(g.NameIn(lang.String())))
		ev.SetTimeTransparency(ics.TransparencyTransparent)
	}
	zones := map[string]*time.Location{}
	for _, e := range events {
		city := byID[e.CityID]
		if city == nil {
			continue
		}
		loc := city.Location()
		zones[loc.String()] = loc
		ev := cal.AddEvent(fmt.Sprintf("event-%d@%s", e.ID, host))
		ev.SetDtStampTime(e.UpdatedAt)
		ev.SetModifiedAt(e.UpdatedAt)
		setZoned(&ev.ComponentBase, ics.ComponentPropertyDtStart, e.StartsAt, loc)
		setZoned(&ev.ComponentBase, ics.ComponentPropertyDtEnd, e.EndsAt, loc)
		ev.SetSummary(icsText(e.Title))
		if e.Venue != "" {
			ev.SetLocation(icsText(e.Venue + ", " + city.Name))
		} else {
			ev.SetLocation(icsText(city.Name))
		}
		if e.Description != "" {
			ev.SetDescription(icsText(e.Description))
		}
		ev.SetURL(h.cfg.BaseURL + views.CityURL(city))
		if e.Status == models.StatusCancelled {
			ev.SetStatus(ics.ObjectStatusCancelled)
		} else {
			ev.SetStatus(ics.ObjectStatusConfirmed)
		}
	}
	for _, loc := range zones {
		if loc != time.UTC {
			addTimezone(cal, loc, now.Add(-feedPast-24*time.Hour), now.Add(feedAhead+24*time.Hour))
		}
	}
	// Time zones first, as many readers expect them before their use.
	slices.SortStableFunc(cal.Components, func(a, b ics.Component) int {
		_, za := a.(*ics.VTimezone)
		_, zb := b.(*ics.VTimezone)
		switch {
		case za && !zb:
			return -1
		case zb && !za:
			return 1
		}
		return 0
	})
	var buf bytes.Buffer
	if err := cal.SerializeTo(&buf, ics.WithNewLine("\r\n")); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=900")
	return c.Blob(http.StatusOK, "text/calendar; charset=utf-8", buf.Bytes())
}

// icsText makes s safe as an RFC 5545 TEXT value, whatever the database
// holds (rows written before control characters were refused, or by
// another path): CRLF and lone CR become LF, which the encoder escapes
// as "\n", and the other controls RFC 5545 forbids in TEXT (C0 but TAB,
// DEL, C1) are dropped, so no reader sees a line of its own.
func icsText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || !(r < 0x20 || (r >= 0x7f && r <= 0x9f)) {
			return r
		}
		return -1
	}, s)
}

// setZoned sets a date-time property to t as the wall-clock time in loc,
// with its TZID, or in UTC for UTC.
func setZoned(cb *ics.ComponentBase, prop ics.ComponentProperty, t time.Time, loc *time.Location) {
	if loc == time.UTC {
		cb.SetProperty(prop, t.UTC().Format("20060102T150405Z"))
		return
	}
	cb.SetProperty(prop, t.In(loc).Format("20060102T150405"), ics.WithTZID(loc.String()))
}

// addTimezone describes loc's offsets between from and to as a VTIMEZONE:
// one observance per period of one offset, from Go's zone data.
func addTimezone(cal *ics.Calendar, loc *time.Location, from, to time.Time) {
	tz := cal.AddTimezone(loc.String())
	t := from.In(loc)
	start, end := t.ZoneBounds()
	name, offset := t.Zone()
	prevOffset := offset
	if !start.IsZero() {
		_, prevOffset = start.Add(-time.Second).In(loc).Zone()
	} else {
		start = from.In(loc)
	}
	for {
		observance := &ics.ComponentBase{}
		// DTSTART of an observance is the local time of the change, in
		// the offset in force before it.
		observance.SetProperty(ics.ComponentPropertyDtStart, start.UTC().Add(time.Duration(prevOffset)*time.Second).Format("20060102T150405"))
		observance.SetProperty(ics.ComponentProperty("TZOFFSETFROM"), icsOffset(prevOffset))
		observance.SetProperty(ics.ComponentProperty("TZOFFSETTO"), icsOffset(offset))
		observance.SetProperty(ics.ComponentProperty("TZNAME"), name)
		if isDST(loc, start) {
			tz.Components = append(tz.Components, &ics.Daylight{ComponentBase: *observance})
		} else {
			tz.Components = append(tz.Components, &ics.Standard{ComponentBase: *observance})
		}
		if end.IsZero() || end.After(to) {
			return
		}
		prevOffset = offset
		start = end
		name, offset = end.In(loc).Zone()
		_, end = end.In(loc).ZoneBounds()
	}
}

func isDST(loc *time.Location, t time.Time) bool { return t.In(loc).IsDST() }

// icsOffset writes a UTC offset in seconds as RFC 5545 does: +0100.
func icsOffset(seconds int) string {
	sign := "+"
	if seconds < 0 {
		sign, seconds = "-", -seconds
	}
	s := fmt.Sprintf("%s%02d%02d", sign, seconds/3600, seconds%3600/60)
	if rest := seconds % 60; rest != 0 {
		s += fmt.Sprintf("%02d", rest)
	}
	return strings.TrimSpace(s)
}
