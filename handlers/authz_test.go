package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
)

// validEventForm is a form that creates or updates a planned event.
func (a *app) validEventForm(title string) url.Values {
	start := time.Now().UTC().Add(10 * 24 * time.Hour)
	return url.Values{
		"title": {title}, "starts_at": {start.Format("2006-01-02T15:04")}, "ends_at": {start.Add(time.Hour).Format("2006-01-02T15:04")},
		"format": {"online"}, "status": {"planned"}, "campaign": {fmt.Sprint(a.campaign.ID)},
		"learning_areas": {"technologies"},
	}
}

// heldEventForm is validEventForm for an event held five days ago, with
// its participants.
func (a *app) heldEventForm(title string, participants int) url.Values {
	form := a.validEventForm(title)
	past := time.Now().UTC().Add(-5 * 24 * time.Hour)
	form.Set("starts_at", past.Format("2006-01-02T15:04"))
	form.Set("ends_at", past.Add(2*time.Hour).Format("2006-01-02T15:04"))
	form.Set("status", "held")
	form.Set("participants", fmt.Sprint(participants))
	return form
}

func validPartnerForm(name string) url.Values {
	return url.Values{"name": {name}, "sector": {"media"}, "active": {"true"}}
}

func (a *app) validCityForm(name string) url.Values {
	return url.Values{"name": {name}, "country": {"MA"}, "region": {"arab-states"}, "joined_year": {"2024"}}
}

