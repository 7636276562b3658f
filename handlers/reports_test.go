package handlers_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

type apiReport struct {
	Totals     map[string]int64                        `json:"totals"`
	Breakdowns map[string][]map[string]json.RawMessage `json:"breakdowns"`
}

func TestReportAPIContract(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	quiet := &models.City{Name: "Ifrane", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2022}
	must(t, a.store.CreateCity(context.Background(), models.CLIActor(), quiet, nil))
	res := a.client().get(t, "/api/v1/report")
	wantStatus(t, res, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("content type %q", ct)
	}
	var r apiReport
	must(t, json.Unmarshal([]byte(res.body), &r))
	want := map[string]int64{"member_cities": 3, "countries": 1, "active_cities": 2, "events_held": 2, "participants": 50, "stories_published": 0, "partners_engaged": 2}
	for k, v := range want {
		if got, ok := r.Totals[k]; !ok || got != v {
			t.Errorf("totals.%s = %d (present %v), want %d", k, got, ok, v)
		}
	}
	for _, bd := range models.AllBreakdowns() {
		b := bd.Key
		rows, ok := r.Breakdowns[b]
		if !ok {
			t.Errorf("breakdown %s missing", b)
			continue
		}
		for _, row := range rows {
			if row["key"] == nil || row["label"] == nil {
				t.Errorf("%s row lacks key or label: %v", b, row)
			}
		}
	}
	var slugs []string
	for _, row := range r.Breakdowns["by_city"] {
		var key string
		json.Unmarshal(row["key"], &key)
		slugs = append(slugs, key)
	}
	if strings.Join(slugs, ",") != "agadir,fez,ifrane" {
		t.Errorf("by_city keys = %v, want every city, the quiet one too", slugs)
	}
	// No personal data.
	for _, private := range []string{"hassan@library.example", "Hassan", "@example.org"} {
		if strings.Contains(res.body, private) {
			t.Errorf("the API shows %q", private)
		}
	}
}

func TestReportAPIBadQueries(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	for _, tt := range []struct{ query, field string }{
		{"from=2025-13-01", "from"}, {"from=yesterday", "from"}, {"to=2025-02-30", "to"},
		{"from=2025-03-01&to=2025-01-01", "to"}, {"campaign=NoSuchTag", "campaign"}, {"region=antarctica", "region"},
		{"country=XX", "country"}, {"country=Morocco", "country"}, {"city=atlantis", "city"},
		{"cohort=1850", "cohort"}, {"cohort=soon", "cohort"}, {"colour=blue", "colour"},
	} {
		res := a.client().get(t, "/api/v1/report?"+tt.query)
		wantStatus(t, res, http.StatusBadRequest)
		var body map[string]string
		if err := json.Unmarshal([]byte(res.body), &body); err != nil || body["field"] != tt.field || body["error"] == "" {
			t.Errorf("?%s: body %s, want a JSON error naming %s", tt.query, res.body, tt.field)
		}
	}
	for _, q := range []string{"from=2024-01-01&to=2030-12-31", "from=2024-01&to=2026-12", "campaign=LearnThroughLife", "campaign=%23LearnThroughLife",
		"region=arab-states", "country=ma", "city=agadir", "cohort=2024"} {
		wantStatus(t, a.client().get(t, "/api/v1/report?"+q), http.StatusOK)
	}
}

func TestReportFiltersAgree(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	get := func(q string) apiReport {
		var r apiReport
		res := a.client().get(t, "/api/v1/report?"+q)
		wantStatus(t, res, http.StatusOK)
		must(t, json.Unmarshal([]byte(res.body), &r))
		return r
	}
	all, agadir, fez := get(""), get("city=agadir"), get("city=fez")
	if all.Totals["events_held"] != agadir.Totals["events_held"]+fez.Totals["events_held"] || agadir.Totals["member_cities"] != 1 {
		t.Errorf("city reports do not add up: %v, %v, %v", all.Totals, agadir.Totals, fez.Totals)
	}
	// Arbitrary days and whole months give the same figures for the same period.
	days, months := get("from=2020-01-01&to=2030-12-31"), get("from=2020-01&to=2030-12")
	if fmt.Sprint(days.Totals) != fmt.Sprint(months.Totals) || fmt.Sprint(days.Totals) != fmt.Sprint(all.Totals) {
		t.Errorf("periods disagree: %v, %v, %v", days.Totals, months.Totals, all.Totals)
	}
	if empty := get("from=2001-01-01&to=2001-12-31"); empty.Totals["events_held"] != 0 || empty.Totals["member_cities"] != 2 {
		t.Errorf("empty period: %v", empty.Totals)
	}
}

