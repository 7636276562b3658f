package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/unesco-gnlc/learnthroughlife/handlers"
)

func TestCSRF(t *testing.T) {
	a := newApp(t)
	c := a.loggedIn(t, "agadir@example.org")
	before := a.countEvents(t)
	form := a.validEventForm("Forged event")
	tests := []struct {
		name   string
		token  string
		header http.Header
	}{
		{"no token", "", nil},
		{"wrong token", "not-the-token", nil},
		{"no token, claims same-origin", "", http.Header{"Sec-Fetch-Site": {"same-origin"}}},
		{"no token, claims none", "", http.Header{"Sec-Fetch-Site": {"none"}}},
		{"cross-site", "", http.Header{"Sec-Fetch-Site": {"cross-site"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			if tt.token != "" {
				f.Set("_csrf", tt.token)
			}
			res := c.postRaw(t, "/manage/cities/agadir/events", f, tt.header)
			wantStatus(t, res, http.StatusForbidden)
			if a.countEvents(t) != before {
				t.Fatal("a request without a valid CSRF token wrote an event")
			}
		})
	}
	// Logout and login are protected too.
	wantStatus(t, c.postRaw(t, "/logout", url.Values{}, nil), http.StatusForbidden)
	wantStatus(t, c.get(t, "/account"), http.StatusOK)
	wantStatus(t, a.client().postRaw(t, "/login", url.Values{"email": {"agadir@example.org"}, "password": {password}}, nil), http.StatusForbidden)
	// Every state-changing form carries the token.
	doc := c.get(t, "/manage/cities/agadir/events/new").doc(t)
	doc.Find("form[method=post]").Each(func(_ int, f *goquery.Selection) {
		if v, _ := f.Find("input[name=_csrf]").Attr("value"); v != c.csrf() || v == "" {
			action, _ := f.Attr("action")
			t.Errorf("form %s has CSRF token %q, want %q", action, v, c.csrf())
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	a := newApp(t)
	for _, path := range []string{"/", "/cities", "/login", "/no-such-page", "/static/css/app.css", "/healthz"} {
		res := a.client().get(t, path)
		h := res.Header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP = %q", path, csp)
		}
		for name, want := range map[string]string{
			"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "strict-origin-when-cross-origin",
		} {
			if got := h.Get(name); got != want {
				t.Errorf("%s: %s = %q, want %q", path, name, got, want)
			}
		}
	}
}

func TestCookieFlags(t *testing.T) {
	check := func(t *testing.T, a *app, wantSecure bool) {
		c := a.client()
		c.get(t, "/login")
		res := c.post(t, "/login", url.Values{"email": {"agadir@example.org"}, "password": {password}})
		wantStatus(t, res, http.StatusSeeOther)
		var sawSession bool
		for _, ck := range res.Cookies() {
			if ck.Name == "ltl_session" || ck.Name == "__Host-ltl_session" {
				sawSession = true
			}
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure != wantSecure {
				t.Errorf("cookie %s: HttpOnly=%v SameSite=%v Secure=%v, want Secure=%v", ck.Name, ck.HttpOnly, ck.SameSite, ck.Secure, wantSecure)
			}
		}
		if !sawSession {
			t.Error("login set no session cookie")
		}
	}
	t.Run("plain HTTP", func(t *testing.T) { check(t, newApp(t), false) })
	t.Run("TLS", func(t *testing.T) { check(t, newAppWith(t, handlers.Config{}, true), true) })
}

func TestBodyLimit(t *testing.T) {
	a := newApp(t)
	c := a.loggedIn(t, "agadir@example.org")
	before := a.countEvents(t)
	form := a.validEventForm(strings.Repeat("x", 2<<20))
	res := c.post(t, "/manage/cities/agadir/events", form)
	wantStatus(t, res, http.StatusRequestEntityTooLarge)
	if a.countEvents(t) != before {
		t.Fatal("an oversized request wrote an event")
	}
}

func TestBadTextIsRefused(t *testing.T) {
	a := newApp(t)
	for _, path := range []string{"/cities?q=%00", "/cities/%FF", "/cities/a%00b", "/reports?city=%FF", "/api/v1/report?country=%C0"} {
		if res := a.client().get(t, path); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", path, res.StatusCode)
		}
	}
	c := a.loggedIn(t, "agadir@example.org")
	before := a.countEvents(t)
	form := a.validEventForm("Nul\x00byte")
	wantStatus(t, c.post(t, "/manage/cities/agadir/events", form), http.StatusBadRequest)
	form = a.validEventForm("Bad \xff UTF-8")
	wantStatus(t, c.post(t, "/manage/cities/agadir/events", form), http.StatusBadRequest)
	form = a.validEventForm("Year zero")
	form.Set("starts_at", "0000-03-01T10:00")
	wantStatus(t, c.post(t, "/manage/cities/agadir/events", form), http.StatusUnprocessableEntity)
	if a.countEvents(t) != before {
		t.Fatal("bad text was written")
	}
	story := validStoryForm()
	story.Set("title", "a\x00b")
	wantStatus(t, a.client().postMultipart(t, "/stories", story, nil), http.StatusBadRequest)
}

// TestRequestsHaveADeadline: work that outlives the request's deadline is
// stopped and answered 503, not left running.
func TestRequestsHaveADeadline(t *testing.T) {
	a := newAppWith(t, handlers.Config{Deadline: time.Nanosecond}, false)
	res := a.client().get(t, "/cities")
	wantStatus(t, res, http.StatusServiceUnavailable)
	if res.doc(t).Find("[data-testid=error-page]").Length() != 1 {
		t.Error("no error page")
	}
}
