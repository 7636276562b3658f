package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// statusOf maps an error to its HTTP status: the one place where domain
// errors become statuses.
func statusOf(err error) int {
	var he *echo.HTTPError
	switch {
	case errors.Is(err, models.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, models.ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, models.ErrInUse), errors.Is(err, models.ErrDuplicate), errors.Is(err, models.ErrStale), errors.Is(err, models.ErrTransition):
		return http.StatusConflict
	case errors.Is(err, models.ErrThrottled):
		return http.StatusTooManyRequests
	case errors.As(err, new(models.FieldErrors)), errors.Is(err, models.ErrConsent):
		return http.StatusUnprocessableEntity
	case errors.As(err, &he):
		return he.Code
	case errors.As(err, new(*queryError)):
		return http.StatusBadRequest
	case errors.Is(err, context.DeadlineExceeded):
		// The request ran out of its time: the server is busy, not broken.
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// respondToErrors hands every error of the routes inside it to the error
// handler at once, while the session is still open.
func (h *Handler) respondToErrors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Set(sessionLoaded, true)
		if err := next(c); err != nil {
			h.handleError(err, c)
		}
		return nil
	}
}

// handleError turns any error a handler returns into a response: a
// friendly page for browsers, JSON under /api/. Server errors are logged
// with the route and never shown.
func (h *Handler) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status := statusOf(err)
	if status >= 500 {
		h.log.Error("request failed", "err", err, "route", c.Path(), "method", c.Request().Method)
	}
	var respErr error
	switch {
	case c.Request().Method == http.MethodHead:
		respErr = c.NoContent(status)
	case strings.HasPrefix(c.Request().URL.Path, "/api/"):
		body := map[string]string{"error": http.StatusText(status)}
		var qe *queryError
		if errors.As(err, &qe) {
			body = map[string]string{"error": qe.Error(), "field": qe.Field}
		}
		respErr = c.JSON(status, body)
	default:
		respErr = h.renderError(c, status, err)
	}
	if respErr != nil {
		h.log.Error("write error response", "err", respErr)
	}
}

// renderError renders the error page for status.
func (h *Handler) renderError(c echo.Context, status int, err error) error {
	// The page's language form needs a token, even when the request was
	// refused before the CSRF middleware gave it one.
	if _, err := csrfToken(c); err != nil {
		return err
	}
	ctx := h.viewContext(c)
	key := fmt.Sprintf("error.%d", status)
	title := views.T(ctx, key+".title")
	if title == key+".title" {
		key = "error.400"
		if status >= 500 {
			key = "error.500"
		}
		title = views.T(ctx, key+".title")
	}
	message := views.T(ctx, key+".message")
	var qe *queryError
	switch {
	case errors.As(err, &qe):
		message = views.Tf(ctx, "error.400.filter", map[string]any{"Field": qe.Field})
	case errors.Is(err, errCSRF):
		message = views.T(ctx, "error.403.csrf")
	case errors.Is(err, models.ErrInUse):
		message = views.T(ctx, "partners.in_use")
	case status == http.StatusConflict:
		message = views.T(ctx, "validation.taken")
	}
	return h.renderCtx(c, ctx, status, views.ErrorView(status, title, message))
}
