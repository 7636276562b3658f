package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

// narrativesPeriod is the period the narratives tests report on.
var narrativesPeriod = models.YearPeriod(2025)

// narrativeReports writes 2025's reports: Agadir's approved, with a
// narrative that starts like a formula and one in Arabic; Fez's
// submitted, rating some building blocks; and a draft of Cork, in
// Ireland. It returns them as stored, with Cork.
func (a *app) narrativeReports(t *testing.T) (agadir, fez, cork *models.CityReport, corkCity *models.City) {
	t.Helper()
	ctx := context.Background()
	actor := models.CLIActor()
	corkCity = &models.City{Name: "Cork", Country: "IE", Region: models.RegionEuropeNA, JoinedYear: 2015}
	must(t, a.store.CreateCity(ctx, actor, corkCity, nil))
	write := func(city *models.City, d models.CityReportDraft, status models.CityReportStatus) *models.CityReport {
		t.Helper()
		r, err := a.store.StartCityReport(ctx, actor, city.ID, narrativesPeriod)
		must(t, err)
		must(t, a.store.SaveCityReport(ctx, actor, r, r.Version, d))
		if status != models.ReportDraft {
			r = a.cityReport(t, ctx, fmt.Sprintf("/manage/city-reports/%d", r.ID))
			must(t, a.store.SubmitCityReport(ctx, actor, r, r.Version, report.Frozen[*store.Store](a.reports, ctx, r)))
		}
		if status == models.ReportApproved {
			r = a.cityReport(t, ctx, fmt.Sprintf("/manage/city-reports/%d", r.ID))
			must(t, a.store.ReviewCityReport(ctx, actor, r, r.Version, true, ""))
		}
		return a.cityReport(t, ctx, fmt.Sprintf("/manage/city-reports/%d", r.ID))
	}
	ratings := func(scores ...int) []models.Rating {
		var out []models.Rating
		for i, s := range scores {
			a := models.LearningAreas()[i]
			out = append(out, models.Rating{Area: a, Score: s, Comment: "About " + string(a)})
		}
		return out
	}
	agadir = write(a.agadir, models.CityReportDraft{
		Worked: "=HYPERLINK(\"http://evil.example\",\"Click\")\n\nReading circles in every district.",
		Hard:   "الوصول إلى الرجال الأكبر سنًا", Plans: "@festival in May",
		Ratings: ratings(4, 3, 2, 1, 4, 3),
	}, models.ReportApproved)
	fez = write(a.fez, models.CityReportDraft{Worked: "A coding club.", Plans: "+2 clubs next year", Ratings: ratings(2, 0, 3)}, models.ReportSubmitted)
	cork = write(corkCity, models.CityReportDraft{Worked: "Draft words.", Ratings: ratings(1, 1)}, models.ReportDraft)
	return agadir, fez, cork, corkCity
}

// inert is a cell as the exports write it: a value that starts like a
// formula is quoted.
func inert(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}

