package views

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// EventForm is what the event form posts, kept as typed so that it can be
// shown back unchanged when it is refused.
type EventForm struct {
	Title       string `form:"title"`
	Description string `form:"description"`
	// The start and end, each typed in two fields, its date and its time
	// of day (models.ParseDate, models.ParseClock).
	StartsDate string `form:"starts_at_date"`
	StartsTime string `form:"starts_at_time"`
	EndsDate   string `form:"ends_at_date"`
	EndsTime   string `form:"ends_at_time"`
	// StartsAt and EndsAt are a date and time sent whole, as links made
	// before the fields were split, and scripts, send them; Split shares
	// them out to the two fields.
	StartsAt      string   `form:"starts_at"`
	EndsAt        string   `form:"ends_at"`
	Venue         string   `form:"venue"`
	Format        string   `form:"format"`
	Status        string   `form:"status"`
	Participants  string   `form:"participants"`
	Campaign      string   `form:"campaign"`
	LearningAreas []string `form:"learning_areas"`
	AgeGroups     []string `form:"age_groups"`
	// The participants by age group, one field per group (AgeCount).
	Children    string   `form:"participants_children"`
	Youth       string   `form:"participants_youth"`
	Adults      string   `form:"participants_adults"`
	OlderAdults string   `form:"participants_older-adults"`
	Partners    []string `form:"partners"`
	Lang        string   `form:"lang"`
	// Then is the submit button used: "" (save), "another" (save and
	// add another) or "add_partner" (add NewPartner to the city first).
	Then             string `form:"then"`
	NewPartner       string `form:"new_partner"`
	NewPartnerSector string `form:"new_partner_sector"`
}

// Split shares a start or end sent whole out to its date and time
// fields, cut where models.ParseDateTime cuts it, when those are empty.
func (f *EventForm) Split() {
	for _, i := range []struct{ whole, date, clock *string }{{&f.StartsAt, &f.StartsDate, &f.StartsTime}, {&f.EndsAt, &f.EndsDate, &f.EndsTime}} {
		if *i.whole != "" && *i.date == "" && *i.clock == "" {
			*i.date, *i.clock = models.SplitDateTime(*i.whole)
		}
		*i.whole = ""
	}
}

// AgeCount is the field of the participants of age group g.
func (f *EventForm) AgeCount(g models.AgeGroup) *string {
	switch g {
	case models.AgeChildren:
		return &f.Children
	case models.AgeYouth:
		return &f.Youth
	case models.AgeAdults:
		return &f.Adults
	case models.AgeOlderAdults:
		return &f.OlderAdults
	}
	panic("unknown age group " + g)
}

// ageParticipantsDescribedBy describes the participants by age group by
// its problem when it has one, else by its hint.
func ageParticipantsDescribedBy(errs models.FieldErrors) string {
	if _, bad := errs["age_participants"]; bad {
		return errorID("age_participants")
	}
	return "hint-age_participants"
}

// EventFormPage is the data of the new and edit event pages.
type EventFormPage struct {
	City      *models.City
	EventID   uint // 0 for a new event
	Form      EventForm
	Errors    models.FieldErrors
	Partners  []models.Partner
	Campaigns []models.Campaign
	// Notice is a message shown above the form (a partner just added).
	Notice string
}

// EventsPage is the data of a city's event list.
type EventsPage struct {
	City   *models.City
	Events models.Paged[models.Event]
	Query  url.Values
}

func eventURL(id uint) string { return fmt.Sprintf("/manage/events/%d", id) }

func eventFormTitle(ctx context.Context, p EventFormPage) string {
	if p.EventID == 0 {
		return T(ctx, "events.new")
	}
	return T(ctx, "events.edit")
}

func eventFormAction(p EventFormPage) string {
	if p.EventID == 0 {
		return "/manage/cities/" + p.City.Slug + "/events"
	}
	return eventURL(p.EventID)
}

func campaignOptions(cs []models.Campaign) []option {
	out := make([]option, len(cs))
	for i, c := range cs {
		out[i] = option{Value: uitoa(c.ID), Label: hashtag(c.Hashtag)}
	}
	return out
}

func partnerOptions(ps []models.Partner) []option {
	out := make([]option, len(ps))
	for i, p := range ps {
		out[i] = option{Value: uitoa(p.ID), Label: p.Name}
	}
	return out
}

