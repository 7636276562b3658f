package handlers

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// contentSecurityPolicy allows no inline script or style and no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"

// securityHeaders sets the security headers on every response.
func securityHeaders() echo.MiddlewareFunc {
	secure := middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection:         "0",
		ContentTypeNosniff:    "nosniff",
		XFrameOptions:         "DENY",
		HSTSMaxAge:            31536000,
		ContentSecurityPolicy: contentSecurityPolicy,
		ReferrerPolicy:        "strict-origin-when-cross-origin",
	})
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return secure(func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			return next(c)
		})
	}
}

// The CSRF cookie, its lifetime, and the context key of the request's token.
const (
	csrfCookie       = "ltl_csrf"
	csrfCookieMaxAge = 24 * 3600
	csrfKey          = "csrf"
)

// csrfToken is the request's CSRF token for the forms of its page: the one
// the CSRF middleware checked or issued; for a request refused before or
// by that check (an error page), the browser's CSRF cookie, else a new
// token set in that cookie now. Either way the page's forms work.
func csrfToken(c echo.Context) (string, error) {
	if token, _ := c.Get(csrfKey).(string); token != "" {
		return token, nil
	}
	token := ""
	if ck, err := c.Cookie(csrfCookie); err == nil && ck.Value != "" {
		token = ck.Value
	} else {
		b := make([]byte, 24)
		if _, err := rand.Read(b); err != nil {
			return "", err
		}
		token = base64.RawURLEncoding.EncodeToString(b)
		c.SetCookie(&http.Cookie{Name: csrfCookie, Value: token, Path: "/", MaxAge: csrfCookieMaxAge, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
	c.Set(csrfKey, token)
	return token, nil
}

// maskToken hides the CSRF token behind a fresh one-time pad, so that it
// reads differently in every response: compressed pages that also echo a
// visitor's input then give nothing away about it (the BREACH attack).
func maskToken(token string) string {
	if token == "" {
		return ""
	}
	out := make([]byte, 2*len(token))
	pad := out[:len(token)]
	if _, err := rand.Read(pad); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	for i := range len(token) {
		out[len(token)+i] = token[i] ^ pad[i]
	}
	return maskedPrefix + base64.RawURLEncoding.EncodeToString(out)
}

// maskedPrefix starts a masked token; plain tokens never contain it.
const maskedPrefix = "~"

// unmaskToken returns the token a masked value hides; a plain token is
// returned as it is, and a malformed one as something no check accepts.
func unmaskToken(v string) string {
	masked, ok := strings.CutPrefix(v, maskedPrefix)
	if !ok {
		return v
	}
	b, err := base64.RawURLEncoding.DecodeString(masked)
	if err != nil || len(b) == 0 || len(b)%2 != 0 {
		return ""
	}
	n := len(b) / 2
	for i := range n {
		b[n+i] ^= b[i]
	}
	return string(b[n:])
}

// unmaskRequestToken puts the plain token in place of a masked one, in
// the form and the header the CSRF check reads.
func unmaskRequestToken(r *http.Request) {
	for _, form := range []url.Values{r.Form, r.PostForm} {
		if vs, ok := form["_csrf"]; ok {
			for i := range vs {
				vs[i] = unmaskToken(vs[i])
			}
		}
	}
	if r.MultipartForm != nil {
		for i, v := range r.MultipartForm.Value["_csrf"] {
			r.MultipartForm.Value["_csrf"][i] = unmaskToken(v)
		}
	}
	if v := r.Header.Get("X-CSRF-Token"); v != "" {
		r.Header.Set("X-CSRF-Token", unmaskToken(v))
	}
}

// errCSRF marks a request refused for a missing or wrong CSRF token.
var errCSRF = errors.New("missing or invalid CSRF token")

// csrfProtection refuses with 403 a state-changing request that comes from
// another site, or whose _csrf token is missing or wrong.
func (h *Handler) csrfProtection() echo.MiddlewareFunc {
	csrf := middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "form:_csrf,header:X-CSRF-Token",
		CookieName:     csrfCookie,
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSameSite: http.SameSiteLaxMode,
		CookieMaxAge:   csrfCookieMaxAge,
		ContextKey:     csrfKey,
		ErrorHandler: func(err error, c echo.Context) error {
			return echo.NewHTTPError(http.StatusForbidden, "invalid CSRF token").SetInternal(errCSRF)
		},
	})
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if h.crossSite(c.Request()) {
				return echo.NewHTTPError(http.StatusForbidden, "cross-site request").SetInternal(errCSRF)
			}
			// Echo lets a request that claims Sec-Fetch-Site: same-origin
			// through without a token (GHSA-9fhj-f35q-w532) and then gives
			// forms a dummy token; any client can send that header, so the
			// token is always required here.
			c.Request().Header.Del(echo.HeaderSecFetchSite)
			unmaskRequestToken(c.Request())
			return csrf(next)(c)
		}
	}
}

