package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// listEvents lists a city's events with filters, sorting and pages.
func (h *Handler) listEvents(c echo.Context) error {
	city, err := h.cityFor(c, c.Param("slug"))
	if err != nil {
		return err
	}
	q := c.QueryParams()
	f := models.EventFilter{
		CityIDs: []uint{city.ID},
		Status:  models.EventStatus(q.Get("status")),
		Format:  models.EventFormat(q.Get("format")),
		Area:    models.LearningArea(q.Get("area")),
		Query:   q.Get("q"),
		Sort:    q.Get("sort"),
	}
	bad := (f.Status != "" && !f.Status.Valid()) || (f.Format != "" && !f.Format.Valid()) ||
		(f.Area != "" && !f.Area.Valid()) || len(f.Query) > 200
	var from, to time.Time
	if from, err = parseDate(q.Get("from")); err != nil {
		bad = true
	}
	if to, err = parseDate(q.Get("to")); err != nil {
		bad = true
	}
	page, err := parsePage(q.Get("page"))
	if bad || err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "bad filter")
	}
	f.From = from
	if !to.IsZero() {
		f.To = to.AddDate(0, 0, 1) // the "to" day is included
	}
	events, err := h.store.Events(c.Request().Context(), f, models.Page{Number: page, Size: 20})
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, views.EventsView(views.EventsPage{City: city, Events: events, Query: cleanQuery(q)}))
}

// newEvent shows an empty event form for the city.
func (h *Handler) newEvent(c echo.Context) error {
	city, err := h.cityFor(c, c.Param("slug"))
	if err != nil {
		return err
	}
	// A week ahead, at ten in the morning in the city.
	now := h.cfg.Now().In(city.Location())
	start := time.Date(now.Year(), now.Month(), now.Day()+7, 10, 0, 0, 0, now.Location())
	lc := h.langContext(c)
	end := start.Add(2 * time.Hour)
	f := views.EventForm{
		StartsDate: views.ShortDate(lc, start), StartsTime: start.Format("15:04"), EndsDate: views.ShortDate(lc, end), EndsTime: end.Format("15:04"),
		Status: string(models.StatusPlanned), Format: string(models.FormatInPerson), Lang: h.language(c).String(),
	}
	keepFromQuery(&f, c.QueryParams())
	return h.renderEventForm(c, http.StatusOK, city, 0, f, nil)
}

// createEvent stores a new event of the city.
func (h *Handler) createEvent(c echo.Context) error {
	city, err := h.cityFor(c, c.Param("slug"))
	if err != nil {
		return err
	}
	var f views.EventForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	f.Split()
	if f.Then == thenAddPartner {
		return h.addPartnerFromEventForm(c, city, 0, f)
	}
	e, pe := eventFromForm(f, city.Location())
	e.CityID = city.ID
	ctx := c.Request().Context()
	err = pe.then(func() error { return e.Validate(h.cfg.Now()) },
		func() error { return h.store.CreateEvent(ctx, currentUser(c).Actor(), e) })
	if fe, ok := models.AsFieldErrors(err); ok {
		return h.renderEventForm(c, http.StatusUnprocessableEntity, city, 0, f, fe)
	}
	if err != nil {
		return err
	}
	h.flash(c, h.t(c, "events.created", nil))
	if f.Then == thenAnother {
		return redirect(c, views.NewEventURL(city)+"?"+keptForAnother(f).Encode())
	}
	return redirect(c, views.CityManageURL(city))
}

// editEvent shows the form of an existing event.
func (h *Handler) editEvent(c echo.Context) error {
	e, city, err := h.eventFor(c)
	if err != nil {
		return err
	}
	return h.renderEventForm(c, http.StatusOK, city, e.ID, eventToForm(h.langContext(c), e, city.Location()), nil)
}

// updateEvent saves an event.
func (h *Handler) updateEvent(c echo.Context) error {
	current, city, err := h.eventFor(c)
	if err != nil {
		return err
	}
	var f views.EventForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	f.Split()
	if f.Then == thenAddPartner {
		return h.addPartnerFromEventForm(c, city, current.ID, f)
	}
	e, pe := eventFromForm(f, city.Location())
	e.ID, e.CityID = current.ID, current.CityID
	ctx := c.Request().Context()
	err = pe.then(func() error { return e.Validate(h.cfg.Now()) },
		func() error { return h.store.UpdateEvent(ctx, currentUser(c).Actor(), e) })
	if fe, ok := models.AsFieldErrors(err); ok {
		return h.renderEventForm(c, http.StatusUnprocessableEntity, city, current.ID, f, fe)
	}
	if err != nil {
		return err
	}
	h.flash(c, h.t(c, "events.updated", nil))
	return redirect(c, views.CityManageURL(city))
}