// TestAuthorizationMatrix walks every management route as an anonymous
// visitor, as the coordinator of another city, as the city's coordinator
// and as staff, and checks each outcome and that refused requests wrote
// nothing.
func TestAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	// fresh makes a record for a route that consumes one (delete).
	freshEvent := func() string {
		e := a.newEvent(t, a.agadir, a.agadirPart, "Disposable event")
		return fmt.Sprintf("/manage/events/%d", e.ID)
	}
	freshPartner := func() string {
		p := &models.Partner{CityID: a.agadir.ID, Name: "Disposable partner", Sector: models.SectorMedia}
		must(t, a.store.CreatePartner(ctx, models.CLIActor(), p))
		return fmt.Sprintf("/manage/partners/%d", p.ID)
	}
	freshStory := func() string {
		st := &models.Story{
			CityID: a.agadir.ID, CampaignID: a.campaign.ID, Title: "Matrix story", Body: "A story long enough to be accepted.",
			DisplayName: "Learner", AgeGroup: models.AgeAdults, PublicationConsent: true, ContactEmail: "hassan@library.example",
		}
		_, err := a.store.CreateStory(ctx, st, nil)
		must(t, err)
		return fmt.Sprintf("/manage/stories/%d", st.ID)
	}
	// moderated is a fresh story after the decisions given.
	moderated := func(actions ...models.StoryAction) func() string {
		return func() string {
			path := freshStory()
			var id uint
			fmt.Sscanf(path, "/manage/stories/%d", &id)
			for _, action := range actions {
				st, err := a.store.Story(ctx, id)
				must(t, err)
				must(t, a.store.ModerateStory(ctx, models.CLIActor(), st, action, ""))
			}
			return path
		}
	}
	year := models.FirstNetworkYear
	startReport := func() *models.CityReport {
		year++
		r, err := a.store.StartCityReport(ctx, models.CLIActor(), a.agadir.ID, models.YearPeriod(year))
		must(t, err)
		return r
	}
	freshReport := func() string { return fmt.Sprintf("/manage/city-reports/%d", startReport().ID) }
	submittedReport := func() string {
		r := startReport()
		must(t, a.store.SubmitCityReport(ctx, models.CLIActor(), r, r.Version, report.Frozen[*store.Store](a.reports, context.Background(), r)))
		return fmt.Sprintf("/manage/city-reports/%d", r.ID)
	}
	// People (issue 12): a fresh invited account for each action.
	freshUser := func() string {
		year++
		return fmt.Sprintf("/manage/users/%d", a.invite(t, fmt.Sprintf("matrix%d@example.org", year)).ID)
	}
	disabledUser := func() string {
		year++
		u := a.invite(t, fmt.Sprintf("matrix%d@example.org", year))
		must(t, a.store.SetUserDisabled(ctx, models.CLIActor(), u.ID, true))
		return fmt.Sprintf("/manage/users/%d", u.ID)
	}
	outboxPath := func() string {
		freshUser()
		return fmt.Sprintf("/manage/outbox/%d", a.outbox(t)[0].ID)
	}
	eventPath := fmt.Sprintf("/manage/events/%d", a.agadirEvent.ID)
	partnerPath := fmt.Sprintf("/manage/partners/%d", a.agadirPart.ID)
	campaignPath := fmt.Sprintf("/manage/campaigns/%d", a.campaign.ID)
	freshGlobalDay := func() string {
		g := &models.GlobalDay{Month: 3, Day: 8, Name: "Disposable day"}
		must(t, a.store.SaveGlobalDay(ctx, models.CLIActor(), g))
		return fmt.Sprintf("/manage/global-days/%d", g.ID)
	}
	const (
		signedIn = "signed in" // allowed for everyone signed in, on their own cities
		own      = "own"       // allowed for Agadir's coordinator and staff
		staff    = "staff"     // allowed for staff only
		// pending: for a sign-in whose password was checked and whose
		// two-factor code is awaited; everyone else, signed in or not,
		// is sent to /login (twofactor_test.go signs in through it).
		pending = "pending"
	)
	routes := []struct {
		method  string
		path    func() string
		form    url.Values
		who     string
		success int
	}{
		{"GET", fixed("/manage/cities/agadir/events"), nil, own, 200},
		{"GET", fixed("/manage/cities/agadir/events/new"), nil, own, 200},
		{"POST", fixed("/manage/cities/agadir/events"), a.validEventForm("Matrix event"), own, 303},
		{"GET", fixed(eventPath + "/edit"), nil, own, 200},
		{"POST", fixed(eventPath), a.validEventForm("Agadir reading afternoon"), own, 303},
		{"GET", fixed(eventPath + "/delete"), nil, own, 200},
		{"POST", func() string { return freshEvent() + "/delete" }, url.Values{}, own, 303},
		{"GET", fixed("/manage/cities/agadir/partners"), nil, own, 200},
		{"GET", fixed("/manage/cities/agadir/partners/new"), nil, own, 200},
		{"POST", fixed("/manage/cities/agadir/partners"), validPartnerForm("Matrix partner"), own, 303},
		{"GET", fixed(partnerPath + "/edit"), nil, own, 200},
		{"POST", fixed(partnerPath), validPartnerForm("Agadir Library"), own, 303},
		{"GET", fixed(partnerPath + "/delete"), nil, own, 200},
		{"POST", func() string { return freshPartner() + "/delete" }, url.Values{}, own, 303},
		{"GET", fixed("/account"), nil, signedIn, 200},
		// Past the gate, a wrong current password is refused as a form
		// (passwords_test.go changes it).
		{"POST", fixed("/account/password"), url.Values{"current": {"not it"}, "password": {"orbit lantern cactus mosaic"}, "confirm": {"orbit lantern cactus mosaic"}}, signedIn, 422},
		{"GET", fixed("/login/two-factor"), nil, pending, 303},
		{"POST", fixed("/login/two-factor"), url.Values{"code": {"123456"}}, pending, 303},
		{"GET", fixed("/dashboard"), nil, signedIn, 200},
		{"GET", fixed("/manage/stories"), nil, signedIn, 200},
		{"GET", fixed("/manage/city-reports"), nil, signedIn, 200},
		{"GET", fixed("/manage/stories?city=agadir"), nil, own, 200},
		{"GET", fixed("/manage/cities/agadir/events.csv"), nil, own, 200},
		{"GET", fixed("/manage/cities/agadir/partners.csv"), nil, own, 200},
		{"GET", fixed("/manage/cities/agadir/stories.csv"), nil, own, 200},
		{"GET", freshStory, nil, own, 200},
		{"POST", func() string { return freshStory() + "/publish" }, url.Values{}, own, 303},
		{"POST", func() string { return freshStory() + "/reject" }, url.Values{"reason": {"Off topic"}}, own, 303},
		{"POST", func() string { return moderated(models.ActionPublish)() + "/feature" }, url.Values{}, own, 303},
		{"POST", func() string { return moderated(models.ActionPublish, models.ActionFeature)() + "/unfeature" }, url.Values{}, own, 303},
		{"POST", func() string { return moderated(models.ActionPublish)() + "/unpublish" }, url.Values{}, own, 303},
		// Issue 33: a moderator's edit, then publication, and the queue's
		// bulk publication (its ids in the query, a fresh story each time).
		{"POST", func() string { return freshStory() + "/edit" }, url.Values{
			"then": {"publish"}, "title": {"Matrix story, corrected"}, "body": {"A story long enough to be accepted."}, "display_name": {"Learner"},
			"version": {(&models.Story{Status: models.StoryPending, Title: "Matrix story", Body: "A story long enough to be accepted.", DisplayName: "Learner"}).Version()},
		}, own, 303},
		{"POST", func() string {
			return "/manage/stories/publish?id=" + strings.TrimPrefix(freshStory(), "/manage/stories/")
		}, url.Values{}, own, 303},
		{"POST", fixed("/manage/city-reports"), url.Values{"city": {"agadir"}, "period": {"year:2025"}}, own, 303},
		{"GET", freshReport, nil, own, 200},
		{"GET", func() string { return freshReport() + "/print" }, nil, own, 200},
		{"POST", freshReport, url.Values{"version": {"1"}, "worked": {"Words"}}, own, 303},
		{"POST", func() string { return freshReport() + "/submit" }, url.Values{"version": {"1"}, "confirm": {"yes"}}, own, 303},
		{"GET", fixed("/manage/city-reports/network"), nil, staff, 200},
		{"GET", fixed("/manage/city-reports/network.csv"), nil, staff, 200},
		{"GET", fixed("/manage/city-reports/network.xlsx"), nil, staff, 200},
		{"GET", fixed("/manage/city-reports/network/document"), nil, staff, 200},
		{"GET", fixed("/manage/city-reports/network/self-assessment"), nil, staff, 200},
		{"POST", fixed("/manage/city-reports/network/remind"), url.Values{"city": {fmt.Sprint(a.fez.ID)}, "period": {models.CampaignPeriod(a.campaign.Hashtag).String()}}, staff, 303},
		{"POST", func() string { return submittedReport() + "/review" }, url.Values{"version": {"2"}, "decision": {"approve"}}, staff, 303},
		{"GET", fixed("/manage/cities"), nil, staff, 200},
		{"GET", fixed("/manage/cities/new"), nil, staff, 200},
		{"POST", fixed("/manage/cities"), nil, staff, 303}, // form set per role below
		{"GET", fixed("/manage/cities/agadir/edit"), nil, staff, 200},
		{"POST", fixed("/manage/cities/agadir"), a.validCityForm("Agadir"), staff, 303},
		{"GET", fixed("/manage/audit"), nil, staff, 200},
		{"GET", fixed("/manage/users"), nil, staff, 200},
		{"GET", fixed("/manage/users/new"), nil, staff, 200},
		{"POST", fixed("/manage/users"), url.Values{"name": {"Matrix"}, "email": {"matrix@example.org"}, "role": {"staff"}, "language": {"en"}}, staff, 303},
		{"GET", freshUser, nil, staff, 200},
		{"POST", func() string { return freshUser() + "/cities" }, url.Values{"cities": {fmt.Sprint(a.fez.ID)}}, staff, 303},
		{"POST", func() string { return freshUser() + "/resend" }, url.Values{}, staff, 303},
		{"POST", func() string { return freshUser() + "/link" }, url.Values{}, staff, 200},
		{"POST", func() string { return freshUser() + "/revoke" }, url.Values{}, staff, 303},
		{"POST", func() string { return freshUser() + "/disable" }, url.Values{}, staff, 303},
		{"POST", func() string { return disabledUser() + "/enable" }, url.Values{}, staff, 303},
		// Staff's two-factor sign-in: the page gives this session a
		// secret, against which a wrong code is refused; turning it off
		// needs the password (twofactor_test.go turns it on and off).
		{"GET", fixed("/account/two-factor"), nil, staff, 200},
		{"GET", fixed("/account/two-factor/qr.png"), nil, staff, 200},
		{"POST", fixed("/account/two-factor"), url.Values{"code": {"000000"}}, staff, 422},
		{"POST", fixed("/account/two-factor/disable"), url.Values{"password": {"not it"}}, staff, 422},
		{"POST", fixed("/account/notifications"), url.Values{}, signedIn, 303},
		{"POST", fixed("/account/mail-language"), url.Values{"mail_language": {"es"}}, signedIn, 303},
		{"GET", fixed("/manage/outbox"), nil, staff, 200},
		{"GET", outboxPath, nil, staff, 200},
		{"GET", fixed("/manage/campaigns"), nil, staff, 200},
		{"GET", fixed("/manage/campaigns/new"), nil, staff, 200},
		{"POST", fixed("/manage/campaigns"), validCampaignForm("#MatrixCampaign"), staff, 303},
		{"GET", fixed(campaignPath + "/edit"), nil, staff, 200},
		{"POST", fixed(campaignPath), validCampaignForm(a.campaign.Hashtag), staff, 303},
		{"POST", fixed(campaignPath + "/archive"), url.Values{"archived": {"false"}}, staff, 303},
		{"GET", fixed("/manage/global-days"), nil, staff, 200},
		{"GET", fixed("/manage/global-days/new"), nil, staff, 200},
		{"POST", fixed("/manage/global-days"), url.Values{"day": {"16"}, "month": {"11"}, "name": {"Tolerance"}}, staff, 303},
		{"GET", fixed("/manage/global-days/1/edit"), nil, staff, 200},
		{"POST", fixed("/manage/global-days/1"), url.Values{"day": {"24"}, "month": {"1"}, "name": {"International Day of Education"}}, staff, 303},
		{"POST", func() string { return freshGlobalDay() + "/delete" }, url.Values{}, staff, 303},
		{"GET", fixed("/manage/document-introduction?from=2025-01&to=2025-12"), nil, staff, 200},
		{"POST", fixed("/manage/document-introduction"), url.Values{"from": {"2025-01"}, "to": {"2025-12"}, "text_en": {"Matrix words."}}, staff, 303},
		{"GET", fixed("/manage/cohort-import"), nil, staff, 200},
		{"GET", fixed("/manage/cohort-import/template?format=xlsx"), nil, staff, 200},
		{"POST", fixed("/manage/cohort-import"), url.Values{}, staff, 422}, // no file: refused, for staff too
		{"POST", fixed("/manage/cohort-import/confirm"), url.Values{"rows": {`[{"Line":2,"City":{"Name":"Matrix Town","Country":"MA","JoinedYear":2024}}]`}}, staff, 303},
		// Bulk entry (issue 13). The matrix posts plain forms: past the
		// gate, an upload without a file and a confirmation without a
		// token are refused as forms (imports_test.go sends real files).
		{"GET", fixed("/manage/cities/agadir/import"), nil, own, 200},
		{"GET", fixed("/manage/cities/agadir/import/template?kind=events&format=csv"), nil, own, 200},
		{"POST", fixed("/manage/cities/agadir/import"), url.Values{"kind": {"events"}}, own, 422},
		{"POST", fixed("/manage/cities/agadir/import/confirm"), url.Values{"token": {"none"}}, own, 422},
		// Past the gate, an unknown import's status is not found
		// (import_status_test.go follows real ones).
		{"GET", fixed("/manage/cities/agadir/import/status/none"), nil, own, 404},
		{"GET", fixed(eventPath + "/duplicate"), nil, own, 200},
		{"GET", fixed("/manage/cities/agadir/attendance"), nil, own, 200},
		{"POST", fixed("/manage/cities/agadir/attendance"), url.Values{"count_999999": {""}}, own, 422},
		{"POST", fixed("/manage/cities/agadir/checked"), nil, own, 303},
		// Last: it ends every session of the role's user, this one too.
		{"POST", fixed("/account/sign-out-everywhere"), url.Values{}, signedIn, 303},
	}
	roles := []struct {
		name   string
		client func() *client
	}{
		{"anonymous", a.client},
		{"other coordinator", func() *client { return a.loggedIn(t, "fez@example.org") }},
		{"own coordinator", func() *client { return a.loggedIn(t, "agadir@example.org") }},
		{"staff", func() *client { return a.loggedIn(t, "staff@example.org") }},
	}
	covered := map[string]bool{} // "METHOD pattern" of every route the table walks
	actions := map[string]bool{} // the moderation actions it walks
	for _, role := range roles {
		c := role.client()
		for i, rt := range routes {
			path := rt.path()
			pattern, params := a.route(rt.method, path)
			covered[rt.method+" "+pattern] = true
			actions[params["action"]] = true
			t.Run(role.name+" "+rt.method+" "+path, func(t *testing.T) {
				want := rt.success
				switch {
				case role.name == "anonymous", rt.who == pending:
					want = http.StatusSeeOther
				case rt.who == signedIn:
				case role.name == "other coordinator", role.name == "own coordinator" && rt.who == staff:
					want = http.StatusForbidden
				}
				eventsBefore, partnersBefore, publishedBefore := a.countEvents(t), a.countPartners(t), a.countPublished(t)
				var res *response
				if rt.method == "GET" {
					res = c.get(t, path)
				} else {
					form := rt.form
					if form == nil {
						form = a.validCityForm(fmt.Sprintf("New City %d %s", i, strings.ReplaceAll(role.name, " ", "")))
					}
					res = c.post(t, path, form)
				}
				wantStatus(t, res, want)
				if (role.name == "anonymous" || rt.who == pending) && !strings.HasPrefix(res.Header.Get("Location"), "/login") {
					t.Errorf("%s sent to %q, want /login", role.name, res.Header.Get("Location"))
				}
				if want == http.StatusForbidden || want == http.StatusSeeOther && role.name == "anonymous" {
					if strings.Contains(res.body, "hassan@library.example") {
						t.Error("refused response shows the partner's private contact")
					}
					if rt.method == "POST" && (a.countEvents(t) != eventsBefore || a.countPartners(t) != partnersBefore || a.countPublished(t) != publishedBefore) {
						t.Error("a refused request changed the data")
					}
				}
			})
		}
	}
	// The table walks every route that is not public, every moderation
	// decision and every action on an account: a new route fails here
	// until it has a row, or is listed as public.
	for _, r := range a.e.Routes() {
		if r.Method == echo.RouteNotFound {
			continue // the group's catch-all 404
		}
		if !publicRoute(r.Method, r.Path) && !covered[r.Method+" "+r.Path] {
			t.Errorf("%s %s is not public and has no row in the authorization matrix", r.Method, r.Path)
		}
		if publicRoute(r.Method, r.Path) && covered[r.Method+" "+r.Path] {
			t.Errorf("%s %s has a row in the authorization matrix and is listed as public", r.Method, r.Path)
		}
	}
	for _, action := range models.StoryActions() {
		if !actions[string(action)] {
			t.Errorf("moderation action %s has no row in the authorization matrix", action)
		}
	}
	for _, action := range []string{"resend", "revoke", "disable", "enable"} { // userAction's cases
		if !actions[action] {
			t.Errorf("user action %s has no row in the authorization matrix", action)
		}
	}
	// The refused updates left Agadir's records as they were.
	e, err := a.store.Event(ctx, a.agadirEvent.ID)
	must(t, err)
	if e.CityID != a.agadir.ID {
		t.Errorf("event moved to city %d", e.CityID)
	}
}

