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
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// strongPassword passes the length and common-password checks.
const strongPassword = "orbit lantern cactus mosaic"

// invite invites a coordinator of Agadir through the store, with a mail
// that carries the link.
func (a *app) invite(t testing.TB, email string) *models.User {
	t.Helper()
	u, err := a.store.InviteUser(context.Background(), models.CLIActor(), models.Invitation{
		Email: email, Name: "Invited " + email, Role: models.RoleCoordinator, CityIDs: []uint{a.agadir.ID}, Language: "en",
	}, func(u *models.User, token string) (models.Mail, error) {
		return models.Mail{To: u.Email, Kind: models.MailInvitation, Lang: "en", Subject: "Invitation", Text: "Open https://tracker.example.org/invitations/" + token + " to choose a password."}, nil
	})
	must(t, err)
	return u
}

// outbox lists the outbox, newest first.
func (a *app) outbox(t testing.TB) []models.OutboxMessage {
	t.Helper()
	a.settle()
	msgs, err := a.store.Outbox(context.Background(), models.OutboxFilter{Limit: 1000})
	must(t, err)
	return msgs
}

// users lists the accounts that match f.
func (a *app) users(t testing.TB, f models.UserFilter) []models.User {
	t.Helper()
	us, err := a.store.Users(context.Background(), f)
	must(t, err)
	return us
}

// mailLink reads the newest mail to email in the outbox, as its recipient
// would in their mailbox (staff see such links masked), and returns the
// path of the link it carries.
func (a *app) mailLink(t *testing.T, email string) string {
	t.Helper()
	a.settle()
	msgs, err := a.store.Outbox(context.Background(), models.OutboxFilter{To: email, Limit: 1})
	must(t, err)
	if len(msgs) == 0 || msgs[0].Recipient != email {
		t.Fatalf("no mail to %s in the outbox: %+v", email, msgs)
	}
	m, err := a.store.OutboxMessage(context.Background(), msgs[0].ID)
	must(t, err)
	i := strings.Index(m.TextBody, "http")
	if i < 0 {
		t.Fatalf("the mail has no link:\n%s", m.TextBody)
	}
	link, _, _ := strings.Cut(m.TextBody[i:], " ")
	link, _, _ = strings.Cut(link, "\n")
	u, err := url.Parse(strings.TrimSpace(link))
	must(t, err)
	return u.Path
}

func TestInvitationJourney(t *testing.T) {
	t.Parallel()
	a := newAppWith(t, handlers.Config{MailToFiles: true, BaseURL: "https://tracker.example.org"}, false)
	staff := a.loggedIn(t, "staff@example.org")
	res := staff.post(t, "/manage/users", url.Values{
		"name": {"Amina Idrissi"}, "email": {"Amina@Fes.example"}, "role": {"coordinator"},
		"cities": {fmt.Sprint(a.fez.ID)}, "language": {"fr"},
	})
	wantStatus(t, res, http.StatusSeeOther)
	invited := a.users(t, models.UserFilter{Query: "amina"})
	if len(invited) != 1 || invited[0].Status() != models.UserInvited || invited[0].Email != "amina@fes.example" ||
		invited[0].Language != "fr" || len(invited[0].CityIDs) != 1 || invited[0].CityIDs[0] != a.fez.ID {
		t.Fatalf("invited = %+v", invited)
	}
	msgs := a.outbox(t)
	if len(msgs) != 1 || msgs[0].Recipient != "amina@fes.example" || msgs[0].Lang != "fr" || msgs[0].Kind != models.MailInvitation ||
		msgs[0].Subject != "Vous êtes invité·e à l’outil de suivi LearnThroughLife" {
		t.Fatalf("outbox = %+v", msgs)
	}
	entries, err := a.store.AuditEntries(context.Background(), models.AuditFilter{AllCities: true, Action: models.AuditInvite}, models.Page{Size: 10})
	must(t, err)
	if len(entries.Items) != 1 || entries.Items[0].UserEmail != "staff@example.org" || entries.Items[0].EntityID != invited[0].ID {
		t.Errorf("audit = %+v", entries.Items)
	}

	link := a.mailLink(t, "amina@fes.example")
	if !strings.HasPrefix(link, "/invitations/") {
		t.Fatalf("link = %q", link)
	}
	amina := a.client()
	res = amina.get(t, link)
	wantStatus(t, res, http.StatusOK)
	if res.doc(t).Find("[data-testid=set-password-form]").Length() != 1 {
		t.Fatalf("no password form:\n%s", res.body)
	}
	// In the language staff chose for her, as her mail was.
	if lang, _ := res.doc(t).Find("html").Attr("lang"); lang != "fr" {
		t.Errorf("the invitation page is in %q, want fr", lang)
	}
	// Refused passwords write nothing: the account stays invited.
	for _, tc := range []struct {
		name, password, confirm, field, code string
	}{
		{"short", "short pass", "short pass", "password", "min"},
		{"common", "password1234", "password1234", "password", "common"},
		{"own name", "Amina Idrissi", "Amina Idrissi", "password", "common"},
		{"not the same", strongPassword, strongPassword + "!", "confirm", "confirm"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := amina.post(t, link, url.Values{"password": {tc.password}, "confirm": {tc.confirm}})
			wantStatus(t, res, http.StatusUnprocessableEntity)
			if res.doc(t).Find("[data-testid=error-"+tc.field+"]").Length() != 1 {
				t.Errorf("no error beside %s:\n%s", tc.field, res.body)
			}
			if u := a.users(t, models.UserFilter{Query: "amina"}); u[0].Status() != models.UserInvited {
				t.Errorf("status after a refused password = %s", u[0].Status())
			}
		})
	}
	res = amina.post(t, link, url.Values{"password": {strongPassword}, "confirm": {strongPassword}})
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/login?email=amina%40fes.example" {
		t.Errorf("after setting the password: Location %q", loc)
	}
	res = amina.post(t, "/login", url.Values{"email": {"amina@fes.example"}, "password": {strongPassword}})
	wantStatus(t, res, http.StatusSeeOther)
	res = amina.get(t, "/account")
	wantStatus(t, res, http.StatusOK)
	if got := res.doc(t).Find("[data-testid=account-cities]").Text(); !strings.Contains(got, "Fez") || strings.Contains(got, "Agadir") {
		t.Errorf("account cities = %q, want Fez only", got)
	}
	if u := a.users(t, models.UserFilter{Query: "amina"}); u[0].Status() != models.UserActive {
		t.Errorf("status = %s, want active", u[0].Status())
	}
	// The link worked once.
	res = a.client().get(t, link)
	wantStatus(t, res, http.StatusGone)
	if res.doc(t).Find("[data-testid=link-problem]").Length() != 1 {
		t.Errorf("a used link shows no explanation:\n%s", res.body)
	}
	res = a.client().post(t, link, url.Values{"password": {strongPassword + " again"}, "confirm": {strongPassword + " again"}})
	wantStatus(t, res, http.StatusGone)
	wantStatus(t, a.client().get(t, "/invitations/no-such-token"), http.StatusNotFound)
}

