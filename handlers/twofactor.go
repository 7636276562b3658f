package handlers

import (
	"bytes"
	"crypto/rand"
	"errors"
	"image/png"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// Session keys of two-factor sign-in: the account whose password was
// right and when, the destination after the code, and the secret being
// set up.
const (
	sessionPendingUser = "pending_user"
	sessionPendingAt   = "pending_at"
	sessionPendingNext = "pending_next"
	// sessionPendingAttempt names the sign-in attempt, whose wrong codes
	// are counted together (store.CheckSecondFactor).
	sessionPendingAttempt = "pending_attempt"
	sessionTOTPSetup      = "totp_setup"
	// totpIssuer names the site in authenticator apps.
	totpIssuer = "LearnThroughLife"
	// pendingTTL is how long the code may wait after the password.
	pendingTTL = 10 * time.Minute
)

// startSecondFactor keeps the account whose password was right and asks
// for its code.
func (h *Handler) startSecondFactor(c echo.Context, u *models.User, next string) error {
	ctx := c.Request().Context()
	if err := h.sessions.RenewToken(ctx); err != nil {
		return err
	}
	h.sessions.Put(ctx, sessionPendingUser, int64(u.ID))
	h.sessions.Put(ctx, sessionPendingAt, time.Now().Unix())
	h.sessions.Put(ctx, sessionPendingNext, next)
	h.sessions.Put(ctx, sessionPendingAttempt, rand.Text())
	return redirect(c, "/login/two-factor")
}

// pendingUser is the account waiting for its code, or nil.
func (h *Handler) pendingUser(c echo.Context) (*models.User, error) {
	ctx := c.Request().Context()
	id := h.sessions.GetInt64(ctx, sessionPendingUser)
	at := h.sessions.GetInt64(ctx, sessionPendingAt)
	if id == 0 || h.sessions.GetString(ctx, sessionPendingAttempt) == "" || time.Since(time.Unix(at, 0)) > pendingTTL {
		return nil, nil
	}
	u, err := h.store.User(ctx, uint(id))
	if errors.Is(err, models.ErrNotFound) || (err == nil && (u.Disabled || !u.TwoFactorOn())) {
		return nil, nil
	}
	return u, err
}

// showLoginCode asks for the code of the account whose password was right.
func (h *Handler) showLoginCode(c echo.Context) error {
	u, err := h.pendingUser(c)
	if err != nil {
		return err
	}
	if u == nil {
		return redirect(c, "/login")
	}
	return h.render(c, http.StatusOK, views.LoginCodeView(views.LoginCodePage{}))
}

// loginCode checks the code and finishes signing in.
func (h *Handler) loginCode(c echo.Context) error {
	ctx := c.Request().Context()
	u, err := h.pendingUser(c)
	if err != nil {
		return err
	}
	if u == nil {
		return redirect(c, "/login")
	}
	err = h.store.CheckSecondFactor(ctx, u, c.FormValue("code"), h.sessions.GetString(ctx, sessionPendingAttempt), c.RealIP())
	var throttled *models.ThrottledError
	switch {
	case errors.As(err, &throttled):
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(throttled.RetryAfter.Seconds())+1))
		return h.render(c, http.StatusTooManyRequests, views.LoginCodeView(views.LoginCodePage{RetryMinutes: throttled.RetryMinutes()}))
	case errors.Is(err, models.ErrBadCode):
		return h.render(c, http.StatusUnauthorized, views.LoginCodeView(views.LoginCodePage{Message: h.t(c, "two_factor.bad_code", nil)}))
	case err != nil:
		return err
	}
	next := h.sessions.GetString(ctx, sessionPendingNext)
	if err := h.sessions.RenewToken(ctx); err != nil {
		return err
	}
	for _, k := range []string{sessionPendingUser, sessionPendingAt, sessionPendingNext, sessionPendingAttempt} {
		h.sessions.Remove(ctx, k)
	}
	h.sessions.Put(ctx, sessionUserID, int64(u.ID))
	h.sessions.Put(ctx, sessionEpoch, u.SessionEpoch)
	dropCSRFCookie(c)
	if next == "" {
		next = "/dashboard"
	}
	return redirect(c, next)
}

