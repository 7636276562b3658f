package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// maxBulkStories is how many stories one bulk publication takes: a few
// pages of the queue.
const maxBulkStories = 100

// listModeration is the moderation queue: pending stories first, the
// longest waiting on top; other statuses and one city on request.
func (h *Handler) listModeration(c echo.Context) error {
	p, err := h.moderationPage(c, c.QueryParams())
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, views.ModerationView(p))
}

// moderationPage gathers the queue that the query q asks for.
func (h *Handler) moderationPage(c echo.Context, q url.Values) (views.ModerationPage, error) {
	ctx := c.Request().Context()
	status := models.StoryStatus(q.Get("status"))
	if status == "" && !q.Has("status") {
		status = models.StoryPending
	}
	page, err := parsePage(q.Get("page"))
	if err != nil || (status != "" && !status.Valid()) {
		return views.ModerationPage{}, echo.NewHTTPError(http.StatusBadRequest, "bad filter")
	}
	cities, err := h.store.ManagedCities(ctx, currentUser(c))
	if err != nil {
		return views.ModerationPage{}, err
	}
	ids, names := cityIndex(cities)
	filter := models.StoryFilter{CityIDs: ids, Status: status, Sort: "recent"}
	if status == models.StoryPending {
		filter.Sort = "waiting"
	}
	if slug := q.Get("city"); slug != "" {
		city, err := h.cityFor(c, slug)
		if err != nil {
			return views.ModerationPage{}, err
		}
		filter.CityIDs = []uint{city.ID}
	}
	p := views.ModerationPage{Status: string(status), City: q.Get("city"), Cities: cities, Names: names, Query: cleanQuery(q), Now: h.cfg.Now()}
	if len(filter.CityIDs) > 0 {
		if currentUser(c).IsStaff() && q.Get("city") == "" {
			// Every city: the indexes on status serve the whole network's
			// queue in order, where a list of 400 cities could not.
			filter.CityIDs = nil
		}
		if p.Stories, err = h.store.Stories(ctx, filter, models.Page{Number: page, Size: 20}); err != nil {
			return p, err
		}
		if p.Backlog, err = h.store.PendingCounts(ctx, ids); err != nil {
			return p, err
		}
	}
	return p, nil
}

// publishSelected publishes the stories ticked in the queue, all or none:
// an id that is malformed, unknown or of a city the user does not
// moderate refuses the whole request, and so does a story that may not
// be published (its status changed meanwhile, or its consents), named
// above the queue with the selection kept.
func (h *Handler) publishSelected(c echo.Context) error {
	ctx := c.Request().Context()
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	raw := form["id"]
	if len(raw) > maxBulkStories {
		return echo.NewHTTPError(http.StatusBadRequest, "too many stories")
	}
	selected := map[uint]bool{}
	var stories []*models.Story
	for _, r := range raw {
		id, err := strconv.ParseUint(r, 10, 32)
		if err != nil || id == 0 {
			return echo.NewHTTPError(http.StatusBadRequest, "bad story id")
		}
		if selected[uint(id)] {
			continue
		}
		st, err := h.store.Story(ctx, uint(id))
		if err != nil {
			return err
		}
		if err := authorize(c, st.CityID); err != nil {
			return err
		}
		selected[st.ID] = true
		stories = append(stories, st)
	}
	refuse := func(status int, msg string) error {
		p, err := h.moderationPage(c, url.Values{})
		if err != nil {
			return err
		}
		p.BulkError, p.Selected = msg, selected
		return h.render(c, status, views.ModerationView(p))
	}
	if len(stories) == 0 {
		return refuse(http.StatusUnprocessableEntity, h.t(c, "moderation.bulk.none", nil))
	}
	err = h.store.PublishStories(ctx, currentUser(c).Actor(), stories)
	var be *store.BulkError
	if errors.As(err, &be) {
		title := map[string]any{"Title": be.Story.Title}
		if fe, ok := models.AsFieldErrors(be.Err); ok && fe["_"].Code == "no_consent" {
			return refuse(http.StatusUnprocessableEntity, h.t(c, "moderation.bulk.no_consent", title))
		}
		if errors.Is(be.Err, models.ErrTransition) {
			return refuse(http.StatusConflict, h.t(c, "moderation.bulk.stale", title))
		}
	}
	if err != nil {
		return err
	}
	h.flash(c, views.Tn(h.langContext(c), "moderation.bulk.done", len(stories)))
	return redirect(c, "/manage/stories")
}

