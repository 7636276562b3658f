package handlers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"github.com/unesco-gnlc/learnthroughlife/handlers"
)

// setPassword chooses a password on a single-use link's page.
func setPassword(tb *tab, path, pw string) {
	tb.t.Helper()
	tb.visit(path)
	tb.step("choose a password",
		chromedp.SendKeys(chromedp.CSS("#password"), pw),
		chromedp.SendKeys(chromedp.CSS("#confirm"), pw),
		chromedp.Submit(chromedp.CSS("[data-testid=set-password-form]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=login-form]")),
	)
	tb.check("sign-in after choosing a password")
}

// signIn signs in on the login page shown, whose email is filled in.
func signIn(tb *tab, email, pw string) {
	tb.t.Helper()
	if got := eval[string](tb, `document.querySelector("#email").value`); got != email {
		tb.t.Errorf("%s: the login form has %q, want %q", tb.name, got, email)
	}
	tb.step("sign in", chromedp.SendKeys(chromedp.CSS("#password"), pw+"\r"), chromedp.WaitVisible(chromedp.CSS("[data-testid=welcome]")))
	tb.check("dashboard after signing in")
}

// TestBrowserPeopleJourney: staff invite a coordinator; the coordinator
// opens the link from the mail (read from the outbox's row: staff see it
// masked), chooses a password on a phone, signs in and sees their city; then they forget it and reset
// it the same way, without JavaScript. axe-core and the Nu HTML Checker
// run on every page, in English and in Arabic.
func TestBrowserPeopleJourney(t *testing.T) {
	tools := needBrowser(t)
	a := newAppWith(t, handlers.Config{MailToFiles: true}, false)
	c := &checks{t: t, tools: tools, dir: t.TempDir(), pages: map[string]string{}}

	staff := a.open(t, c, "staff", 1280, 900, true)
	login(staff, "staff@example.org")
	staff.visit("/manage/users")
	staff.visit("/manage/users/new")
	staff.keyboardWalk("invitation form")
	staff.step("invite a coordinator of Agadir",
		chromedp.SendKeys(chromedp.CSS("#name"), "Youssef Amrani"),
		chromedp.SendKeys(chromedp.CSS("#email"), "youssef@agadir.example"),
		chromedp.SetValue(chromedp.CSS("#role"), "coordinator"),
		chromedp.SetValue(chromedp.CSS("#language"), "en"),
		chromedp.SendKeys(chromedp.CSS(fmt.Sprintf(`input[name=cities][value="%d"]`, a.agadir.ID)), " "),
		chromedp.Submit(chromedp.CSS("[data-testid=invite-form]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=user-name]")),
	)
	staff.check("the invited account")
	if got := staff.text("[data-testid=user-status]"); got != "Invited" {
		t.Errorf("status %q", got)
	}
	invitation := a.mailLink(t, "youssef@agadir.example")

	coordinator := a.open(t, c, "invited coordinator on a phone", 390, 844, true)
	setPassword(coordinator, invitation, strongPassword)
	signIn(coordinator, "youssef@agadir.example", strongPassword)
	coordinator.visit("/account")
	if got := coordinator.text("[data-testid=account-cities]"); !strings.Contains(got, "Agadir") {
		t.Errorf("account cities %q", got)
	}
	coordinator.visit(invitation)
	if got := coordinator.text("h1"); got != "This link has already been used" {
		t.Errorf("a used invitation says %q", got)
	}

	// Forgotten, without JavaScript.
	forgetful := a.open(t, c, "coordinator without JavaScript", 390, 844, false)
	forgetful.visit("/login")
	forgetful.step("forgot the password", chromedp.Click(chromedp.CSS("[data-testid=forgot-password]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=forgot-form]")))
	forgetful.step("ask for a link",
		chromedp.SendKeys(chromedp.CSS("#email"), "youssef@agadir.example"),
		chromedp.Submit(chromedp.CSS("[data-testid=forgot-form]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=reset-sent]")),
	)
	reset := a.mailLink(t, "youssef@agadir.example")
	if !strings.HasPrefix(reset, "/password-reset/") {
		t.Fatalf("reset link %q", reset)
	}
	setPassword(forgetful, reset, strongPassword+" again")
	signIn(forgetful, "youssef@agadir.example", strongPassword+" again")

	// Staff turn on two-factor sign-in, then sign in with a code.
	staff.visit("/account/two-factor")
	secret := staff.text("[data-testid=two-factor-secret]")
	// The QR code shows, and an app scanning the screen reads the secret
	// typed below it.
	if w := eval[int](staff, `(async () => {
		const img = document.querySelector("[data-testid=two-factor-qr]");
		await img.decode().catch(() => {});
		return img.naturalWidth;
	})()`); w == 0 {
		t.Errorf("the two-factor QR code does not show%s", staff.saveArtifacts("qr"))
	}
	shotCtx, cancelShot := context.WithTimeout(staff.ctx, 20*time.Second)
	shot, err := chromedp.Run(shotCtx, chromedp.Screenshot(chromedp.CSS("[data-testid=two-factor-qr]")))
	cancelShot()
	must(t, err)
	wantOTPAuth(t, decodeQR(t, shot), secret)
	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	staff.step("turn on two-factor sign-in",
		chromedp.SendKeys(chromedp.CSS("#code"), code),
		chromedp.Submit(chromedp.CSS("[data-testid=two-factor-form]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=recovery-codes]")),
	)
	staff.check("recovery codes")
	staff.visit("/account/two-factor")
	again := a.open(t, c, "staff signing in with a code", 1280, 900, true)
	again.visit("/login")
	again.step("password", chromedp.SendKeys(chromedp.CSS("#email"), "staff@example.org"), chromedp.SendKeys(chromedp.CSS("#password"), password+"\r"),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=login-code-form]")))
	again.check("sign-in code")
	next, err := totp.GenerateCode(secret, time.Now().Add(30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	again.step("code", chromedp.SendKeys(chromedp.CSS("#code"), next+"\r"), chromedp.WaitVisible(chromedp.CSS("[data-testid=welcome]")))

	// The new public pages in Arabic, right to left.
	arabic := a.open(t, c, "visitor in Arabic", 390, 844, true)
	arabic.visit("/")
	arabic.step("choose Arabic",
		chromedp.SetValue(chromedp.CSS("#language-choice"), "ar"),
		chromedp.Submit(chromedp.CSS("[data-testid=language-form]")),
		chromedp.WaitVisible(chromedp.CSS(`html[dir="rtl"][lang="ar"]`)),
	)
	for _, path := range []string{"/password-reset", invitation, "/password-reset/unknown"} {
		arabic.visit(path)
	}
	arabic.visit("/password-reset")
	arabic.step("ask for a link for an address with no account",
		chromedp.SendKeys(chromedp.CSS("#email"), "nobody@example.org"),
		chromedp.Submit(chromedp.CSS("[data-testid=forgot-form]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=reset-sent]")),
	)
	arabic.check("reset requested")
	c.validateHTML()
}
