package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
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
	// The session, kept in the database, holds the secret sealed.
	data, found, err := staff.app.store.Sessions().FindCtx(context.Background(), staff.cookie("ltl_session"))
	must(t, err)
	if !found || bytes.Contains(data, []byte(secret)) {
		t.Errorf("the session holds the secret in clear (found %v)", found)
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
	// They can be downloaded as a text file, one a line.
	link := res.doc(t).Find("[data-testid=recovery-codes-download]")
	href, _ := link.Attr("href")
	file, err := url.PathUnescape(strings.TrimPrefix(href, "data:text/plain;charset=utf-8,"))
	must(t, err)
	if name, _ := link.Attr("download"); !strings.HasSuffix(name, ".txt") || !strings.HasSuffix(file, "\n"+strings.Join(codes, "\n")+"\n") {
		t.Errorf("the download %q holds:\n%s", name, file)
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
	// The database keeps the secret sealed with the server's key.
	if stored := a.staffAccount(t).TOTPSecret; !strings.HasPrefix(stored, "v1:") || strings.Contains(stored, secret) {
		t.Errorf("stored secret %q", stored)
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
	// A right code after a wrong one signs in: only wrong codes count.
	wantStatus(t, again.post(t, "/login/two-factor", url.Values{"code": {codes[1]}}), http.StatusSeeOther)
	left, err := a.store.RecoveryCodesLeft(context.Background(), a.staffAccount(t))
	must(t, err)
	if left != store.RecoveryCodes-2 {
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

// signInFrom gives the staff password from ip on a new client, which then
// waits for the code.
func signInFrom(t *testing.T, a *app, ip string) *client {
	t.Helper()
	c := a.client()
	res := c.postRaw(t, "/login", url.Values{"email": {"staff@example.org"}, "password": {password}, "_csrf": {c.csrfOrFetch(t)}}, fromIP(ip))
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/login/two-factor" {
		t.Fatalf("after the password: %q", loc)
	}
	return c
}

func fromIP(ip string) http.Header { return http.Header{"X-Forwarded-For": {ip}} }

// codeFrom posts a second-factor code from ip.
func codeFrom(t *testing.T, c *client, ip, code string) *response {
	t.Helper()
	return c.postRaw(t, "/login/two-factor", url.Values{"code": {code}, "_csrf": {c.csrfOrFetch(t)}}, fromIP(ip))
}

// turnOnTwoFactorEarly turns two-factor sign-in on with the code of the
// previous time step, so that the codes of this step and the next are
// still unused, and returns the secret, the time it was turned on and the
// recovery codes.
func turnOnTwoFactorEarly(t *testing.T, staff *client) (string, time.Time, []string) {
	t.Helper()
	res := staff.get(t, "/account/two-factor")
	wantStatus(t, res, http.StatusOK)
	secret := res.doc(t).Find("[data-testid=two-factor-secret]").Text()
	at := time.Now()
	code, err := totp.GenerateCode(secret, at.Add(-30*time.Second))
	must(t, err)
	res = staff.post(t, "/account/two-factor", url.Values{"code": {code}})
	wantStatus(t, res, http.StatusOK)
	var codes []string
	res.doc(t).Find("[data-testid=recovery-codes] code").Each(func(_ int, s *goquery.Selection) { codes = append(codes, s.Text()) })
	return secret, at, codes
}

// Staff at a workshop sign in on a laptop and a phone: two wrong codes
// and three right ones in a quarter hour do not refuse the sixth code.
func TestTwoFactorRightCodesDoNotCount(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	secret, at, codes := turnOnTwoFactorEarly(t, a.loggedIn(t, "staff@example.org"))
	const ip = "198.51.100.7"
	laptop := signInFrom(t, a, ip)
	wantStatus(t, codeFrom(t, laptop, ip, "000000"), http.StatusUnauthorized)
	wantStatus(t, codeFrom(t, laptop, ip, "111111"), http.StatusUnauthorized)
	now, err := totp.GenerateCode(secret, at)
	must(t, err)
	wantStatus(t, codeFrom(t, laptop, ip, now), http.StatusSeeOther)
	for _, code := range codes[:2] {
		phone := signInFrom(t, a, ip)
		wantStatus(t, codeFrom(t, phone, ip, code), http.StatusSeeOther)
	}
	next, err := totp.GenerateCode(secret, at.Add(30*time.Second))
	must(t, err)
	sixth := signInFrom(t, a, ip)
	wantStatus(t, codeFrom(t, sixth, ip, next), http.StatusSeeOther)
	wantStatus(t, sixth.get(t, "/dashboard"), http.StatusOK)
}

// Wrong codes from another address never refuse the owner's right code.
func TestTwoFactorWrongCodesElsewhereDoNotLockOut(t *testing.T) {
	t.Parallel()
	a := newAppWith(t, handlers.Config{TrustedProxies: loopback()}, false)
	secret, at, _ := turnOnTwoFactorEarly(t, a.loggedIn(t, "staff@example.org"))
	const thief, owner = "203.0.113.66", "198.51.100.8"
	c := signInFrom(t, a, thief)
	for i := range 5 {
		wantStatus(t, codeFrom(t, c, thief, fmt.Sprintf("%06d", i)), http.StatusUnauthorized)
	}
	wantStatus(t, codeFrom(t, c, thief, "999999"), http.StatusTooManyRequests)
	// Signing in again from the same address does not start afresh.
	for i := range 15 {
		c = signInFrom(t, a, thief)
		wantStatus(t, codeFrom(t, c, thief, fmt.Sprintf("%06d", 10+i)), http.StatusUnauthorized)
	}
	c = signInFrom(t, a, thief)
	wantStatus(t, codeFrom(t, c, thief, "999999"), http.StatusTooManyRequests)

	mine := signInFrom(t, a, owner)
	code, err := totp.GenerateCode(secret, at)
	must(t, err)
	wantStatus(t, codeFrom(t, mine, owner, code), http.StatusSeeOther)
	wantStatus(t, mine.get(t, "/dashboard"), http.StatusOK)
}

// The refusal after too many wrong codes says for how many minutes and
// offers a recovery code, which still signs in.
func TestTwoFactorRefusalNamesMinutesAndRecovery(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	secret, at, codes := turnOnTwoFactorEarly(t, a.loggedIn(t, "staff@example.org"))
	const ip = "198.51.100.9"
	c := signInFrom(t, a, ip)
	for i := range 5 {
		wantStatus(t, codeFrom(t, c, ip, fmt.Sprintf("%06d", i)), http.StatusUnauthorized)
	}
	// Even the right code of the app is refused now.
	code, err := totp.GenerateCode(secret, at)
	must(t, err)
	res := codeFrom(t, c, ip, code)
	wantStatus(t, res, http.StatusTooManyRequests)
	doc := res.doc(t)
	msg := doc.Find("[data-testid=login-code-error]").Text()
	m := regexp.MustCompile(`(\d+) more minutes`).FindStringSubmatch(msg)
	if m == nil {
		t.Fatalf("the refusal names no minutes: %q", msg)
	}
	if n, _ := strconv.Atoi(m[1]); n < 1 || n > 15 {
		t.Errorf("%d minutes", n)
	}
	if res.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	if doc.Find("[data-testid=login-code-recovery]").Length() != 1 || doc.Find("[data-testid=login-code-form] [data-testid=login-code-recovery-field]").Length() != 1 {
		t.Fatalf("the refusal offers no recovery code:\n%s", res.body)
	}
	wantStatus(t, codeFrom(t, c, ip, "abcd-efgh-ijkl"), http.StatusTooManyRequests)
	wantStatus(t, codeFrom(t, c, ip, codes[0]), http.StatusSeeOther)
	wantStatus(t, c.get(t, "/dashboard"), http.StatusOK)
}
