package handlers

// Fast single entry (issue 13): duplicating an event, saving and adding
// another with the same venue, partners and learning areas, and adding a
// missing partner from inside the event form.

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// The event form's extra submit buttons (EventForm.Then).
const (
	thenAnother    = "another"
	thenAddPartner = "add_partner"
)

// duplicateEvent opens a new event's form filled with an event's values,
// dated today at the same time of day, planned, without a participant count.
func (h *Handler) duplicateEvent(c echo.Context) error {
	e, city, err := h.eventFor(c)
	if err != nil {
		return err
	}
	loc := city.Location()
	start, now := e.StartsAt.In(loc), h.cfg.Now().In(loc)
	copied := *e
	copied.StartsAt = time.Date(now.Year(), now.Month(), now.Day(), start.Hour(), start.Minute(), 0, 0, loc)
	copied.EndsAt = copied.StartsAt.Add(e.EndsAt.Sub(e.StartsAt))
	copied.Status, copied.Participants, copied.AgeParticipants = models.StatusPlanned, nil, nil
	notice := h.t(c, "quick.copy_of", map[string]any{"Title": views.Isolate(h.langContext(c), e.Title)})
	return h.renderEventFormNotice(c, http.StatusOK, city, 0, eventToForm(h.langContext(c), &copied, loc), nil, notice)
}

// keptForAnother is what "Save and add another" carries to the next
// form: the start and end as typed, the venue, partners, learning areas,
// age groups, format, campaign and language: a week's events often share
// all but their title.
func keptForAnother(f views.EventForm) url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"starts_at_date": f.StartsDate, "starts_at_time": f.StartsTime, "ends_at_date": f.EndsDate, "ends_at_time": f.EndsTime,
		"venue": f.Venue, "format": f.Format, "campaign": f.Campaign, "lang": f.Lang} {
		if v != "" {
			q.Set(k, v)
		}
	}
	q["partners"] = f.Partners
	q["learning_areas"] = f.LearningAreas
	q["age_groups"] = f.AgeGroups
	return q
}

// keepFromQuery fills a new event's form with what keptForAnother carried.
func keepFromQuery(f *views.EventForm, q url.Values) {
	if v := q.Get("venue"); v != "" && len(v) <= 200 {
		f.Venue = v
	}
	// The times as typed, in two fields or whole (a link made before
	// they were split): the form reads them again when it is sent.
	kept := views.EventForm{}
	for k, to := range map[string]*string{"starts_at_date": &kept.StartsDate, "starts_at_time": &kept.StartsTime, "ends_at_date": &kept.EndsDate,
		"ends_at_time": &kept.EndsTime, "starts_at": &kept.StartsAt, "ends_at": &kept.EndsAt} {
		if v := q.Get(k); len(v) <= 32 {
			*to = v
		}
	}
	kept.Split()
	if kept.StartsDate != "" || kept.StartsTime != "" {
		f.StartsDate, f.StartsTime = kept.StartsDate, kept.StartsTime
	}
	if kept.EndsDate != "" || kept.EndsTime != "" {
		f.EndsDate, f.EndsTime = kept.EndsDate, kept.EndsTime
	}
	for _, g := range q["age_groups"] {
		if models.AgeGroup(g).Valid() {
			f.AgeGroups = append(f.AgeGroups, g)
		}
	}
	if v := models.EventFormat(q.Get("format")); v.Valid() {
		f.Format = string(v)
	}
	if v := q.Get("campaign"); v != "" {
		if _, err := strconv.ParseUint(v, 10, 32); err == nil {
			f.Campaign = v
		}
	}
	if v := q.Get("lang"); v != "" && len(v) <= 35 {
		f.Lang = v
	}
	for _, a := range q["learning_areas"] {
		if models.LearningArea(a).Valid() {
			f.LearningAreas = append(f.LearningAreas, a)
		}
	}
	for _, p := range q["partners"] {
		if _, err := strconv.ParseUint(p, 10, 32); err == nil {
			f.Partners = append(f.Partners, p)
		}
	}
}

// addPartnerFromEventForm creates the partner named in the event form and
// shows the form again, as it was typed, with the new partner ticked; the
// event itself is not saved yet.
func (h *Handler) addPartnerFromEventForm(c echo.Context, city *models.City, eventID uint, f views.EventForm) error {
	sector := models.Sector(f.NewPartnerSector)
	if sector == "" {
		sector = models.SectorOtherSector
	}
	p := &models.Partner{CityID: city.ID, Name: f.NewPartner, Sector: sector, Active: true, Lang: f.Lang}
	err := h.store.CreatePartner(c.Request().Context(), currentUser(c).Actor(), p)
	if fe, ok := models.AsFieldErrors(err); ok {
		moved := models.FieldErrors{}
		for field, problem := range fe {
			switch field {
			case "name":
				moved["new_partner"] = problem
			case "sector":
				moved["new_partner_sector"] = problem
			default:
				moved["new_partner"] = problem
			}
		}
		return h.renderEventForm(c, http.StatusUnprocessableEntity, city, eventID, f, moved)
	}
	if err != nil {
		return err
	}
	f.Partners = append(f.Partners, strconv.FormatUint(uint64(p.ID), 10))
	f.NewPartner, f.NewPartnerSector, f.Then = "", "", ""
	return h.renderEventFormNotice(c, http.StatusOK, city, eventID, f, nil,
		h.t(c, "quick.partner_added", map[string]any{"Name": p.Name}))
}