func dayOf(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// TestNetworkWorkbook: the workbook holds a row per chosen report, as the
// store has it: the narrative with its formulas made inert, and the
// scores as numbers (empty where a block is not rated) with comments.
func TestNetworkWorkbook(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	agadir, fez, cork, corkCity := a.narrativeReports(t)
	staff := a.loggedIn(t, "staff@example.org")
	cities := map[uint]*models.City{a.agadir.ID: a.agadir, a.fez.ID: a.fez, corkCity.ID: corkCity}

	for _, tc := range []struct {
		query string
		want  []*models.CityReport
	}{
		{"?period=year:2025", []*models.CityReport{agadir, fez}},
		{"?period=year:2025&status=draft", []*models.CityReport{cork}},
		{"?period=year:2025&status=approved&status=draft", []*models.CityReport{agadir, cork}},
		{"?period=year:2024", nil},
	} {
		res := staff.get(t, "/manage/city-reports/network.xlsx"+tc.query)
		wantStatus(t, res, http.StatusOK)
		if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "city-narratives-year-") {
			t.Errorf("%s: Content-Disposition %q", tc.query, cd)
		}
		book, err := excelize.OpenReader(strings.NewReader(res.body))
		must(t, err)
		if got := book.GetSheetList(); !slices.Equal(got, []string{"Narratives", "Self-assessment"}) {
			t.Fatalf("%s: sheets %v", tc.query, got)
		}
		narr, err := book.GetRows("Narratives")
		must(t, err)
		scores, err := book.GetRows("Self-assessment")
		must(t, err)
		wantNarr := [][]string{{"city", "slug", "country", "region", "status", "submitted_at", "approved_at", "worked", "hard", "plans"}}
		wantScores := [][]string{{"city", "slug", "country", "region", "status"}}
		for _, ar := range models.LearningAreas() {
			wantScores[0] = append(wantScores[0], string(ar))
		}
		for _, ar := range models.LearningAreas() {
			wantScores[0] = append(wantScores[0], string(ar)+" comment")
		}
		for _, r := range tc.want {
			// An independent read: the report and its city as stored now.
			stored, err := a.store.CityReport(context.Background(), r.ID)
			must(t, err)
			c := cities[stored.CityID]
			head := []string{c.Name, c.Slug, c.Country, string(c.Region), string(stored.Status)}
			wantNarr = append(wantNarr, append(slices.Clone(head), dayOf(stored.SubmittedAt), dayOf(stored.ApprovedAt),
				inert(stored.Worked), inert(stored.Hard), inert(stored.Plans)))
			row := slices.Clone(head)
			for _, rt := range stored.Ratings() {
				if rt.Score == models.NotRated {
					row = append(row, "")
				} else {
					row = append(row, strconv.Itoa(rt.Score))
				}
			}
			for _, rt := range stored.Ratings() {
				row = append(row, rt.Comment)
			}
			wantScores = append(wantScores, row)
		}
		for name, sheets := range map[string][2][][]string{"Narratives": {narr, wantNarr}, "Self-assessment": {scores, wantScores}} {
			got, want := sheets[0], sheets[1]
			if len(got) != len(want) {
				t.Errorf("%s %s: %d rows, want %d: %q", tc.query, name, len(got), len(want), got)
				continue
			}
			for i := range want {
				if !slices.Equal(trimRight(got[i]), trimRight(want[i])) {
					t.Errorf("%s %s row %d:\n%q\nwant\n%q", tc.query, name, i, got[i], want[i])
				}
			}
		}
		// Scores are numbers, not text.
		if len(tc.want) > 0 {
			if typ, err := book.GetCellType("Self-assessment", "F2"); err != nil || typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
				t.Errorf("%s: a score's cell is of type %v (%v)", tc.query, typ, err)
			}
		}
		book.Close()
	}
	// Agadir's formula is quoted, its Arabic kept as written.
	if !strings.HasPrefix(inert(agadir.Worked), "'=HYPERLINK") || agadir.Hard != "الوصول إلى الرجال الأكبر سنًا" {
		t.Errorf("stored %q / %q", agadir.Worked, agadir.Hard)
	}
}

// trimRight drops a row's empty cells at its end, which a sheet does not
// keep.
func trimRight(row []string) []string {
	for len(row) > 0 && row[len(row)-1] == "" {
		row = row[:len(row)-1]
	}
	return row
}

// TestNetworkNarrativesDocument: the document has a section per chosen
// report, in the contents list, the city's name as its heading and the
// narrative and ratings as stored; it says which statuses it includes.
func TestNetworkNarrativesDocument(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	agadir, fez, _, _ := a.narrativeReports(t)
	staff := a.loggedIn(t, "staff@example.org")
	res := staff.get(t, "/manage/city-reports/network/document?period=year:2025")
	wantStatus(t, res, http.StatusOK)
	doc := res.doc(t)
	if doc.Find("article.document .doc-cover").Length() != 1 {
		t.Error("the document does not use the printed document's classes")
	}
	var contents []string
	doc.Find("[data-testid=contents] a").Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		contents = append(contents, s.Text()+" "+href)
	})
	if want := []string{"Agadir #city-agadir", "Fez #city-fez"}; !slices.Equal(contents, want) {
		t.Errorf("contents %q, want %q", contents, want)
	}
	if got := doc.Find("[data-testid=included-statuses]").Text(); !strings.Contains(got, "Approved, Submitted") {
		t.Errorf("the statuses included are not said: %q", got)
	}
	sections := doc.Find("[data-testid=city-narrative]")
	if sections.Length() != 2 {
		t.Fatalf("%d sections, want 2", sections.Length())
	}
	for i, r := range []*models.CityReport{agadir, fez} {
		stored, err := a.store.CityReport(context.Background(), r.ID)
		must(t, err)
		sec := sections.Eq(i)
		if id, _ := sec.Attr("id"); id != []string{"city-agadir", "city-fez"}[i] {
			t.Errorf("section %d id %q", i, id)
		}
		if got := sec.Find("h2").Text(); got != []string{"Agadir", "Fez"}[i] {
			t.Errorf("section %d heading %q", i, got)
		}
		var paras []string
		sec.Find("p[dir=auto]").Each(func(_ int, p *goquery.Selection) { paras = append(paras, p.Text()) })
		var want []string
		for _, text := range []string{stored.Worked, stored.Hard, stored.Plans} {
			for _, p := range strings.Split(text, "\n\n") {
				if p != "" {
					want = append(want, p)
				}
			}
		}
		if !slices.Equal(paras, want) {
			t.Errorf("%s's narrative %q, stored %q", sec.Find("h2").Text(), paras, want)
		}
		var scores []string
		sec.Find("[data-testid=ratings] tbody tr td:nth-of-type(1)").Each(func(_ int, td *goquery.Selection) { scores = append(scores, td.Text()) })
		for j, rt := range stored.Ratings() {
			if want := []string{"Not rated", "1: starting", "2: developing", "3: established", "4: strong"}[rt.Score]; j >= len(scores) || scores[j] != want {
				t.Errorf("%s's rating of %s: %q, stored %d", sec.Find("h2").Text(), rt.Area, scores, rt.Score)
			}
		}
	}
	// Drafts only when asked for; none: said so.
	doc = staff.get(t, "/manage/city-reports/network/document?period=year:2025&status=changes_requested").doc(t)
	if doc.Find("[data-testid=city-narrative]").Length() != 0 || doc.Find("[data-testid=no-reports]").Length() != 1 {
		t.Error("a selection of no report does not say so")
	}
}