func TestInviteRefusesBadInputAndWritesNothing(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	staff := a.loggedIn(t, "staff@example.org")
	valid := func(change func(url.Values)) url.Values {
		f := url.Values{"name": {"New Person"}, "email": {"new@example.org"}, "role": {"coordinator"}, "cities": {fmt.Sprint(a.agadir.ID)}, "language": {"en"}}
		change(f)
		return f
	}
	for _, tc := range []struct {
		name  string
		form  url.Values
		field string
	}{
		{"no name", valid(func(f url.Values) { f.Set("name", "") }), "name"},
		{"bad email", valid(func(f url.Values) { f.Set("email", "not an email") }), "email"},
		{"taken email", valid(func(f url.Values) { f.Set("email", "FEZ@example.org") }), "email"},
		{"unknown role", valid(func(f url.Values) { f.Set("role", "admin") }), "role"},
		{"coordinator without a city", valid(func(f url.Values) { f.Del("cities") }), "cities"},
		{"staff with a city", valid(func(f url.Values) { f.Set("role", "staff") }), "cities"},
		{"unknown city", valid(func(f url.Values) { f.Set("cities", "99999") }), "cities"},
		{"malformed city", valid(func(f url.Values) { f.Set("cities", "x") }), "cities"},
		{"unknown language", valid(func(f url.Values) { f.Set("language", "de") }), "language"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := staff.post(t, "/manage/users", tc.form)
			wantStatus(t, res, http.StatusUnprocessableEntity)
			doc := res.doc(t)
			if doc.Find("[data-testid=error-"+tc.field+"]").Length() != 1 {
				t.Errorf("no error beside %s:\n%s", tc.field, res.body)
			}
			if got, _ := doc.Find("#name").Attr("value"); got != tc.form.Get("name") {
				t.Errorf("name not kept: %q", got)
			}
			if n := len(a.users(t, models.UserFilter{})); n != 3 {
				t.Errorf("%d users after a refused invitation, want 3", n)
			}
			if n := len(a.outbox(t)); n != 0 {
				t.Errorf("%d mails after a refused invitation", n)
			}
		})
	}
}

