package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/unesco-gnlc/learnthroughlife/handlers"
	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

func TestPasswordResetJourney(t *testing.T) {
	t.Parallel()
	a := newAppWith(t, handlers.Config{MailToFiles: true, BaseURL: "https://tracker.example.org"}, false)
	before := a.loggedIn(t, "agadir@example.org")
	staff := a.loggedIn(t, "staff@example.org")
	res := a.client().get(t, "/login")
	if href, _ := res.doc(t).Find("[data-testid=forgot-password]").Attr("href"); href != "/password-reset" {
		t.Errorf("login page links to %q for a forgotten password", href)
	}
	known := a.client().post(t, "/password-reset", url.Values{"email": {"Agadir@example.org"}})
	unknown := a.client().post(t, "/password-reset", url.Values{"email": {"nobody@example.org"}})
	wantStatus(t, known, http.StatusOK)
	wantStatus(t, unknown, http.StatusOK)
	if k, u := known.doc(t).Find("main").Text(), unknown.doc(t).Find("main").Text(); k != u || known.doc(t).Find("[data-testid=reset-sent]").Length() != 1 {
		t.Errorf("the answers differ:\n%s\n---\n%s", k, u)
	}
	msgs := a.outbox(t)
	if len(msgs) != 1 || msgs[0].Recipient != "agadir@example.org" || msgs[0].Kind != models.MailReset {
		t.Fatalf("outbox = %+v", msgs)
	}
	link := a.mailLink(t, "agadir@example.org")
	if !strings.HasPrefix(link, "/password-reset/") {
		t.Fatalf("link = %q", link)
	}
	// Staff read the mail with its link masked.
	res = staff.get(t, views.OutboxURL(&msgs[0]))
	wantStatus(t, res, http.StatusOK)
	if strings.Contains(res.body, link) || res.doc(t).Find("[data-testid=mail-masked]").Length() != 1 ||
		!strings.Contains(res.doc(t).Find("[data-testid=mail-body]").Text(), "https://tracker.example.org/password-reset/…") {
		t.Errorf("staff read another person's reset link:\n%s", res.body)
	}
	c := a.client()
	wantStatus(t, c.get(t, link), http.StatusOK)
	wantStatus(t, c.post(t, link, url.Values{"password": {"Agadir Coordinator"}, "confirm": {"Agadir Coordinator"}}), http.StatusUnprocessableEntity)
	res = c.post(t, link, url.Values{"password": {strongPassword}, "confirm": {strongPassword}})
	wantStatus(t, res, http.StatusSeeOther)
	// Every earlier session ended; the old password no longer works, the
	// new one does; the link worked once.
	wantStatus(t, before.get(t, "/dashboard"), http.StatusSeeOther)
	wantStatus(t, a.client().post(t, "/login", url.Values{"email": {"agadir@example.org"}, "password": {password}}), http.StatusUnauthorized)
	wantStatus(t, a.client().post(t, "/login", url.Values{"email": {"agadir@example.org"}, "password": {strongPassword}}), http.StatusSeeOther)
	wantStatus(t, a.client().get(t, link), http.StatusGone)
}

func TestPasswordResetIsRateLimitedAndOnlyForActiveAccounts(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.invite(t, "newcomer@example.org") // one invitation mail
	staff := a.loggedIn(t, "staff@example.org")
	fez := a.users(t, models.UserFilter{Query: "fez@"})[0]
	wantStatus(t, staff.post(t, fmt.Sprintf("/manage/users/%d/disable", fez.ID), url.Values{}), http.StatusSeeOther)
	for _, email := range []string{"newcomer@example.org", "fez@example.org"} {
		wantStatus(t, a.client().post(t, "/password-reset", url.Values{"email": {email}}), http.StatusOK)
	}
	if n := len(a.outbox(t)); n != 1 {
		t.Errorf("%d mails: invited or disabled accounts got a reset link", n)
	}
	for range 3 {
		wantStatus(t, a.client().post(t, "/password-reset", url.Values{"email": {"agadir@example.org"}}), http.StatusOK)
	}
	res := a.client().post(t, "/password-reset", url.Values{"email": {"agadir@example.org"}})
	wantStatus(t, res, http.StatusTooManyRequests)
	if res.doc(t).Find("[data-testid=forgot-throttled]").Length() != 1 {
		t.Error("a throttled request is not explained")
	}
	if n := len(a.outbox(t)); n != 4 {
		t.Errorf("%d mails, want the invitation and three reset links", n)
	}
	// The same limit for an address with no account: nothing tells them apart.
	for range 3 {
		a.client().post(t, "/password-reset", url.Values{"email": {"nobody@example.org"}})
	}
	wantStatus(t, a.client().post(t, "/password-reset", url.Values{"email": {"nobody@example.org"}}), http.StatusTooManyRequests)
}

