package handlers

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// listManageCampaigns lists every campaign for staff.
func (h *Handler) listManageCampaigns(c echo.Context) error {
	campaigns, err := h.store.Campaigns(c.Request().Context())
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, views.ManageCampaignsView(views.ManageCampaignsPage{Campaigns: campaigns, Now: h.cfg.Now()}))
}

// newCampaign shows an empty campaign form: reports due 30 days after the
// campaign ends, on the whole campaign, and no co-lead ticked: a new
// campaign's co-leads are chosen, not inherited. The form offers to tick
// the cities flagged as co-leading (as a cohort import sets them), which
// ?tick=co-leads does.
func (h *Handler) newCampaign(c echo.Context) error {
	f := views.CampaignForm{DueRule: views.DueAfterEnd, DueDays: strconv.Itoa(models.DefaultDueDays), ReportPeriods: []string{string(models.PeriodCampaign)}}
	if c.QueryParam("tick") == "co-leads" {
		cities, err := h.store.Cities(c.Request().Context(), models.CityFilter{})
		if err != nil {
			return err
		}
		for _, city := range cities {
			if city.CoLead {
				f.CoLeads = append(f.CoLeads, strconv.FormatUint(uint64(city.ID), 10))
			}
		}
	}
	return h.renderCampaignForm(c, http.StatusOK, 0, f, nil)
}

// createCampaign stores a new campaign.
func (h *Handler) createCampaign(c echo.Context) error {
	var f views.CampaignForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	cp, pe := campaignFromForm(f)
	err := pe.then(func() error { return cp.Validate() },
		func() error { return h.store.SaveCampaign(c.Request().Context(), currentUser(c).Actor(), cp) })
	if fe, ok := models.AsFieldErrors(err); ok {
		return h.renderCampaignForm(c, http.StatusUnprocessableEntity, 0, f, fe)
	}
	if err != nil {
		return err
	}
	h.flash(c, h.t(c, "campaigns.created", nil))
	return redirect(c, "/manage/campaigns")
}

// campaignParam is the campaign named by the route's :id.
func (h *Handler) campaignParam(c echo.Context) (*models.Campaign, error) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 32)
	if err != nil {
		return nil, models.ErrNotFound
	}
	return h.store.Campaign(c.Request().Context(), uint(id))
}

// editCampaign shows a campaign's form.
func (h *Handler) editCampaign(c echo.Context) error {
	cp, err := h.campaignParam(c)
	if err != nil {
		return err
	}
	ctx := h.langContext(c)
	f := views.CampaignForm{
		Hashtag: cp.Hashtag, Name: cp.Name, Description: cp.Description,
		NameFR: cp.Texts["fr"].Name, DescriptionFR: cp.Texts["fr"].Description,
		NameES: cp.Texts["es"].Name, DescriptionES: cp.Texts["es"].Description,
		NameAR: cp.Texts["ar"].Name, DescriptionAR: cp.Texts["ar"].Description,
		StartsOn: views.ShortDate(ctx, cp.StartsOn), DueRule: views.DueAfterEnd, DueDays: strconv.Itoa(cp.DueDays),
	}
	if cp.EndsOn != nil {
		f.EndsOn = views.ShortDate(ctx, *cp.EndsOn)
	}
	if cp.DueOn != nil {
		f.DueRule, f.DueOn = views.DueFixed, views.ShortDate(ctx, *cp.DueOn)
	}
	for _, k := range cp.Periods() {
		f.ReportPeriods = append(f.ReportPeriods, string(k))
	}
	for _, id := range cp.CoLeads {
		f.CoLeads = append(f.CoLeads, strconv.FormatUint(uint64(id), 10))
	}
	return h.renderCampaignForm(c, http.StatusOK, cp.ID, f, nil)
}

// updateCampaign saves a campaign.
func (h *Handler) updateCampaign(c echo.Context) error {
	current, err := h.campaignParam(c)
	if err != nil {
		return err
	}
	var f views.CampaignForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	cp, pe := campaignFromForm(f)
	cp.ID = current.ID
	err = pe.then(func() error { return cp.Validate() },
		func() error { return h.store.SaveCampaign(c.Request().Context(), currentUser(c).Actor(), cp) })
	if fe, ok := models.AsFieldErrors(err); ok {
		return h.renderCampaignForm(c, http.StatusUnprocessableEntity, current.ID, f, fe)
	}
	if err != nil {
		return err
	}
	h.flash(c, h.t(c, "campaigns.updated", nil))
	return redirect(c, "/manage/campaigns")
}

