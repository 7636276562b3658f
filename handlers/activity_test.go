package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// TestActivityNamesRecordsAndPeople: the feed names a story by its title
// (not "status: pending"), people by their name (not their email), and
// puts what people typed in direction isolates.
func TestActivityNamesRecordsAndPeople(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	form := validStoryForm()
	form.Set("title", "My first website at 60")
	a.submit(t, form, nil)
	co := a.loggedIn(t, "agadir@example.org")
	wantStatus(t, co.post(t, "/manage/cities/agadir/events", a.validEventForm("مهرجان القراءة")), http.StatusSeeOther)

	lines := co.get(t, "/dashboard").doc(t).Find("[data-testid=activity] li")
	text := lines.Text()
	for _, want := range []string{"a learner submitted story “\u2068My first website at 60\u2069”", "\u2068Agadir Coordinator\u2069 created event “\u2068مهرجان القراءة\u2069”"} {
		if !strings.Contains(text, want) {
			t.Errorf("the feed lacks %q:\n%s", want, text)
		}
	}
	for _, raw := range []string{"status:", "agadir@example.org"} {
		if strings.Contains(text, raw) {
			t.Errorf("the feed shows %q:\n%s", raw, text)
		}
	}
	// The audit log names them the same way, and keeps every entry.
	log := a.loggedIn(t, "staff@example.org").get(t, "/manage/audit").doc(t).Find("table").Text()
	for _, want := range []string{"My first website at 60", "Agadir Coordinator", "مهرجان القراءة"} {
		if !strings.Contains(log, want) {
			t.Errorf("the audit log lacks %q", want)
		}
	}
	if strings.Contains(log, "status: pending") {
		t.Error("the audit log shows the raw summary")
	}
}

// TestActivityTellsAnImportAsOneLine: an imported file is one line of the
// feed, with its name and counts; the audit log still has each row.
func TestActivityTellsAnImportAsOneLine(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	co := a.loggedIn(t, "agadir@example.org")
	path := "/manage/cities/agadir/import"
	res := co.uploadFile(t, path, url.Values{"kind": {"events"}}, "festival.csv", []byte(eventsCSV))
	wantStatus(t, res, http.StatusOK)
	co.confirmImport(t, path+"/confirm", url.Values{"token": {importToken(t, res)}, "create_partners": {"yes"}})

	text := co.get(t, "/dashboard").doc(t).Find("[data-testid=activity]").Text()
	if want := "\u2068Agadir Coordinator\u2069 imported 2 events from \u2068festival.csv\u2069 (2 new, 0 changed)"; !strings.Contains(text, want) {
		t.Errorf("the feed lacks %q:\n%s", want, text)
	}
	if strings.Contains(text, "Festival opening") {
		t.Errorf("the feed lists the import's rows:\n%s", text)
	}
	entries, err := a.store.AuditEntries(context.Background(), models.AuditFilter{AllCities: true}, models.Page{Size: 50})
	must(t, err)
	var rows, imports int
	var importID uint
	for _, e := range entries.Items {
		if e.Action == models.AuditImport {
			imports++
			importID = e.ID
		}
	}
	for _, e := range entries.Items {
		if e.Entity == models.EntityEvent && e.Action == models.AuditCreate && e.PartOf != nil && *e.PartOf == importID {
			rows++
		}
	}
	if imports != 1 || rows != 2 {
		t.Errorf("the log has %d imports and %d rows of it, want 1 and 2", imports, rows)
	}
}

// TestActivityTellsAlikeChangesAsOneLine: a coordinator publishing four
// stories in a row makes one line that names three and counts the rest.
func TestActivityTellsAlikeChangesAsOneLine(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	users, err := a.store.Users(ctx, models.UserFilter{Query: "agadir@example.org"})
	must(t, err)
	if len(users) != 1 {
		t.Fatalf("%d users match", len(users))
	}
	coo := users[0]
	var stories []*models.Story
	for _, title := range []string{"One", "Two", "Three", "Four"} {
		st := &models.Story{CityID: a.agadir.ID, CampaignID: a.campaign.ID, Title: title, Body: "A story worth telling, in a few words.",
			DisplayName: "Samira", AgeGroup: models.AgeAdults, PublicationConsent: true, Lang: "en", LearningAreas: []models.LearningArea{models.AreaFamilies}}
		_, err := a.store.CreateStory(ctx, st, nil)
		must(t, err)
		stories = append(stories, st)
	}
	for _, st := range stories {
		must(t, a.store.ModerateStory(ctx, coo.Actor(), st, models.ActionPublish, ""))
	}
	c := a.loggedIn(t, "agadir@example.org")
	text := c.get(t, "/dashboard").doc(t).Find("[data-testid=activity]").Text()
	if want := "\u2068Agadir Coordinator\u2069 published 4 stories: “\u2068Four\u2069”, “\u2068Three\u2069”, “\u2068Two\u2069” and 1 more"; !strings.Contains(text, want) {
		t.Errorf("the feed lacks %q:\n%s", want, text)
	}
	c.setCookie("ltl_lang", "fr")
	text = c.get(t, "/dashboard").doc(t).Find("[data-testid=activity]").Text()
	if want := "4 histoires : « \u2068Four\u2069 », « \u2068Three\u2069 », « \u2068Two\u2069 » et 1 autre"; !strings.Contains(text, want) {
		t.Errorf("the French feed lacks %q:\n%s", want, text)
	}
}

// TestTwoFactorSignInIsAuditedStepByStep: the password, a wrong code and
// the right one are three entries, and only the last says "signed in".
func TestTwoFactorSignInIsAuditedStepByStep(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	secret, _ := turnOnTwoFactor(t, a.loggedIn(t, "staff@example.org"))
	ctx := context.Background()
	count := func(action models.AuditAction) int {
		t.Helper()
		entries, err := a.store.AuditEntries(ctx, models.AuditFilter{AllCities: true, Action: action}, models.Page{Size: 50})
		must(t, err)
		return len(entries.Items)
	}
	signIns := count(models.AuditSignIn)
	c := a.client()
	wantStatus(t, c.post(t, "/login", url.Values{"email": {"staff@example.org"}, "password": {password}}), http.StatusSeeOther)
	if count(models.AuditPasswordAccepted) != 1 || count(models.AuditSignIn) != signIns {
		t.Fatalf("after the password: %d accepted, %d sign-ins (were %d)", count(models.AuditPasswordAccepted), count(models.AuditSignIn), signIns)
	}
	wantStatus(t, c.post(t, "/login/two-factor", url.Values{"code": {"000000"}}), http.StatusUnauthorized)
	if count(models.AuditCodeRefused) != 1 || count(models.AuditSignIn) != signIns {
		t.Fatalf("after a wrong code: %d refused, %d sign-ins", count(models.AuditCodeRefused), count(models.AuditSignIn))
	}
	next, err := totp.GenerateCode(secret, time.Now().Add(30*time.Second))
	must(t, err)
	wantStatus(t, c.post(t, "/login/two-factor", url.Values{"code": {next}}), http.StatusSeeOther)
	if count(models.AuditSignIn) != signIns+1 {
		t.Errorf("after the right code: %d sign-ins, want %d", count(models.AuditSignIn), signIns+1)
	}
	// The feed, which shows changes, shows none of them.
	text := a.loggedIn(t, "agadir@example.org").get(t, "/dashboard").doc(t).Find("[data-testid=activity]").Text()
	if strings.Contains(text, "code") {
		t.Errorf("the feed shows sign-in steps:\n%s", text)
	}
}
