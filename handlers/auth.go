package handlers

import (
	"errors"
	"net/http"
	"strings"
	"unicode"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// showLogin shows the login form; a signed-in user goes to the dashboard.
func (h *Handler) showLogin(c echo.Context) error {
	if currentUser(c) != nil {
		return redirect(c, "/dashboard")
	}
	f := views.LoginForm{Next: safeNext(c.QueryParam("next")), Email: c.QueryParam("email")}
	return h.render(c, http.StatusOK, views.LoginView(f, ""))
}

// login checks the credentials, rotates the session id and signs in.
func (h *Handler) login(c echo.Context) error {
	var f views.LoginForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	f.Next = safeNext(f.Next)
	ctx := c.Request().Context()
	u, err := h.store.Authenticate(ctx, f.Email, f.Password, c.RealIP())
	switch {
	case errors.Is(err, models.ErrThrottled):
		return h.render(c, http.StatusTooManyRequests, views.LoginView(views.LoginForm{Email: f.Email, Next: f.Next}, h.t(c, "login.throttled", nil)))
	case errors.Is(err, models.ErrBadCredentials):
		return h.render(c, http.StatusUnauthorized, views.LoginView(views.LoginForm{Email: f.Email, Next: f.Next}, h.t(c, "login.failed", nil)))
	case err != nil:
		return err
	}
	if u.TwoFactorOn() {
		return h.startSecondFactor(c, u, f.Next)
	}
	// A new session id at login defeats session fixation.
	if err := h.sessions.RenewToken(ctx); err != nil {
		return err
	}
	h.sessions.Put(ctx, sessionUserID, int64(u.ID))
	h.sessions.Put(ctx, sessionEpoch, u.SessionEpoch)
	dropCSRFCookie(c)
	if f.Next != "" {
		// Greeted in their language, not the browser's, unless chosen.
		c.Set(linkUserKey, u)
		h.flash(c, h.t(c, "login.welcome", map[string]any{"Name": u.Name}))
		return redirect(c, f.Next)
	}
	// The dashboard greets by name itself.
	return redirect(c, "/dashboard")
}

// logout ends the session.
func (h *Handler) logout(c echo.Context) error {
	return h.endSession(c, "login.logged_out", "/")
}

// endSession ends this browser's session and its CSRF cookie, then says
// so (the message id) on the page at to.
func (h *Handler) endSession(c echo.Context, message, to string) error {
	if err := h.sessions.Destroy(c.Request().Context()); err != nil {
		return err
	}
	dropCSRFCookie(c)
	h.flash(c, h.t(c, message, nil))
	return redirect(c, to)
}

// showAccount shows the signed-in user: name, email, role and cities.
func (h *Handler) showAccount(c echo.Context) error {
	u := currentUser(c)
	cities, err := h.store.CitiesByID(c.Request().Context(), u.CityIDs)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, views.AccountView(views.AccountPage{Cities: cities}))
}

// safeNext keeps a post-login destination only when it is a path on this
// site, never another host.
func safeNext(next string) string {
	// Browsers drop tabs and newlines from URLs ("/\t/evil" becomes
	// "//evil"), so any control character or backslash refuses the path.
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsFunc(next, func(r rune) bool {
		return r < 0x20 || r == 0x7f || r == '\\' || unicode.IsSpace(r)
	}) {
		return ""
	}
	return next
}

// dropCSRFCookie expires the CSRF cookie, so that a new token comes with
// the next page: a token planted before login does not outlive it.
func dropCSRFCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: csrfCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}
