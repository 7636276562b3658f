package models

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MaxParticipants bounds the participants of one event.
const MaxParticipants = 1_000_000

// The years the tracker accepts.
const (
	// FirstNetworkYear is the year the network began: no city joined, and
	// no city report covers, a year before it.
	FirstNetworkYear = 2013
	// FirstEventYear is the earliest year an event may be dated: a bound
	// against mistyped dates, wider than the network's years.
	FirstEventYear = 2000
	// LastYear is the latest year of any date or period.
	LastYear = 2100
)

// Event is something a city organises for the campaign.
type Event struct {
	ID          uint      `gorm:"primaryKey"`
	CityID      uint      `field:"city_id" validate:"required"`
	CampaignID  uint      `field:"campaign" validate:"required"`
	Title       string    `field:"title" validate:"required,max=200"`
	Description string    `field:"description" validate:"max=5000"`
	StartsAt    time.Time `field:"starts_at" validate:"required"`
	EndsAt      time.Time `field:"ends_at" validate:"required"`
	Venue       string    `field:"venue" validate:"max=200"`
	// Lang is the language the title and description are written in.
	Lang   string      `field:"lang" validate:"max=35"`
	Format EventFormat `field:"format" validate:"required"`
	Status EventStatus `field:"status" validate:"required"`
	// Participants is set only once the event is held.
	Participants *int `field:"participants"`
	CreatedAt    time.Time
	UpdatedAt    time.Time

	LearningAreas []LearningArea `gorm:"-" field:"learning_areas" validate:"min=1"`
	AgeGroups     []AgeGroup     `gorm:"-" field:"age_groups"`
	// AgeParticipants are a held event's participants by age group, when
	// recorded: every group reached has a count (none given counts as 0)
	// and together they make Participants. Empty when not recorded.
	AgeParticipants map[AgeGroup]int `gorm:"-" field:"age_participants"`
	PartnerIDs      []uint           `gorm:"-" field:"partners"`
}

// Validate checks, without writing, e's fields and invariants against the clock now.
func (e *Event) Validate(now time.Time) error {
	e.Title = strings.TrimSpace(e.Title)
	e.Venue = strings.TrimSpace(e.Venue)
	e.Description = TextLines(e.Description)
	// Entered on the city's clock, stored as the instants in UTC: SQLite
	// keeps the text the driver writes, with the time's own offset, and
	// the reports read a day from that text (rollup.Dialect.Month).
	e.StartsAt, e.EndsAt = e.StartsAt.UTC(), e.EndsAt.UTC()
	e.LearningAreas = Unique(e.LearningAreas)
	e.AgeGroups = Unique(e.AgeGroups)
	e.PartnerIDs = Unique(e.PartnerIDs)
	fe := check(e)
	if _, bad := fe["format"]; !bad && !e.Format.Valid() {
		fe.Add("format", "oneof", "")
	}
	if _, bad := fe["status"]; !bad && !e.Status.Valid() {
		fe.Add("status", "oneof", "")
	}
	for _, a := range e.LearningAreas {
		if !a.Valid() {
			fe.Add("learning_areas", "oneof", "")
		}
	}
	for _, g := range e.AgeGroups {
		if !g.Valid() {
			fe.Add("age_groups", "oneof", "")
		}
	}
	fe.checkText("title", e.Title, false)
	fe.checkText("venue", e.Venue, false)
	fe.checkText("description", e.Description, true)
	fe.checkText("lang", e.Lang, false)
	fe.checkLang(e.Lang)
	for field, t := range map[string]time.Time{"starts_at": e.StartsAt, "ends_at": e.EndsAt} {
		if !t.IsZero() && (t.Year() < FirstEventYear || t.Year() > LastYear) {
			fe.Add(field, "datetime", "")
		}
	}
	if !e.StartsAt.IsZero() && !e.EndsAt.IsZero() && e.EndsAt.Before(e.StartsAt) {
		fe.Add("ends_at", "after_start", "")
	}
	if e.Status == StatusHeld {
		switch {
		case e.StartsAt.After(now):
			fe.Add("status", "held_future", "")
		case e.Participants == nil:
			fe.Add("participants", "required", "")
		case *e.Participants < 0 || *e.Participants > MaxParticipants:
			fe.Add("participants", "range", fmt.Sprint(MaxParticipants))
		}
	} else {
		// Participants are counted only once an event is held.
		e.Participants = nil
	}
	e.CheckAgeParticipants(fe)
	return fe.Err()
}