// showModeration shows one story with its private details, the versions
// edits replaced, and its decisions.
func (h *Handler) showModeration(c echo.Context) error {
	st, city, err := h.storyFor(c)
	if err != nil {
		return err
	}
	return h.renderModeration(c, http.StatusOK, views.ModerateStoryPage{Story: st, City: city, Edit: st.Edit()})
}

// renderModeration renders the moderation page of p's story, with the
// versions its edits replaced.
func (h *Handler) renderModeration(c echo.Context, status int, p views.ModerateStoryPage) error {
	revs, err := h.store.StoryRevisions(c.Request().Context(), p.Story.ID)
	if err != nil {
		return err
	}
	p.Revisions, p.Now = revs, h.cfg.Now()
	return h.render(c, status, views.ModerateStoryView(p))
}

// moderateStory applies a decision: publish, reject (with a reason),
// feature, unfeature or unpublish (hide).
func (h *Handler) moderateStory(c echo.Context) error {
	st, city, err := h.storyFor(c)
	if err != nil {
		return err
	}
	action := models.StoryAction(c.Param("action"))
	if !action.Valid() {
		return models.ErrNotFound
	}
	reason := c.FormValue("reason")
	err = h.store.ModerateStory(c.Request().Context(), currentUser(c).Actor(), st, action, reason)
	if fe, ok := models.AsFieldErrors(err); ok {
		return h.renderModeration(c, http.StatusUnprocessableEntity, views.ModerateStoryPage{
			Story: st, City: city, Errors: fe, Reason: reason, Edit: st.Edit(),
		})
	}
	if errors.Is(err, models.ErrTransition) {
		h.flash(c, h.t(c, "moderation.stale", nil))
		return redirect(c, views.ModerateURL(st.ID))
	}
	if err != nil {
		return err
	}
	h.flash(c, h.t(c, "moderation.done."+string(action), nil))
	if action == models.ActionPublish || action == models.ActionReject {
		return redirect(c, "/manage/stories")
	}
	return redirect(c, views.ModerateURL(st.ID))
}

// editStory corrects a story's words (title, text, name to show) and then
// saves, or saves and publishes. The words replaced are kept for the
// moderators only; an edit made on an older page is refused.
func (h *Handler) editStory(c echo.Context) error {
	st, city, err := h.storyFor(c)
	if err != nil {
		return err
	}
	then := c.FormValue("then")
	if then != "save" && then != "publish" {
		return echo.NewHTTPError(http.StatusBadRequest, "bad choice")
	}
	e := models.StoryEdit{Title: c.FormValue("title"), Body: c.FormValue("body"), DisplayName: c.FormValue("display_name")}
	err = h.store.EditStory(c.Request().Context(), currentUser(c).Actor(), st, e, c.FormValue("version"), then == "publish")
	if fe, ok := models.AsFieldErrors(err); ok {
		p := views.ModerateStoryPage{Story: st, City: city, Edit: e, EditErrors: fe}
		if _, decision := fe["_"]; decision {
			// The edit was fine, the publication was not (no consent).
			p.Errors, p.EditErrors = fe, nil
		}
		return h.renderModeration(c, http.StatusUnprocessableEntity, p)
	}
	if errors.Is(err, models.ErrTransition) {
		h.flash(c, h.t(c, "moderation.stale", nil))
		return redirect(c, views.ModerateURL(st.ID))
	}
	if err != nil {
		return err
	}
	if then == "publish" {
		h.flash(c, h.t(c, "moderation.done.edit_publish", nil))
		return redirect(c, "/manage/stories")
	}
	h.flash(c, h.t(c, "moderation.done.edit", nil))
	return redirect(c, views.ModerateURL(st.ID))
}