// TestNetworkSelfAssessment: a row per chosen report with the stored
// scores, written in each cell; the medians; sorting by a block and
// filtering by region or country.
func TestNetworkSelfAssessment(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	agadir, fez, _, _ := a.narrativeReports(t)
	staff := a.loggedIn(t, "staff@example.org")
	get := func(query string) *goquery.Document {
		t.Helper()
		res := staff.get(t, "/manage/city-reports/network/self-assessment?period=year:2025"+query)
		wantStatus(t, res, http.StatusOK)
		return res.doc(t)
	}
	rows := func(doc *goquery.Document) []string {
		var out []string
		doc.Find("[data-testid=assessed-city]").Each(func(_ int, tr *goquery.Selection) {
			cells := []string{tr.Find("th[scope=row]").Text()}
			tr.Find("td").Each(func(_ int, td *goquery.Selection) { cells = append(cells, td.AttrOr("data-score", "?")) })
			out = append(out, strings.Join(cells, " "))
		})
		return out
	}
	scoresOf := func(name string, r *models.CityReport) string {
		stored, err := a.store.CityReport(context.Background(), r.ID)
		must(t, err)
		cells := []string{name}
		for _, rt := range stored.Ratings() {
			cells = append(cells, strconv.Itoa(rt.Score))
		}
		return strings.Join(cells, " ")
	}
	wantAgadir, wantFez := scoresOf("Agadir", agadir), scoresOf("Fez", fez)

	doc := get("")
	table := doc.Find("table[data-testid=self-assessment]")
	if table.Find("caption").Length() != 1 || table.Find("thead th[scope=col]").Length() != 1+len(models.LearningAreas()) {
		t.Error("the table lacks its caption or its column headers")
	}
	if got := rows(doc); !slices.Equal(got, []string{wantAgadir, wantFez}) {
		t.Errorf("rows %q, want %q", got, []string{wantAgadir, wantFez})
	}
	// Each colour has its words.
	if got := strings.TrimSpace(table.Find("[data-testid=assessed-city] td.heat-4").First().Text()); got != "4: strong" {
		t.Errorf("a cell shaded 4 says %q", got)
	}
	// Medians: (4+2)/2, Agadir's 3 alone (Fez did not rate it), (2+3)/2.
	var medians []string
	doc.Find("[data-testid=median-shown] td").Each(func(_ int, td *goquery.Selection) { medians = append(medians, strings.Fields(td.Text())[0]) })
	if want := []string{"3", "3", "2.5", "1", "4", "3"}; !slices.Equal(medians, want) {
		t.Errorf("medians %q, want %q", medians, want)
	}
	if doc.Find("[data-testid=median-network]").Length() != 0 {
		t.Error("unfiltered, the network median shows twice")
	}

	// Sorted by families and communities, highest first: Agadir 3, Fez not rated.
	sorted := get("&sort=families-communities")
	if got := rows(sorted); !slices.Equal(got, []string{wantAgadir, wantFez}) {
		t.Errorf("sorted: %q", got)
	}
	if got := sorted.Find("th[aria-sort=descending] a").AttrOr("data-testid", ""); got != "sort-families-communities" || sorted.Find("th[aria-sort]").Length() != 1 {
		t.Errorf("aria-sort on %q", got)
	}
	// Its heading sorts the other way next.
	if href := sorted.Find("[data-testid=sort-families-communities]").AttrOr("href", ""); !strings.Contains(href, "dir=asc") {
		t.Errorf("the sorted column's heading leads to %q", href)
	}
	// By education, lowest first: Fez 2, Agadir 4.
	if got := rows(get("&sort=education-system&dir=asc")); !slices.Equal(got, []string{wantFez, wantAgadir}) {
		t.Errorf("sorted ascending: %q", got)
	}

	// Filtered: the rows and the median of those shown, with the network's.
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"&region=arab-states", []string{wantAgadir, wantFez}},
		{"&region=europe-north-america", nil},
		{"&country=ma", []string{wantAgadir, wantFez}},
		{"&country=IE", nil},
		{"&status=draft&country=IE", []string{"Cork 1 1 0 0 0 0"}},
	} {
		doc := get(tc.query)
		if got := rows(doc); !slices.Equal(got, tc.want) {
			t.Errorf("%s: rows %q, want %q", tc.query, got, tc.want)
		}
		if len(tc.want) > 0 && doc.Find("[data-testid=median-network]").Length() != 1 {
			t.Errorf("%s: filtered, the network median is missing", tc.query)
		}
	}
}

