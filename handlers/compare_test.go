package handlers_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
)

// comparedApp is the test app with a third city, in another region and
// country, and held events of 2024 and 2025 spread over the cities, the
// months, the building blocks, the age groups, the formats and partners
// of several sectors: some rows have figures in both years, some in one.
func comparedApp(t *testing.T) *app {
	t.Helper()
	a := newApp(t)
	ctx := context.Background()
	cli := models.CLIActor()
	cork := &models.City{Name: "Cork", Country: "IE", Region: models.RegionEuropeNA, JoinedYear: 2015}
	must(t, a.store.CreateCity(ctx, cli, cork, nil))
	cities := []*models.City{a.agadir, a.fez, cork}
	partners := map[uint][]uint{a.agadir.ID: {a.agadirPart.ID}, a.fez.ID: {a.fezPart.ID}}
	for i, sector := range []models.Sector{models.SectorPublic, models.SectorMedia, models.SectorCivil} {
		p := &models.Partner{CityID: cities[i].ID, Name: "Partner " + string(sector), Sector: sector, Active: true}
		must(t, a.store.CreatePartner(ctx, cli, p))
		partners[p.CityID] = append(partners[p.CityID], p.ID)
	}
	rng := rand.New(rand.NewPCG(33, 6))
	for i := range 60 {
		year := 2024 + i%2
		city := cities[rng.IntN(len(cities))]
		// Cork is new in 2025; Fez had no events in June 2025.
		if city == cork && year == 2024 {
			city = a.agadir
		}
		month := time.Month(1 + rng.IntN(12))
		if city == a.fez && year == 2025 && month == time.June {
			month = time.July
		}
		start := time.Date(year, month, 1+rng.IntN(27), 9+rng.IntN(8), 0, 0, 0, time.UTC)
		n := 5 + rng.IntN(200)
		areas := []models.LearningArea{models.LearningAreas()[rng.IntN(6)]}
		if rng.IntN(3) == 0 {
			areas = append(areas, models.LearningAreas()[rng.IntN(6)])
		}
		ages := []models.AgeGroup{models.AgeGroups()[rng.IntN(4)]}
		ps := partners[city.ID]
		e := &models.Event{
			CityID: city.ID, CampaignID: a.campaign.ID, Title: fmt.Sprintf("Event %d", i), StartsAt: start, EndsAt: start.Add(2 * time.Hour),
			Format: models.EventFormats()[rng.IntN(3)], Status: models.StatusHeld, Participants: &n,
			LearningAreas: areas, AgeGroups: ages, PartnerIDs: []uint{ps[rng.IntN(len(ps))]},
		}
		must(t, a.store.CreateEvent(ctx, cli, e))
	}
	return a
}

