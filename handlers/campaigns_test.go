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
)

// validCampaignForm is a form that creates or updates a running campaign.
func validCampaignForm(hashtag string) url.Values {
	return url.Values{
		"hashtag": {hashtag}, "name": {"Learning cities 2027"}, "name_fr": {"Villes apprenantes 2027"},
		"name_ar": {"مدن التعلم 2027"}, "description": {"A year of learning."},
		"starts_on": {"2024-01-01"}, "due_rule": {"after_end"}, "due_days": {"30"}, "report_periods": {"campaign", "quarter", "year"},
	}
}

func (a *app) countCampaigns(t testing.TB) int {
	t.Helper()
	cs, err := a.store.Campaigns(context.Background())
	must(t, err)
	return len(cs)
}

func (a *app) countAudit(t testing.TB, entity models.AuditEntity) int {
	t.Helper()
	p, err := a.store.AuditEntries(context.Background(), models.AuditFilter{AllCities: true}, models.Page{Size: 1000})
	must(t, err)
	n := 0
	for _, e := range p.Items {
		if e.Entity == entity {
			n++
		}
	}
	return n
}

func TestStaffCreatesEditsAndArchivesACampaign(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	c := a.loggedIn(t, "staff@example.org")

	// The new form ticks no city, and offers to tick the cities flagged as
	// co-leading: Agadir and Fez.
	blank := c.get(t, "/manage/campaigns/new").doc(t)
	if n := blank.Find("input[name=co_leads][checked]").Length(); n != 0 {
		t.Errorf("the new campaign form ticks %d cities, want none", n)
	}
	link := blank.Find("[data-testid=tick-co-leads]")
	href, _ := link.Attr("href")
	if !strings.Contains(link.Text(), "2 cities") {
		t.Errorf("the offer to tick the flagged co-leads reads %q", link.Text())
	}
	if n := c.get(t, href).doc(t).Find("input[name=co_leads][checked]").Length(); n != 2 {
		t.Errorf("%s ticks %d cities, want Agadir and Fez", href, n)
	}

	form := validCampaignForm("#CitiesLearn2027")
	form.Set("starts_on", "2027-01-01")
	form.Set("ends_on", "31/12/2027")
	form["co_leads"] = []string{fmt.Sprint(a.agadir.ID), fmt.Sprint(a.fez.ID)}
	res := c.post(t, "/manage/campaigns", form)
	wantStatus(t, res, http.StatusSeeOther)
	cp, err := a.store.CampaignBySlug(ctx, "citieslearn2027")
	must(t, err)
	if cp.Hashtag != "#CitiesLearn2027" || cp.NameIn("fr") != "Villes apprenantes 2027" || cp.NameIn("es") != "Learning cities 2027" || cp.EndsOn == nil || cp.EndsOn.Format("2006-01-02") != "2027-12-31" {
		t.Errorf("stored campaign = %+v", cp)
	}
	if len(cp.CoLeads) != 2 || cp.DueDays != 30 || cp.DueOn != nil {
		t.Errorf("co-leads %v, due days %d, due on %v", cp.CoLeads, cp.DueDays, cp.DueOn)
	}
	if n := a.countAudit(t, models.EntityCampaign); n != 1 {
		t.Errorf("%d campaign audit entries after create, want 1", n)
	}

	// The list shows it, its hashtag kept left to right, also in Arabic.
	c.setCookie("ltl_lang", "ar")
	doc := c.get(t, "/manage/campaigns").doc(t)
	if got := doc.Find(`[data-testid=campaign-citieslearn2027] bdi[dir=ltr]`).Text(); got != "#CitiesLearn2027" {
		t.Errorf("hashtag in the Arabic list = %q", got)
	}
	c.setCookie("ltl_lang", "en")

	// Edit: a fixed due date, quarters only, one co-lead.
	edit := c.get(t, fmt.Sprintf("/manage/campaigns/%d/edit", cp.ID))
	wantStatus(t, edit, http.StatusOK)
	if v, _ := edit.doc(t).Find("#name_fr").Attr("value"); v != "Villes apprenantes 2027" {
		t.Errorf("edit form's French name = %q", v)
	}
	form.Set("due_rule", "fixed")
	form.Set("due_on", "2028-02-15")
	form["report_periods"] = []string{"campaign", "quarter"}
	form["co_leads"] = []string{fmt.Sprint(a.fez.ID)}
	wantStatus(t, c.post(t, fmt.Sprintf("/manage/campaigns/%d", cp.ID), form), http.StatusSeeOther)
	cp, err = a.store.Campaign(ctx, cp.ID)
	must(t, err)
	if cp.DueOn == nil || cp.DueOn.Format("2006-01-02") != "2028-02-15" || cp.ReportPeriods != "campaign,quarter" || len(cp.CoLeads) != 1 || cp.CoLeads[0] != a.fez.ID {
		t.Errorf("after edit: due %v, periods %q, co-leads %v", cp.DueOn, cp.ReportPeriods, cp.CoLeads)
	}
	due, err := a.store.PeriodDue(ctx, models.CampaignPeriod(cp.Hashtag))
	must(t, err)
	if due == nil || due.Format("2006-01-02") != "2028-02-15" {
		t.Errorf("city reports due %v, want the fixed 2028-02-15", due)
	}

	// Archive the test app's campaign: its events stay, the event form no
	// longer offers it to a new event, but an event of it keeps it.
	eventsBefore := a.countEvents(t)
	wantStatus(t, c.post(t, fmt.Sprintf("/manage/campaigns/%d/archive", a.campaign.ID), url.Values{"archived": {"true"}}), http.StatusSeeOther)
	if a.countEvents(t) != eventsBefore {
		t.Error("archiving changed the events")
	}
	archived, err := a.store.Campaign(ctx, a.campaign.ID)
	must(t, err)
	if !archived.Archived() {
		t.Error("campaign not archived")
	}
	opts := c.get(t, "/manage/cities/agadir/events/new").doc(t).Find("select#campaign option")
	if strings.Contains(opts.Text(), a.campaign.Hashtag) {
		t.Errorf("new event form offers the archived campaign: %q", opts.Text())
	}
	opts = c.get(t, fmt.Sprintf("/manage/events/%d/edit", a.agadirEvent.ID)).doc(t).Find("select#campaign option")
	if !strings.Contains(opts.Text(), a.campaign.Hashtag) {
		t.Errorf("an event of the archived campaign lost it from its form: %q", opts.Text())
	}
	wantStatus(t, c.post(t, fmt.Sprintf("/manage/campaigns/%d/archive", a.campaign.ID), url.Values{"archived": {"maybe"}}), http.StatusBadRequest)
	wantStatus(t, c.post(t, fmt.Sprintf("/manage/campaigns/%d/archive", a.campaign.ID), url.Values{"archived": {"false"}}), http.StatusSeeOther)
	if n := a.countAudit(t, models.EntityCampaign); n != 4 {
		t.Errorf("%d campaign audit entries, want 4 (create, update, archive, restore)", n)
	}
}

