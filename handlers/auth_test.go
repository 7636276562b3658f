package handlers_test

import (
	"net"
	"net/http"

	"net/url"
	"strings"
	"testing"

	"github.com/unesco-gnlc/learnthroughlife/handlers"
)

func TestAccountShowsSignedInUser(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	res := a.client().get(t, "/account")
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/login") {
		t.Fatalf("anonymous /account redirects to %q", loc)
	}
	c := a.loggedIn(t, "agadir@example.org")
	doc := c.get(t, "/account").doc(t)
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
	t.Parallel()
	a := newApp(t)
	c := a.client()
	res := c.post(t, "/login", url.Values{"email": {"agadir@example.org"}, "password": {"wrong password"}})
	wantStatus(t, res, http.StatusUnauthorized)
	doc := res.doc(t)
	if !strings.Contains(doc.Find("[data-testid=login-error]").Text(), "wrong") {
		t.Errorf("no login error shown")
	}
	if v, _ := doc.Find("#email").Attr("value"); v != "agadir@example.org" {
		t.Errorf("email not kept: %q", v)
	}
	if c.cookie("ltl_session") != "" && c.get(t, "/account").StatusCode == http.StatusOK {
		t.Fatal("failed login signed in")
	}

	res = c.post(t, "/login", url.Values{"email": {"agadir@example.org"}, "password": {password}, "next": {"/manage/cities/agadir/events"}})
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/manage/cities/agadir/events" {
		t.Errorf("after login went to %q", loc)
	}
	wantStatus(t, c.get(t, "/account"), http.StatusOK)

	wantStatus(t, c.post(t, "/logout", nil), http.StatusSeeOther)
	wantStatus(t, c.get(t, "/account"), http.StatusSeeOther)
}

func TestLoginRefusesOffsiteNext(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	for _, next := range []string{"https://evil.example/", "//evil.example/", "/\\evil.example"} {
		res := a.client().post(t, "/login", url.Values{"email": {"agadir@example.org"}, "password": {password}, "next": {next}})
		wantStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/dashboard" {
			t.Errorf("next=%q: redirected to %q", next, loc)
		}
	}
}

func TestSessionIsRotatedAtLogin(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.loggedIn(t, "agadir@example.org")
	first := c.cookie("ltl_session")
	if first == "" {
		t.Fatal("no session cookie after login")
	}
	// Signing in again on the same browser gets a new session id, and
	// the old one no longer works.
	wantStatus(t, c.post(t, "/login", url.Values{"email": {"fez@example.org"}, "password": {password}}), http.StatusSeeOther)
	second := c.cookie("ltl_session")
	if second == "" || second == first {
		t.Fatalf("session id not rotated: %q then %q", first, second)
	}
	stale := a.client()
	stale.setCookie("ltl_session", first)
	wantStatus(t, stale.get(t, "/account"), http.StatusSeeOther)
}

func TestSessionSurvivesRestart(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.loggedIn(t, "agadir@example.org")
	// A new server on the same database stands for the restarted app.
	restarted := a.restarted(t).client()
	restarted.setCookie("ltl_session", c.cookie("ltl_session"))
	wantStatus(t, restarted.get(t, "/account"), http.StatusOK)
}

func TestLoginThrottling(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.client()
	for range 5 {
		wantStatus(t, c.post(t, "/login", url.Values{"email": {"agadir@example.org"}, "password": {"guess"}}), http.StatusUnauthorized)
	}
	res := c.post(t, "/login", url.Values{"email": {"agadir@example.org"}, "password": {password}})
	wantStatus(t, res, http.StatusTooManyRequests)
	if !strings.Contains(res.doc(t).Find("[data-testid=login-error]").Text(), "15 minutes") {
		t.Error("throttled login does not say when to try again")
	}
	if c.get(t, "/account").StatusCode == http.StatusOK {
		t.Fatal("throttled login signed in")
	}
	// Another account from the same address is still fine (below the
	// per-address limit).
	wantStatus(t, c.post(t, "/login", url.Values{"email": {"fez@example.org"}, "password": {password}}), http.StatusSeeOther)
}

func TestLoginThrottlingIgnoresSpoofedForwardedFor(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.client()
	for i := range 20 {
		h := http.Header{"X-Forwarded-For": {"203.0.113." + string(rune('0'+i%10))}}
		form := url.Values{"email": {"nobody" + string(rune('a'+i)) + "@example.org"}, "password": {"x"}, "_csrf": {c.csrfOrFetch(t)}}
		wantStatus(t, c.postRaw(t, "/login", form, h), http.StatusUnauthorized)
	}
	form := url.Values{"email": {"staff@example.org"}, "password": {password}, "_csrf": {c.csrf()}}
	res := c.postRaw(t, "/login", form, http.Header{"X-Forwarded-For": {"198.51.100.1"}})
	wantStatus(t, res, http.StatusTooManyRequests)
}

func TestLoginRefusesNextWithControlCharacters(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	for _, next := range []string{"/\t/evil.example", "/\n/evil.example", "/ /evil.example"} {
		res := a.client().post(t, "/login", url.Values{"email": {"agadir@example.org"}, "password": {password}, "next": {next}})
		if loc := res.Header.Get("Location"); loc != "/dashboard" {
			t.Errorf("next=%q: redirected to %q", next, loc)
		}
	}
}

func TestCSRFTokenIsRenewedAtLogin(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.client()
	planted := c.csrfOrFetch(t)
	wantStatus(t, c.post(t, "/login", url.Values{"email": {"agadir@example.org"}, "password": {password}}), http.StatusSeeOther)
	c.get(t, "/dashboard")
	if now := c.csrf(); now == "" || now == planted {
		t.Errorf("CSRF token not renewed at login: %q then %q", planted, now)
	}
}

// TestLoginAttackerCannotLockOutOwner: failures from one address throttle
// that address for the account, not the account's owner elsewhere, and
// staff see every attempt in the audit log.
func TestLoginAttackerCannotLockOutOwner(t *testing.T) {
	t.Parallel()
	_, loopback, _ := net.ParseCIDR("127.0.0.0/8")
	a := newAppWith(t, handlers.Config{TrustedProxies: []*net.IPNet{loopback}}, false)
	from := func(ip string) http.Header { return http.Header{"X-Forwarded-For": {ip}} }
	attacker := a.client()
	for range 5 {
		form := url.Values{"email": {"staff@example.org"}, "password": {"guess"}, "_csrf": {attacker.csrfOrFetch(t)}}
		wantStatus(t, attacker.postRaw(t, "/login", form, from("203.0.113.9")), http.StatusUnauthorized)
	}
	form := url.Values{"email": {"staff@example.org"}, "password": {password}, "_csrf": {attacker.csrf()}}
	wantStatus(t, attacker.postRaw(t, "/login", form, from("203.0.113.9")), http.StatusTooManyRequests)

	owner := a.client()
	form = url.Values{"email": {"staff@example.org"}, "password": {password}, "_csrf": {owner.csrfOrFetch(t)}}
	wantStatus(t, owner.postRaw(t, "/login", form, from("192.0.2.44")), http.StatusSeeOther)
	log := owner.get(t, "/manage/audit")
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
