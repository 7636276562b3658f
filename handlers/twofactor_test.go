package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/pquerna/otp/totp"

	"github.com/unesco-gnlc/learnthroughlife/handlers"
	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
)

// staffAccount is the staff account as stored now.
func (a *app) staffAccount(t testing.TB) *models.User {
	t.Helper()
	return &a.users(t, models.UserFilter{Role: models.RoleStaff})[0]
}

// turnOnTwoFactor turns two-factor sign-in on for the staff client and
// returns the secret and the recovery codes.
func turnOnTwoFactor(t *testing.T, staff *client) (string, []string) {
	t.Helper()
	res := staff.get(t, "/account/two-factor")
	wantStatus(t, res, http.StatusOK)
	doc := res.doc(t)
	secret := doc.Find("[data-testid=two-factor-secret]").Text()
	if secret == "" || doc.Find("[data-testid=two-factor-qr]").Length() != 1 {
		t.Fatalf("no secret or QR code:\n%s", res.body)
	}
	res = staff.post(t, "/account/two-factor", url.Values{"code": {"000000"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if got := res.doc(t).Find("[data-testid=two-factor-secret]").Text(); got != secret {
		t.Errorf("a wrong code changed the secret: %q, was %q", got, secret)
	}
	code, err := totp.GenerateCode(secret, time.Now())
	must(t, err)
	res = staff.post(t, "/account/two-factor", url.Values{"code": {code}})
	wantStatus(t, res, http.StatusOK)
	var codes []string
	res.doc(t).Find("[data-testid=recovery-codes] code").Each(func(_ int, s *goquery.Selection) { codes = append(codes, s.Text()) })
	if len(codes) != store.RecoveryCodes {
		t.Fatalf("%d recovery codes:\n%s", len(codes), res.body)
	}
	return secret, codes
}

func TestTwoFactorSignIn(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	staff := a.loggedIn(t, "staff@example.org")
	wantStatus(t, a.loggedIn(t, "agadir@example.org").get(t, "/account/two-factor"), http.StatusForbidden)
	secret, codes := turnOnTwoFactor(t, staff)
	if !a.staffAccount(t).TwoFactorOn() {
		t.Fatal("two-factor sign-in is not on")
	}

	// The password alone does not sign in.
	c := a.client()
	res := c.post(t, "/login", url.Values{"email": {"staff@example.org"}, "password": {password}, "next": {"/manage/users"}})
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/login/two-factor" {
		t.Fatalf("after the password: %q", loc)
	}
	wantStatus(t, c.get(t, "/manage/users"), http.StatusSeeOther)
	wantStatus(t, c.get(t, "/login/two-factor"), http.StatusOK)
	wantStatus(t, c.post(t, "/login/two-factor", url.Values{"code": {"123456"}}), http.StatusUnauthorized)
	// The code that turned it on was spent; the next one works, once.
	next, err := totp.GenerateCode(secret, time.Now().Add(30*time.Second))
	must(t, err)
	res = c.post(t, "/login/two-factor", url.Values{"code": {next}})
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/manage/users" {
		t.Errorf("after the code: %q", loc)
	}
	wantStatus(t, c.get(t, "/manage/users"), http.StatusOK)

	replay := a.client()
	wantStatus(t, replay.post(t, "/login", url.Values{"email": {"staff@example.org"}, "password": {password}}), http.StatusSeeOther)
	wantStatus(t, replay.post(t, "/login/two-factor", url.Values{"code": {next}}), http.StatusUnauthorized)
	// A recovery code works once, however it is typed.
	wantStatus(t, replay.post(t, "/login/two-factor", url.Values{"code": {" " + codes[0] + " "}}), http.StatusSeeOther)
	wantStatus(t, replay.get(t, "/dashboard"), http.StatusOK)
	again := a.client()
	wantStatus(t, again.post(t, "/login", url.Values{"email": {"staff@example.org"}, "password": {password}}), http.StatusSeeOther)
	wantStatus(t, again.post(t, "/login/two-factor", url.Values{"code": {codes[0]}}), http.StatusUnauthorized)
	// Five tries per account and quarter hour, right or wrong: the sixth
	// is refused before it is checked.
	res = again.post(t, "/login/two-factor", url.Values{"code": {codes[1]}})
	wantStatus(t, res, http.StatusTooManyRequests)
	left, err := a.store.RecoveryCodesLeft(context.Background(), a.staffAccount(t))
	must(t, err)
	if left != store.RecoveryCodes-1 {
		t.Errorf("%d recovery codes left", left)
	}
	// Turning it off takes the password.
	wantStatus(t, c.post(t, "/account/two-factor/disable", url.Values{"password": {"not it"}}), http.StatusUnprocessableEntity)
	wantStatus(t, c.post(t, "/account/two-factor/disable", url.Values{"password": {password}}), http.StatusSeeOther)
	if a.staffAccount(t).TwoFactorOn() {
		t.Error("two-factor sign-in still on")
	}
	a.loggedIn(t, "staff@example.org")
}

func TestTwoFactorRequiredForStaff(t *testing.T) {
	t.Parallel()
	a := newAppWith(t, handlers.Config{RequireStaffTwoFactor: true}, false)
	staff := a.loggedIn(t, "staff@example.org")
	for _, path := range []string{"/dashboard", "/manage/users", "/account"} {
		res := staff.get(t, path)
		wantStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/account/two-factor" {
			t.Errorf("%s: to %q, want the two-factor page", path, loc)
		}
	}
	wantStatus(t, a.loggedIn(t, "fez@example.org").get(t, "/dashboard"), http.StatusOK)
	res := staff.get(t, "/account/two-factor")
	if res.doc(t).Find("[data-testid=two-factor-required]").Length() != 1 {
		t.Error("the page does not say two-factor sign-in is required")
	}
	turnOnTwoFactor(t, staff)
	wantStatus(t, staff.get(t, "/dashboard"), http.StatusOK)
	wantStatus(t, staff.post(t, "/account/two-factor/disable", url.Values{"password": {password}}), http.StatusConflict)
	if !a.staffAccount(t).TwoFactorOn() {
		t.Error("required two-factor sign-in was turned off")
	}
}
