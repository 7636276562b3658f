package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// listUsers lists the accounts for staff: search by name or email, filter
// by role, city and status.
func (h *Handler) listUsers(c echo.Context) error {
	ctx := c.Request().Context()
	q := c.QueryParams()
	f := models.UserFilter{Query: strings.TrimSpace(q.Get("q")), Role: models.Role(q.Get("role")), Status: models.UserStatus(q.Get("status"))}
	if len(f.Query) > 100 {
		return echo.NewHTTPError(http.StatusBadRequest, "search too long")
	}
	if f.Role != "" && !f.Role.Valid() {
		return echo.NewHTTPError(http.StatusBadRequest, "unknown role")
	}
	if f.Status != "" && !f.Status.Valid() {
		return echo.NewHTTPError(http.StatusBadRequest, "unknown status")
	}
	cities, err := h.store.Cities(ctx, models.CityFilter{})
	if err != nil {
		return err
	}
	if slug := q.Get("city"); slug != "" {
		city, err := h.store.CityBySlug(ctx, slug)
		if errors.Is(err, models.ErrNotFound) {
			return echo.NewHTTPError(http.StatusBadRequest, "unknown city")
		}
		if err != nil {
			return err
		}
		f.CityID = city.ID
	}
	users, err := h.store.Users(ctx, f)
	if err != nil {
		return err
	}
	_, names := cityIndex(cities)
	return h.render(c, http.StatusOK, views.UsersView(views.UsersPage{
		Users: users, Cities: cities, CityNames: names, Query: f.Query, Role: string(f.Role), City: q.Get("city"), Status: string(f.Status),
	}))
}

// newUser shows the invitation form.
// newUser is the invitation form; ?city=slug (from the list of cities,
// as after a cohort's import) chooses the coordinator's city.
func (h *Handler) newUser(c echo.Context) error {
	f := views.InviteForm{Role: string(models.RoleCoordinator), Language: h.language(c).String()}
	for _, slug := range c.QueryParams()["city"] {
		city, err := h.store.CityBySlug(c.Request().Context(), slug)
		if errors.Is(err, models.ErrNotFound) {
			return echo.NewHTTPError(http.StatusBadRequest, "no such city")
		}
		if err != nil {
			return err
		}
		f.Cities = append(f.Cities, strconv.FormatUint(uint64(city.ID), 10))
	}
	return h.renderInviteForm(c, http.StatusOK, f, nil)
}

func (h *Handler) renderInviteForm(c echo.Context, status int, f views.InviteForm, errs models.FieldErrors) error {
	cities, err := h.store.Cities(c.Request().Context(), models.CityFilter{})
	if err != nil {
		return err
	}
	return h.render(c, status, views.InviteView(views.InvitePage{Form: f, Cities: cities, Languages: h.catalog.Languages(), Errors: errs}))
}

// inviteUser creates an invited account and writes its invitation mail
// to the outbox, in one transaction.
func (h *Handler) inviteUser(c echo.Context) error {
	var f views.InviteForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	fe := models.FieldErrors{}
	ids := make([]uint, 0, len(f.Cities))
	for _, s := range f.Cities {
		id, err := strconv.ParseUint(s, 10, 32)
		if err != nil || id == 0 {
			fe.Add("cities", "oneof", "")
			continue
		}
		ids = append(ids, uint(id))
	}
	if _, ok := h.catalog.Supported(f.Language); !ok {
		fe.Add("language", "oneof", "")
	}
	if len(fe) > 0 {
		return h.renderInviteForm(c, http.StatusUnprocessableEntity, f, fe)
	}
	ctx := c.Request().Context()
	me := currentUser(c)
	cities, err := h.store.CitiesByID(ctx, ids)
	if err != nil {
		return err
	}
	names := make([]string, len(cities))
	for i, city := range cities {
		names[i] = city.Name
	}
	u, err := h.store.InviteUser(ctx, me.Actor(), models.Invitation{
		Email: f.Email, Name: f.Name, Role: models.Role(f.Role), CityIDs: ids, Language: f.Language,
	}, func(u *models.User, token string) (models.Mail, error) {
		return h.mail.Invitation(u, token, me.Name, names)
	})
	if fe, ok := models.AsFieldErrors(err); ok {
		return h.renderInviteForm(c, http.StatusUnprocessableEntity, f, fe)
	}
	if err != nil {
		return err
	}
	h.flash(c, h.t(c, "people.invited", map[string]any{"Email": u.Email}))
	return redirect(c, views.UserURL(u))
}

// userFor loads the account named by the :id parameter.
func (h *Handler) userFor(c echo.Context) (*models.User, error) {
	id, err := paramID(c)
	if err != nil {
		return nil, err
	}
	return h.store.User(c.Request().Context(), id)
}