// TestComparisonDeltasEqualSeparateReports: a calendar year's report
// page, asked with no comparison, is compared with the year before, and
// every breakdown table of the page and of the printed document has a
// change after each figure; each change cell equals the difference of
// the two periods' figures computed separately, each from the raw
// tables on its own, and the downloads carry the compared figures.
func TestComparisonDeltasEqualSeparateReports(t *testing.T) {
	t.Parallel()
	a := comparedApp(t)
	ctx := context.Background()
	d := func(y int) time.Time { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC) }
	cur, err := a.reports.FromRaw(ctx, report.Query{From: d(2025), To: d(2026)})
	must(t, err)
	prev, err := a.reports.FromRaw(ctx, report.Query{From: d(2024), To: d(2025)})
	must(t, err)
	if cur.Totals.EventsHeld == 0 || prev.Totals.EventsHeld == 0 {
		t.Fatalf("the fixture has %d events in 2025, %d in 2024", cur.Totals.EventsHeld, prev.Totals.EventsHeld)
	}
	// The row of prev a row of cur is compared with: the same key, the
	// months in order (2025-03 with 2024-03).
	earlier := func(bd models.Breakdown, key string) (models.Row, bool) {
		if bd.From == models.FromMonths {
			k := strings.Replace(key, "2025-", "2024-", 1)
			for _, r := range *bd.Rows(&prev.Breakdowns) {
				if r.Key == k {
					return r, true
				}
			}
			return models.Row{}, false
		}
		for _, r := range *bd.Rows(&prev.Breakdowns) {
			if r.Key == key {
				return r, true
			}
		}
		return models.Row{}, true // none then: from 0
	}
	value := func(r models.Row, f models.Figure) int64 {
		if p := r.Value(f); p != nil {
			return *p
		}
		return 0
	}
	// want is the change cell of figure f of row key: "+12" and "+8.5 %",
	// "new" when the earlier figure was 0, nothing after "0".
	want := func(bd models.Breakdown, key string, f models.Figure) (string, string) {
		var now int64
		for _, r := range *bd.Rows(&cur.Breakdowns) {
			if r.Key == key {
				now = value(r, f)
			}
		}
		row, ok := earlier(bd, key)
		if !ok {
			t.Fatalf("%s: no earlier row for %s", bd.Name, key)
		}
		before := value(row, f)
		diff := now - before
		abs := strconv.FormatInt(diff, 10)
		if diff > 0 {
			abs = "+" + abs
		}
		switch {
		case before != 0:
			return abs, fmt.Sprintf("(%+.1f %%)", math.Round(float64(diff)*1000/float64(before))/10)
		case now != 0:
			return abs, "(new)"
		}
		return abs, ""
	}
	plain := func(s string) string { return strings.ReplaceAll(strings.TrimSpace(s), ",", "") }
	checkTable := func(page string, doc *goquery.Document, id string, bd models.Breakdown, figures []models.Figure) {
		t.Helper()
		table := doc.Find("table[data-testid=" + id + "]")
		rows := table.Find("tbody tr")
		if rows.Length() != len(*bd.Rows(&cur.Breakdowns)) {
			t.Errorf("%s %s: %d rows, the report has %d", page, id, rows.Length(), len(*bd.Rows(&cur.Breakdowns)))
		}
		if n := table.Find("thead th.change-col").Length(); n != len(figures) {
			t.Errorf("%s %s: %d change columns for %d figures", page, id, n, len(figures))
		}
		cells := 0
		rows.Each(func(_ int, tr *goquery.Selection) {
			key := tr.AttrOr("data-key", "")
			for _, f := range figures {
				cell := tr.Find("td[data-testid=change-" + string(f) + "]")
				wantAbs, wantRel := want(bd, key, f)
				gotAbs, gotRel := plain(cell.Find(".abs").Text()), plain(cell.Find(".rel").Text())
				if cell.Length() != 1 || gotAbs != wantAbs || gotRel != wantRel {
					t.Errorf("%s %s row %s, change of %s = %q %q, separate reports say %q %q", page, id, key, f, gotAbs, gotRel, wantAbs, wantRel)
				}
				cells++
			}
		})
		if cells == 0 {
			t.Errorf("%s %s: no change cells", page, id)
		}
	}

	c := a.client()
	doc := c.get(t, "/reports?from=2025-01&to=2025-12&rows=all").doc(t)
	if doc.Find("[data-testid=comparison-note]").Length() != 1 {
		t.Fatal("a calendar year is not compared with the year before by default")
	}
	if v, _ := doc.Find("#compare option[selected]").Attr("value"); v != "year" {
		t.Errorf("the comparison chosen for a calendar year is %q", v)
	}
	for _, bd := range models.AllBreakdowns() {
		checkTable("/reports", doc, "table-"+bd.Name, bd, bd.Compared)
	}
	// The page's downloads and API link carry the comparison it made.
	if href, _ := doc.Find("[data-testid=downloads] a[href*='by_region.csv']").Attr("href"); !strings.Contains(href, "compare=year") {
		t.Errorf("the page's download does not carry its comparison: %s", href)
	}
	doc = c.get(t, "/reports/document?from=2025-01&to=2025-12").doc(t)
	if got := doc.Find("[data-testid=comparison-note]").Text(); !strings.Contains(got, "1 January – 31 December 2024") {
		t.Errorf("the document's comparison line: %q", got)
	}
	for _, bd := range models.AllBreakdowns() {
		if bd.Chart != "" {
			checkTable("/reports/document", doc, "doc-table-"+bd.Name, bd, bd.Compared)
		}
	}

	// The downloads: the compared period's figures beside each row's.
	for _, bd := range models.AllBreakdowns() {
		res := c.get(t, "/reports/"+bd.Key+".csv?from=2025-01&to=2025-12&compare=year")
		wantStatus(t, res, http.StatusOK)
		records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.body, "\ufeff"))).ReadAll()
		must(t, err)
		col := map[string]int{}
		for i, h := range records[0] {
			col[h] = i
		}
		for _, rec := range records[1:] {
			row, _ := earlier(bd, rec[0])
			if bd.From == models.FromMonths && rec[col["compared_key"]] != row.Key {
				t.Errorf("%s.csv: month %s compared with %q, want %s", bd.Key, rec[0], rec[col["compared_key"]], row.Key)
			}
			for _, f := range bd.Figures {
				i, ok := col["compared_"+string(f)]
				if !ok || rec[i] != strconv.FormatInt(value(row, f), 10) {
					t.Errorf("%s.csv row %s: compared_%s = %v, the separate report says %d", bd.Key, rec[0], f, rec[min(i, len(rec)-1)], value(row, f))
				}
			}
		}
	}
}