// publicRoutes are the routes anyone may use, signed in or not, by
// "METHOD pattern"; with them, every GET under /reports/ (the network's
// figures, breakdowns and charts). Every other route has a row in
// TestAuthorizationMatrix.
var publicRoutes = []string{
	"GET /static/*", "GET /healthz",
	"GET /api/v1/report", "GET /api/v1/openapi.json", "GET /api/v1/dictionary",
	"GET /reports",
	"GET /", "GET /cities", "GET /cities/:slug", "GET /cities/:slug/stories.atom", "GET /cities/:slug/calendar.ics",
	"GET /stories", "GET /stories/new", "POST /stories", "GET /stories/thanks",
	"GET /stories/status", "POST /stories/status", "POST /stories/withdraw", "GET /stories/feed.atom",
	"POST /stories/edit", "POST /stories/resubmit",
	"GET /stories/:id", "GET /stories/:id/photo", "GET /campaigns/:slug",
	"GET /calendar", "GET /calendar.ics", "GET /events/:id", "GET /events/:id/event.ics", "POST /language",
	"GET /login", "POST /login", "POST /logout",
	"GET /invitations/:token", "POST /invitations/:token",
	"GET /password-reset/:token", "POST /password-reset/:token",
	"GET /password-reset", "POST /password-reset",
	"GET /help", "GET /help/:topic",
}