// confirmDeleteEvent asks before deleting.
func (h *Handler) confirmDeleteEvent(c echo.Context) error {
	e, city, err := h.eventFor(c)
	if err != nil {
		return err
	}
	ctx := h.viewContext(c)
	return h.renderCtx(c, ctx, http.StatusOK, views.ConfirmDeleteView(
		views.T(ctx, "events.delete"),
		views.Tf(ctx, "events.delete_question", map[string]any{"Title": e.Title}),
		c.Request().URL.Path, views.CityManageURL(city)))
}

// deleteEvent removes an event.
func (h *Handler) deleteEvent(c echo.Context) error {
	e, city, err := h.eventFor(c)
	if err != nil {
		return err
	}
	if err := h.store.DeleteEvent(c.Request().Context(), currentUser(c).Actor(), e); err != nil {
		return err
	}
	h.flash(c, h.t(c, "events.deleted", nil))
	return redirect(c, views.CityManageURL(city))
}

func (h *Handler) renderEventForm(c echo.Context, status int, city *models.City, id uint, f views.EventForm, fe models.FieldErrors) error {
	return h.renderEventFormNotice(c, status, city, id, f, fe, "")
}

// renderEventFormNotice renders the event form with a notice above it.
func (h *Handler) renderEventFormNotice(c echo.Context, status int, city *models.City, id uint, f views.EventForm, fe models.FieldErrors, notice string) error {
	ctx := c.Request().Context()
	partners, err := h.store.CityPartners(ctx, city.ID)
	if err != nil {
		return err
	}
	// The running campaigns, and the one the event belongs to already.
	campaigns, err := h.store.RunningCampaigns(ctx, h.cfg.Now())
	if err != nil {
		return err
	}
	if id, err := strconv.ParseUint(f.Campaign, 10, 32); err == nil && !slices.ContainsFunc(campaigns, func(cp models.Campaign) bool { return cp.ID == uint(id) }) {
		if cp, err := h.store.Campaign(ctx, uint(id)); err == nil {
			campaigns = append(campaigns, *cp)
		}
	}
	if f.Campaign == "" && len(campaigns) > 0 {
		f.Campaign = strconv.FormatUint(uint64(campaigns[0].ID), 10)
	}
	return h.render(c, status, views.EventFormView(views.EventFormPage{
		City: city, EventID: id, Form: f, Errors: fe, Partners: partners, Campaigns: campaigns, Notice: notice,
	}))
}

// eventFromForm parses the event form into an event (city not set); its
// times are wall-clock times in loc, the city's time zone, each a date
// and a time of day written as people write them (models.ParseDate and
// ParseClock, the readers of models.ParseDateTime). The form must have
// been Split.
func eventFromForm(f views.EventForm, loc *time.Location) (*models.Event, parseErrors) {
	pe := parseErrors{}
	e := &models.Event{
		Title: f.Title, Description: f.Description, Venue: f.Venue, Lang: f.Lang,
		Format: models.EventFormat(f.Format), Status: models.EventStatus(f.Status),
	}
	e.StartsAt = pe.instant("starts_at", f.StartsDate, f.StartsTime, loc)
	e.EndsAt = pe.instant("ends_at", f.EndsDate, f.EndsTime, loc)
	if strings.TrimSpace(f.Participants) != "" {
		n := pe.int("participants", f.Participants, false)
		e.Participants = &n
	}
	if ids := pe.ids("campaign", []string{f.Campaign}); len(ids) == 1 {
		e.CampaignID = ids[0]
	}
	for _, a := range f.LearningAreas {
		e.LearningAreas = append(e.LearningAreas, models.LearningArea(a))
	}
	for _, g := range f.AgeGroups {
		e.AgeGroups = append(e.AgeGroups, models.AgeGroup(g))
	}
	for _, g := range models.AgeGroups() {
		if v := strings.TrimSpace(*f.AgeCount(g)); v != "" {
			if e.AgeParticipants == nil {
				e.AgeParticipants = map[models.AgeGroup]int{}
			}
			e.AgeParticipants[g] = pe.int("age_participants", v, false)
		}
	}
	e.PartnerIDs = pe.ids("partners", f.Partners)
	return e, pe
}