// eventLabels names the event form's fields for its error summary.
func eventLabels(ctx context.Context) fieldLabels {
	return fieldLabels{
		{"title", T(ctx, "event.title")}, {"description", T(ctx, "event.description")}, {"lang", T(ctx, "form.content_lang")},
		{"starts_at", T(ctx, "event.starts_at")}, {"starts_at_date", T(ctx, "event.start_date")}, {"starts_at_time", T(ctx, "event.start_time")},
		{"ends_at", T(ctx, "event.ends_at")}, {"ends_at_date", T(ctx, "event.end_date")}, {"ends_at_time", T(ctx, "event.end_time")},
		{"venue", T(ctx, "event.venue")},
		{"format", T(ctx, "event.format")}, {"campaign", T(ctx, "event.campaign")}, {"status", T(ctx, "event.status")},
		{"participants", T(ctx, "event.participants")}, {"learning_areas", T(ctx, "event.learning_areas")},
		{"age_groups", T(ctx, "event.age_groups")}, {"age_participants", T(ctx, "event.age_participants")},
		{"partners", T(ctx, "event.partners")},
	}
}

// readAs says, in words and on the city's clock, how a date-time field's
// value was read ("We read: Wednesday 9 December 2026, 14:00 (local
// time, Agadir). "), so that a day and month typed the other way round
// are seen before saving; "" when the value is empty, refused or unread.
func readAs(ctx context.Context, typed string, city *models.City, problem models.Problem) string {
	if strings.TrimSpace(typed) == "" || problem.Code != "" {
		return ""
	}
	t, err := models.ParseDateTime(typed, city.Location())
	if err != nil {
		return ""
	}
	return Tf(ctx, "form.read_as", map[string]any{
		"Weekday": weekdayName(ctx, t), "DateTime": DateTime(ctx, t), "City": Isolate(ctx, city.Name),
	}) + " "
}

// weekdayName names t's day of the week.
func weekdayName(ctx context.Context, t time.Time) string {
	return T(ctx, "weekday."+strings.ToLower(t.Weekday().String()))
}

// inWords writes an instant in words on the city's clock, as readAs reads
// a typed one back: "Wednesday 9 December 2026, 14:00".
func inWords(ctx context.Context, t time.Time, city *models.City) string {
	t = t.In(city.Location())
	return weekdayName(ctx, t) + " " + DateTime(ctx, t)
}

// instant is one of the event form's two moments, the start or the end,
// typed as a date and a time of day.
type instant struct {
	Name, Legend string // starts_at, and its legend
	Date, Clock  string // as typed
	// Note says below the fields how the moment was read.
	Note string
}

// eventZone says on which clock the event form's times are typed: the
// city's, named with its time zone.
func eventZone(ctx context.Context, city *models.City) string {
	return Tf(ctx, "event.time_hint", map[string]any{"City": Isolate(ctx, city.Name), "Zone": Isolate(ctx, city.Location().String())})
}

// eventInstants are the start and end of the event form.
func eventInstants(ctx context.Context, p EventFormPage) []instant {
	start := instant{Name: "starts_at", Legend: T(ctx, "event.starts_at"), Date: p.Form.StartsDate, Clock: p.Form.StartsTime}
	end := instant{Name: "ends_at", Legend: T(ctx, "event.ends_at"), Date: p.Form.EndsDate, Clock: p.Form.EndsTime}
	start.Note = strings.TrimSpace(readAs(ctx, start.typed(), p.City, start.problem(p.Errors)))
	end.Note = strings.TrimSpace(readAs(ctx, end.typed(), p.City, end.problem(p.Errors)))
	return []instant{start, end}
}

// typed is the moment's date and time as one value, as readAs reads it.
func (i instant) typed() string {
	if strings.TrimSpace(i.Date) == "" || strings.TrimSpace(i.Clock) == "" {
		return ""
	}
	return i.Date + " " + i.Clock
}

// problem is the moment's problem or its halves', the first found.
func (i instant) problem(errs models.FieldErrors) models.Problem {
	for _, f := range []string{i.Name, i.Name + "_date", i.Name + "_time"} {
		if p, ok := errs[f]; ok {
			return p
		}
	}
	return models.Problem{}
}

// describedBy describes a moment's fieldset by its own problem, when it
// has one, the clock of the form's times (event-zone) and its note.
func (i instant) describedBy(errs models.FieldErrors) string {
	var ids []string
	if _, bad := errs[i.Name]; bad {
		ids = append(ids, errorID(i.Name))
	}
	ids = append(ids, "event-zone")
	if i.Note != "" {
		ids = append(ids, "note-"+i.Name)
	}
	return strings.Join(ids, " ")
}

// halfAttrs mark the date or time field half of the moment invalid when
// it, or the moment as a whole, has a problem, and describe it by those
// problems and its hint.
func (i instant) halfAttrs(half string, errs models.FieldErrors) templ.Attributes {
	var ids []string
	for _, f := range []string{half, i.Name} {
		if _, bad := errs[f]; bad {
			ids = append(ids, errorID(f))
		}
	}
	a := templ.Attributes{"aria-describedby": strings.Join(append(ids, "hint-"+half), " ")}
	if len(ids) > 0 {
		a["aria-invalid"] = "true"
	}
	return a
}
