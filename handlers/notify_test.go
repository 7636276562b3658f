package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/handlers"
	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

func TestLearnerIsToldOnceWhenPublished(t *testing.T) {
	t.Parallel()
	a := newAppWith(t, handlers.Config{MailToFiles: true, BaseURL: "https://tracker.example.org"}, false)
	ctx := context.Background()
	// Asking to be told needs an address: refused, nothing written.
	form := validStoryForm()
	form.Del("contact_email")
	form.Set("notify_published", "true")
	res := a.client().postMultipart(t, "/stories", form, nil)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if res.doc(t).Find("[data-testid=error-contact_email]").Length() != 1 {
		t.Errorf("no error beside the address:\n%s", res.body)
	}
	form = validStoryForm()
	form.Set("notify_published", "true")
	form.Set("lang", "fr")
	code := a.submit(t, form, nil)
	quiet := validStoryForm()
	quiet.Set("contact_email", "quiet@private.example")
	a.submit(t, quiet, nil)
	pending, err := a.store.Stories(ctx, models.StoryFilter{Status: models.StoryPending}, models.Page{Size: 10})
	must(t, err)
	coo := a.loggedIn(t, "agadir@example.org")
	for _, st := range pending.Items {
		wantStatus(t, coo.post(t, fmt.Sprintf("/manage/stories/%d/publish", st.ID), url.Values{}), http.StatusSeeOther)
	}
	msgs := a.outbox(t)
	if len(msgs) != 1 || msgs[0].Recipient != "fatima@private.example" || msgs[0].Kind != models.MailPublished {
		t.Fatalf("outbox = %+v", msgs)
	}
	m, err := a.store.OutboxMessage(ctx, msgs[0].ID)
	must(t, err)
	var id uint
	for _, st := range pending.Items {
		if st.ContactEmail == "fatima@private.example" {
			id = st.ID
		}
	}
	if !strings.Contains(m.TextBody, fmt.Sprintf("https://tracker.example.org/stories/%d", id)) {
		t.Errorf("no link to the story:\n%s", m.TextBody)
	}
	if m.Lang != "fr" || !strings.Contains(m.Subject, "publiée") {
		t.Errorf("mail in %q: %q", m.Lang, m.Subject)
	}
	if strings.Contains(m.TextBody, code) || strings.Contains(m.HTMLBody, code) {
		t.Error("the mail carries the receipt code")
	}
	// Unpublished and published again: no second mail.
	path := fmt.Sprintf("/manage/stories/%d", id)
	wantStatus(t, coo.post(t, path+"/unpublish", url.Values{}), http.StatusSeeOther)
	wantStatus(t, coo.post(t, path+"/publish", url.Values{}), http.StatusSeeOther)
	if n := len(a.outbox(t)); n != 1 {
		t.Errorf("%d mails after publishing again", n)
	}
}

func TestCoordinatorsAreToldOfTheReview(t *testing.T) {
	t.Parallel()
	a := newAppWith(t, handlers.Config{MailToFiles: true}, false)
	ctx := context.Background()
	review := func(year int, decision, comment string) {
		t.Helper()
		r, err := a.store.StartCityReport(ctx, models.CLIActor(), a.agadir.ID, models.YearPeriod(year))
		must(t, err)
		must(t, a.store.SubmitCityReport(ctx, models.CLIActor(), r, r.Version, report.Frozen[*store.Store](a.reports, context.Background(), r)))
		res := a.loggedIn(t, "staff@example.org").post(t, fmt.Sprintf("/manage/city-reports/%d/review", r.ID),
			url.Values{"version": {fmt.Sprint(r.Version + 1)}, "decision": {decision}, "review": {comment}})
		wantStatus(t, res, http.StatusSeeOther)
	}
	review(2024, "changes", "Please add the\nlibrary's figures.")
	msgs := a.outbox(t)
	if len(msgs) != 1 || msgs[0].Recipient != "agadir@example.org" || msgs[0].Kind != models.MailReviewed ||
		!strings.Contains(msgs[0].Subject, "Agadir") {
		t.Fatalf("outbox = %+v", msgs)
	}
	m, err := a.store.OutboxMessage(ctx, msgs[0].ID)
	must(t, err)
	if !strings.Contains(m.TextBody, "> Please add the\n> library's figures.") || !strings.Contains(m.TextBody, "/manage/city-reports/") {
		t.Errorf("the comment is not quoted, or no link:\n%s", m.TextBody)
	}
	// Turned off on /account: no more.
	coo := a.loggedIn(t, "agadir@example.org")
	wantStatus(t, coo.post(t, "/account/notifications", url.Values{"notify": {"story_digest", "report_due"}}), http.StatusSeeOther)
	res := coo.get(t, "/account")
	if _, on := res.doc(t).Find("[data-testid=notify-report_review]").Attr("checked"); on {
		t.Error("the preference is not kept")
	}
	review(2023, "approve", "")
	if n := len(a.outbox(t)); n != 1 {
		t.Errorf("%d mails after the coordinator turned review mails off", n)
	}
	// Unknown kinds, or kinds of another role, are refused.
	wantStatus(t, coo.post(t, "/account/notifications", url.Values{"notify": {"everything"}}), http.StatusBadRequest)
	wantStatus(t, coo.post(t, "/account/notifications", url.Values{"notify": {"review_digest"}}), http.StatusBadRequest)
	if u := a.users(t, models.UserFilter{Query: "agadir@"})[0]; u.NotifyOff != "report_review" {
		t.Errorf("notify_off = %q after refused changes", u.NotifyOff)
	}
}

