package views

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// CalendarPage is the data of the public calendar: one month of global
// days and events, for the network, a region or a city.
type CalendarPage struct {
	Month  time.Time // the first day of the month, UTC
	Region string
	City   *models.City // nil for the network or a region
	Cities []models.City
	Now    time.Time
	// Weeks are the grid's rows, Monday first; Days the list's entries,
	// the days of the month that have something.
	Weeks [][]CalendarCell
	Days  []CalendarDay
	// Total is how many events the month has; Shown how many are listed.
	Total int64
	Shown int
}

// CalendarCell is one day of the month grid.
type CalendarCell struct {
	Date       time.Time
	InMonth    bool
	Events     int
	GlobalDays []models.GlobalDay
}

// CalendarDay is one day of the calendar's list.
type CalendarDay struct {
	Date       time.Time
	GlobalDays []models.GlobalDay
	Events     []CalendarEvent
}

// CalendarEvent is an event with its city, shown in the city's time.
type CalendarEvent struct {
	Event models.Event
	City  models.City
}

// Build lays out the month: events (at most those listed, total in all)
// on their cities' local days, counts per UTC day when not all are listed
// (nil otherwise), and the global days of the year.
func (p *CalendarPage) Build(events []models.Event, total int64, counts map[string]int, globalDays []models.GlobalDay) {
	byID := make(map[uint]models.City, len(p.Cities))
	for _, c := range p.Cities {
		byID[c.ID] = c
	}
	p.Total = total
	next := p.Month.AddDate(0, 1, 0)
	listed := map[string]*CalendarDay{}
	var order []string
	dayOf := func(d time.Time) *CalendarDay {
		key := d.Format(time.DateOnly)
		if listed[key] == nil {
			listed[key] = &CalendarDay{Date: d}
			order = append(order, key)
		}
		return listed[key]
	}
	local := map[string]int{}
	for _, g := range globalDays {
		if g.Month == int(p.Month.Month()) {
			d := dayOf(g.In(p.Month.Year()))
			d.GlobalDays = append(d.GlobalDays, g)
		}
	}
	for _, e := range events {
		city := byID[e.CityID]
		start := e.StartsAt.In(city.Location())
		d := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC)
		if d.Before(p.Month) || !d.Before(next) {
			continue
		}
		p.Shown++
		local[d.Format(time.DateOnly)]++
		day := dayOf(d)
		day.Events = append(day.Events, CalendarEvent{Event: e, City: city})
	}
	if counts == nil {
		counts = local
	}
	slices.Sort(order)
	for _, k := range order {
		p.Days = append(p.Days, *listed[k])
	}
	// The grid: whole weeks, Monday first, from the week of the 1st.
	start := p.Month.AddDate(0, 0, -((int(p.Month.Weekday()) + 6) % 7))
	for d := start; d.Before(next); {
		week := make([]CalendarCell, 7)
		for i := range week {
			key := d.Format(time.DateOnly)
			week[i] = CalendarCell{Date: d, InMonth: d.Month() == p.Month.Month(), Events: counts[key]}
			if week[i].InMonth && listed[key] != nil {
				week[i].GlobalDays = listed[key].GlobalDays
			}
			d = d.AddDate(0, 0, 1)
		}
		p.Weeks = append(p.Weeks, week)
	}
}

// monthURL is the calendar of another month with the same filters.
func (p CalendarPage) monthURL(m time.Time) string {
	q := url.Values{"month": {m.Format("2006-01")}}
	if p.City != nil {
		q.Set("city", p.City.Slug)
	} else if p.Region != "" {
		q.Set("region", p.Region)
	}
	return "/calendar?" + q.Encode()
}

// FeedURL is the iCalendar feed of the page's city, or of the network, in
// the page's language.
func (p CalendarPage) FeedURL(ctx context.Context) string {
	if p.City != nil {
		return CityFeedURL(ctx, p.City)
	}
	return "/calendar.ics?lang=" + langCode(ctx)
}

// CityFeedURL is a city's iCalendar feed in the page's language: calendar
// apps send no cookie to say which they want.
func CityFeedURL(ctx context.Context, c *models.City) string {
	return "/cities/" + c.Slug + "/calendar.ics?lang=" + langCode(ctx)
}

func dayAnchor(d time.Time) string { return "day-" + d.Format(time.DateOnly) }

func citySlugOptionsAll(cities []models.City) []option {
	out := make([]option, len(cities))
	for i, c := range cities {
		out[i] = option{Value: c.Slug, Label: c.Name}
	}
	return out
}

// weekdays are the grid's column headings, Monday first: short and full.
func weekdays(ctx context.Context) [][2]string {
	return [][2]string{
		{T(ctx, "calendar.mon_short"), T(ctx, "calendar.mon")}, {T(ctx, "calendar.tue_short"), T(ctx, "calendar.tue")},
		{T(ctx, "calendar.wed_short"), T(ctx, "calendar.wed")}, {T(ctx, "calendar.thu_short"), T(ctx, "calendar.thu")},
		{T(ctx, "calendar.fri_short"), T(ctx, "calendar.fri")}, {T(ctx, "calendar.sat_short"), T(ctx, "calendar.sat")},
		{T(ctx, "calendar.sun_short"), T(ctx, "calendar.sun")},
	}
}

// GlobalDayName is a global day's name in the request's language.
func GlobalDayName(ctx context.Context, g *models.GlobalDay) string { return g.NameIn(langCode(ctx)) }

func citySlug(c *models.City) string {
	if c == nil {
		return ""
	}
	return c.Slug
}

func sameDay(d, now time.Time) bool { return d.Format(time.DateOnly) == now.Format(time.DateOnly) }

// GlobalDayForm is what the staff's global day form posts.
type GlobalDayForm struct {
	Month  string `form:"month"`
	Day    string `form:"day"`
	Name   string `form:"name"`
	NameFR string `form:"name_fr"`
	NameES string `form:"name_es"`
	NameAR string `form:"name_ar"`
}

// GlobalDayFormPage is the data of the new and edit global day pages.
type GlobalDayFormPage struct {
	ID     uint // 0 for a new day
	Form   GlobalDayForm
	Errors models.FieldErrors
}

func globalDayFormTitle(ctx context.Context, p GlobalDayFormPage) string {
	if p.ID == 0 {
		return T(ctx, "global_days.new")
	}
	return T(ctx, "global_days.edit_title")
}

func globalDayFormAction(p GlobalDayFormPage) string {
	if p.ID == 0 {
		return "/manage/global-days"
	}
	return "/manage/global-days/" + uitoa(p.ID)
}

func monthOptions(ctx context.Context) []option {
	out := make([]option, 0, 12)
	for m := time.January; m <= time.December; m++ {
		out = append(out, option{Value: itoa(int(m)), Label: T(ctx, "month."+strings.ToLower(m.String()))})
	}
	return out
}

// globalDayLabels names the global day form's fields for its error summary.
func globalDayLabels(ctx context.Context) fieldLabels {
	return fieldLabels{
		{"month", T(ctx, "global_days.month")}, {"day", T(ctx, "global_days.day")}, {"name", T(ctx, "campaigns.name_en")},
		{"name_fr", T(ctx, "campaigns.name_fr")}, {"name_es", T(ctx, "campaigns.name_es")}, {"name_ar", T(ctx, "campaigns.name_ar")},
	}
}

// globalDayDate writes a global day's date without a year: "8 September".
func globalDayDate(ctx context.Context, g models.GlobalDay) string {
	return Tf(ctx, "global_days.date", map[string]any{"Day": g.Day, "Month": T(ctx, "month."+strings.ToLower(time.Month(g.Month).String()))})
}