func TestUserListFilters(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.invite(t, "newcomer@example.org")
	staff := a.loggedIn(t, "staff@example.org")
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"", []string{"agadir@example.org", "fez@example.org", "newcomer@example.org", "staff@example.org"}},
		{"?role=staff", []string{"staff@example.org"}},
		{"?city=agadir", []string{"agadir@example.org", "newcomer@example.org"}},
		{"?status=invited", []string{"newcomer@example.org"}},
		{"?status=active&role=coordinator", []string{"agadir@example.org", "fez@example.org"}},
		{"?q=FEZ", []string{"fez@example.org"}},
		{"?q=%25", nil},
	} {
		t.Run(tc.query, func(t *testing.T) {
			res := staff.get(t, "/manage/users"+tc.query)
			wantStatus(t, res, http.StatusOK)
			var got []string
			rows := res.doc(t).Find("[data-testid=user-row]")
			for i := range rows.Length() {
				got = append(got, strings.TrimSpace(rows.Eq(i).Find("td").Eq(1).Text()))
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				// The list is by name: compare as sets.
				if len(got) != len(tc.want) || !sameSet(got, tc.want) {
					t.Errorf("users = %v, want %v", got, tc.want)
				}
			}
		})
	}
	for _, q := range []string{"?role=admin", "?status=gone", "?city=atlantis", "?q=" + strings.Repeat("x", 101)} {
		wantStatus(t, staff.get(t, "/manage/users"+q), http.StatusBadRequest)
	}
}

func sameSet(a, b []string) bool {
	m := map[string]int{}
	for _, s := range a {
		m[s]++
	}
	for _, s := range b {
		m[s]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}

func TestDisableEndsEverySessionAtOnce(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	phone, laptop := a.loggedIn(t, "agadir@example.org"), a.loggedIn(t, "agadir@example.org")
	staff := a.loggedIn(t, "staff@example.org")
	agadir := a.users(t, models.UserFilter{Query: "agadir@"})[0]
	path := fmt.Sprintf("/manage/users/%d", agadir.ID)
	wantStatus(t, staff.post(t, path+"/disable", url.Values{}), http.StatusSeeOther)
	for _, c := range []*client{phone, laptop} {
		res := c.get(t, "/dashboard")
		wantStatus(t, res, http.StatusSeeOther)
		if !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Errorf("a disabled user's session still works: %s", res.Header.Get("Location"))
		}
	}
	res := a.client().post(t, "/login", url.Values{"email": {"agadir@example.org"}, "password": {password}})
	wantStatus(t, res, http.StatusUnauthorized)
	wantStatus(t, staff.post(t, path+"/enable", url.Values{}), http.StatusSeeOther)
	a.loggedIn(t, "agadir@example.org")
	// The old sessions stay ended after enabling.
	wantStatus(t, phone.get(t, "/dashboard"), http.StatusSeeOther)

	me := a.users(t, models.UserFilter{Role: models.RoleStaff})[0]
	wantStatus(t, staff.post(t, fmt.Sprintf("/manage/users/%d/disable", me.ID), url.Values{}), http.StatusConflict)
	if a.users(t, models.UserFilter{Role: models.RoleStaff})[0].Disabled {
		t.Error("staff disabled their own account")
	}
	entries, err := a.store.AuditEntries(context.Background(), models.AuditFilter{AllCities: true, ChangesOnly: true}, models.Page{Size: 50})
	must(t, err)
	var actions []string
	for _, e := range entries.Items {
		if e.EntityID == agadir.ID && e.Entity == models.EntityUser && e.Action != models.AuditCreate {
			actions = append(actions, string(e.Action))
		}
	}
	if !sameSet(actions, []string{"disable", "enable"}) {
		t.Errorf("audited actions on the account = %v", actions)
	}
}