func TestReportPageMatchesCSVAndAPI(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	res := a.client().get(t, "/reports?region=arab-states")
	wantStatus(t, res, http.StatusOK)
	doc := res.doc(t)
	if v, _ := doc.Find("#region option[selected]").Attr("value"); v != "arab-states" {
		t.Errorf("filter does not keep the region: %q", v)
	}
	if doc.Find("svg[role=img] title").Length() < 5 {
		t.Error("charts lack accessible titles")
	}
	if doc.Find("[data-testid=follow-up]").Length() != 0 {
		t.Error("the public sees staff follow-up")
	}
	held := strings.TrimSpace(doc.Find("[data-testid=figure-events_held] .value").Text())
	href, _ := doc.Find("[data-testid=csv-link]").Attr("href")
	if href != "/reports/export.csv?region=arab-states" {
		t.Errorf("CSV link = %q", href)
	}
	csvRes := a.client().get(t, href)
	wantStatus(t, csvRes, http.StatusOK)
	if !strings.HasPrefix(csvRes.Header.Get("Content-Type"), "text/csv") || !strings.Contains(csvRes.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("CSV headers: %v", csvRes.Header)
	}
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvRes.body, "\ufeff"))).ReadAll()
	must(t, err)
	if len(records) != 3 || records[0][0] != "city" || records[0][6] != "events_held" {
		t.Fatalf("CSV = %v", records)
	}
	var sum int
	for _, r := range records[1:] {
		var n int
		fmt.Sscan(r[6], &n)
		sum += n
	}
	if fmt.Sprint(sum) != held {
		t.Errorf("CSV events held add up to %d, the page says %s", sum, held)
	}
	staff := a.loggedIn(t, "staff@example.org").get(t, "/reports?quiet=3")
	if staff.doc(t).Find("[data-testid=follow-up]").Length() != 1 {
		t.Error("staff do not see the follow-up")
	}
	wantStatus(t, a.client().get(t, "/reports?region=mars"), http.StatusBadRequest)
}

func TestCSVIsSafeFromFormulas(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	evil := &models.City{Name: "=HYPERLINK(\"http://evil.example\")", Slug: "evil", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2024}
	must(t, a.store.CreateCity(context.Background(), models.CLIActor(), evil, nil))
	body := a.client().get(t, "/reports/export.csv").body
	if strings.Contains(body, "\n=HYPERLINK") || strings.Contains(body, ",=HYPERLINK") || !strings.Contains(body, "'=HYPERLINK") {
		t.Errorf("formula not made inert:\n%s", body)
	}
}

// TestOpenAPIDescribesTheReport checks the OpenAPI document against real
// answers of the API: each validates against the schema the document
// gives for its status, and carries no field the document leaves out.
func TestOpenAPIDescribesTheReport(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.client()
	res := c.get(t, "/api/v1/openapi.json")
	wantStatus(t, res, http.StatusOK)
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData([]byte(res.body))
	must(t, err)
	must(t, doc.Validate(loader.Context))
	// Strict: an object may hold only the properties the document names.
	for _, schema := range doc.Components.Schemas {
		forbidExtraProperties(schema.Value, map[*openapi3.Schema]bool{})
	}
	op := doc.Paths.Find("/api/v1/report").Get
	for _, tc := range []struct {
		query  string
		status int
	}{
		{"", http.StatusOK},
		{"?city=agadir&from=2024-01&to=2030-12", http.StatusOK},
		{"?from=2024-01-02&to=2024-12-30", http.StatusOK},
		{"?from=2025-01&to=2026-12&compare=previous", http.StatusOK},
		{"?region=arab-states&from=2025-01-01&to=2026-12-31&compare_from=2023-01&compare_to=2024-12", http.StatusOK},
		{"?region=mars", http.StatusBadRequest},
		{"?compare=previous", http.StatusBadRequest},
	} {
		res := c.get(t, "/api/v1/report"+tc.query)
		wantStatus(t, res, tc.status)
		var body any
		must(t, json.Unmarshal([]byte(res.body), &body))
		schema := op.Responses.Status(tc.status).Value.Content.Get("application/json").Schema.Value
		if err := schema.VisitJSON(body, openapi3.EnableJSONSchema2020()); err != nil {
			t.Errorf("%s: the answer does not match the document: %v", tc.query, err)
		}
	}
}

