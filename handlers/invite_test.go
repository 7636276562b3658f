package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/unesco-gnlc/learnthroughlife/handlers"
	"github.com/unesco-gnlc/learnthroughlife/models"
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

// userByEmail is the account of email, read back from the database.
func (a *app) userByEmail(t testing.TB, email string) models.User {
	t.Helper()
	us := a.users(t, models.UserFilter{Query: email})
	if len(us) != 1 {
		t.Fatalf("accounts of %s: %+v", email, us)
	}
	return us[0]
}

// auditCount counts the audit entries of action.
func (a *app) auditCount(t testing.TB, action models.AuditAction) int {
	t.Helper()
	p, err := a.store.AuditEntries(context.Background(), models.AuditFilter{AllCities: true, Action: action}, models.Page{Size: 1000})
	must(t, err)
	return len(p.Items)
}

// TestMailLanguageIsItsOwnSetting: the footer's switch changes the pages'
// language only; the language of mails is chosen on /account, and mails
// follow it. An unknown language is refused and writes nothing.
func TestMailLanguageIsItsOwnSetting(t *testing.T) {
	t.Parallel()
	a := newAppWith(t, handlers.Config{MailToFiles: true, BaseURL: "https://tracker.example.org"}, false)
	coord := a.loggedIn(t, "agadir@example.org")
	before := a.userByEmail(t, "agadir@example.org")
	wantStatus(t, coord.post(t, "/language", url.Values{"lang": {"ar"}, "next": {"/account"}}), http.StatusSeeOther)
	if u := a.userByEmail(t, "agadir@example.org"); u.Language != "ar" || u.MailLanguage != before.MailLanguage {
		t.Errorf("after the footer's switch: language %q, mail language %q (was %q)", u.Language, u.MailLanguage, before.MailLanguage)
	}
	res := coord.get(t, "/account")
	wantStatus(t, res, http.StatusOK)
	if v, _ := res.doc(t).Find("#mail_language option[selected]").Attr("value"); v != "en" {
		t.Errorf("the account proposes %q for mails, want en", v)
	}

	for _, bad := range []string{"", "de", "FR", "fr-FR"} {
		res := coord.post(t, "/account/mail-language", url.Values{"mail_language": {bad}})
		wantStatus(t, res, http.StatusBadRequest)
	}
	if u := a.userByEmail(t, "agadir@example.org"); u.MailLanguage != before.MailLanguage || a.auditCount(t, models.AuditMailLanguage) != 0 {
		t.Fatalf("a refused language wrote: %q, %d audit entries", u.MailLanguage, a.auditCount(t, models.AuditMailLanguage))
	}

	res = coord.post(t, "/account/mail-language", url.Values{"mail_language": {"fr"}})
	wantStatus(t, res, http.StatusSeeOther)
	if u := a.userByEmail(t, "agadir@example.org"); u.MailLanguage != "fr" || u.Language != "ar" {
		t.Errorf("after saving: language %q, mail language %q", u.Language, u.MailLanguage)
	}
	if n := a.auditCount(t, models.AuditMailLanguage); n != 1 {
		t.Errorf("%d audit entries, want 1", n)
	}
	// The pages stay in Arabic, the mails come in French.
	if lang := htmlLang(t, coord.get(t, "/account")); lang != "ar" {
		t.Errorf("the account page is in %q after choosing the mails' language", lang)
	}
	wantStatus(t, coord.post(t, "/language", url.Values{"lang": {"es"}, "next": {"/account"}}), http.StatusSeeOther)
	wantStatus(t, a.client().post(t, "/password-reset", url.Values{"email": {"agadir@example.org"}}), http.StatusOK)
	msgs := a.outbox(t)
	if len(msgs) != 1 || msgs[0].Kind != models.MailReset || msgs[0].Lang != "fr" {
		t.Fatalf("outbox = %+v", msgs)
	}
}

// TestNewInvitationLink: links are kept hashed, so staff cannot copy the
// one mailed; they make a new one, shown once to copy, audited, and the
// mailed one stops working. Nobody else can, and not for someone who
// accepted.
func TestNewInvitationLink(t *testing.T) {
	t.Parallel()
	a := newAppWith(t, handlers.Config{MailToFiles: true, BaseURL: "https://tracker.example.org"}, false)
	u := a.invite(t, "late@agadir.example")
	mailed := a.mailLink(t, "late@agadir.example")
	path := fmt.Sprintf("/manage/users/%d", u.ID)
	staff := a.loggedIn(t, "staff@example.org")
	doc := staff.get(t, path).doc(t)
	if doc.Find("[data-testid=new-link]").Length() != 1 || doc.Find("[data-testid=invitation-link]").Length() != 0 {
		t.Fatalf("the page of an invited person: %s", doc.Find("[data-testid=invitation-link-section]").Text())
	}
	// Refused: without the CSRF token, by a coordinator.
	wantStatus(t, staff.postRaw(t, path+"/link", url.Values{}, nil), http.StatusForbidden)
	wantStatus(t, a.loggedIn(t, "agadir@example.org").post(t, path+"/link", url.Values{}), http.StatusForbidden)
	if n := a.auditCount(t, models.AuditInvitationLink); n != 0 {
		t.Fatalf("refused requests wrote %d audit entries", n)
	}
	wantStatus(t, a.client().get(t, mailed), http.StatusOK)

	res := staff.post(t, path+"/link", url.Values{})
	wantStatus(t, res, http.StatusOK)
	input := res.doc(t).Find("input[data-testid=invitation-link]")
	link, _ := input.Attr("value")
	_, readonly := input.Attr("readonly")
	dir, _ := input.Attr("dir")
	if !strings.HasPrefix(link, "https://tracker.example.org/invitations/") || !readonly || dir != "ltr" {
		t.Fatalf("new link %q, readonly %v, dir %q", link, readonly, dir)
	}
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("the page with the link may be stored: Cache-Control %q", res.Header.Get("Cache-Control"))
	}
	if n := a.auditCount(t, models.AuditInvitationLink); n != 1 {
		t.Errorf("%d audit entries, want 1", n)
	}
	if n := len(a.outbox(t)); n != 1 {
		t.Errorf("%d mails, want the invitation only", n)
	}
	// Shown once: the page no longer holds it.
	if strings.Contains(staff.get(t, path).body, link) {
		t.Error("the person's page shows the link again")
	}
	// The mailed link stopped working; the new one works.
	wantStatus(t, a.client().get(t, mailed), http.StatusNotFound)
	newPath := strings.TrimPrefix(link, "https://tracker.example.org")
	invitee := a.client()
	wantStatus(t, invitee.get(t, newPath), http.StatusOK)
	wantStatus(t, invitee.post(t, newPath, url.Values{"password": {strongPassword}, "confirm": {strongPassword}}), http.StatusSeeOther)
	// Accepted: no more links.
	wantStatus(t, staff.post(t, path+"/link", url.Values{}), http.StatusConflict)
	if n := a.auditCount(t, models.AuditInvitationLink); n != 1 {
		t.Errorf("a link for an active account wrote: %d audit entries", n)
	}
}