// showTwoFactor shows staff their two-factor sign-in: how to turn it on
// (a new secret, as a QR code and as text), or that it is on.
func (h *Handler) showTwoFactor(c echo.Context) error {
	return h.renderTwoFactor(c, http.StatusOK, nil)
}

func (h *Handler) renderTwoFactor(c echo.Context, status int, errs models.FieldErrors) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	page := views.TwoFactorPage{On: u.TwoFactorOn(), Required: h.cfg.RequireStaffTwoFactor, Errors: errs}
	if page.On {
		left, err := h.store.RecoveryCodesLeft(ctx, u)
		if err != nil {
			return err
		}
		page.CodesLeft = left
		return h.render(c, status, views.TwoFactorView(page))
	}
	secret, err := h.setupSecret(c, u)
	if err != nil || secret == "" || status == http.StatusOK {
		key, err := store.NewTOTPKey(u, totpIssuer)
		if err != nil {
			return err
		}
		secret = key.Secret()
		sealed, err := h.store.SealTOTPSecret(u.ID, secret)
		if err != nil {
			return err
		}
		h.sessions.Put(ctx, sessionTOTPSetup, sealed)
	}
	page.Secret = secret
	return h.render(c, status, views.TwoFactorView(page))
}

// twoFactorQR is the QR code of the secret being set up in this session
// (the one the page shows), as a PNG, never stored by a cache; 404 when
// none is being set up.
func (h *Handler) twoFactorQR(c echo.Context) error {
	u := currentUser(c)
	secret, err := h.setupSecret(c, u)
	if u.TwoFactorOn() || err != nil || secret == "" {
		return echo.ErrNotFound
	}
	img, err := store.TOTPImage(store.TOTPURL(u, totpIssuer, secret))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "image/png", buf.Bytes())
}

// setupSecret is the secret being set up, held sealed in the session
// (the sessions table would otherwise keep it in clear): "" for none, an
// error when it does not open (sealed with another key).
func (h *Handler) setupSecret(c echo.Context, u *models.User) (string, error) {
	sealed := h.sessions.GetString(c.Request().Context(), sessionTOTPSetup)
	if sealed == "" {
		return "", nil
	}
	return h.store.OpenTOTPSecret(u.ID, sealed)
}

// enableTwoFactor turns two-factor sign-in on once a code from the app
// matches the secret shown, and shows the recovery codes once.
func (h *Handler) enableTwoFactor(c echo.Context) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	if u.TwoFactorOn() {
		return redirect(c, "/account/two-factor")
	}
	secret, err := h.setupSecret(c, u)
	if err != nil || secret == "" {
		return redirect(c, "/account/two-factor")
	}
	codes, err := h.store.EnableTwoFactor(ctx, u, secret, c.FormValue("code"))
	if fe, ok := models.AsFieldErrors(err); ok {
		return h.renderTwoFactor(c, http.StatusUnprocessableEntity, fe)
	}
	if err != nil {
		return err
	}
	h.sessions.Remove(ctx, sessionTOTPSetup)
	return h.render(c, http.StatusOK, views.RecoveryCodesView(codes))
}

// disableTwoFactor turns two-factor sign-in off, with the password, unless
// the installation requires it.
func (h *Handler) disableTwoFactor(c echo.Context) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	if h.cfg.RequireStaffTwoFactor {
		return echo.NewHTTPError(http.StatusConflict, "two-factor sign-in is required for staff")
	}
	ok, err := h.store.CheckPassword(ctx, u, c.FormValue("password"))
	if err != nil {
		return err
	}
	if !ok {
		return h.renderTwoFactor(c, http.StatusUnprocessableEntity, models.FieldErrors{"password": {Code: "wrong_password"}})
	}
	if err := h.store.DisableTwoFactor(ctx, u.Actor(), u); err != nil {
		return err
	}
	h.flash(c, h.t(c, "two_factor.turned_off", nil))
	return redirect(c, "/account/two-factor")
}

// needsTwoFactor reports whether u must turn two-factor sign-in on before
// anything else: staff, when the installation requires it.
func (h *Handler) needsTwoFactor(u *models.User) bool {
	return h.cfg.RequireStaffTwoFactor && u.IsStaff() && !u.TwoFactorOn()
}