// TestNetworkNarrativesRefused: a bad period, status or filter is a 400
// that sends no file and writes nothing; coordinators get a 403.
func TestNetworkNarrativesRefused(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.narrativeReports(t)
	ctx := context.Background()
	staff, coo := a.loggedIn(t, "staff@example.org"), a.loggedIn(t, "agadir@example.org")
	written := func() string {
		t.Helper()
		audit, err := a.store.AuditEntries(ctx, models.AuditFilter{AllCities: true}, models.Page{Size: 1})
		must(t, err)
		reports, err := a.store.CityReports(ctx, models.CityReportFilter{})
		must(t, err)
		var versions []string
		for _, r := range reports {
			versions = append(versions, fmt.Sprintf("%d:%s:%d", r.ID, r.Status, r.Version))
		}
		return fmt.Sprint(audit.Total, versions)
	}
	before := written()
	routes := []string{"/manage/city-reports/network.xlsx", "/manage/city-reports/network/document", "/manage/city-reports/network/self-assessment"}
	for _, route := range routes {
		for _, q := range []string{"period=decade:2020", "period=year:1800", "period=quarter:2025-Q5", "period=campaign:NoSuchCampaign",
			"period=year:2025&status=published", "period=year:2025&status=approved&status=late"} {
			res := staff.get(t, route+"?"+q)
			wantStatus(t, res, http.StatusBadRequest)
			if res.Header.Get("Content-Disposition") != "" {
				t.Errorf("%s?%s sent a file", route, q)
			}
		}
		wantStatus(t, coo.get(t, route+"?period=year:2025"), http.StatusForbidden)
		wantStatus(t, a.client().get(t, route+"?period=year:2025"), http.StatusSeeOther)
	}
	for _, q := range []string{"region=atlantis", "country=Morocco", "sort=reading", "dir=up"} {
		wantStatus(t, staff.get(t, routes[2]+"?period=year:2025&"+q), http.StatusBadRequest)
	}
	if after := written(); after != before {
		t.Errorf("refused requests wrote: %s, then %s", before, after)
	}
}

// TestNetworkPageLinksNarratives: who has reported leads to the three,
// for the period it shows.
func TestNetworkPageLinksNarratives(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	doc := a.loggedIn(t, "staff@example.org").get(t, "/manage/city-reports/network?period=year:2025").doc(t)
	for id, path := range map[string]string{"link-workbook": "/manage/city-reports/network.xlsx", "link-document": "/manage/city-reports/network/document",
		"link-self-assessment": "/manage/city-reports/network/self-assessment"} {
		href, _ := doc.Find("[data-testid=" + id + "]").Attr("href")
		u, err := url.Parse(href)
		must(t, err)
		if u.Path != path || u.Query().Get("period") != "year:2025" || !slices.Equal(u.Query()["status"], []string{"approved", "submitted"}) {
			t.Errorf("%s leads to %q", id, href)
		}
	}
}

// BenchmarkNetworkNarratives serves the workbook, the document and the
// self-assessment of 400 cities' reports through the real server.
func BenchmarkNetworkNarratives(b *testing.B) {
	a := newApp(b)
	storetest.CityReports(b, a.store, 400, narrativesPeriod)
	staff := a.loggedIn(b, "staff@example.org")
	for _, route := range []string{"/manage/city-reports/network.xlsx", "/manage/city-reports/network/document", "/manage/city-reports/network/self-assessment"} {
		b.Run(strings.TrimPrefix(route, "/manage/city-reports/"), func(b *testing.B) {
			var size int
			for range b.N {
				res := staff.get(b, route+"?period=year:2025&sort=quality")
				if res.StatusCode != http.StatusOK {
					b.Fatalf("%s: %d", route, res.StatusCode)
				}
				size = len(res.body)
			}
			b.ReportMetric(float64(size)/1024, "KB")
		})
	}
}
