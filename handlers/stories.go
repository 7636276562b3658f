package handlers

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/photo"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// Story submissions accepted per client address and hour.
const (
	storiesPerHour       = 5
	storyAttemptsPerHour = 30
	// storyBodyLimit is above the photo limit, so that a photo a little too
	// large is refused beside its field with the story kept.
	storyBodyLimit = "24M"
)

// sessionReceipt is the session key that carries a new receipt code from
// the submission to the page that shows it once.
const sessionReceipt = "receipt"

// newStory shows the story form; ?city= preselects a city, ?campaign= (an
// id) a campaign when several run.
func (h *Handler) newStory(c echo.Context) error {
	f := views.StoryForm{City: c.QueryParam("city"), Campaign: c.QueryParam("campaign"), Lang: h.language(c).String()}
	return h.renderStoryForm(c, http.StatusOK, f, nil, false, false)
}

// createStory takes a learner's story: honeypot, validation (with the
// photo), rate limit, then the write. Refused forms come back with the
// learner's text kept and nothing stored.
func (h *Handler) createStory(c echo.Context) error {
	var f views.StoryForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	// The body has arrived: the story's deadline starts now. A sender who
	// disconnects cancels the context, and with it the write.
	ctx, cancel := context.WithTimeout(c.Request().Context(), h.cfg.Deadline)
	defer cancel()
	// Attempts are limited too, valid or not, before any photo is decoded.
	if ok, err := h.store.Allow(ctx, "story-attempt", c.RealIP(), storyAttemptsPerHour, time.Hour); err != nil {
		return err
	} else if !ok {
		return h.renderStoryForm(c, http.StatusTooManyRequests, f, nil, false, true)
	}
	if f.Website != "" {
		// Only bots fill the hidden field: act as if all went well.
		h.log.Info("story honeypot filled", "ip", c.RealIP())
		return redirect(c, "/stories/thanks")
	}
	st := &models.Story{
		// The name is optional: left empty, the story is published without one.
		Title: f.Title, Body: f.Body, DisplayName: f.DisplayName, Anonymous: f.Anonymous || strings.TrimSpace(f.DisplayName) == "",
		AgeGroup: models.AgeGroup(f.AgeGroup), Minor: f.Minor, PhotoAlt: f.PhotoAlt,
		PublicationConsent: f.PublicationConsent, GuardianConsent: f.GuardianConsent, ContactEmail: f.ContactEmail, NotifyPublished: f.NotifyPublished, Lang: f.Lang,
	}
	for _, a := range f.LearningAreas {
		st.LearningAreas = append(st.LearningAreas, models.LearningArea(a))
	}
	pe := parseErrors{}
	if city, err := h.store.CityBySlug(ctx, f.City); err == nil {
		st.CityID = city.ID
	} else if errors.Is(err, models.ErrNotFound) {
		models.FieldErrors(pe).Add("city", "oneof", "")
	} else {
		return err
	}
	campaign, err := h.storyCampaign(ctx, f.Campaign)
	if errors.Is(err, models.ErrNotFound) {
		models.FieldErrors(pe).Add("campaign", "oneof", "")
	} else if err != nil {
		return err
	} else {
		st.CampaignID = campaign.ID
	}
	processed, hadPhoto, err := h.readPhoto(ctx, c)
	if fe, ok := models.AsFieldErrors(err); ok && fe["photo"].Code == photo.Busy {
		// Too many photos are being decoded: nothing is wrong with the
		// story, the learner sends it again in a moment.
		c.Response().Header().Set("Retry-After", "10")
		return h.renderStoryForm(c, http.StatusServiceUnavailable, f, fe, hadPhoto, false)
	} else if ok {
		for k, v := range fe {
			pe[k] = v
		}
	} else if err != nil {
		return err
	}
	if err := pe.merge(st.Validate()); err != nil {
		if fe, ok := models.AsFieldErrors(err); ok {
			return h.renderStoryForm(c, http.StatusUnprocessableEntity, f, fe, hadPhoto, false)
		}
		return err
	}
	allowed, err := h.store.Allow(ctx, "story", c.RealIP(), storiesPerHour, time.Hour)
	if err != nil {
		return err
	}
	if !allowed {
		return h.renderStoryForm(c, http.StatusTooManyRequests, f, nil, hadPhoto, true)
	}
	code, err := h.store.CreateStory(ctx, st, processed)
	if fe, ok := models.AsFieldErrors(err); ok {
		return h.renderStoryForm(c, http.StatusUnprocessableEntity, f, fe, hadPhoto, false)
	}
	if err != nil {
		return err
	}
	h.sessions.Put(ctx, sessionReceipt, code)
	return redirect(c, "/stories/thanks")
}

