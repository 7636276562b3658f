package handlers

// The help pages (issue 33): a short text for each form, in the page's
// language, public.

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/views"
)

// showHelp is a help page; ?back= is the form it was opened from.
func (h *Handler) showHelp(c echo.Context) error {
	topic := c.Param("topic")
	if !views.IsHelpTopic(topic) {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	blocks, err := views.HelpText(topic, h.language(c))
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, views.HelpView(views.HelpPage{Topic: topic, Blocks: blocks, Back: views.HelpBack(c.QueryParam("back"))}))
}

// helpIndex lists the help pages.
func (h *Handler) helpIndex(c echo.Context) error {
	return h.render(c, http.StatusOK, views.HelpIndexView())
}
