package handlers_test

import (
	"net"
	"net/http"

	"github.com/PuerkitoBio/goquery"
	"net/url"
	"strings"
	"testing"

	"github.com/unesco-gnlc/learnthroughlife/handlers"
)

func TestHealthz(t *testing.T) {
	a := newApp(t)
	res := a.client().get("/healthz")
	wantStatus(t, res, http.StatusOK)
	if strings.TrimSpace(res.body) != `{"status":"ok"}` {
		t.Errorf("body = %s", res.body)
	}
	a.store.Close()
	res = a.client().get("/healthz")
	wantStatus(t, res, http.StatusServiceUnavailable)
}

func TestAccountShowsSignedInUser(t *testing.T) {
	a := newApp(t)
	res := a.client().get("/account")
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/login") {
		t.Fatalf("anonymous /account redirects to %q", loc)
	}
	c := a.loggedIn("agadir@example.org")
	doc := c.get("/account").doc(t)
	for id, want := range map[string]string{
		"account-name": "Agadir Coordinator", "account-email": "agadir@example.org",
		"account-role": "City coordinator", "account-cities": "Agadir",
	} {
		if got := strings.TrimSpace(doc.Find("[data-testid=" + id + "]").Text()); got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
}

func TestLoginLogout(t *testing.T) {
	a := newApp(t)
	c := a.client()
	res := c.post("/login", url.Values{"email": {"agadir@example.org"}, "password": {"wrong password"}})
	wantStatus(t, res, http.StatusUnauthorized)
	doc := res.doc(t)
	if !strings.Contains(doc.Find("[data-testid=login-error]").Text(), "wrong") {
		t.Errorf("no login error shown")
	}
	if v, _ := doc.Find("#email").Attr("value"); v != "agadir@example.org" {
		t.Errorf("email not kept: %q", v)
	}
	if c.cookie("ltl_session") != "" && c.get("/account").StatusCode == http.StatusOK {
		t.Fatal("failed login signed in")
	}

	res = c.post("/login", url.Values{"email": {"agadir@example.org"}, "password": {password}, "next": {"/manage/cities/agadir/events"}})
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/manage/cities/agadir/events" {
		t.Errorf("after login went to %q", loc)
	}
	wantStatus(t, c.get("/account"), http.StatusOK)

	wantStatus(t, c.post("/logout", nil), http.StatusSeeOther)
	wantStatus(t, c.get("/account"), http.StatusSeeOther)
}

func TestLoginRefusesOffsiteNext(t *testing.T) {
	a := newApp(t)
	for _, next := range []string{"https://evil.example/", "//evil.example/", "/\\evil.example"} {
		res := a.client().post("/login", url.Values{"email": {"agadir@example.org"}, "password": {password}, "next": {next}})
		wantStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/dashboard" {
			t.Errorf("next=%q: redirected to %q", next, loc)
		}
	}
}

func TestSessionIsRotatedAtLogin(t *testing.T) {
	a := newApp(t)
	c := a.loggedIn("agadir@example.org")
	first := c.cookie("ltl_session")
	if first == "" {
		t.Fatal("no session cookie after login")
	}
	// Signing in again on the same browser gets a new session id, and
	// the old one no longer works.
	wantStatus(t, c.post("/login", url.Values{"email": {"fez@example.org"}, "password": {password}}), http.StatusSeeOther)
	second := c.cookie("ltl_session")
	if second == "" || second == first {
		t.Fatalf("session id not rotated: %q then %q", first, second)
	}
	stale := a.client()
	stale.setCookie("ltl_session", first)
	wantStatus(t, stale.get("/account"), http.StatusSeeOther)
}

func TestSessionSurvivesRestart(t *testing.T) {
	a := newApp(t)
	c := a.loggedIn("agadir@example.org")
	// A new server on the same database stands for the restarted app.
	restarted := a.restarted().client()
	restarted.setCookie("ltl_session", c.cookie("ltl_session"))
	wantStatus(t, restarted.get("/account"), http.StatusOK)
}

func TestLoginThrottling(t *testing.T) {
	a := newApp(t)
	c := a.client()
	for range 5 {
		wantStatus(t, c.post("/login", url.Values{"email": {"agadir@example.org"}, "password": {"guess"}}), http.StatusUnauthorized)
	}
	res := c.post("/login", url.Values{"email": {"agadir@example.org"}, "password": {password}})
	wantStatus(t, res, http.StatusTooManyRequests)
	if !strings.Contains(res.doc(t).Find("[data-testid=login-error]").Text(), "15 minutes") {
		t.Error("throttled login does not say when to try again")
	}
	if c.get("/account").StatusCode == http.StatusOK {
		t.Fatal("throttled login signed in")
	}
	// Another account from the same address is still fine (below the
	// per-address limit).
	wantStatus(t, c.post("/login", url.Values{"email": {"fez@example.org"}, "password": {password}}), http.StatusSeeOther)
}

func TestLoginThrottlingIgnoresSpoofedForwardedFor(t *testing.T) {
	a := newApp(t)
	c := a.client()
	for i := range 20 {
		h := http.Header{"X-Forwarded-For": {"203.0.113." + string(rune('0'+i%10))}}
		form := url.Values{"email": {"nobody" + string(rune('a'+i)) + "@example.org"}, "password": {"x"}, "_csrf": {c.csrfOrFetch()}}
		wantStatus(t, c.postRaw("/login", form, h), http.StatusUnauthorized)
	}
	form := url.Values{"email": {"staff@example.org"}, "password": {password}, "_csrf": {c.csrf()}}
	res := c.postRaw("/login", form, http.Header{"X-Forwarded-For": {"198.51.100.1"}})
	wantStatus(t, res, http.StatusTooManyRequests)
}