func publicRoute(method, path string) bool {
	return slices.Contains(publicRoutes, method+" "+path) || method == http.MethodGet && strings.HasPrefix(path, "/reports/")
}

// countPublished counts the stories that are published or rejected: the
// ones a moderation decision touched.
func (a *app) countPublished(t testing.TB) int64 {
	t.Helper()
	var n int64
	for _, status := range []models.StoryStatus{models.StoryPublished, models.StoryRejected} {
		p, err := a.store.Stories(context.Background(), models.StoryFilter{Status: status}, models.Page{Size: 1})
		must(t, err)
		n += p.Total
	}
	return n
}

func fixed(path string) func() string { return func() string { return path } }

func TestUnknownAndMalformedIDsAreNotFound(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.loggedIn(t, "staff@example.org")
	for _, path := range []string{
		"/manage/events/99999/edit", "/manage/events/abc/edit", "/manage/events/-1/edit", "/manage/events/0/edit",
		"/manage/partners/99999/edit", "/manage/partners/1e3/edit", "/manage/cities/atlantis/events",
		"/manage/cities/atlantis/edit", "/cities/atlantis", "/no/such/page",
	} {
		res := c.get(t, path)
		wantStatus(t, res, http.StatusNotFound)
		if res.doc(t).Find("[data-testid=error-page]").Length() != 1 {
			t.Errorf("%s: no friendly error page", path)
		}
	}
	res := c.post(t, "/manage/events/99999", a.validEventForm("x"))
	wantStatus(t, res, http.StatusNotFound)
}