func TestCampaignFormRefusesBadInputAndWritesNothing(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.loggedIn(t, "staff@example.org")
	cases := []struct {
		name  string
		edit  func(url.Values)
		field string
	}{
		{"no hashtag", func(f url.Values) { f.Set("hashtag", "") }, "hashtag"},
		{"spaces in hashtag", func(f url.Values) { f.Set("hashtag", "#Learn Through") }, "hashtag"},
		{"hashtag taken in another case", func(f url.Values) { f.Set("hashtag", "#learnthroughlife") }, "hashtag"},
		{"no name", func(f url.Values) { f.Set("name", " ") }, "name"},
		{"bad start", func(f url.Values) { f.Set("starts_on", "soon") }, "starts_on"},
		{"end before start", func(f url.Values) { f.Set("ends_on", "2023-01-01") }, "ends_on"},
		{"fixed due without end", func(f url.Values) { f.Set("due_rule", "fixed"); f.Set("due_on", "2030-01-01") }, "due_on"},
		{"due days out of range", func(f url.Values) { f.Set("due_days", "400") }, "due_days"},
		{"unknown rule", func(f url.Values) { f.Set("due_rule", "whenever") }, "due_rule"},
		{"no periods", func(f url.Values) { f.Del("report_periods") }, "report_periods"},
		{"unknown period", func(f url.Values) { f["report_periods"] = []string{"decade"} }, "report_periods"},
		{"unknown city", func(f url.Values) { f["co_leads"] = []string{"99999"} }, "co_leads"},
		{"name too long", func(f url.Values) { f.Set("name_ar", strings.Repeat("م", 121)) }, "name_ar"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before, audits := a.countCampaigns(t), a.countAudit(t, models.EntityCampaign)
			form := validCampaignForm("#NewCampaign")
			tc.edit(form)
			res := c.post(t, "/manage/campaigns", form)
			wantStatus(t, res, http.StatusUnprocessableEntity)
			if res.doc(t).Find("[data-testid=error-"+tc.field+"]").Length() != 1 {
				t.Errorf("no error beside %s", tc.field)
			}
			if a.countCampaigns(t) != before || a.countAudit(t, models.EntityCampaign) != audits {
				t.Error("a refused form wrote something")
			}
			// The same on an edit leaves the campaign as it was.
			old, err := a.store.Campaign(context.Background(), a.campaign.ID)
			must(t, err)
			res = c.post(t, fmt.Sprintf("/manage/campaigns/%d", a.campaign.ID), form)
			if tc.name == "hashtag taken in another case" {
				return // its own hashtag, in another case, is allowed
			}
			wantStatus(t, res, http.StatusUnprocessableEntity)
			cp, err := a.store.Campaign(context.Background(), a.campaign.ID)
			must(t, err)
			if cp.Hashtag != old.Hashtag || cp.Name != old.Name || cp.ReportPeriods != old.ReportPeriods {
				t.Errorf("a refused edit changed the campaign: %+v", cp)
			}
		})
	}
}