func TestCSRF(t *testing.T) {
	a := newApp(t)
	c := a.loggedIn("agadir@example.org")
	before := a.countEvents()
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
			res := c.postRaw("/manage/cities/agadir/events", f, tt.header)
			wantStatus(t, res, http.StatusForbidden)
			if a.countEvents() != before {
				t.Fatal("a request without a valid CSRF token wrote an event")
			}
		})
	}
	// Logout and login are protected too.
	wantStatus(t, c.postRaw("/logout", url.Values{}, nil), http.StatusForbidden)
	wantStatus(t, c.get("/account"), http.StatusOK)
	wantStatus(t, a.client().postRaw("/login", url.Values{"email": {"agadir@example.org"}, "password": {password}}, nil), http.StatusForbidden)
	// Every state-changing form carries the token.
	doc := c.get("/manage/cities/agadir/events/new").doc(t)
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
		res := a.client().get(path)
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
		c.get("/login")
		res := c.post("/login", url.Values{"email": {"agadir@example.org"}, "password": {password}})
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
	c := a.loggedIn("agadir@example.org")
	before := a.countEvents()
	form := a.validEventForm(strings.Repeat("x", 2<<20))
	res := c.post("/manage/cities/agadir/events", form)
	wantStatus(t, res, http.StatusRequestEntityTooLarge)
	if a.countEvents() != before {
		t.Fatal("an oversized request wrote an event")
	}
}

func TestBadTextIsRefused(t *testing.T) {
	a := newApp(t)
	for _, path := range []string{"/cities?q=%00", "/cities/%FF", "/cities/a%00b", "/reports?city=%FF", "/api/v1/report?country=%C0"} {
		if res := a.client().get(path); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", path, res.StatusCode)
		}
	}
	c := a.loggedIn("agadir@example.org")
	before := a.countEvents()
	form := a.validEventForm("Nul\x00byte")
	wantStatus(t, c.post("/manage/cities/agadir/events", form), http.StatusBadRequest)
	form = a.validEventForm("Bad \xff UTF-8")
	wantStatus(t, c.post("/manage/cities/agadir/events", form), http.StatusBadRequest)
	form = a.validEventForm("Year zero")
	form.Set("starts_at", "0000-03-01T10:00")
	wantStatus(t, c.post("/manage/cities/agadir/events", form), http.StatusUnprocessableEntity)
	if a.countEvents() != before {
		t.Fatal("bad text was written")
	}
	story := validStoryForm()
	story.Set("title", "a\x00b")
	wantStatus(t, a.client().postMultipart("/stories", story, nil), http.StatusBadRequest)
}

func TestLoginRefusesNextWithControlCharacters(t *testing.T) {
	a := newApp(t)
	for _, next := range []string{"/\t/evil.example", "/\n/evil.example", "/ /evil.example"} {
		res := a.client().post("/login", url.Values{"email": {"agadir@example.org"}, "password": {password}, "next": {next}})
		if loc := res.Header.Get("Location"); loc != "/dashboard" {
			t.Errorf("next=%q: redirected to %q", next, loc)
		}
	}
}

func TestCSRFTokenIsRenewedAtLogin(t *testing.T) {
	a := newApp(t)
	c := a.client()
	planted := c.csrfOrFetch()
	wantStatus(t, c.post("/login", url.Values{"email": {"agadir@example.org"}, "password": {password}}), http.StatusSeeOther)
	c.get("/dashboard")
	if now := c.csrf(); now == "" || now == planted {
		t.Errorf("CSRF token not renewed at login: %q then %q", planted, now)
	}
}

// TestLoginAttackerCannotLockOutOwner: failures from one address throttle
// that address for the account, not the account's owner elsewhere, and
// staff see every attempt in the audit log.
func TestLoginAttackerCannotLockOutOwner(t *testing.T) {
	_, loopback, _ := net.ParseCIDR("127.0.0.0/8")
	a := newAppWith(t, handlers.Config{TrustedProxies: []*net.IPNet{loopback}}, false)
	from := func(ip string) http.Header { return http.Header{"X-Forwarded-For": {ip}} }
	attacker := a.client()
	for range 5 {
		form := url.Values{"email": {"staff@example.org"}, "password": {"guess"}, "_csrf": {attacker.csrfOrFetch()}}
		wantStatus(t, attacker.postRaw("/login", form, from("203.0.113.9")), http.StatusUnauthorized)
	}
	form := url.Values{"email": {"staff@example.org"}, "password": {password}, "_csrf": {attacker.csrf()}}
	wantStatus(t, attacker.postRaw("/login", form, from("203.0.113.9")), http.StatusTooManyRequests)

	owner := a.client()
	form = url.Values{"email": {"staff@example.org"}, "password": {password}, "_csrf": {owner.csrfOrFetch()}}
	wantStatus(t, owner.postRaw("/login", form, from("192.0.2.44")), http.StatusSeeOther)
	log := owner.get("/manage/audit")
	wantStatus(t, log, http.StatusOK)
	text := log.doc(t).Find("[data-testid=audit-table]").Text()
	for _, want := range []string{"Signed in as", "Failed to sign in as", "Was refused sign-in", "192.0.2.44", "203.0.113.9"} {
		if !strings.Contains(strings.ToLower(text), strings.ToLower(want)) {
			t.Errorf("audit log lacks %q", want)
		}
	}
	if strings.Contains(log.body, "guess") {
		t.Error("the audit log shows a password")
	}
}
