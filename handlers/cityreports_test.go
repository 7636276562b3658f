package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
)

// startReport opens this year's report of Agadir as its coordinator and
// returns the report's path.
func startReport(t *testing.T, c *client) string {
	t.Helper()
	res := c.post(t, "/manage/city-reports", url.Values{"city": {"agadir"}, "period": {"year:" + time.Now().UTC().Format("2006")}})
	wantStatus(t, res, http.StatusSeeOther)
	return res.Header.Get("Location")
}

// reportVersion reads the version the report's forms carry.
func reportVersion(t *testing.T, c *client, path string) string {
	t.Helper()
	v, _ := c.get(t, path).doc(t).Find("[data-testid=report-form] input[name=version], form[action$='/review'] input[name=version]").First().Attr("value")
	return v
}

func TestCityReportLifecycle(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	coo, staff := a.loggedIn(t, "agadir@example.org"), a.loggedIn(t, "staff@example.org")
	path := startReport(t, coo)
	if !strings.HasPrefix(path, "/manage/city-reports/") {
		t.Fatalf("went to %q", path)
	}
	if again := startReport(t, coo); again != path {
		t.Errorf("a second start opened %q, want the same report %q", again, path)
	}
	page := coo.get(t, path)
	wantStatus(t, page, http.StatusOK)
	if got := strings.TrimSpace(page.doc(t).Find("[data-testid=live-figures] [data-testid=figure-events_held] .value").Text()); got != "1" {
		t.Errorf("live events held = %q, want 1", got)
	}

	// Save a draft with words, ratings and a featured event.
	form := url.Values{
		"version": {reportVersion(t, coo, path)}, "worked": {"Reading circles in every district"}, "hard": {"Reaching older men"},
		"plans": {"A festival"}, "events": {fmt.Sprint(a.agadirEvent.ID)},
		"score": {"3", "4", "0", "2", "1", "0"}, "comment": {"", "Family reading works", "", "", "", ""},
	}
	wantStatus(t, coo.post(t, path, form), http.StatusSeeOther)
	// The same form again carries an old version: refused, text kept.
	form.Set("worked", "An overwrite from a stale tab")
	res := coo.post(t, path, form)
	wantStatus(t, res, http.StatusConflict)
	doc := res.doc(t)
	if doc.Find("[data-testid=conflict]").Length() != 1 || doc.Find("#worked").Text() != "An overwrite from a stale tab" {
		t.Error("a stale save does not explain itself or loses the text")
	}
	r := a.cityReport(t, ctx, path)
	if r.Worked != "Reading circles in every district" || r.Ratings()[1].Score != 4 {
		t.Fatalf("stale save changed the report: %+v", r)
	}
	// Another city's event cannot be featured.
	bad := url.Values{"version": {reportVersion(t, coo, path)}, "events": {fmt.Sprint(a.fezEvent.ID)}}
	wantStatus(t, coo.post(t, path, bad), http.StatusUnprocessableEntity)

	// Staff cannot review a draft: refused, with a message on the page.
	res = staff.post(t, path+"/review", url.Values{"version": {reportVersion(t, coo, path)}, "decision": {"approve"}})
	wantStatus(t, res, http.StatusSeeOther)
	if a.cityReport(t, ctx, path).Status != models.ReportDraft || !strings.Contains(staff.get(t, path).body, "not possible") {
		t.Fatal("a draft was reviewed, or the refusal was not explained")
	}

	// Submit: the figures freeze.
	wantStatus(t, coo.post(t, path+"/submit", url.Values{"version": {reportVersion(t, coo, path)}}), http.StatusSeeOther)
	a.newEvent(t, a.agadir, a.agadirPart, "A later event")
	page = coo.get(t, path)
	doc = page.doc(t)
	if doc.Find("[data-testid=frozen-figures]").Length() != 1 || doc.Find("[data-testid=frozen-at]").Length() != 1 {
		t.Fatal("submitted report does not show frozen figures and when")
	}
	if got := strings.TrimSpace(doc.Find("[data-testid=diff-events_held]").Text()); !strings.Contains(got, "+1") {
		t.Errorf("live difference = %q, want +1", got)
	}
	if doc.Find("[data-testid=report-form]").Length() != 0 {
		t.Error("a submitted report can still be edited")
	}
	wantStatus(t, coo.post(t, path, form), http.StatusSeeOther) // refused as not editable, explained by a flash
	if a.cityReport(t, ctx, path).Worked != "Reading circles in every district" {
		t.Fatal("a submitted report was edited")
	}

	// Only staff review; asking for changes needs a comment.
	wantStatus(t, coo.post(t, path+"/review", url.Values{"decision": {"approve"}}), http.StatusForbidden)
	version := reportVersion(t, staff, path)
	res = staff.post(t, path+"/review", url.Values{"version": {version}, "decision": {"changes"}, "review": {""}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if res.doc(t).Find("[data-testid=error-review]").Length() != 1 {
		t.Error("no error beside the missing comment")
	}
	wantStatus(t, staff.post(t, path+"/review", url.Values{"version": {version}, "decision": {"changes"}, "review": {"Tell us more about older learners."}}), http.StatusSeeOther)

	// The coordinator sees the comment, revises, resubmits.
	if !strings.Contains(coo.get(t, path).doc(t).Find("[data-testid=history]").Text(), "Tell us more about older learners.") {
		t.Error("the coordinator does not see staff's comment")
	}
	form.Set("version", reportVersion(t, coo, path))
	form.Set("worked", "Reading circles, and a club for older men")
	wantStatus(t, coo.post(t, path, form), http.StatusSeeOther)
	wantStatus(t, coo.post(t, path+"/submit", url.Values{"version": {reportVersion(t, coo, path)}}), http.StatusSeeOther)
	if f := a.cityReport(t, ctx, path).Frozen(); f == nil || f.Totals.EventsHeld != 2 {
		t.Errorf("resubmission froze %+v, want 2 events", f)
	}
	wantStatus(t, staff.post(t, path+"/review", url.Values{"version": {reportVersion(t, staff, path)}, "decision": {"approve"}}), http.StatusSeeOther)
	r = a.cityReport(t, ctx, path)
	if r.Status != models.ReportApproved {
		t.Fatalf("status %s, want approved", r.Status)
	}
	// Approved: no second approval, no edits.
	wantStatus(t, staff.post(t, path+"/review", url.Values{"version": {fmt.Sprint(r.Version)}, "decision": {"approve"}}), http.StatusSeeOther)
	if steps := strings.Count(coo.get(t, path).doc(t).Find("[data-testid=history]").Text(), "Approved"); steps != 1 {
		t.Errorf("approved %d times", steps)
	}

	// The printable document, and the network view with its CSVs.
	doc = coo.get(t, path+"/print").doc(t)
	if !strings.Contains(doc.Find("[data-testid=report-document]").Text(), "Reading circles, and a club for older men") {
		t.Error("the printable report lacks its text")
	}
	network := staff.get(t, "/manage/city-reports/network?period=year:"+time.Now().UTC().Format("2006"))
	wantStatus(t, network, http.StatusOK)
	networkDoc := network.doc(t)
	if !strings.Contains(networkDoc.Find("[data-testid=network-reports]").Text(), "Approved") {
		t.Error("the network view does not show Agadir's approved report")
	}
	// This year's reports are not due yet: nobody is late.
	for state, want := range map[models.ReportingState]string{models.ReportingApproved: "1", models.ReportingLate: "0"} {
		if got := networkDoc.Find("[data-testid=network-count-" + string(state) + "] .value").Text(); got != want {
			t.Errorf("network count of %s = %q, want %q", state, got, want)
		}
	}
	csv := staff.get(t, "/manage/city-reports/network.csv?approved=1&period=year:"+time.Now().UTC().Format("2006")).body
	if !strings.Contains(csv, "Agadir,agadir,MA") || strings.Contains(csv, "Fez,fez") {
		t.Errorf("approved CSV:\n%s", csv)
	}
	wantStatus(t, coo.get(t, "/manage/city-reports/network"), http.StatusForbidden)
}

func TestCityReportsStayWithTheirCity(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	coo := a.loggedIn(t, "agadir@example.org")
	path := startReport(t, coo)
	fez := a.loggedIn(t, "fez@example.org")
	for _, p := range []string{path, path + "/print"} {
		wantStatus(t, fez.get(t, p), http.StatusForbidden)
	}
	wantStatus(t, fez.post(t, path, url.Values{"version": {"1"}, "worked": {"hijack"}}), http.StatusForbidden)
	wantStatus(t, fez.post(t, path+"/submit", url.Values{"version": {"1"}}), http.StatusForbidden)
	// Fez's coordinator cannot start a report for Agadir.
	wantStatus(t, fez.post(t, "/manage/city-reports", url.Values{"city": {"agadir"}, "period": {"year:2026"}}), http.StatusForbidden)
	if strings.Contains(fez.get(t, "/manage/city-reports").body, "Agadir") {
		t.Error("Fez's coordinator sees Agadir's report in the list")
	}
	for _, bad := range []url.Values{{"city": {"agadir"}, "period": {"decade:2020"}}, {"city": {"atlantis"}, "period": {"year:2026"}}, {"city": {"agadir"}, "period": {"campaign:NoSuch"}}} {
		wantStatus(t, coo.post(t, "/manage/city-reports", bad), http.StatusUnprocessableEntity)
	}
	wantStatus(t, a.client().get(t, path), http.StatusSeeOther)
}

// cityReport reads the report behind a path.
func (a *app) cityReport(t testing.TB, ctx context.Context, path string) *models.CityReport {
	t.Helper()
	var id uint
	fmt.Sscanf(strings.TrimPrefix(path, "/manage/city-reports/"), "%d", &id)
	r, err := a.store.CityReport(ctx, id)
	must(t, err)
	return r
}

// TestNetworkReportsOpenOnAPeriodWithReports: "who has reported" opens on
// the newest period a city has reported on, not on an empty one.
func TestNetworkReportsOpenOnAPeriodWithReports(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	lastYear := models.YearPeriod(time.Now().UTC().Year() - 1)
	_, err := a.store.StartCityReport(context.Background(), models.CLIActor(), a.agadir.ID, lastYear)
	must(t, err)
	doc := a.loggedIn(t, "staff@example.org").get(t, "/manage/city-reports/network").doc(t)
	if got, _ := doc.Find("#period option[selected]").Attr("value"); got != lastYear.String() {
		t.Errorf("opens on %q, want %q", got, lastYear.String())
	}
}

// TestNetworkReportsWithoutCampaigns: with every campaign archived there
// is no period to report on; "who has reported" opens on this year, and
// staff's home still shows.
func TestNetworkReportsWithoutCampaigns(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	must(t, a.store.ArchiveCampaign(context.Background(), models.CLIActor(), a.campaign.ID, true, time.Now()))
	staff := a.loggedIn(t, "staff@example.org")
	doc := staff.get(t, "/manage/city-reports/network").doc(t)
	if got := doc.Find("[data-testid=network-count-not_started] .value").Text(); got != "2" {
		t.Errorf("cities not started = %q, want 2", got)
	}
	wantStatus(t, staff.get(t, "/dashboard"), http.StatusOK)
}

// TestEmptyReportAsksBeforeSubmitting: a report with nothing written and
// nothing rated is not sent at once: the page lists what it lacks and
// asks; confirmed, it is sent.
func TestEmptyReportAsksBeforeSubmitting(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	r, err := a.store.StartCityReport(context.Background(), models.CLIActor(), a.agadir.ID, models.YearPeriod(time.Now().UTC().Year()))
	must(t, err)
	c := a.loggedIn(t, "agadir@example.org")
	path := fmt.Sprintf("/manage/city-reports/%d", r.ID)
	res := c.post(t, path+"/submit", url.Values{"version": {fmt.Sprint(r.Version)}})
	wantStatus(t, res, http.StatusOK)
	gaps := res.doc(t).Find("[data-testid=report-gaps] li")
	if gaps.Length() != 2 {
		t.Errorf("gaps listed: %q", gaps.Text())
	}
	if got := a.cityReport(t, context.Background(), path).Status; got != models.ReportDraft {
		t.Fatalf("sent without confirmation: %s", got)
	}
	wantStatus(t, c.post(t, path+"/submit", url.Values{"version": {fmt.Sprint(r.Version)}, "confirm": {"yes"}}), http.StatusSeeOther)
	if got := a.cityReport(t, context.Background(), path).Status; got != models.ReportSubmitted {
		t.Errorf("confirmed, status = %s", got)
	}
}

// TestChangesRequestedShowsOnTopAndStaffReadOnly: after staff ask for
// changes, their comment stands at the top of the report and on the
// coordinator's home, and staff see the report read-only.
func TestChangesRequestedShowsOnTopAndStaffReadOnly(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	r, err := a.store.StartCityReport(ctx, models.CLIActor(), a.agadir.ID, models.YearPeriod(time.Now().UTC().Year()))
	must(t, err)
	must(t, a.store.SubmitCityReport(ctx, models.CLIActor(), r, r.Version, report.Frozen[*store.Store](a.reports, context.Background(), r)))
	path := fmt.Sprintf("/manage/city-reports/%d", r.ID)
	r = a.cityReport(t, context.Background(), path)
	staff := a.loggedIn(t, "staff@example.org")
	wantStatus(t, staff.post(t, path+"/review", url.Values{"version": {fmt.Sprint(r.Version)}, "decision": {"changes"}, "review": {"Please rate the building blocks."}}), http.StatusSeeOther)

	doc := staff.get(t, path).doc(t)
	if doc.Find("[data-testid=report-form], [data-testid=submit-report]").Length() != 0 || doc.Find("[data-testid=report-content]").Length() != 1 {
		t.Error("staff see the coordinator's form instead of the report")
	}
	coo := a.loggedIn(t, "agadir@example.org")
	doc = coo.get(t, path).doc(t)
	top := doc.Find("[data-testid=changes-requested]")
	if !strings.Contains(top.Text(), "Please rate the building blocks.") || doc.Find("[data-testid=report-form]").Length() != 1 {
		t.Errorf("the request for changes is not at the top: %q", top.Text())
	}
	home := coo.get(t, "/dashboard").doc(t).Find("[data-testid=dashboard-changes-asked] a")
	if href, _ := home.Attr("href"); href != path {
		t.Errorf("the coordinator's home does not lead to the report sent back: %q", href)
	}
}