func TestWhoHasReportedUsesTheCampaignsDueRule(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	end := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	cp := &models.Campaign{Hashtag: "#Spring2025", Name: "Spring", StartsOn: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), EndsOn: &end, DueDays: 10, ReportPeriods: "campaign"}
	must(t, a.store.SaveCampaign(ctx, models.CLIActor(), cp))
	staff := a.loggedIn(t, "staff@example.org")
	body := staff.get(t, "/manage/city-reports/network?period=campaign:Spring2025").body
	if !strings.Contains(body, "due on 11 July 2025") {
		t.Errorf("network page does not give the campaign's due day (11 July 2025)")
	}
	fixed := time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)
	cp.DueOn = &fixed
	must(t, a.store.SaveCampaign(ctx, models.CLIActor(), cp))
	body = staff.get(t, "/manage/city-reports/network?period=campaign:Spring2025").body
	if !strings.Contains(body, "due on 1 September 2025") {
		t.Errorf("network page does not give the campaign's fixed due day (1 September 2025)")
	}
	// Cities start reports only on the periods the campaigns ask for: this
	// one the whole campaign, the test app's every kind.
	doc := a.loggedIn(t, "agadir@example.org").get(t, "/manage/city-reports").doc(t)
	if doc.Find(`option[value="campaign:Spring2025"]`).Length() != 1 {
		t.Error("the report form does not offer the new campaign")
	}
}

func TestCampaignPage(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	a.campaign.CoLeads = []uint{a.agadir.ID}
	a.campaign.Texts = map[string]models.CampaignText{"ar": {Name: "التعلم مدى الحياة"}}
	must(t, a.store.SaveCampaign(ctx, models.CLIActor(), a.campaign))
	a.newEvent(t, a.agadir, a.agadirPart, "Held reading night")
	a.plannedEvent(t, a.agadir, "Reading night", time.Now().Add(48*time.Hour))

	res := a.client().get(t, "/campaigns/learnthroughlife")
	wantStatus(t, res, http.StatusOK)
	doc := res.doc(t)
	if got := doc.Find("[data-testid=campaign-hashtag] bdi[dir=ltr]").Text(); got != "#LearnThroughLife" {
		t.Errorf("hashtag = %q", got)
	}
	if !strings.Contains(doc.Find("[data-testid=campaign-coleads]").Text(), "Agadir") {
		t.Error("Agadir is not among the co-leads")
	}
	if !strings.Contains(doc.Find("[data-testid=campaign-upcoming]").Text(), "Reading night") {
		t.Error("the planned event is not among the upcoming events")
	}
	// The figures are the report engine's for the campaign.
	totals, err := a.reports.Totals(ctx, report.Query{CampaignID: a.campaign.ID})
	must(t, err)
	figures := doc.Find("[data-testid=campaign-figures]").Text()
	if !strings.Contains(figures, fmt.Sprint(totals.Value(models.FigureEventsHeld))) {
		t.Errorf("figures %q lack events held %d", figures, totals.Value(models.FigureEventsHeld))
	}
	report, _ := doc.Find("[data-testid=campaign-report-link]").Attr("href")
	if report != "/reports?campaign=LearnThroughLife" {
		t.Errorf("report link = %q", report)
	}
	wantStatus(t, a.client().get(t, report), http.StatusOK)
	// A running campaign asks for stories, its own chosen.
	tell, _ := doc.Find("[data-testid=campaign-tell]").Attr("href")
	if tell != fmt.Sprintf("/stories/new?campaign=%d", a.campaign.ID) {
		t.Errorf("tell your story = %q", tell)
	}
	wantStatus(t, a.client().get(t, tell), http.StatusOK)
	// An upcoming one says when it starts, not five zeros.
	soon := &models.Campaign{Hashtag: "#ReadingYear", Name: "Reading year", StartsOn: time.Now().AddDate(0, 2, 0).Truncate(24 * time.Hour)}
	must(t, a.store.CreateCampaign(ctx, soon))
	page := a.client().get(t, "/campaigns/readingyear").doc(t)
	if page.Find("[data-testid=campaign-figures]").Length() != 0 || page.Find("[data-testid=campaign-tell]").Length() != 0 ||
		!strings.Contains(page.Find("[data-testid=campaign-not-started]").Text(), fmt.Sprint(soon.StartsOn.Year())) {
		t.Errorf("the upcoming campaign's page shows figures or asks for stories:\n%s", page.Find("main").Text())
	}

	// In Arabic: the Arabic name, the hashtag still left to right.
	c := a.client()
	c.setCookie("ltl_lang", "ar")
	doc = c.get(t, "/campaigns/learnthroughlife").doc(t)
	if got := doc.Find("h1").Text(); got != "التعلم مدى الحياة" {
		t.Errorf("Arabic title = %q", got)
	}
	// The home page leads to the running campaign; an unknown one is 404.
	if h, _ := a.client().get(t, "/").doc(t).Find("[data-testid=home-campaign] a").Attr("href"); h != "/campaigns/learnthroughlife" {
		t.Errorf("home leads to %q", h)
	}
	wantStatus(t, a.client().get(t, "/campaigns/nosuchcampaign"), http.StatusNotFound)
}

