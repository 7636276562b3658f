package handlers

import (
	"context"
	"net/http"
	"strconv"

	"golang.org/x/text/language"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// viewContext is the request's context carrying what every page needs:
// the user, the CSRF token, the language and the flash message.
func (h *Handler) viewContext(c echo.Context) context.Context {
	r := c.Request()
	csrf, _ := c.Get(csrfKey).(string)
	lang := h.language(c)
	flash := ""
	if loaded, _ := c.Get(sessionLoaded).(bool); loaded {
		flash = h.sessions.PopString(r.Context(), "flash")
	}
	return h.catalog.WithRequest(r.Context(), views.Request{
		User:  currentUser(c),
		CSRF:  maskToken(csrf),
		Path:  r.URL.Path,
		Flash: flash,
		Lang:  lang,
	})
}

// sessionLoaded is the context key set once the session is available.
const sessionLoaded = "session_loaded"

// render writes a page with status. It renders into a buffer first, so a
// template error becomes a clean 500 rather than half a page.
func (h *Handler) render(c echo.Context, status int, page templ.Component) error {
	return h.renderCtx(c, h.viewContext(c), status, page)
}

func (h *Handler) renderCtx(c echo.Context, ctx context.Context, status int, page templ.Component) error {
	buf := templ.GetBuffer()
	defer templ.ReleaseBuffer(buf)
	if err := page.Render(ctx, buf); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}

// renderWhole is render with the page's length in Content-Length (the
// route must not be compressed), so that the answer is whole once flushed,
// with nothing left to send when the request ends.
func (h *Handler) renderWhole(c echo.Context, status int, page templ.Component) error {
	buf := templ.GetBuffer()
	defer templ.ReleaseBuffer(buf)
	if err := page.Render(h.viewContext(c), buf); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().Header().Set(echo.HeaderContentLength, strconv.Itoa(buf.Len()))
	return c.HTMLBlob(status, buf.Bytes())
}

// t translates a message id for the request, for flash messages.
func (h *Handler) t(c echo.Context, id string, data map[string]any) string {
	return views.Tf(h.catalog.WithRequest(c.Request().Context(), views.Request{Lang: h.language(c)}), id, data)
}

// langCookie remembers the visitor's choice of interface language.
const langCookie = "ltl_lang"

// language is the interface language of the request: the visitor's
// explicit choice, else the signed-in user's, else the browser's
// Accept-Language, else English.
func (h *Handler) language(c echo.Context) language.Tag {
	if ck, err := c.Cookie(langCookie); err == nil {
		if t, ok := h.catalog.Supported(ck.Value); ok {
			return t
		}
	}
	for _, u := range []*models.User{currentUser(c), linkUser(c)} {
		if u != nil && u.Language != "" {
			if t, ok := h.catalog.Supported(u.Language); ok {
				return t
			}
		}
	}
	return h.catalog.Match(c.Request().Header.Get("Accept-Language"))
}

// setLangCookie keeps lang as the browser's interface language.
func setLangCookie(c echo.Context, lang string) {
	c.SetCookie(&http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// chooseLanguage keeps the visitor's choice of language in a cookie and,
// for a signed-in user, in their profile, then goes back to the page.
func (h *Handler) chooseLanguage(c echo.Context) error {
	t, ok := h.catalog.Supported(c.FormValue("lang"))
	if !ok {
		return echo.NewHTTPError(http.StatusBadRequest, "unknown language")
	}
	setLangCookie(c, t.String())
	if u := currentUser(c); u != nil {
		if err := h.store.SetUserLanguage(c.Request().Context(), u.ID, t.String()); err != nil {
			return err
		}
	}
	next := safeNext(c.FormValue("next"))
	if next == "" {
		next = "/"
	}
	return redirect(c, next)
}

// flash keeps a message to show on the next page.
func (h *Handler) flash(c echo.Context, msg string) {
	h.sessions.Put(c.Request().Context(), "flash", msg)
}

// redirect answers a successful POST with 303 See Other.
func redirect(c echo.Context, to string) error {
	return c.Redirect(http.StatusSeeOther, to)
}
