package handlers

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// showForgotPassword shows the form that asks for a reset link.
func (h *Handler) showForgotPassword(c echo.Context) error {
	return h.render(c, http.StatusOK, views.ForgotPasswordView(c.QueryParam("email"), false))
}

// forgotPassword writes a reset link to the address when it names an
// active account, and answers the same whether it does or not: the same
// rate limits are counted, the answer is sent, and only then is the
// account looked up and the mail written (otherwise a known address
// answered about 0.3 ms later, a difference a visitor could measure).
func (h *Handler) forgotPassword(c echo.Context) error {
	email := c.FormValue("email")
	if len(email) > 254 {
		return echo.NewHTTPError(http.StatusBadRequest, "email too long")
	}
	err := h.store.AllowPasswordReset(c.Request().Context(), email, c.RealIP())
	if errors.Is(err, models.ErrThrottled) {
		return h.render(c, http.StatusTooManyRequests, views.ForgotPasswordView(email, true))
	}
	if err != nil {
		return err
	}
	if err := h.renderWhole(c, http.StatusOK, views.ResetSentView()); err != nil {
		return err
	}
	h.afterAnswer(c, "password reset", func(ctx context.Context) error {
		return h.store.SendPasswordReset(ctx, email, h.mail.PasswordReset)
	})
	return nil
}

// changePassword replaces the signed-in user's password and ends their
// other sessions; this one continues under a new id.
func (h *Handler) changePassword(c echo.Context) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	current, password, confirm := c.FormValue("current"), c.FormValue("password"), c.FormValue("confirm")
	var epoch int64
	var err error
	if password != confirm {
		err = models.FieldErrors{"confirm": {Code: "confirm"}}
	} else {
		epoch, err = h.store.ChangePassword(ctx, u, current, password)
	}
	if fe, ok := models.AsFieldErrors(err); ok {
		cities, err := h.store.CitiesByID(ctx, u.CityIDs)
		if err != nil {
			return err
		}
		return h.render(c, http.StatusUnprocessableEntity, views.AccountView(views.AccountPage{Cities: cities, PasswordErrors: fe}))
	}
	if err != nil {
		return err
	}
	if err := h.sessions.RenewToken(ctx); err != nil {
		return err
	}
	h.sessions.Put(ctx, sessionEpoch, epoch)
	h.flash(c, h.t(c, "password.changed", nil))
	return redirect(c, "/account")
}

// signOutEverywhere ends every session of the signed-in user, this one
// too.
func (h *Handler) signOutEverywhere(c echo.Context) error {
	ctx := c.Request().Context()
	if err := h.store.SignOutEverywhere(ctx, currentUser(c)); err != nil {
		return err
	}
	return h.endSession(c, "password.signed_out_everywhere", "/login")
}

// saveNotifications keeps the mails the signed-in user wants.
func (h *Handler) saveNotifications(c echo.Context) error {
	u := currentUser(c)
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	var on []models.NotificationKind
	for _, v := range form["notify"] {
		k := models.NotificationKind(v)
		if !slices.Contains(models.NotificationKinds(u.Role), k) {
			return echo.NewHTTPError(http.StatusBadRequest, "unknown notification")
		}
		on = append(on, k)
	}
	if err := h.store.SetNotifications(c.Request().Context(), u, on); err != nil {
		return err
	}
	h.flash(c, h.t(c, "notify.saved", nil))
	return redirect(c, "/account")
}

// saveMailLanguage keeps the language of the signed-in user's mails; an
// unknown language is refused and changes nothing.
func (h *Handler) saveMailLanguage(c echo.Context) error {
	t, ok := h.catalog.Supported(c.FormValue("mail_language"))
	if !ok {
		return echo.NewHTTPError(http.StatusBadRequest, "unknown language")
	}
	if err := h.store.SetMailLanguage(c.Request().Context(), currentUser(c), t.String()); err != nil {
		return err
	}
	h.flash(c, h.t(c, "account.mail_language_saved", map[string]any{"Language": views.LangName(t)}))
	return redirect(c, "/account")
}