// forbidExtraProperties makes every object schema under s refuse
// properties it does not name.
func forbidExtraProperties(s *openapi3.Schema, seen map[*openapi3.Schema]bool) {
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	if len(s.Properties) > 0 {
		no := false
		s.AdditionalProperties = openapi3.AdditionalProperties{Has: &no}
	}
	for _, p := range s.Properties {
		forbidExtraProperties(p.Value, seen)
	}
	if s.Items != nil {
		forbidExtraProperties(s.Items.Value, seen)
	}
}

// TestReportChartsCountries: the network report draws the countries with
// the most events held, as it does regions and learning areas.
func TestReportChartsCountries(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	res := a.client().get(t, "/reports")
	wantStatus(t, res, http.StatusOK)
	chart := res.doc(t).Find("#by-country").Closest("section").Find("svg[data-testid=chart-country]")
	if chart.Length() != 1 || !strings.Contains(chart.Text(), "Morocco") {
		t.Errorf("no chart of countries: %q", chart.Text())
	}
}

// A network's city table shows its first rows, with the whole table one
// click away; the link keeps the order.
func TestReportTablesShowPartThenAll(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	for i := range 30 {
		c := &models.City{Name: fmt.Sprintf("Town %02d", i), Country: "FR", Region: models.RegionEuropeNA, JoinedYear: 2020}
		must(t, a.store.CreateCity(context.Background(), models.CLIActor(), c, nil))
	}
	c := a.client()
	doc := c.get(t, "/reports?sort=events_held&dir=desc").doc(t)
	if n := doc.Find("[data-testid=table-city] tbody tr").Length(); n != views.PartRows {
		t.Fatalf("the city table shows %d rows, want %d", n, views.PartRows)
	}
	more, ok := doc.Find("[data-testid=more-by-city] a").First().Attr("href")
	if !ok || !strings.Contains(more, "rows=all") || !strings.Contains(more, "sort=events_held") {
		t.Fatalf("link to the whole table: %q", more)
	}
	all := c.get(t, more).doc(t)
	if n := all.Find("[data-testid=table-city] tbody tr").Length(); n != 32 {
		t.Errorf("the whole city table shows %d rows, want 32", n)
	}
	if all.Find("[data-testid=more-by-city]").Length() != 0 {
		t.Error("the whole table still offers to show all")
	}
	wantStatus(t, c.get(t, "/reports?rows=some"), http.StatusBadRequest)
}

// TestMonthChartWritesItsValues: the month chart writes the value of each
// month it labels above its column, as its tooltip has it, so that it
// reads without hovering (in print, on a slide).
func TestMonthChartWritesItsValues(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.newEvent(t, a.agadir, a.agadirPart, "Held in the month")
	doc := a.client().get(t, "/reports").doc(t)
	columns := doc.Find("svg[data-testid=chart-month] rect.bar")
	values := doc.Find("svg[data-testid=chart-month] text.value")
	if columns.Length() == 0 || values.Length() == 0 || values.Length() > 12 {
		t.Fatalf("%d columns, %d values written", columns.Length(), values.Length())
	}
	first := strings.Fields(columns.First().Find("title").Text())
	if got := values.First().Text(); got != first[len(first)-1] {
		t.Errorf("the first month writes %q, its tooltip says %q", got, first)
	}
}
