package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/unesco-gnlc/learnthroughlife/handlers"
)

// htmlLang is the lang attribute of a page.
func htmlLang(t testing.TB, r *response) string {
	t.Helper()
	lang, _ := r.doc(t).Find("html").Attr("lang")
	return lang
}

// TestInvitationWalkKeepsItsLanguage: staff invite in French; the invited
// person opens the link in a browser that never visited the site (no
// cookie, no Accept-Language), chooses a password, and signs in: every
// page on the way is in French, the sentence after the password step too.
func TestInvitationWalkKeepsItsLanguage(t *testing.T) {
	t.Parallel()
	a := newAppWith(t, handlers.Config{MailToFiles: true, BaseURL: "https://tracker.example.org"}, false)
	staff := a.loggedIn(t, "staff@example.org")
	staff.setCookie("ltl_lang", "fr")
	// The form proposes the inviter's page language.
	if v, _ := staff.get(t, "/manage/users/new").doc(t).Find("#language option[selected]").Attr("value"); v != "fr" {
		t.Errorf("the invitation form proposes %q, want fr", v)
	}
	res := staff.post(t, "/manage/users", url.Values{
		"name": {"Amina Idrissi"}, "email": {"amina@fes.example"}, "role": {"coordinator"},
		"cities": {fmt.Sprint(a.fez.ID)}, "language": {"fr"},
	})
	wantStatus(t, res, http.StatusSeeOther)
	link := a.mailLink(t, "amina@fes.example")

	amina := a.client()
	res = amina.get(t, link)
	wantStatus(t, res, http.StatusOK)
	if lang := htmlLang(t, res); lang != "fr" {
		t.Errorf("the invitation page is in %q, want fr", lang)
	}
	res = amina.post(t, link, url.Values{"password": {strongPassword}, "confirm": {strongPassword}})
	wantStatus(t, res, http.StatusSeeOther)
	res = amina.get(t, res.Header.Get("Location"))
	wantStatus(t, res, http.StatusOK)
	if lang := htmlLang(t, res); lang != "fr" {
		t.Errorf("the sign-in page after the password step is in %q, want fr", lang)
	}
	flash := strings.TrimSpace(res.doc(t).Find("[data-testid=flash]").Text())
	if flash != "Votre mot de passe est enregistré. Connectez-vous avec celui-ci." {
		t.Errorf("flash after the password step = %q", flash)
	}
	res = amina.post(t, "/login", url.Values{"email": {"amina@fes.example"}, "password": {strongPassword}})
	wantStatus(t, res, http.StatusSeeOther)
	res = amina.get(t, res.Header.Get("Location"))
	wantStatus(t, res, http.StatusOK)
	if lang := htmlLang(t, res); lang != "fr" {
		t.Errorf("the dashboard after the first sign-in is in %q, want fr", lang)
	}
	if got := res.doc(t).Find("[data-testid=welcome]").Text(); !strings.Contains(got, "Amina") {
		t.Errorf("welcome = %q", got)
	}
	// Signing in elsewhere, on the way to a page: greeted in French too.
	other := a.client()
	res = other.post(t, "/login", url.Values{"email": {"amina@fes.example"}, "password": {strongPassword}, "next": {"/account"}})
	wantStatus(t, res, http.StatusSeeOther)
	res = other.get(t, "/account")
	if got := strings.TrimSpace(res.doc(t).Find("[data-testid=flash]").Text()); got != "Bienvenue, Amina Idrissi." {
		t.Errorf("welcome on another browser = %q", got)
	}
}