// readPhoto reads and re-encodes the optional photo of the story form,
// within the gate that bounds concurrent decodes.
func (h *Handler) readPhoto(ctx context.Context, c echo.Context) (processed []byte, had bool, err error) {
	fh, err := c.FormFile("photo")
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) || (err == nil && fh.Filename == "" && fh.Size == 0) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	if fh.Size > models.MaxPhotoBytes {
		return nil, true, models.FieldErrors{"photo": {Code: "photo_size", Param: strconv.Itoa(models.MaxPhotoBytes >> 20)}}
	}
	f, err := fh.Open()
	if err != nil {
		return nil, true, err
	}
	defer f.Close()
	processed, err = h.photos.Process(ctx, f, fh.Header.Get("Content-Type"))
	return processed, true, err
}

func (h *Handler) renderStoryForm(c echo.Context, status int, f views.StoryForm, fe models.FieldErrors, hadPhoto, limited bool) error {
	cities, err := h.store.Cities(c.Request().Context(), models.CityFilter{})
	if err != nil {
		return err
	}
	campaigns, err := h.store.RunningCampaigns(c.Request().Context(), h.cfg.Now())
	if err != nil {
		return err
	}
	return h.render(c, status, views.StoryFormView(views.StoryFormPage{
		Form: f, Errors: fe, Cities: cities, Campaigns: campaigns, HadPhoto: hadPhoto, Limited: limited,
	}))
}

// storyCampaign is the campaign a story is told for: the running one the
// learner chose (ErrNotFound for one that is not running), or else the
// current campaign.
func (h *Handler) storyCampaign(ctx context.Context, choice string) (*models.Campaign, error) {
	if choice == "" {
		return h.store.CurrentCampaign(ctx, h.cfg.Now())
	}
	id, err := strconv.ParseUint(choice, 10, 32)
	if err != nil {
		return nil, models.ErrNotFound
	}
	cp, err := h.store.Campaign(ctx, uint(id))
	if err != nil {
		return nil, err
	}
	if !cp.RunningAt(h.cfg.Now()) {
		return nil, models.ErrNotFound
	}
	return cp, nil
}

// storyThanks shows the receipt code of the story just submitted, once.
func (h *Handler) storyThanks(c echo.Context) error {
	code := h.sessions.PopString(c.Request().Context(), sessionReceipt)
	return h.render(c, http.StatusOK, views.ReceiptView(code))
}

// storyStatusForm asks for a receipt code.
func (h *Handler) storyStatusForm(c echo.Context) error {
	return h.render(c, http.StatusOK, views.StatusFormView("", nil))
}

// storyStatus shows the story of a receipt code. The code comes in a POST
// body so that it never lands in URLs, logs or referrers.
func (h *Handler) storyStatus(c echo.Context) error {
	code := strings.TrimSpace(c.FormValue("code"))
	if code == "" || len(code) > 64 {
		return h.render(c, http.StatusUnprocessableEntity, views.StatusFormView(code, models.FieldErrors{"code": {Code: "required"}}))
	}
	st, err := h.store.StoryByReceipt(c.Request().Context(), code)
	if errors.Is(err, models.ErrNotFound) {
		return h.render(c, http.StatusUnprocessableEntity, views.StatusFormView(code, models.FieldErrors{"code": {Code: "receipt"}}))
	}
	if err != nil {
		return err
	}
	return h.renderStoryStatus(c, st, code)
}

