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
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
)

// countReminders counts the reminders staff sent, as recorded.
func (a *app) countReminders(t testing.TB) int {
	t.Helper()
	rows, err := a.store.Rows(context.Background(), "SELECT COUNT(*) FROM report_reminders")
	must(t, err)
	defer rows.Close()
	n := 0
	for rows.Next() {
		must(t, rows.Scan(&n))
	}
	return n
}

// TestStaffRemindCities: "who has reported" names each city's
// coordinators and, for the cities that have not submitted, offers a
// reminder: a mail to each coordinator in their mail language, audited,
// at most one per city, period and day. Refused requests write nothing.
func TestStaffRemindCities(t *testing.T) {
	t.Parallel()
	a := newAppWith(t, handlers.Config{MailToFiles: true, BaseURL: "https://tracker.example.org"}, false)
	ctx := context.Background()
	period := models.CampaignPeriod(a.campaign.Hashtag).String()
	page := "/manage/city-reports/network?period=" + url.QueryEscape(period)
	fez := a.userByEmail(t, "fez@example.org")
	must(t, a.store.SetMailLanguage(ctx, &fez, "fr"))
	essaouira := &models.City{Name: "Essaouira", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2024}
	must(t, a.store.CreateCity(ctx, models.CLIActor(), essaouira, nil))
	staff := a.loggedIn(t, "staff@example.org")

	doc := staff.get(t, page).doc(t)
	for _, tc := range []struct {
		city         *models.City
		coordinators string
		button       bool
	}{{a.agadir, "Agadir Coordinator", true}, {a.fez, "Fez Coordinator", true}, {essaouira, "No coordinator", false}} {
		row := doc.Find("#city-" + tc.city.Slug)
		if got := strings.TrimSpace(row.Find("[data-testid=network-coordinators] a, [data-testid=network-coordinators] .muted").First().Text()); got != tc.coordinators {
			t.Errorf("%s's coordinators: %q, want %q", tc.city.Name, got, tc.coordinators)
		}
		if got := row.Find("[data-testid=remind]").Length() == 1; got != tc.button {
			t.Errorf("%s offers a reminder: %v, want %v", tc.city.Name, got, tc.button)
		}
	}

	written := func() (int, int, int) {
		return len(a.outbox(t)), a.auditCount(t, models.AuditRemind), a.countReminders(t)
	}
	nothingWritten := func(t *testing.T, what string) {
		t.Helper()
		if m, au, r := written(); m != 0 || au != 0 || r != 0 {
			t.Fatalf("%s wrote %d mails, %d audit entries, %d reminders", what, m, au, r)
		}
	}
	remind := func(c *client, city any, period string) *response {
		return c.post(t, "/manage/city-reports/network/remind", url.Values{"city": {fmt.Sprint(city)}, "period": {period}})
	}
	// Bad requests.
	wantStatus(t, remind(a.loggedIn(t, "agadir@example.org"), a.agadir.ID, period), http.StatusForbidden)
	res := staff.postRaw(t, "/manage/city-reports/network/remind", url.Values{"city": {fmt.Sprint(a.agadir.ID)}, "period": {period}}, nil)
	wantStatus(t, res, http.StatusForbidden)
	for _, tc := range []struct{ city, period string }{
		{"agadir", period}, {"0", period}, {"99999", period}, {fmt.Sprint(a.agadir.ID), "year:1999"}, {fmt.Sprint(a.agadir.ID), "nonsense"}, {fmt.Sprint(a.agadir.ID), ""},
	} {
		wantStatus(t, remind(staff, tc.city, tc.period), http.StatusBadRequest)
	}
	// Nobody to remind in Essaouira.
	res = remind(staff, essaouira.ID, period)
	wantStatus(t, res, http.StatusConflict)
	if got := res.doc(t).Find("[data-testid=remind-problem]").Text(); !strings.Contains(got, "Essaouira has no coordinator") {
		t.Errorf("problem = %q", got)
	}
	nothingWritten(t, "refused reminders")

	res = remind(staff, a.agadir.ID, period)
	wantStatus(t, res, http.StatusSeeOther)
	if m, au, r := written(); m != 1 || au != 1 || r != 1 {
		t.Fatalf("a reminder wrote %d mails, %d audit entries, %d records", m, au, r)
	}
	msgs := a.outbox(t)
	if msgs[0].Recipient != "agadir@example.org" || msgs[0].Kind != models.MailReminder || msgs[0].Lang != "en" {
		t.Errorf("reminder = %+v", msgs[0])
	}
	res = staff.get(t, res.Header.Get("Location"))
	if got := strings.TrimSpace(res.doc(t).Find("[data-testid=flash]").Text()); got != "Reminder sent to the coordinator of Agadir." {
		t.Errorf("flash = %q", got)
	}
	// Once a day: the button is gone, and a second request is refused.
	row := res.doc(t).Find("#city-" + a.agadir.Slug)
	if !strings.Contains(row.Find("[data-testid=reminded-at]").Text(), "Reminder sent on") || row.Find("[data-testid=remind]").Length() != 0 {
		t.Errorf("Agadir's row after the reminder: %q", row.Text())
	}
	res = remind(staff, a.agadir.ID, period)
	wantStatus(t, res, http.StatusConflict)
	if got := res.doc(t).Find("[data-testid=remind-problem]").Text(); !strings.Contains(got, "already sent to Agadir today") {
		t.Errorf("problem = %q", got)
	}
	if m, au, r := written(); m != 1 || au != 1 || r != 1 {
		t.Fatalf("a second reminder wrote: %d mails, %d audit entries, %d records", m, au, r)
	}

	// Fez's coordinator reads French.
	wantStatus(t, remind(staff, a.fez.ID, period), http.StatusSeeOther)
	msgs = a.outbox(t)
	if len(msgs) != 2 || msgs[0].Recipient != "fez@example.org" || msgs[0].Lang != "fr" || !strings.Contains(msgs[0].Subject, "Fez") {
		t.Errorf("Fez's reminder = %+v", msgs[0])
	}

	// Once Fez has submitted, there is nothing to remind.
	r, err := a.store.StartCityReport(ctx, models.CLIActor(), a.fez.ID, models.CampaignPeriod(a.campaign.Hashtag))
	must(t, err)
	must(t, a.store.SubmitCityReport(ctx, models.CLIActor(), r, r.Version, report.Frozen[*store.Store](a.reports, ctx, r)))
	if staff.get(t, page).doc(t).Find("#city-"+a.fez.Slug+" [data-testid=remind]").Length() != 0 {
		t.Error("a city that submitted offers a reminder")
	}
	res = remind(staff, a.fez.ID, period)
	wantStatus(t, res, http.StatusConflict)
	if got := res.doc(t).Find("[data-testid=remind-problem]").Text(); !strings.Contains(got, "Fez has already submitted") {
		t.Errorf("problem = %q", got)
	}
	if m, au, r := written(); m != 2 || au != 2 || r != 2 {
		t.Errorf("a reminder of a submitted report wrote: %d mails, %d audit entries, %d records", m, au, r)
	}
}
