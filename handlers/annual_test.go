package handlers_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// listed is the text of each item of a list found by selector.
func listed(doc *goquery.Document, selector string) []string {
	var out []string
	doc.Find(selector + " li a").Each(func(_ int, s *goquery.Selection) {
		out = append(out, strings.TrimSpace(s.Text()))
	})
	return out
}

func TestFollowUpRespectsTheFilters(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	cli := models.CLIActor()
	cork := &models.City{Name: "Cork", Country: "IE", Region: models.RegionEuropeNA, JoinedYear: 2015}
	must(t, a.store.CreateCity(ctx, cli, cork, nil))
	medellin := &models.City{Name: "Medellín", Slug: "medellin", Country: "CO", Region: models.RegionLatinAmerica, JoinedYear: 2016}
	must(t, a.store.CreateCity(ctx, cli, medellin, nil))
	ifrane := &models.City{Name: "Ifrane", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2022}
	must(t, a.store.CreateCity(ctx, cli, ifrane, nil))
	other := &models.Campaign{Hashtag: "#ImALifelongLearner", Name: "I'm a lifelong learner", StartsOn: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}
	must(t, a.store.CreateCampaign(ctx, other))
	for _, c := range []*models.City{cork, a.fez} {
		st := &models.Story{
			CityID: c.ID, CampaignID: a.campaign.ID, Title: "Waiting story", Body: "A story long enough to be accepted.",
			DisplayName: "Learner", AgeGroup: models.AgeAdults, PublicationConsent: true,
		}
		_, err := a.store.CreateStory(ctx, st, nil)
		must(t, err)
	}
	staff := a.loggedIn(t, "staff@example.org")
	for _, tt := range []struct {
		query          string
		quiet, backlog []string
	}{
		{"", []string{"Cork", "Ifrane", "Medellín"}, []string{"Cork", "Fez"}},
		{"region=arab-states", []string{"Ifrane"}, []string{"Fez"}},
		{"country=IE", []string{"Cork"}, []string{"Cork"}},
		{"cohort=2024", nil, []string{"Fez"}},
		{"city=medellin", []string{"Medellín"}, nil},
		{"campaign=ImALifelongLearner&region=arab-states", []string{"Agadir", "Fez", "Ifrane"}, nil},
		{"campaign=" + strings.TrimPrefix(a.campaign.Hashtag, "#") + "&region=europe-north-america", []string{"Cork"}, []string{"Cork"}},
	} {
		t.Run(tt.query, func(t *testing.T) {
			res := staff.get(t, "/reports?"+tt.query)
			wantStatus(t, res, http.StatusOK)
			doc := res.doc(t)
			quiet, backlog := listed(doc, "[data-testid=quiet-cities]"), listed(doc, "[data-testid=backlog]")
			slices.Sort(quiet)
			if !slices.Equal(quiet, tt.quiet) {
				t.Errorf("quiet cities = %v, want %v", quiet, tt.quiet)
			}
			if !slices.Equal(backlog, tt.backlog) {
				t.Errorf("backlog = %v, want %v", backlog, tt.backlog)
			}
		})
	}
}

type apiComparison struct {
	apiReport
	Comparison *struct {
		From, To   string
		Totals     map[string]int64                        `json:"totals"`
		Breakdowns map[string][]map[string]json.RawMessage `json:"breakdowns"`
		Change     map[string]struct {
			Current, Previous, Absolute int64
			Percent                     *float64
		} `json:"change"`
	} `json:"comparison"`
}