func (h *Handler) renderStoryStatus(c echo.Context, st *models.Story, code string) error {
	return h.renderStatusPage(c, http.StatusOK, views.StoryStatusPage{Story: st, Code: code})
}

// renderStatusPage renders the status page of p's story.
func (h *Handler) renderStatusPage(c echo.Context, status int, p views.StoryStatusPage) error {
	city, err := h.store.City(c.Request().Context(), p.Story.CityID)
	if err != nil {
		return err
	}
	p.City = city
	return h.render(c, status, views.StoryStatusView(p))
}

// storyOfCode loads the story of the receipt code in the form; ok false
// means the answer is written: the code form again, with its problem.
func (h *Handler) storyOfCode(c echo.Context) (st *models.Story, code string, ok bool, err error) {
	code = strings.TrimSpace(c.FormValue("code"))
	if code == "" || len(code) > 64 {
		return nil, code, false, h.render(c, http.StatusUnprocessableEntity, views.StatusFormView(code, models.FieldErrors{"code": {Code: "required"}}))
	}
	st, err = h.store.StoryByReceipt(c.Request().Context(), code)
	if errors.Is(err, models.ErrNotFound) {
		return nil, code, false, h.render(c, http.StatusUnprocessableEntity, views.StatusFormView(code, models.FieldErrors{"code": {Code: "receipt"}}))
	}
	return st, code, err == nil, err
}

// resubmitForm shows the learner the story the moderators sent back, to
// edit it and send it again. Only such a story: one that is pending or
// published is answered 409 with its status page, which says why.
func (h *Handler) resubmitForm(c echo.Context) error {
	st, code, ok, err := h.storyOfCode(c)
	if !ok {
		return err
	}
	if !st.Resubmittable() {
		return h.renderStatusPage(c, http.StatusConflict, views.StoryStatusPage{Story: st, Code: code, NotEditable: true})
	}
	return h.renderResubmit(c, http.StatusOK, views.ResubmitPage{Story: st, Code: code, Edit: st.Edit()})
}

func (h *Handler) renderResubmit(c echo.Context, status int, p views.ResubmitPage) error {
	city, err := h.store.City(c.Request().Context(), p.Story.CityID)
	if err != nil {
		return err
	}
	p.City = city
	return h.render(c, status, views.ResubmitView(p))
}

// resubmitStory takes the learner's edit of a story that was sent back
// and puts it back in the queue. Attempts and stories sent are limited
// per address as new stories are; a refused edit comes back with its text
// kept and nothing written.
func (h *Handler) resubmitStory(c echo.Context) error {
	ctx := c.Request().Context()
	st, code, ok, err := h.storyOfCode(c)
	if !ok {
		return err
	}
	if !st.Resubmittable() {
		return h.renderStatusPage(c, http.StatusConflict, views.StoryStatusPage{Story: st, Code: code, NotEditable: true})
	}
	e := models.StoryEdit{Title: c.FormValue("title"), Body: c.FormValue("body"), DisplayName: c.FormValue("display_name")}
	page := views.ResubmitPage{Story: st, Code: code, Edit: e}
	if allowed, err := h.store.Allow(ctx, "story-attempt", c.RealIP(), storyAttemptsPerHour, time.Hour); err != nil {
		return err
	} else if !allowed {
		page.Limited = true
		return h.renderResubmit(c, http.StatusTooManyRequests, page)
	}
	checked := e
	if err := checked.Validate(); err != nil {
		if fe, ok := models.AsFieldErrors(err); ok {
			page.Errors = fe
			return h.renderResubmit(c, http.StatusUnprocessableEntity, page)
		}
		return err
	}
	if allowed, err := h.store.Allow(ctx, "story", c.RealIP(), storiesPerHour, time.Hour); err != nil {
		return err
	} else if !allowed {
		page.Limited = true
		return h.renderResubmit(c, http.StatusTooManyRequests, page)
	}
	st, err = h.store.ResubmitStory(ctx, code, e)
	if fe, ok := models.AsFieldErrors(err); ok {
		page.Errors = fe
		return h.renderResubmit(c, http.StatusUnprocessableEntity, page)
	}
	if errors.Is(err, models.ErrTransition) {
		// Withdrawn or sent again meanwhile, from another tab.
		st, err = h.store.StoryByReceipt(ctx, code)
		if err != nil {
			return err
		}
		return h.renderStatusPage(c, http.StatusConflict, views.StoryStatusPage{Story: st, Code: code, NotEditable: true})
	}
	if err != nil {
		return err
	}
	return h.renderStatusPage(c, http.StatusOK, views.StoryStatusPage{Story: st, Code: code, Resubmitted: true})
}