// showUser shows an account and what staff can do with it.
func (h *Handler) showUser(c echo.Context) error {
	u, err := h.userFor(c)
	if err != nil {
		return err
	}
	return h.renderUser(c, http.StatusOK, u, nil, nil)
}

func (h *Handler) renderUser(c echo.Context, status int, u *models.User, selected []string, errs models.FieldErrors) error {
	return h.renderUserPage(c, status, u, selected, errs, "")
}

// newInvitationLink makes a new invitation link for an invited person and
// shows it, once, for staff to copy and send another way; the earlier
// link stops working. Someone who accepted is refused (409).
func (h *Handler) newInvitationLink(c echo.Context) error {
	u, err := h.userFor(c)
	if err != nil {
		return err
	}
	token, err := h.store.NewInvitationLink(c.Request().Context(), currentUser(c).Actor(), u.ID)
	if err != nil {
		return err
	}
	return h.renderUserPage(c, http.StatusOK, u, nil, nil, h.mail.BaseURL+tokenPath(models.TokenInvitation, token))
}

func (h *Handler) renderUserPage(c echo.Context, status int, u *models.User, selected []string, errs models.FieldErrors, link string) error {
	cities, err := h.store.Cities(c.Request().Context(), models.CityFilter{})
	if err != nil {
		return err
	}
	if selected == nil {
		for _, id := range u.CityIDs {
			selected = append(selected, strconv.FormatUint(uint64(id), 10))
		}
	}
	page := views.UserPage{User: u, Cities: cities, Selected: selected, Errors: errs, Now: h.cfg.Now(), NewLink: link}
	if u.Status() == models.UserInvited {
		if page.InvitationExpires, err = h.store.InvitationExpiry(c.Request().Context(), u.ID); err != nil {
			return err
		}
	}
	return h.render(c, status, views.UserView(page))
}