// crossSite reports whether r changes state and comes from another site:
// the browser says so (Sec-Fetch-Site: cross-site), or it names an Origin
// that is not the site's own (its base URL, or the scheme and host the
// request reached). Without either header (older browsers, scripts) the
// token alone decides.
func (h *Handler) crossSite(r *http.Request) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return false
	}
	if r.Header.Get(echo.HeaderSecFetchSite) == "cross-site" {
		return true
	}
	origin := r.Header.Get(echo.HeaderOrigin)
	if origin == "" {
		return false
	}
	scheme := "http"
	if h.viaTLS(r) {
		scheme = "https"
	}
	own := []string{scheme + "://" + r.Host}
	if u, err := url.Parse(h.cfg.BaseURL); err == nil {
		own = append(own, u.Scheme+"://"+u.Host)
	}
	for _, o := range own {
		if strings.EqualFold(origin, o) {
			return false
		}
	}
	return true
}

// ipExtractor takes the client address from X-Forwarded-For only when the
// request comes through a trusted proxy; otherwise from the connection,
// so a client cannot pick its own address to dodge rate limits.
func ipExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// hostPrefix names cookies that a browser accepts only when Secure, for
// the whole site, and set by this very host: no other subdomain, and no
// plain-HTTP page, can plant or overwrite them.
const hostPrefix = "__Host-"

// secureCookies, for a request that came over TLS (directly, or through a
// trusted proxy that says so), or for every request when the settings
// demand it, marks the response's cookies Secure and names the app's
// cookies (ltl_…) __Host-ltl_…. The rest of the app keeps using the plain
// names: the request's __Host- cookies are renamed on the way in, and
// plain-named ones, which another host could have planted, are dropped.
func (h *Handler) secureCookies(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if h.cfg.SecureCookies || h.viaTLS(c.Request()) {
			unprefixCookies(c.Request())
			c.Response().Writer = &secureCookieWriter{ResponseWriter: c.Response().Writer}
		}
		return next(c)
	}
}

// unprefixCookies renames the request's __Host-ltl_… cookies ltl_… and
// drops the ltl_… cookies that came without the prefix.
func unprefixCookies(r *http.Request) {
	cookies := r.Cookies()
	r.Header.Del("Cookie")
	for _, ck := range cookies {
		switch {
		case strings.HasPrefix(ck.Name, hostPrefix+"ltl_"):
			ck.Name = strings.TrimPrefix(ck.Name, hostPrefix)
		case strings.HasPrefix(ck.Name, "ltl_"):
			continue
		}
		r.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
	}
}

// viaTLS reports whether r reached the client's browser over TLS.
func (h *Handler) viaTLS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	if r.Header.Get("X-Forwarded-Proto") != "https" {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	for _, n := range h.cfg.TrustedProxies {
		if ip != nil && n.Contains(ip) {
			return true
		}
	}
	return false
}