// withdrawStory erases a story's content at its author's request.
func (h *Handler) withdrawStory(c echo.Context) error {
	code := strings.TrimSpace(c.FormValue("code"))
	if c.FormValue("confirm") != "yes" {
		// First ask: erasure cannot be undone. Works without JavaScript.
		st, err := h.store.StoryByReceipt(c.Request().Context(), code)
		if errors.Is(err, models.ErrNotFound) {
			return h.render(c, http.StatusUnprocessableEntity, views.StatusFormView(code, models.FieldErrors{"code": {Code: "receipt"}}))
		}
		if err != nil {
			return err
		}
		if st.Erased() {
			return h.renderStoryStatus(c, st, code)
		}
		return h.render(c, http.StatusOK, views.ConfirmWithdrawView(st, code))
	}
	st, err := h.store.WithdrawStory(c.Request().Context(), code)
	if errors.Is(err, models.ErrNotFound) {
		return h.render(c, http.StatusUnprocessableEntity, views.StatusFormView(code, models.FieldErrors{"code": {Code: "receipt"}}))
	}
	if err != nil {
		return err
	}
	return h.renderStoryStatus(c, st, code)
}

// visibleStory loads the story of :id if the current visitor may see it:
// anyone once published, its city's moderators while it is not withdrawn.
func (h *Handler) visibleStory(c echo.Context) (*models.Story, error) {
	id, err := paramID(c)
	if err != nil {
		return nil, err
	}
	st, err := h.store.Story(c.Request().Context(), id)
	if err != nil {
		return nil, err
	}
	if st.Status == models.StoryPublished {
		return st, nil
	}
	if !st.Erased() && currentUser(c).CanManageCity(st.CityID) {
		return st, nil
	}
	return nil, models.ErrNotFound
}

// showStory is a published story's own page.
func (h *Handler) showStory(c echo.Context) error {
	st, err := h.visibleStory(c)
	if err != nil {
		return err
	}
	if st.Status != models.StoryPublished {
		return redirect(c, views.ModerateURL(st.ID))
	}
	city, err := h.store.City(c.Request().Context(), st.CityID)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, views.StoryView(views.StoryPage{Story: st, City: city, BaseURL: h.cfg.BaseURL}))
}

// storyPhoto serves a story's re-encoded photo while the story may be seen.
func (h *Handler) storyPhoto(c echo.Context) error {
	st, err := h.visibleStory(c)
	if err != nil {
		return err
	}
	f, err := h.store.StoryPhoto(st)
	if err != nil {
		return err
	}
	defer f.Close()
	// Not cached by shared caches: the photo goes away when the story is
	// unpublished or withdrawn.
	c.Response().Header().Set("Cache-Control", "private, no-cache")
	return c.Stream(http.StatusOK, "image/jpeg", f)
}