// CheckAgeParticipants applies the rules of an event's participants by
// age group: counted only once it is held; a count above 0 means its age
// group was reached; an event that reached one age group has all its
// participants in it, whatever count it was given; and the counts of
// several must add up to the total.
func (e *Event) CheckAgeParticipants(fe FieldErrors) {
	if e.Status != StatusHeld || e.Participants == nil {
		e.AgeParticipants = nil
		return
	}
	sum := 0
	for g, n := range e.AgeParticipants {
		switch {
		case !g.Valid():
			fe.Add("age_participants", "oneof", "")
			return
		case n < 0 || n > MaxParticipants:
			fe.Add("age_participants", "range", fmt.Sprint(MaxParticipants))
			return
		case n > 0 && !slices.Contains(e.AgeGroups, g):
			e.AgeGroups = append(e.AgeGroups, g)
		}
		sum += n
	}
	sortByOrder(e.AgeGroups, AgeGroups())
	switch {
	case len(e.AgeGroups) == 1:
		e.AgeParticipants = map[AgeGroup]int{e.AgeGroups[0]: *e.Participants}
		return
	case len(e.AgeParticipants) == 0:
		return
	}
	if sum != *e.Participants {
		fe.Add("age_participants", "age_sum", fmt.Sprint(*e.Participants))
		return
	}
	for g := range e.AgeParticipants {
		if !slices.Contains(e.AgeGroups, g) {
			delete(e.AgeParticipants, g) // a 0 for a group not reached
		}
	}
	for _, g := range e.AgeGroups {
		if _, ok := e.AgeParticipants[g]; !ok {
			e.AgeParticipants[g] = 0 // reached, with no count given
		}
	}
}

// SplitParticipants shares a total across age groups in the order given,
// as evenly as whole people allow: the demo and scale data's breakdowns.
func SplitParticipants(total int, groups []AgeGroup) map[AgeGroup]int {
	out := make(map[AgeGroup]int, len(groups))
	for i, g := range groups {
		out[g] = total / len(groups)
		if i < total%len(groups) {
			out[g]++
		}
	}
	return out
}

// AgeCount is the stored count of age group g: nil when the event has no
// participants by age group.
func (e *Event) AgeCount(g AgeGroup) *int {
	if n, ok := e.AgeParticipants[g]; ok {
		return &n
	}
	return nil
}

// sortByOrder sorts xs in the order the values appear in order.
func sortByOrder[T comparable](xs []T, order []T) {
	slices.SortFunc(xs, func(a, b T) int { return slices.Index(order, a) - slices.Index(order, b) })
}

// EventFilter narrows a list of events. Zero values match everything.
type EventFilter struct {
	CityIDs []uint
	Status  EventStatus
	Format  EventFormat
	Area    LearningArea
	Query   string
	// From and To bound the start, To exclusive.
	From, To time.Time
	// Sort is "-start" (default, newest first), "start" or "title".
	Sort string
	// Brief lists the events' own fields only, without their learning
	// areas, age groups and partners, for lists that show none of them.
	Brief bool
}

// MaxAttendanceRows is the most events the attendance page lists at once.
const MaxAttendanceRows = 200

// AttendanceField is the form field of an event's count on the attendance
// page, and the key of its problem.
func AttendanceField(eventID uint) string { return "count_" + strconv.FormatUint(uint64(eventID), 10) }

// AttendanceNotHeldField is the attendance page's box that says an event
// did not take place.
func AttendanceNotHeldField(eventID uint) string {
	return "not_held_" + strconv.FormatUint(uint64(eventID), 10)
}

// AttendanceAgesField is the form field of an event's count of age group
// g on the attendance page; AttendanceAgesField(id, "") is the key of
// the problem of its counts by age group.
func AttendanceAgesField(eventID uint, g AgeGroup) string {
	if g == "" {
		return "ages_" + strconv.FormatUint(uint64(eventID), 10)
	}
	return "ages_" + strconv.FormatUint(uint64(eventID), 10) + "_" + string(g)
}
