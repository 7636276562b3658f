package models

import (
	"errors"
	"math"
	"slices"
)

// Figure names one of the report's figures. Its value is the figure's key
// in JSON, CSV headers and catalog ids ("figure.<value>").
type Figure string

// The figures, defined above.
const (
	FigureMemberCities     Figure = "member_cities"
	FigureCountries        Figure = "countries"
	FigureActiveCities     Figure = "active_cities"
	FigureEventsHeld       Figure = "events_held"
	FigureParticipants     Figure = "participants"
	FigureStoriesPublished Figure = "stories_published"
	FigurePartnersEngaged  Figure = "partners_engaged"
)

// Figures lists every figure in the order reports show them.
func Figures() []Figure {
	return []Figure{FigureMemberCities, FigureCountries, FigureActiveCities, FigureEventsHeld,
		FigureParticipants, FigureStoriesPublished, FigurePartnersEngaged}
}

// Valid reports whether f is one of Figures.
func (f Figure) Valid() bool { return slices.Contains(Figures(), f) }

// Totals are the headline figures of a report.
type Totals struct {
	MemberCities     int64 `json:"member_cities"`
	Countries        int64 `json:"countries"`
	ActiveCities     int64 `json:"active_cities"`
	EventsHeld       int64 `json:"events_held"`
	Participants     int64 `json:"participants"`
	StoriesPublished int64 `json:"stories_published"`
	PartnersEngaged  int64 `json:"partners_engaged"`
}

// Value is the figure f of the totals (0 for an unknown figure).
func (t Totals) Value(f Figure) int64 {
	switch f {
	case FigureMemberCities:
		return t.MemberCities
	case FigureCountries:
		return t.Countries
	case FigureActiveCities:
		return t.ActiveCities
	case FigureEventsHeld:
		return t.EventsHeld
	case FigureParticipants:
		return t.Participants
	case FigureStoriesPublished:
		return t.StoriesPublished
	case FigurePartnersEngaged:
		return t.PartnersEngaged
	}
	return 0
}

// Row is one line of a breakdown: its key, its label and the figures that
// apply to it (the others are nil).
type Row struct {
	Key              string `json:"key"`
	Label            string `json:"label"`
	MemberCities     *int64 `json:"member_cities,omitempty"`
	Countries        *int64 `json:"countries,omitempty"`
	ActiveCities     *int64 `json:"active_cities,omitempty"`
	EventsHeld       *int64 `json:"events_held,omitempty"`
	Participants     *int64 `json:"participants,omitempty"`
	StoriesPublished *int64 `json:"stories_published,omitempty"`
	PartnersEngaged  *int64 `json:"partners_engaged,omitempty"`
}

// Value is the figure f of the row, or nil when f does not apply to it.
func (r Row) Value(f Figure) *int64 {
	switch f {
	case FigureMemberCities:
		return r.MemberCities
	case FigureCountries:
		return r.Countries
	case FigureActiveCities:
		return r.ActiveCities
	case FigureEventsHeld:
		return r.EventsHeld
	case FigureParticipants:
		return r.Participants
	case FigureStoriesPublished:
		return r.StoriesPublished
	case FigurePartnersEngaged:
		return r.PartnersEngaged
	}
	return nil
}

// Set sets the figure f of the row to v (nothing for an unknown figure).
func (r *Row) Set(f Figure, v int64) {
	switch f {
	case FigureMemberCities:
		r.MemberCities = &v
	case FigureCountries:
		r.Countries = &v
	case FigureActiveCities:
		r.ActiveCities = &v
	case FigureEventsHeld:
		r.EventsHeld = &v
	case FigureParticipants:
		r.Participants = &v
	case FigureStoriesPublished:
		r.StoriesPublished = &v
	case FigurePartnersEngaged:
		r.PartnersEngaged = &v
	}
}

// Breakdowns split the figures by one dimension each: AllBreakdowns
// describes them, in the order of these fields.
type Breakdowns struct {
	ByRegion        []Row `json:"by_region"`
	ByCountry       []Row `json:"by_country"`
	ByCity          []Row `json:"by_city"`
	ByMonth         []Row `json:"by_month"`
	ByLearningArea  []Row `json:"by_learning_area"`
	ByAgeGroup      []Row `json:"by_age_group"`
	ByPartnerSector []Row `json:"by_partner_sector"`
	ByFormat        []Row `json:"by_format"`
}

// Report is the totals and breakdowns of a query.
type Report struct {
	Totals     Totals     `json:"totals"`
	Breakdowns Breakdowns `json:"breakdowns"`
}

// Comparison is the report of another period with the same filters, and
// the change of each headline figure from it to the report compared.
type Comparison struct {
	// From and To are the compared period's first and last days.
	From string `json:"from"`
	To   string `json:"to"`
	// Report is the compared period's totals and breakdowns, figure for
	// figure what a report of that period alone says.
	Report
	// Change is, per figure, the report's value minus the compared one.
	Change map[Figure]Change `json:"change"`
}

// Change is how one figure moved between the compared period (Previous)
// and the report's (Current).
type Change struct {
	Current  int64 `json:"current"`
	Previous int64 `json:"previous"`
	Absolute int64 `json:"absolute"`
	// Percent is Absolute as a percentage of Previous, rounded to one
	// decimal; nil when Previous is 0.
	Percent *float64 `json:"percent"`
}

// NewChange is the change from previous to current.
func NewChange(current, previous int64) Change {
	c := Change{Current: current, Previous: previous, Absolute: current - previous}
	if previous != 0 {
		p := math.Round(float64(c.Absolute)*1000/float64(previous)) / 10
		c.Percent = &p
	}
	return c
}

// ErrOpenPeriod is returned for the previous period of a query without
// both ends.
var ErrOpenPeriod = errors.New("the period needs both a start and an end")