// plannedEvent stores a planned event of city starting at start.
func (a *app) plannedEvent(t testing.TB, city *models.City, title string, start time.Time) *models.Event {
	t.Helper()
	start = start.UTC().Truncate(time.Minute)
	e := &models.Event{
		CityID: city.ID, CampaignID: a.campaign.ID, Title: title, StartsAt: start, EndsAt: start.Add(90 * time.Minute),
		Format: models.FormatOnline, Status: models.StatusPlanned, LearningAreas: []models.LearningArea{models.AreaTechnologies},
	}
	must(t, a.store.CreateEvent(context.Background(), models.CLIActor(), e))
	return e
}

func TestStoryFormOffersTheRunningCampaigns(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	// One campaign running: no choice to make.
	if a.client().get(t, "/stories/new").doc(t).Find("select#campaign").Length() != 0 {
		t.Error("the story form asks for a campaign while one runs")
	}
	second := &models.Campaign{Hashtag: "#ReadingYear", Name: "Reading year", StartsOn: time.Now().AddDate(0, -1, 0)}
	must(t, a.store.CreateCampaign(ctx, second))
	ended := time.Now().AddDate(0, 0, -10)
	old := &models.Campaign{Hashtag: "#OldOne", Name: "Old", StartsOn: ended.AddDate(-1, 0, 0), EndsOn: &ended}
	must(t, a.store.CreateCampaign(ctx, old))
	opts := a.client().get(t, "/stories/new").doc(t).Find("select#campaign option")
	if !strings.Contains(opts.Text(), "#ReadingYear") || !strings.Contains(opts.Text(), "#LearnThroughLife") || strings.Contains(opts.Text(), "#OldOne") {
		t.Errorf("story form offers %q", opts.Text())
	}
	form := validStoryForm()
	form.Set("campaign", fmt.Sprint(second.ID))
	wantStatus(t, a.client().post(t, "/stories", form), http.StatusSeeOther)
	p, err := a.store.Stories(ctx, models.StoryFilter{}, models.Page{Size: 10})
	must(t, err)
	if len(p.Items) != 1 || p.Items[0].CampaignID != second.ID {
		t.Errorf("stories %+v, want one of #ReadingYear", p.Items)
	}
	// An ended campaign is refused, and nothing is written.
	form.Set("campaign", fmt.Sprint(old.ID))
	form.Set("title", "Another story")
	wantStatus(t, a.client().post(t, "/stories", form), http.StatusUnprocessableEntity)
	p, err = a.store.Stories(ctx, models.StoryFilter{}, models.Page{Size: 10})
	must(t, err)
	if len(p.Items) != 1 {
		t.Errorf("%d stories after a refused one, want 1", len(p.Items))
	}
}