func TestDigestsAndRemindersAreWrittenOnce(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	cat, err := views.NewCatalog()
	must(t, err)
	mailer := views.Mailer{Catalog: cat, BaseURL: "https://tracker.example.org"}
	// Two stories wait in Agadir, none in Fez; a Fez report waits for review.
	for range 2 {
		a.submit(t, validStoryForm(), nil)
	}
	r, err := a.store.StartCityReport(ctx, models.CLIActor(), a.fez.ID, models.YearPeriod(2024))
	must(t, err)
	must(t, a.store.SubmitCityReport(ctx, models.CLIActor(), r, r.Version, report.Frozen[*store.Store](a.reports, context.Background(), r)))
	// A campaign that ended: its reports are due 30 days later.
	ends := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	must(t, a.store.CreateCampaign(ctx, &models.Campaign{Hashtag: "#ImALifelongLearner", Name: "I'm a lifelong learner", StartsOn: ends.AddDate(0, -3, 0), EndsOn: &ends}))
	due, err := a.store.PeriodDue(ctx, models.CampaignPeriod("#ImALifelongLearner"))
	must(t, err)

	byKind := func() map[string][]string {
		out := map[string][]string{}
		for _, m := range a.outbox(t) {
			// Without the bidi isolates around the hashtag.
			subject := strings.NewReplacer("\u2066", "", "\u2069", "").Replace(m.Subject)
			out[string(m.Kind)] = append(out[string(m.Kind)], m.Recipient+": "+subject)
		}
		return out
	}
	early := due.Add(-20 * 24 * time.Hour)
	n, err := a.store.WriteDigests(ctx, early, mailer)
	must(t, err)
	got := byKind()
	if n != 2 || len(got["digest"]) != 2 || len(got["reminder"]) != 0 {
		t.Fatalf("20 days before: %d written, %v", n, got)
	}
	if !sameSet(got["digest"], []string{"agadir@example.org: 2 stories wait for your review", "staff@example.org: 1 city report waits for review"}) {
		t.Errorf("digests = %v", got["digest"])
	}
	// Again the same day: nothing.
	if n, err := a.store.WriteDigests(ctx, early.Add(time.Hour), mailer); err != nil || n != 0 {
		t.Errorf("the same day again: %d, %v", n, err)
	}
	// 14 days before: each coordinator is reminded of their city once.
	a.store.WriteDigests(ctx, due.Add(-13*24*time.Hour), mailer)
	a.store.WriteDigests(ctx, due.Add(-12*24*time.Hour), mailer)
	got = byKind()
	if !sameSet(got["reminder"], []string{
		"agadir@example.org: Agadir: your report for #ImALifelongLearner is due on " + views.Date(cat.WithRequest(ctx, views.Request{Lang: cat.Match("en")}), *due),
		"fez@example.org: Fez: your report for #ImALifelongLearner is due on " + views.Date(cat.WithRequest(ctx, views.Request{Lang: cat.Match("en")}), *due),
	}) {
		t.Errorf("reminders = %v", got["reminder"])
	}
	// Late: Fez submitted meanwhile, so only Agadir hears.
	fezReport, err := a.store.StartCityReport(ctx, models.CLIActor(), a.fez.ID, models.CampaignPeriod("#ImALifelongLearner"))
	must(t, err)
	must(t, a.store.SubmitCityReport(ctx, models.CLIActor(), fezReport, fezReport.Version, report.Frozen[*store.Store](a.reports, context.Background(), fezReport)))
	a.store.WriteDigests(ctx, due.Add(2*24*time.Hour), mailer)
	a.store.WriteDigests(ctx, due.Add(3*24*time.Hour), mailer)
	late := 0
	for _, s := range byKind()["reminder"] {
		if strings.Contains(s, "is late") {
			late++
			if !strings.HasPrefix(s, "agadir@example.org: Agadir") {
				t.Errorf("late reminder %q", s)
			}
		}
	}
	if late != 1 {
		t.Errorf("%d late reminders, want 1", late)
	}
}