// secureCookieWriter marks Set-Cookie headers Secure, and the app's
// cookies __Host-, as the headers go out;
// it sits below the session middleware, which sets its cookie late.
type secureCookieWriter struct {
	http.ResponseWriter
	wroteHeader bool
}

func (w *secureCookieWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.wroteHeader = true
		cookies := w.Header()["Set-Cookie"]
		for i, v := range cookies {
			if !strings.Contains(strings.ToLower(v), "; secure") {
				v += "; Secure"
			}
			if strings.HasPrefix(v, "ltl_") {
				v = hostPrefix + v
			}
			cookies[i] = v
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *secureCookieWriter) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *secureCookieWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// sessionUserID is the session key of the signed-in user's id.
const sessionUserID = "user_id"

// sessionEpoch is the session key of the user's SessionEpoch at sign-in.
const sessionEpoch = "epoch"

// loadUser puts the signed-in user, if any, in the context.
func (h *Handler) loadUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if strings.HasPrefix(c.Path(), "/static") {
			return next(c) // stylesheets and images need no user
		}
		ctx := c.Request().Context()
		if id := h.sessions.GetInt64(ctx, sessionUserID); id > 0 {
			u, err := h.store.User(ctx, uint(id))
			switch {
			case errors.Is(err, models.ErrNotFound):
				h.sessions.Remove(ctx, sessionUserID)
			case err != nil:
				return err
			case u.Disabled, h.sessions.GetInt64(ctx, sessionEpoch) != u.SessionEpoch:
				// Disabled, or every session of the user was ended since
				// this one began (models.User.SessionEpoch).
				h.sessions.Remove(ctx, sessionUserID)
			default:
				c.Set("user", u)
			}
		}
		return next(c)
	}
}

// currentUser is the signed-in user, or nil.
func currentUser(c echo.Context) *models.User {
	u, _ := c.Get("user").(*models.User)
	return u
}

// signedInOnly tells the routes, by pattern, that only signed-in users may
// use: each of them also goes through requireLogin where it is declared.
func signedInOnly(path string) bool {
	return path == "/account" || path == "/dashboard" || strings.HasPrefix(path, "/account/") || strings.HasPrefix(path, "/manage/")
}

// refuseBeforeBody refuses a request to a route for signed-in users that
// comes without a valid session, as requireLogin would, before anything
// reads its body: an anonymous upload costs neither disk nor the time to
// receive it.
func (h *Handler) refuseBeforeBody(next echo.HandlerFunc) echo.HandlerFunc {
	gate := noStore(h.requireLogin(next))
	return func(c echo.Context) error {
		if signedInOnly(c.Path()) {
			return gate(c)
		}
		return next(c)
	}
}

// requireLogin sends anonymous visitors to the login page, then back.
func (h *Handler) requireLogin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if currentUser(c) == nil {
			target := "/login"
			if c.Request().Method == http.MethodGet {
				target += "?next=" + url.QueryEscape(c.Request().URL.RequestURI())
			}
			return c.Redirect(http.StatusSeeOther, target)
		}
		if h.needsTwoFactor(currentUser(c)) && !strings.HasPrefix(c.Path(), "/account/two-factor") {
			return c.Redirect(http.StatusSeeOther, "/account/two-factor")
		}
		return next(c)
	}
}

// noStore asks browsers and proxies to keep no copy of a response: private
// pages and downloads (partner contacts, learners' details), redirects and
// errors alike.
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}

// requireStaff refuses everyone but UNESCO staff.
func (h *Handler) requireStaff(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !currentUser(c).IsStaff() {
			return models.ErrForbidden
		}
		return next(c)
	}
}

