package views

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// EventForm is what the event form posts, kept as typed so that it can be
// shown back unchanged when it is refused.
type EventForm struct {
	Title         string   `form:"title"`
	Description   string   `form:"description"`
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
		{"starts_at", T(ctx, "event.starts_at")}, {"ends_at", T(ctx, "event.ends_at")}, {"venue", T(ctx, "event.venue")},
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