// archiveCampaign archives a campaign (archived=true) or brings it back
// (archived=false); anything else is a bad request.
func (h *Handler) archiveCampaign(c echo.Context) error {
	cp, err := h.campaignParam(c)
	if err != nil {
		return err
	}
	archived, err := strconv.ParseBool(c.FormValue("archived"))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "archived must be true or false")
	}
	if err := h.store.ArchiveCampaign(c.Request().Context(), currentUser(c).Actor(), cp.ID, archived, h.cfg.Now()); err != nil {
		return err
	}
	msg := "campaigns.archived"
	if !archived {
		msg = "campaigns.restored"
	}
	h.flash(c, h.t(c, msg, map[string]any{"Campaign": cp.Hashtag}))
	return redirect(c, "/manage/campaigns")
}

func (h *Handler) renderCampaignForm(c echo.Context, status int, id uint, f views.CampaignForm, fe models.FieldErrors) error {
	cities, err := h.store.Cities(c.Request().Context(), models.CityFilter{})
	if err != nil {
		return err
	}
	return h.render(c, status, views.CampaignFormView(views.CampaignFormPage{ID: id, Form: f, Errors: fe, Cities: cities}))
}

// campaignFromForm parses the campaign form; its dates are days, written
// as people write them (models.ParseDate).
func campaignFromForm(f views.CampaignForm) (*models.Campaign, parseErrors) {
	pe := parseErrors{}
	cp := &models.Campaign{
		Hashtag: f.Hashtag, Name: f.Name, Description: f.Description, Texts: f.Texts(),
		ReportPeriods: strings.Join(f.ReportPeriods, ","),
	}
	cp.StartsOn = pe.date("starts_on", f.StartsOn)
	if end := pe.date("ends_on", f.EndsOn); !end.IsZero() {
		cp.EndsOn = &end
	}
	switch f.DueRule {
	case views.DueAfterEnd:
		cp.DueDays = pe.int("due_days", f.DueDays, true)
	case views.DueFixed:
		due := pe.date("due_on", f.DueOn)
		if due.IsZero() {
			models.FieldErrors(pe).Add("due_on", "required", "")
		} else {
			cp.DueOn = &due
		}
		// Quarters and years still fall due so many days after they end.
		cp.DueDays = models.DefaultDueDays
		if strings.TrimSpace(f.DueDays) != "" {
			cp.DueDays = pe.int("due_days", f.DueDays, false)
		}
	default:
		models.FieldErrors(pe).Add("due_rule", "oneof", "")
	}
	cp.CoLeads = pe.ids("co_leads", f.CoLeads)
	return cp, pe
}

// date parses an optional date field; a value that is not a date is a
// problem that quotes it.
func (pe parseErrors) date(field, s string) time.Time {
	t, err := parseDate(s)
	pe.addDate(field, err)
	return t
}

// showCampaign is a campaign's public page: what it is, its period, the
// cities that co-lead it, its figures from the report engine (those of
// /reports?campaign=), featured stories and upcoming events.
func (h *Handler) showCampaign(c echo.Context) error {
	ctx := c.Request().Context()
	cp, err := h.store.CampaignBySlug(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	totals, err := h.reports.Totals(ctx, report.Query{CampaignID: cp.ID})
	if err != nil {
		return err
	}
	upcoming, err := h.store.CampaignUpcomingEvents(ctx, cp.ID, h.cfg.Now(), 6)
	if err != nil {
		return err
	}
	featured, err := h.store.CampaignFeaturedStories(ctx, cp.ID, 6)
	if err != nil {
		return err
	}
	ids := append([]uint{}, cp.CoLeads...)
	for _, e := range upcoming {
		ids = append(ids, e.CityID)
	}
	for _, st := range featured {
		ids = append(ids, st.CityID)
	}
	cities, err := h.store.CitiesByID(ctx, ids)
	if err != nil {
		return err
	}
	byID := make(map[uint]models.City, len(cities))
	for _, city := range cities {
		byID[city.ID] = city
	}
	page := views.CampaignPage{Campaign: cp, Totals: totals, Upcoming: upcoming, Cities: byID, Now: h.cfg.Now(),
		URL: h.cfg.BaseURL + views.CampaignURL(cp)}
	for _, id := range cp.CoLeads {
		if city, ok := byID[id]; ok {
			page.CoLeads = append(page.CoLeads, city)
		}
	}
	for _, st := range featured {
		city := byID[st.CityID]
		page.Featured = append(page.Featured, views.StoryCard{Story: st, CityName: city.Name, CitySlug: city.Slug})
	}
	return h.render(c, http.StatusOK, views.CampaignView(page))
}