// eventToForm fills the form with an event's values, its times on the
// clock of loc, the city's time zone, written the way of ctx's language.
func eventToForm(ctx context.Context, e *models.Event, loc *time.Location) views.EventForm {
	f := views.EventForm{
		Title: e.Title, Description: e.Description, Venue: e.Venue, Lang: e.Lang,
		StartsDate: views.ShortDate(ctx, e.StartsAt.In(loc)), StartsTime: e.StartsAt.In(loc).Format("15:04"),
		EndsDate: views.ShortDate(ctx, e.EndsAt.In(loc)), EndsTime: e.EndsAt.In(loc).Format("15:04"),
		Format: string(e.Format), Status: string(e.Status), Campaign: strconv.FormatUint(uint64(e.CampaignID), 10),
	}
	if e.Participants != nil {
		f.Participants = strconv.Itoa(*e.Participants)
	}
	for _, a := range e.LearningAreas {
		f.LearningAreas = append(f.LearningAreas, string(a))
	}
	for _, g := range e.AgeGroups {
		f.AgeGroups = append(f.AgeGroups, string(g))
	}
	// One age group has all the participants: no need to show it twice.
	if len(e.AgeGroups) > 1 {
		for g, n := range e.AgeParticipants {
			*f.AgeCount(g) = strconv.Itoa(n)
		}
	}
	for _, p := range e.PartnerIDs {
		f.Partners = append(f.Partners, strconv.FormatUint(uint64(p), 10))
	}
	return f
}

// langContext is the request's context with its language's catalog, for
// the formats of dates in forms.
func (h *Handler) langContext(c echo.Context) context.Context {
	return h.catalog.WithRequest(c.Request().Context(), views.Request{Lang: h.language(c)})
}

// instant joins a moment typed as a date and a time of day, the fields
// field_date and field_time, into a wall-clock time in loc, the city's
// time zone. Both empty are left for the model to call field required;
// otherwise each half that is missing or cannot be read is its own
// problem, with ParseDateTime's codes: date_unreadable or date_impossible
// for the date, time_missing (without a value to quote) or time_unreadable
// for the time.
func (pe parseErrors) instant(field, date, clock string, loc *time.Location) time.Time {
	date, clock = strings.TrimSpace(date), strings.TrimSpace(clock)
	if date == "" && clock == "" {
		return time.Time{}
	}
	var d time.Time
	var err error
	if date == "" {
		models.FieldErrors(pe).Add(field+"_date", "required", "")
	} else if d, err = models.ParseDate(date); err != nil {
		pe.addDate(field+"_date", err)
	}
	var h, m int
	if clock == "" {
		models.FieldErrors(pe).Add(field+"_time", "time_missing", "")
	} else if h, m, err = models.ParseClock(clock); err != nil {
		pe.addDate(field+"_time", err)
	}
	if _, bad := pe[field+"_date"]; bad {
		return time.Time{}
	}
	if _, bad := pe[field+"_time"]; bad {
		return time.Time{}
	}
	return time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, loc)
}

// addDate records a date that could not be read as field's problem.
func (pe parseErrors) addDate(field string, err error) {
	var de *models.DateError
	if errors.As(err, &de) {
		p := de.Problem()
		models.FieldErrors(pe).Add(field, p.Code, p.Param)
	}
}

// parseDate parses an optional date value (a filter's, a campaign's).
func parseDate(s string) (time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return time.Time{}, nil
	}
	return models.ParseDate(s)
}

// parsePage parses an optional page number.
func parsePage(s string) (int, error) {
	if s == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 100000 {
		return 0, echo.NewHTTPError(http.StatusBadRequest, "bad page")
	}
	return n, nil
}

// cleanQuery drops empty values and the page from a list query, for
// links that keep the filters.
func cleanQuery(q url.Values) url.Values {
	out := url.Values{}
	for k, vs := range q {
		if k != "page" && len(vs) > 0 && vs[0] != "" {
			out.Set(k, vs[0])
		}
	}
	return out
}
