package views

import (
	"context"
	"fmt"
	"net/url"

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
	Partners      []string `form:"partners"`
	Lang          string   `form:"lang"`
}

// EventFormPage is the data of the new and edit event pages.
type EventFormPage struct {
	City      *models.City
	EventID   uint // 0 for a new event
	Form      EventForm
	Errors    models.FieldErrors
	Partners  []models.Partner
	Campaigns []models.Campaign
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
