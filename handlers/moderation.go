package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// listModeration is the moderation queue: pending stories first, the
// longest waiting on top; other statuses and one city on request.
func (h *Handler) listModeration(c echo.Context) error {
	ctx := c.Request().Context()
	q := c.QueryParams()
	status := models.StoryStatus(q.Get("status"))
	if status == "" && !q.Has("status") {
		status = models.StoryPending
	}
	page, err := parsePage(q.Get("page"))
	if err != nil || (status != "" && !status.Valid()) {
		return echo.NewHTTPError(http.StatusBadRequest, "bad filter")
	}
	cities, err := h.store.ManagedCities(ctx, currentUser(c))
	if err != nil {
		return err
	}
	ids, names := cityIndex(cities)
	filter := models.StoryFilter{CityIDs: ids, Status: status, Sort: "recent"}
	if status == models.StoryPending {
		filter.Sort = "waiting"
	}
	if slug := q.Get("city"); slug != "" {
		city, err := h.cityFor(c, slug)
		if err != nil {
			return err
		}
		filter.CityIDs = []uint{city.ID}
	}
	pageData := views.ModerationPage{Status: string(status), City: q.Get("city"), Cities: cities, Names: names, Query: cleanQuery(q), Now: h.cfg.Now()}
	if len(filter.CityIDs) > 0 {
		if currentUser(c).IsStaff() && q.Get("city") == "" {
			// Every city: the indexes on status serve the whole network's
			// queue in order, where a list of 400 cities could not.
			filter.CityIDs = nil
		}
		if pageData.Stories, err = h.store.Stories(ctx, filter, models.Page{Number: page, Size: 20}); err != nil {
			return err
		}
		if pageData.Backlog, err = h.store.PendingCounts(ctx, ids); err != nil {
			return err
		}
	}
	return h.render(c, http.StatusOK, views.ModerationView(pageData))
}

// showModeration shows one story with its private details and decisions.
func (h *Handler) showModeration(c echo.Context) error {
	st, city, err := h.storyFor(c)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, views.ModerateStoryView(views.ModerateStoryPage{Story: st, City: city, Now: h.cfg.Now()}))
}

// moderateStory applies a decision: publish, reject (with a reason),
// feature, unfeature or unpublish.
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
		return h.render(c, http.StatusUnprocessableEntity, views.ModerateStoryView(views.ModerateStoryPage{
			Story: st, City: city, Errors: fe, Reason: reason, Now: h.cfg.Now(),
		}))
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