func TestResendRevokeAndChangeCities(t *testing.T) {
	t.Parallel()
	a := newAppWith(t, handlers.Config{MailToFiles: true}, false)
	staff := a.loggedIn(t, "staff@example.org")
	u := a.invite(t, "newcomer@example.org")
	path := fmt.Sprintf("/manage/users/%d", u.ID)
	first := a.mailLink(t, "newcomer@example.org")
	if got := staff.get(t, path).doc(t).Find("[data-testid=invitation-expiry]").Text(); !strings.Contains(got, "Works until") {
		t.Errorf("the account page says %q about the invitation", got)
	}

	wantStatus(t, staff.post(t, path+"/resend", url.Values{}), http.StatusSeeOther)
	if n := len(a.outbox(t)); n != 2 {
		t.Fatalf("%d mails after resending, want 2", n)
	}
	second := a.mailLink(t, "newcomer@example.org")
	if second == first {
		t.Fatal("the resent invitation has the same link")
	}
	wantStatus(t, a.client().get(t, first), http.StatusNotFound)
	wantStatus(t, a.client().get(t, second), http.StatusOK)

	// Cities: none is refused and changes nothing; Fez replaces Agadir.
	res := staff.post(t, path+"/cities", url.Values{})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if got, _ := a.store.User(context.Background(), u.ID); len(got.CityIDs) != 1 || got.CityIDs[0] != a.agadir.ID {
		t.Errorf("cities after a refused change = %v", got.CityIDs)
	}
	wantStatus(t, staff.post(t, path+"/cities", url.Values{"cities": {"abc"}}), http.StatusUnprocessableEntity)
	wantStatus(t, staff.post(t, path+"/cities", url.Values{"cities": {fmt.Sprint(a.fez.ID)}}), http.StatusSeeOther)
	if got, _ := a.store.User(context.Background(), u.ID); len(got.CityIDs) != 1 || got.CityIDs[0] != a.fez.ID {
		t.Errorf("cities = %v, want Fez", got.CityIDs)
	}

	wantStatus(t, staff.post(t, path+"/revoke", url.Values{}), http.StatusSeeOther)
	wantStatus(t, a.client().get(t, second), http.StatusNotFound)
	wantStatus(t, staff.get(t, path), http.StatusNotFound)
	// An active account has no invitation to resend or revoke.
	fez := a.users(t, models.UserFilter{Query: "fez@"})[0]
	wantStatus(t, staff.post(t, fmt.Sprintf("/manage/users/%d/revoke", fez.ID), url.Values{}), http.StatusConflict)
	wantStatus(t, staff.post(t, fmt.Sprintf("/manage/users/%d/resend", fez.ID), url.Values{}), http.StatusConflict)
	wantStatus(t, staff.post(t, fmt.Sprintf("/manage/users/%d/promote", fez.ID), url.Values{}), http.StatusNotFound)
}

// TestOutboxMasksOtherPeoplesLinks: while mail goes to files, staff read
// the mails, but an invitation or reset link only in a mail to themselves.
func TestOutboxMasksOtherPeoplesLinks(t *testing.T) {
	t.Parallel()
	a := newAppWith(t, handlers.Config{MailToFiles: true, BaseURL: "https://tracker.example.org"}, false)
	staff := a.loggedIn(t, "staff@example.org")
	a.invite(t, "newcomer@example.org")
	invitation := a.mailLink(t, "newcomer@example.org")
	wantStatus(t, a.client().post(t, "/password-reset", url.Values{"email": {"staff@example.org"}}), http.StatusOK)
	own := a.mailLink(t, "staff@example.org")
	byRecipient := map[string]models.OutboxMessage{}
	for _, m := range a.outbox(t) {
		byRecipient[m.Recipient] = m
	}
	for _, tc := range []struct {
		to, link string
		masked   bool
	}{
		{"newcomer@example.org", invitation, true},
		{"staff@example.org", own, false},
	} {
		t.Run(tc.to, func(t *testing.T) {
			m := byRecipient[tc.to]
			res := staff.get(t, views.OutboxURL(&m))
			wantStatus(t, res, http.StatusOK)
			doc := res.doc(t)
			body := doc.Find("[data-testid=mail-body]").Text()
			if body == "" {
				t.Fatalf("no body shown:\n%s", res.body)
			}
			if got := strings.Contains(res.body, tc.link); got == tc.masked {
				t.Errorf("the link %s is on the page: %v, want %v", tc.link, got, !tc.masked)
			}
			if got := doc.Find("[data-testid=mail-masked]").Length() == 1; got != tc.masked {
				t.Errorf("masked note: %v, want %v", got, tc.masked)
			}
			if got := doc.Find("[data-testid=mail-link]").Length() == 0; got != tc.masked {
				t.Errorf("no clickable link: %v, want %v", got, tc.masked)
			}
		})
	}
	invited := byRecipient["newcomer@example.org"]
	if !strings.Contains(staff.get(t, views.OutboxURL(&invited)).body, "https://tracker.example.org/invitations/…") {
		t.Error("the masked link does not say what it was for")
	}
}

func TestOutboxHidesBodiesWhenMailIsSent(t *testing.T) {
	t.Parallel()
	a := newApp(t) // MailToFiles false: an SMTP server delivers
	a.invite(t, "newcomer@example.org")
	staff := a.loggedIn(t, "staff@example.org")
	res := staff.get(t, "/manage/outbox")
	wantStatus(t, res, http.StatusOK)
	href, _ := res.doc(t).Find("[data-testid=outbox-row] a").First().Attr("href")
	res = staff.get(t, href)
	wantStatus(t, res, http.StatusOK)
	if strings.Contains(res.body, "/invitations/") || res.doc(t).Find("[data-testid=mail-body]").Length() != 0 {
		t.Error("staff can read another person's single-use link while mail goes over SMTP")
	}
	wantStatus(t, staff.get(t, "/manage/outbox?status=lost"), http.StatusBadRequest)
	wantStatus(t, staff.get(t, "/manage/outbox/99999"), http.StatusNotFound)
}