// unreadableBody is the error for a request body that could not be read:
// 413 when it ran past the size limit (a chunked body has no length to
// refuse it by beforehand), 400 otherwise.
func unreadableBody(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.Is(err, echo.ErrStatusRequestEntityTooLarge) || errors.As(err, &tooLarge) || errors.Is(err, multipart.ErrMessageTooLarge) {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge).SetInternal(err)
	}
	return echo.NewHTTPError(http.StatusBadRequest, "unreadable form").SetInternal(err)
}

// requestLogConfig logs one line per request with slog.
func (h *Handler) requestLogConfig() middleware.RequestLoggerConfig {
	return middleware.RequestLoggerConfig{
		LogStatus:   true,
		LogURIPath:  true,
		LogMethod:   true,
		LogLatency:  true,
		LogRemoteIP: true,
		Skipper:     func(c echo.Context) bool { return strings.HasPrefix(c.Path(), "/static") },
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			h.log.LogAttrs(c.Request().Context(), slog.LevelInfo, "request",
				slog.String("method", v.Method), slog.String("path", loggedPath(v.URIPath)), slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency), slog.String("ip", v.RemoteIP))
			return nil
		},
	}
}

// secretSegments end the paths whose next segment is a secret: the
// single-use links of invitations and password resets, and an import's
// status.
var secretSegments = []string{"/invitations/", "/password-reset/", "/import/status/"}

// loggedPath is path as logs show it: what follows a secret segment is
// replaced by ":token", whether the path names a route or not.
func loggedPath(path string) string {
	for _, seg := range secretSegments {
		if i := strings.Index(path, seg); i >= 0 {
			return path[:i+len(seg)] + ":token"
		}
	}
	return path
}

// rejectBadText answers 400 to a request whose path, query or form holds
// text that is not valid UTF-8 or contains a NUL byte: no handler or
// database should ever see it (PostgreSQL refuses it with an error). The
// error names the parameter, as the API's contract asks.
func rejectBadText(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		bad := func(s string) bool { return !utf8.ValidString(s) || strings.ContainsRune(s, 0) }
		if bad(r.URL.Path) {
			return &queryError{Field: "path", Problem: "not valid text"}
		}
		sets := []url.Values{r.URL.Query()}
		if r.Method == http.MethodPost {
			// ParseForm first: ParseMultipartForm drops its error for a
			// form that is not multipart, and then the form looks empty.
			if err := r.ParseForm(); err != nil {
				return unreadableBody(err)
			}
			// Files above 1 MB wait on disk, not in memory, until read.
			// net/http removes them only for the request it made, and r
			// is a copy (the session middleware's): they are removed
			// here, once the handler is done, whatever its answer.
			err := r.ParseMultipartForm(1 << 20)
			if r.MultipartForm != nil {
				defer r.MultipartForm.RemoveAll()
			}
			if err != nil && !errors.Is(err, http.ErrNotMultipart) {
				return unreadableBody(err)
			}
			sets = append(sets, r.PostForm)
			if r.MultipartForm != nil {
				sets = append(sets, r.MultipartForm.Value)
			}
		}
		for _, set := range sets {
			for k, vs := range set {
				if bad(k) {
					return &queryError{Field: "parameter name", Problem: "not valid text"}
				}
				for _, v := range vs {
					if bad(v) {
						return &queryError{Field: k, Problem: "not valid text"}
					}
				}
			}
		}
		return next(c)
	}
}

// withDeadline gives a request's context a deadline of d, but for the
// requests skip picks (which set their own); work that runs out of time
// is answered 503 (statusOf). The deadline ends with the handler: the error page that
// may follow is written under the request's own context.
func withDeadline(d time.Duration, skip func(echo.Context) bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if skip(c) {
				return next(c)
			}
			ctx, cancel := context.WithTimeout(c.Request().Context(), d)
			defer cancel()
			c.SetRequest(c.Request().WithContext(ctx))
			err := next(c)
			c.SetRequest(c.Request().WithContext(context.WithoutCancel(c.Request().Context())))
			return err
		}
	}
}