// updateUserCities changes a coordinator's cities.
func (h *Handler) updateUserCities(c echo.Context) error {
	u, err := h.userFor(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	selected := form["cities"]
	var ids []uint
	for _, s := range selected {
		id, err := strconv.ParseUint(s, 10, 32)
		if err != nil || id == 0 {
			return h.renderUser(c, http.StatusUnprocessableEntity, u, selected, models.FieldErrors{"cities": {Code: "oneof"}})
		}
		ids = append(ids, uint(id))
	}
	err = h.store.SetUserCities(c.Request().Context(), currentUser(c).Actor(), u.ID, ids)
	if fe, ok := models.AsFieldErrors(err); ok {
		return h.renderUser(c, http.StatusUnprocessableEntity, u, selected, fe)
	}
	if err != nil {
		return err
	}
	h.flash(c, h.t(c, "people.cities_saved", nil))
	return redirect(c, views.UserURL(u))
}

// userAction runs one of the account actions that take no input.
func (h *Handler) userAction(c echo.Context) error {
	u, err := h.userFor(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	me := currentUser(c)
	next := views.UserURL(u)
	var done string
	switch c.Param("action") {
	case "resend":
		err = h.store.ResendInvitation(ctx, me.Actor(), u.ID, func(u *models.User, token string) (models.Mail, error) {
			cities, err := h.store.CitiesByID(ctx, u.CityIDs)
			if err != nil {
				return models.Mail{}, err
			}
			names := make([]string, len(cities))
			for i, city := range cities {
				names[i] = city.Name
			}
			return h.mail.Invitation(u, token, me.Name, names)
		})
		done = "people.resent"
	case "revoke":
		err, done, next = h.store.RevokeInvitation(ctx, me.Actor(), u.ID), "people.revoked", "/manage/users"
	case "disable":
		err, done = h.store.SetUserDisabled(ctx, me.Actor(), u.ID, true), "people.disabled"
	case "enable":
		err, done = h.store.SetUserDisabled(ctx, me.Actor(), u.ID, false), "people.enabled"
	default:
		return models.ErrNotFound
	}
	if err != nil {
		return err
	}
	h.flash(c, h.t(c, done, map[string]any{"Email": u.Email}))
	return redirect(c, next)
}

// listOutbox lists the mails, newest first, for staff.
func (h *Handler) listOutbox(c echo.Context) error {
	q := c.QueryParams()
	f := models.OutboxFilter{To: strings.TrimSpace(q.Get("to")), Status: models.OutboxStatus(q.Get("status")), Limit: 50}
	if len(f.To) > 254 {
		return echo.NewHTTPError(http.StatusBadRequest, "search too long")
	}
	if f.Status != "" && !f.Status.Valid() {
		return echo.NewHTTPError(http.StatusBadRequest, "unknown status")
	}
	if b := q.Get("before"); b != "" {
		n, err := strconv.ParseUint(b, 10, 32)
		if err != nil {
			return echo.NewHTTPError(http.StatusBadRequest, "bad before")
		}
		f.Before = uint(n)
	}
	msgs, err := h.store.Outbox(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, views.OutboxView(views.OutboxPage{Messages: msgs, To: f.To, Status: string(f.Status), ToFiles: h.cfg.MailToFiles, Limit: f.Limit}))
}

// showOutboxMessage shows one mail; its body only while mail is written to
// files (with SMTP the body, which may hold a single-use link, is erased
// once sent). Staff must not read other people's links: an invitation or
// a reset mail shows its links masked to anyone but its recipient.
func (h *Handler) showOutboxMessage(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	m, err := h.store.OutboxMessage(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if !h.cfg.MailToFiles {
		m.TextBody, m.HTMLBody = "", ""
	}
	masked := m.Kind.CarriesLink() && currentUser(c).Email != m.Recipient
	if masked {
		m.HTMLBody = ""
	}
	return h.render(c, http.StatusOK, views.OutboxMessageView(views.OutboxMessagePage{Message: m, ToFiles: h.cfg.MailToFiles, Masked: masked}))
}

// showTokenForm shows the form to choose a password on a single-use link,
// or a page that says why the link no longer works.
func (h *Handler) showTokenForm(purpose models.TokenPurpose) echo.HandlerFunc {
	return func(c echo.Context) error {
		token := c.Param("token")
		u, err := h.store.TokenUser(c.Request().Context(), purpose, token)
		if err != nil {
			return h.linkProblem(c, purpose, err)
		}
		c.Set(linkUserKey, u)
		return h.render(c, http.StatusOK, views.SetPasswordView(views.SetPasswordPage{Purpose: string(purpose), Action: tokenPath(purpose, token), User: u}))
	}
}

// useToken sets the password chosen on a single-use link; the user then
// signs in with it.
func (h *Handler) useToken(purpose models.TokenPurpose) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		token := c.Param("token")
		password, confirm := c.FormValue("password"), c.FormValue("confirm")
		var err error
		var u *models.User
		if password != confirm {
			u, err = h.store.TokenUser(ctx, purpose, token)
			if err == nil {
				err = models.FieldErrors{"confirm": {Code: "confirm"}}
			}
		} else {
			u, err = h.store.UseToken(ctx, purpose, token, password)
		}
		if fe, ok := models.AsFieldErrors(err); ok {
			if u == nil {
				u, err = h.store.TokenUser(ctx, purpose, token)
				if err != nil {
					return h.linkProblem(c, purpose, err)
				}
			}
			c.Set(linkUserKey, u)
			return h.render(c, http.StatusUnprocessableEntity, views.SetPasswordView(views.SetPasswordPage{
				Purpose: string(purpose), Action: tokenPath(purpose, token), User: u, Errors: fe}))
		}
		if err != nil {
			return h.linkProblem(c, purpose, err)
		}
		c.Set(linkUserKey, u)
		h.keepLinkLanguage(c, u)
		h.flash(c, h.t(c, "password.set", nil))
		return redirect(c, "/login?email="+url.QueryEscape(u.Email))
	}
}

// linkProblem answers a single-use link that does not work: unknown
// (404), used or expired (410), each with a page that says what to do.
func (h *Handler) linkProblem(c echo.Context, purpose models.TokenPurpose, err error) error {
	status := http.StatusGone
	reason := "used"
	switch {
	case errors.Is(err, models.ErrTokenExpired):
		reason = "expired"
	case errors.Is(err, models.ErrTokenUsed):
	case errors.Is(err, models.ErrNotFound):
		status, reason = http.StatusNotFound, "unknown"
	default:
		return err
	}
	return h.render(c, status, views.LinkProblemView(string(purpose), reason))
}

// tokenPath is where the single-use link of purpose points.
func tokenPath(purpose models.TokenPurpose, token string) string {
	if purpose == models.TokenInvitation {
		return "/invitations/" + url.PathEscape(token)
	}
	return "/password-reset/" + url.PathEscape(token)
}

// linkUserKey is the context key of the person a single-use link belongs
// to: its pages speak their language unless the visitor chose another.
const linkUserKey = "link_user"

// keepLinkLanguage makes u's interface language this browser's, unless
// the visitor chose one: the pages after the link (the sign-in, whose
// visitor is not known yet) go on in the language of the link's pages
// instead of the browser's Accept-Language.
func (h *Handler) keepLinkLanguage(c echo.Context, u *models.User) {
	if ck, err := c.Cookie(langCookie); err == nil {
		if _, ok := h.catalog.Supported(ck.Value); ok {
			return
		}
	}
	if t, ok := h.catalog.Supported(u.Language); ok && u.Language != "" {
		setLangCookie(c, t.String())
	}
}

// linkUser is the person whose single-use link the request opened, or nil.
func linkUser(c echo.Context) *models.User {
	u, _ := c.Get(linkUserKey).(*models.User)
	return u
}