// TestComparisonChoice: the four choices of the report filter and the
// document, the default of a calendar year, and the links and API calls
// from before them, which keep their meaning.
func TestComparisonChoice(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.client()
	note := func(path string) string {
		t.Helper()
		res := c.get(t, path)
		wantStatus(t, res, http.StatusOK)
		return res.doc(t).Find("[data-testid=comparison-note]").Text()
	}
	for _, tt := range []struct{ path, note string }{
		{"/reports?from=2025-01&to=2025-12", "January 2024 – December 2024"},
		{"/reports?from=2025-01-01&to=2025-12-31", "January 2024 – December 2024"},
		{"/reports?from=2025-01&to=2025-12&compare=none", ""},
		{"/reports?from=2025-01&to=2025-12&compare=", "January 2024 – December 2024"},
		{"/reports?from=2025-03&to=2025-05&compare=year", "March 2024 – May 2024"},
		{"/reports?from=2025-03&to=2025-05&compare=previous", "December 2024 – February 2025"},
		{"/reports?from=2025-03&to=2025-05", ""},
		{"/reports?from=2025-01&to=2025-12&compare_from=2022-01&compare_to=2022-12", "January 2022 – December 2022"},
		{"/reports?from=2025-01&to=2025-12&compare=period&compare_from=2022-01&compare_to=2022-06", "January 2022 – June 2022"},
		{"/reports/document?from=2025-03&to=2025-05", "1 December 2024 – 28 February 2025"},
		{"/reports/document?from=2025-03&to=2025-05&compare=year", "1 March – 31 May 2024"},
		{"/reports/document?from=2025-01&to=2025-12", "1 January – 31 December 2024"},
		{"/reports/document?from=2025-01&to=2025-12&compare=none", ""},
	} {
		if got := note(tt.path); (tt.note == "") != (got == "") || !strings.Contains(got, tt.note) {
			t.Errorf("%s: comparison note %q, want %q", tt.path, got, tt.note)
		}
	}
	// The month chart's legend names the two periods in words.
	doc := c.get(t, "/reports?from=2025-01&to=2025-12").doc(t)
	if legend := doc.Find("svg[data-testid=chart-month] text").Text(); !strings.Contains(legend, "January 2024 – December 2024") || !strings.Contains(legend, "January 2025 – December 2025") {
		t.Errorf("the month chart's legend: %q", legend)
	}
	// The filter shows the choice made, "none" included; the document
	// compares any closed period with the one before by default.
	for _, tt := range []struct{ query, page, document string }{
		{"from=2025-01&to=2025-12", "year", "year"}, {"from=2025-03&to=2025-05", "none", "previous"},
		{"from=2025-01&to=2025-12&compare=none", "none", "none"},
		{"from=2025-01&to=2025-12&compare_from=2022-01&compare_to=2022-12", "period", "period"},
		{"from=2025-03&to=2025-05&compare=previous", "previous", "previous"},
	} {
		for path, chosen := range map[string]string{"/reports?": tt.page, "/reports/document?": tt.document} {
			doc := c.get(t, path+tt.query).doc(t)
			if v, _ := doc.Find("#compare option[selected]").Attr("value"); v != chosen {
				t.Errorf("%s%s: the filter chose %q, want %q", path, tt.query, v, chosen)
			}
			if n := doc.Find("#compare option").Length(); n != 4 {
				t.Errorf("%s%s: %d comparisons offered", path, tt.query, n)
			}
		}
	}
	// The API compares only when asked: its output for a calendar year is
	// what it was; compare=year asks.
	get := func(q string) apiComparison {
		t.Helper()
		res := c.get(t, "/api/v1/report?"+q)
		wantStatus(t, res, http.StatusOK)
		var r apiComparison
		must(t, json.Unmarshal([]byte(res.body), &r))
		return r
	}
	if r := get("from=2025-01&to=2025-12"); r.Comparison != nil {
		t.Error("the API compares a calendar year nobody asked to compare")
	}
	if r := get("from=2025-03-10&to=2025-04-09&compare=year"); r.Comparison == nil || r.Comparison.From != "2024-03-10" || r.Comparison.To != "2024-04-09" {
		t.Errorf("compare=year: %+v", r.Comparison)
	}
	// The downloads too.
	res := c.get(t, "/reports/by_region.csv?from=2025-01&to=2025-12")
	if strings.Contains(res.body, "compared_") {
		t.Error("a download compares a calendar year nobody asked to compare")
	}
	// An open period has no year before; the refusals name the field.
	for _, q := range []string{"compare=year", "from=2025-01&compare=year", "to=2025-01&compare=year"} {
		res := c.get(t, "/api/v1/report?"+q)
		wantStatus(t, res, http.StatusBadRequest)
		var body map[string]string
		if err := json.Unmarshal([]byte(res.body), &body); err != nil || body["field"] != "compare" {
			t.Errorf("?%s: %s", q, res.body)
		}
		wantStatus(t, c.get(t, "/reports?"+q), http.StatusBadRequest)
		wantStatus(t, c.get(t, "/reports/by_region.csv?"+q), http.StatusBadRequest)
	}
}