// TestNewPasswordRefusesProductWords: the campaign's name, the site's
// words and the demo password are refused with the common-password
// message, and the old password still works.
func TestNewPasswordRefusesProductWords(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.loggedIn(t, "agadir@example.org")
	for _, pw := range []string{"learnthroughlife", "LearnThroughLife2026", "learn-through-life!", "Learning City Tracker", "UNESCO learning city"} {
		res := c.post(t, "/account/password", url.Values{"current": {password}, "password": {pw}, "confirm": {pw}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		msg := strings.TrimSpace(res.doc(t).Find("[data-testid=error-password]").Text())
		if !strings.Contains(msg, "too common or too easy to guess") {
			t.Errorf("%q: error beside the password is %q", pw, msg)
		}
	}
	wantStatus(t, a.client().post(t, "/login", url.Values{"email": {"agadir@example.org"}, "password": {password}}), http.StatusSeeOther)
}

func TestChangePasswordEndsOtherSessions(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	here, there := a.loggedIn(t, "agadir@example.org"), a.loggedIn(t, "agadir@example.org")
	for _, tc := range []struct {
		name  string
		form  url.Values
		field string
	}{
		{"wrong current", url.Values{"current": {"not it at all"}, "password": {strongPassword}, "confirm": {strongPassword}}, "current"},
		{"too short", url.Values{"current": {password}, "password": {"short"}, "confirm": {"short"}}, "password"},
		{"common", url.Values{"current": {password}, "password": {"qwertyuiop123"}, "confirm": {"qwertyuiop123"}}, "password"},
		{"not the same", url.Values{"current": {password}, "password": {strongPassword}, "confirm": {"something else entirely"}}, "confirm"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := here.post(t, "/account/password", tc.form)
			wantStatus(t, res, http.StatusUnprocessableEntity)
			if res.doc(t).Find("[data-testid=error-"+tc.field+"]").Length() != 1 {
				t.Errorf("no error beside %s", tc.field)
			}
			wantStatus(t, there.get(t, "/dashboard"), http.StatusOK) // nothing changed
		})
	}
	res := here.post(t, "/account/password", url.Values{"current": {password}, "password": {strongPassword}, "confirm": {strongPassword}})
	wantStatus(t, res, http.StatusSeeOther)
	wantStatus(t, here.get(t, "/account"), http.StatusOK)
	wantStatus(t, there.get(t, "/dashboard"), http.StatusSeeOther)
	wantStatus(t, a.client().post(t, "/login", url.Values{"email": {"agadir@example.org"}, "password": {strongPassword}}), http.StatusSeeOther)
	wantStatus(t, a.client().post(t, "/account/password", url.Values{}), http.StatusSeeOther) // anonymous: to the login page
}

func TestSignOutEverywhere(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	here, there := a.loggedIn(t, "fez@example.org"), a.loggedIn(t, "fez@example.org")
	other := a.loggedIn(t, "agadir@example.org")
	res := here.post(t, "/account/sign-out-everywhere", url.Values{})
	wantStatus(t, res, http.StatusSeeOther)
	for _, c := range []*client{here, there} {
		wantStatus(t, c.get(t, "/dashboard"), http.StatusSeeOther)
	}
	wantStatus(t, other.get(t, "/dashboard"), http.StatusOK)
	a.loggedIn(t, "fez@example.org")
}

// TestForgotPasswordAnswersBeforeLookingUp: the answer to a reset request
// is the same, and is sent before the account is looked up or its mail
// written, so that its time cannot tell whether the address has an
// account. (The time itself is measured in BenchmarkForgotPassword.)
func TestForgotPasswordAnswersBeforeLookingUp(t *testing.T) {
	t.Parallel()
	gate := make(chan struct{})
	a := newAppWith(t, handlers.Config{AfterAnswerHold: func() { <-gate }}, false)
	t.Cleanup(func() {
		select {
		case <-gate:
		default:
			close(gate)
		}
	})
	csrf := regexp.MustCompile(`name="_csrf" value="[^"]*"`)
	var bodies []string
	for _, email := range []string{"agadir@example.org", "nobody@example.org"} {
		res := a.client().post(t, "/password-reset", url.Values{"email": {email}})
		wantStatus(t, res, http.StatusOK)
		bodies = append(bodies, csrf.ReplaceAllString(res.body, ""))
	}
	if bodies[0] != bodies[1] {
		t.Errorf("the answers differ:\n%s\n---\n%s", bodies[0], bodies[1])
	}
	// Both answers are in; neither request has written its mail yet.
	msgs, err := a.store.Outbox(context.Background(), models.OutboxFilter{})
	must(t, err)
	if len(msgs) != 0 {
		t.Fatalf("a mail was written before the answer: %+v", msgs)
	}
	close(gate)
	if msgs := a.outbox(t); len(msgs) != 1 || msgs[0].Recipient != "agadir@example.org" {
		t.Errorf("outbox after the answers = %+v", msgs)
	}
}
