package handlers_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
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
	wantQR(t, staff, doc, secret)
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

// decodeQR reads the QR code in a PNG image (served, or a screenshot).
func decodeQR(t testing.TB, data []byte) string {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not an image: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	must(t, err)
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("no QR code in the image: %v", err)
	}
	return res.GetText()
}

// wantOTPAuth checks that uri is the otpauth:// URL of secret for staff.
func wantOTPAuth(t testing.TB, uri, secret string) {
	t.Helper()
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "otpauth" || u.Host != "totp" || u.Query().Get("secret") != secret ||
		!strings.HasSuffix(u.Path, ":staff@example.org") || u.Query().Get("issuer") != "LearnThroughLife" {
		t.Errorf("the QR code reads %q, want the otpauth:// URL of secret %s", uri, secret)
	}
}

// wantQR checks that the two-factor page's image is served, as a PNG
// kept by no cache, and that it reads as the secret the page shows.
func wantQR(t testing.TB, c *client, doc *goquery.Document, secret string) {
	t.Helper()
	src, _ := doc.Find("[data-testid=two-factor-qr]").Attr("src")
	if !strings.HasPrefix(src, "/") {
		t.Fatalf("the QR code's src is %q, not a path of the site", src)
	}
	res := c.get(t, src)
	wantStatus(t, res, http.StatusOK)
	if ct, cc := res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"); ct != "image/png" || cc != "no-store" {
		t.Errorf("QR code served as %q, Cache-Control %q", ct, cc)
	}
	if _, err := png.Decode(strings.NewReader(res.body)); err != nil {
		t.Errorf("the QR code is not a PNG: %v", err)
	}
	wantOTPAuth(t, decodeQR(t, []byte(res.body)), secret)
}

// TestTwoFactorQRCode: the QR code is the signed-in staff member's own
// secret being set up, and nobody else's; once it is on, there is none.
func TestTwoFactorQRCode(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	wantStatus(t, a.client().get(t, "/account/two-factor/qr.png"), http.StatusSeeOther)
	wantStatus(t, a.loggedIn(t, "agadir@example.org").get(t, "/account/two-factor/qr.png"), http.StatusForbidden)
	staff := a.loggedIn(t, "staff@example.org")
	// No secret is being set up before the page is seen.
	wantStatus(t, staff.get(t, "/account/two-factor/qr.png"), http.StatusNotFound)
	// Each visit of the page makes a new secret; the image follows it.
	for range 2 {
		doc := staff.get(t, "/account/two-factor").doc(t)
		wantQR(t, staff, doc, doc.Find("[data-testid=two-factor-secret]").Text())
	}
	turnOnTwoFactor(t, staff)
	wantStatus(t, staff.get(t, "/account/two-factor/qr.png"), http.StatusNotFound)
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