func TestReportComparison(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	get := func(t *testing.T, q string) apiComparison {
		t.Helper()
		res := a.client().get(t, "/api/v1/report?"+q)
		wantStatus(t, res, http.StatusOK)
		var r apiComparison
		must(t, json.Unmarshal([]byte(res.body), &r))
		return r
	}
	now := time.Now().UTC()
	thisYear, lastYear := fmt.Sprint(now.Year()), fmt.Sprint(now.Year()-1)
	// The events of the fixture are three days old: this year, unless
	// the test runs in the first days of January.
	cur := now.AddDate(0, 0, -3).Year()
	plain := get(t, "from="+thisYear+"-01&to="+thisYear+"-12")
	if plain.Comparison != nil {
		t.Error("a report nobody asked to compare has a comparison")
	}
	r := get(t, "from="+thisYear+"-01&to="+thisYear+"-12&compare=previous")
	if r.Comparison == nil {
		t.Fatal("no comparison")
	}
	prev := get(t, "from="+lastYear+"-01&to="+lastYear+"-12")
	if r.Comparison.From != lastYear+"-01-01" || r.Comparison.To != lastYear+"-12-31" {
		t.Errorf("compared period %s – %s", r.Comparison.From, r.Comparison.To)
	}
	if fmt.Sprint(r.Totals) != fmt.Sprint(plain.Totals) || fmt.Sprint(r.Comparison.Totals) != fmt.Sprint(prev.Totals) {
		t.Errorf("comparison %v / %v, separate reports %v / %v", r.Totals, r.Comparison.Totals, plain.Totals, prev.Totals)
	}
	if len(r.Comparison.Breakdowns["by_city"]) != 2 || len(r.Comparison.Breakdowns["by_month"]) != 12 {
		t.Errorf("compared breakdowns: %d cities, %d months", len(r.Comparison.Breakdowns["by_city"]), len(r.Comparison.Breakdowns["by_month"]))
	}
	if c := r.Comparison.Change["events_held"]; cur == now.Year() && (c.Current != 2 || c.Previous != 0 || c.Absolute != 2 || c.Percent != nil) {
		t.Errorf("change of events held = %+v", c)
	}
	chosen := get(t, "from="+thisYear+"-01&to="+thisYear+"-12&compare_from="+lastYear+"-01-01&compare_to="+lastYear+"-12-31")
	if a, b := jsonOf(t, chosen.Comparison), jsonOf(t, r.Comparison); a != b {
		t.Errorf("a chosen period and the same previous one differ:\n%s\n%s", a, b)
	}

	for _, tt := range []struct{ query, field string }{
		{"compare=previous", "compare"}, {"from=2025-01&compare=previous", "compare"}, {"compare=yesterday", "compare"},
		{"compare_from=2024-01", "compare_to"}, {"compare_to=2024-01", "compare_from"}, {"compare_from=2024-13&compare_to=2024-12", "compare_from"},
		{"compare_from=2024-05&compare_to=2024-01", "compare_to"}, {"compare=previous&compare_from=2024-01&compare_to=2024-02", "compare"},
	} {
		res := a.client().get(t, "/api/v1/report?"+tt.query)
		wantStatus(t, res, http.StatusBadRequest)
		var body map[string]string
		if err := json.Unmarshal([]byte(res.body), &body); err != nil || body["field"] != tt.field {
			t.Errorf("?%s: %s, want a JSON error naming %s", tt.query, res.body, tt.field)
		}
		wantStatus(t, a.client().get(t, "/reports?"+tt.query), http.StatusBadRequest)
	}

	// The page shows both values, the change, the two years' months and
	// change columns.
	res := a.client().get(t, "/reports?from="+thisYear+"-01&to="+thisYear+"-12&compare=previous")
	wantStatus(t, res, http.StatusOK)
	doc := res.doc(t)
	if doc.Find("[data-testid=comparison-note]").Length() != 1 || doc.Find("[data-testid=report-totals] [data-testid^=change-]").Length() != len(models.Figures()) {
		t.Error("the headline figures do not show their change")
	}
	if cur == now.Year() {
		if got := strings.TrimSpace(doc.Find("[data-testid=figure-events_held] [data-testid=change-events_held] .change").Text()); got != "+2 (new)" {
			t.Errorf("change of events held on the page = %q", got)
		}
	}
	if n := doc.Find("svg[data-testid=chart-month] rect.bar.prev").Length(); n != 13 {
		t.Errorf("the month chart has %d bars of the previous year (and legend), want 13", n)
	}
	for _, id := range []string{"table-city", "table-region", "table-country"} {
		if doc.Find("[data-testid="+id+"] td[data-testid=change-events_held]").Length() == 0 {
			t.Errorf("%s has no change column", id)
		}
	}
	if v, _ := doc.Find("#compare option[selected]").Attr("value"); v != "previous" {
		t.Errorf("the form does not keep the comparison: %q", v)
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	must(t, err)
	return string(b)
}

func TestCityFormTakesAPoint(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	c := a.loggedIn(t, "staff@example.org")
	form := url.Values{"name": {"Essaouira"}, "country": {"MA"}, "region": {"arab-states"}, "joined_year": {"2024"}, "time_zone": {"Africa/Casablanca"},
		"latitude": {"31.5085"}, "longitude": {"-9,7595"}}
	wantStatus(t, c.post(t, "/manage/cities", form), http.StatusSeeOther)
	city, err := a.store.CityBySlug(ctx, "essaouira")
	must(t, err)
	if !city.HasPoint() || *city.Latitude != 31.5085 || *city.Longitude != -9.7595 {
		t.Fatalf("stored point %v, %v", city.Latitude, city.Longitude)
	}
	doc := c.get(t, "/manage/cities/essaouira/edit").doc(t)
	if lat, _ := doc.Find("#latitude").Attr("value"); lat != "31.5085" {
		t.Errorf("the edit form shows latitude %q", lat)
	}
	for _, tt := range []struct{ lat, lon, field string }{
		{"91", "0", "latitude"}, {"north", "0", "latitude"}, {"10", "-180.5", "longitude"}, {"10", "", "longitude"}, {"", "10", "latitude"}, {"NaN", "1", "latitude"},
	} {
		bad := url.Values{"name": {"Ifrane"}, "country": {"MA"}, "region": {"arab-states"}, "joined_year": {"2022"}, "time_zone": {"Africa/Casablanca"},
			"latitude": {tt.lat}, "longitude": {tt.lon}}
		res := c.post(t, "/manage/cities", bad)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		doc := res.doc(t)
		if doc.Find("[data-testid=error-"+tt.field+"]").Length() != 1 {
			t.Errorf("%s, %s: no error beside %s", tt.lat, tt.lon, tt.field)
		}
		if v, _ := doc.Find("#latitude").Attr("value"); v != tt.lat {
			t.Errorf("latitude not kept: %q", v)
		}
		if _, err := a.store.CityBySlug(ctx, "ifrane"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("%s, %s: the city was stored: %v", tt.lat, tt.lon, err)
		}
	}
	// Emptying both takes the city off the map.
	form.Set("latitude", "")
	form.Set("longitude", "")
	wantStatus(t, c.post(t, "/manage/cities/essaouira", form), http.StatusSeeOther)
	if city, _ = a.store.CityBySlug(ctx, "essaouira"); city.HasPoint() {
		t.Error("the point stayed")
	}
}

func TestMapsShowTheCitiesInScope(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	lat, lon := 30.4278, -9.5981
	a.agadir.Latitude, a.agadir.Longitude = &lat, &lon
	must(t, a.store.UpdateCity(ctx, models.CLIActor(), a.agadir, nil))
	cork := &models.City{Name: "Cork", Country: "IE", Region: models.RegionEuropeNA, JoinedYear: 2015, Latitude: new(51.8985), Longitude: new(-8.4756)}
	must(t, a.store.CreateCity(ctx, models.CLIActor(), cork, nil))
	for _, tt := range []struct {
		path, id string
		points   []string
	}{
		{"/reports", "report-map", []string{"agadir", "cork"}},
		{"/reports?region=arab-states&map=participants", "report-map", []string{"agadir"}},
		{"/cities", "city-map", []string{"agadir", "cork"}},
		{"/cities?region=europe-north-america", "city-map", []string{"cork"}},
	} {
		t.Run(tt.path, func(t *testing.T) {
			res := a.client().get(t, tt.path)
			wantStatus(t, res, http.StatusOK)
			doc := res.doc(t)
			svg := doc.Find("svg[data-testid=" + tt.id + "]")
			if svg.Length() != 1 || svg.Find("title").First().Text() == "" || svg.Closest("[dir]").AttrOr("dir", "") != "ltr" {
				t.Fatalf("no titled, unmirrored map: %d", svg.Length())
			}
			// The countries come from a static file, fetched once.
			href, _ := svg.Find("image.countries").Attr("href")
			outlines := a.client().get(t, href)
			wantStatus(t, outlines, http.StatusOK)
			if n := strings.Count(outlines.body, "<path "); n < 150 {
				t.Errorf("the map's outlines (%s) have %d countries", href, n)
			}
			var points []string
			svg.Find("circle[data-city]").Each(func(_ int, s *goquery.Selection) { points = append(points, s.AttrOr("data-city", "")) })
			slices.Sort(points)
			if !slices.Equal(points, tt.points) {
				t.Errorf("points %v, want %v", points, tt.points)
			}
			if n := doc.Find("[data-testid=" + tt.id + "-table] tbody tr").Length(); n != len(tt.points) {
				t.Errorf("the map's table has %d rows, want %d", n, len(tt.points))
			}
		})
	}
	// Fez has no point: the report says so rather than dropping it silently.
	res := a.client().get(t, "/reports?region=arab-states")
	if !strings.Contains(res.doc(t).Find("[data-testid=map-unplaced]").Text(), "Fez") {
		t.Error("the city without coordinates is not named")
	}
	// Agadir's point, sized by participants, is larger than Cork's ring.
	doc := a.client().get(t, "/reports?map=participants").doc(t)
	if v, _ := doc.Find("#map-figure option[selected]").Attr("value"); v != "participants" {
		t.Errorf("the map's figure is not kept: %q", v)
	}
	if doc.Find("circle[data-city=cork].none").Length() != 1 || doc.Find("circle[data-city=agadir].none").Length() != 0 {
		t.Error("a city with nothing and one with participants look alike")
	}
	wantStatus(t, a.client().get(t, "/reports?map=member_cities"), http.StatusBadRequest)
}

// TestReportPageIsNavigable: the long report has contents whose every
// link reaches a section, and a summary of the active filters that stays
// in view.
func TestReportPageIsNavigable(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	for _, tt := range []struct {
		query, summary string
	}{
		{"", "whole network"},
		{"?city=agadir&from=2025-01&to=2025-12&compare_from=2023-01&compare_to=2023-12", "January 2025 – December 2025 · Agadir · compared with January 2023 – December 2023"},
		{"?region=arab-states&from=2025-01&to=2025-12&compare=previous&cohort=2024", "January 2025 – December 2025 · Arab States · joined in 2024 · compared with January 2024 – December 2024"},
	} {
		doc := a.loggedIn(t, "staff@example.org").get(t, "/reports"+tt.query).doc(t)
		links := doc.Find("[data-testid=report-toc] a")
		if links.Length() < 8 {
			t.Errorf("%q: %d contents links", tt.query, links.Length())
		}
		links.Each(func(_ int, s *goquery.Selection) {
			id := strings.TrimPrefix(s.AttrOr("href", ""), "#")
			if doc.Find("#"+id).Length() != 1 {
				t.Errorf("%q: contents link #%s reaches nothing", tt.query, id)
			}
		})
		summary := doc.Find("[data-testid=filter-summary]")
		if !strings.Contains(summary.Text(), tt.summary) || summary.Find("a[href='#report-filters']").Length() != 1 || doc.Find("#report-filters").Length() != 1 {
			t.Errorf("%q: summary %q", tt.query, summary.Text())
		}
	}
}
