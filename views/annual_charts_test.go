package views

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/text/language"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// chartContext is a request context in lang, with the catalog.
func chartContext(t *testing.T, lang string) context.Context {
	t.Helper()
	c, err := NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	return c.WithRequest(context.Background(), Request{Lang: language.MustParse(lang)})
}

// sampleReport has 14 months of events, three countries and two cities
// 1 km apart beside one 2000 km away.
func sampleReport() (*models.Report, []models.City) {
	r := &models.Report{}
	for i := range 14 {
		v := int64(i * 37 % 23)
		r.Breakdowns.ByMonth = append(r.Breakdowns.ByMonth, models.Row{Key: fmt.Sprintf("%d-%02d", 2025+i/12, i%12+1), EventsHeld: &v})
	}
	for i, cc := range []string{"MA", "FR", "CO"} {
		v := int64(1000 * (3 - i))
		r.Breakdowns.ByCountry = append(r.Breakdowns.ByCountry, models.Row{Key: cc, Label: cc, EventsHeld: &v})
	}
	cities := []models.City{
		{Slug: "agadir", Name: "Agadir", Country: "MA", Latitude: new(30.4278), Longitude: new(-9.5981)},
		{Slug: "inezgane", Name: "Inezgane", Country: "MA", Latitude: new(30.4278), Longitude: new(-9.5877)},
		{Slug: "cork", Name: "Cork", Country: "IE", Latitude: new(48.4), Longitude: new(-9.5981)},
	}
	for i, c := range cities {
		v := int64(5 * (i + 1))
		r.Breakdowns.ByCity = append(r.Breakdowns.ByCity, models.Row{Key: c.Slug, Label: c.Name, EventsHeld: &v})
	}
	return r, cities
}

// svgTexts are the texts of an SVG file by class, parsed as XML.
func svgTexts(t *testing.T, doc []byte) map[string][]string {
	t.Helper()
	var svg struct {
		Texts []struct {
			Class string `xml:"class,attr"`
			Text  string `xml:",chardata"`
		} `xml:"text"`
	}
	if err := xml.Unmarshal(doc, &svg); err != nil {
		t.Fatalf("SVG does not parse: %v\n%s", err, doc)
	}
	out := map[string][]string{}
	for _, x := range svg.Texts {
		out[x.Class] = append(out[x.Class], x.Text)
	}
	return out
}

// TestDownloadedChartsHaveAxesValuesAndFooter: a month chart's file has
// its value axis, one value per month equal to the report's, the months
// under the columns and a footer with the figure, the period, the
// filters and the source; its PNG has the SVG's size, twice over.
func TestDownloadedChartsHaveAxesValuesAndFooter(t *testing.T) {
	r, cities := sampleReport()
	for _, lang := range []string{"en", "ar"} {
		ctx := chartContext(t, lang)
		p := ReportPage{Query: url.Values{"from": {"2025-01"}, "to": {"2026-02"}, "country": {"ma"}}}
		for _, name := range []string{"month", "country", "map"} {
			rc, ok := NewReportChart(ctx, name, r, nil, cities, models.FigureEventsHeld)
			if !ok {
				t.Fatal(name)
			}
			rc = rc.WithFooter(ctx, p)
			var buf bytes.Buffer
			if err := rc.SVG().Render(ctx, &buf); err != nil {
				t.Fatal(err)
			}
			texts := svgTexts(t, buf.Bytes())
			footer := strings.Join(texts["footer"], " ")
			for _, want := range []string{T(ctx, "figure.events_held"), MonthLabel(ctx, mustMonth(t, "2025-01")), MonthLabel(ctx, mustMonth(t, "2026-02")),
				CountryName(ctx, "MA"), "LearnThroughLife tracker, UNESCO Global Network of Learning Cities"} {
				if !strings.Contains(footer, want) {
					t.Errorf("%s %s: footer %q lacks %q", lang, name, footer, want)
				}
			}
			if len(texts["title"]) == 0 || !strings.HasPrefix(rc.Title, texts["title"][0]) {
				t.Errorf("%s %s: title %q", lang, name, texts["title"])
			}
			var rows []models.Row
			switch name {
			case "month":
				rows = r.Breakdowns.ByMonth
			case "country":
				rows = r.Breakdowns.ByCountry
			}
			if rows != nil {
				var want []string
				for _, row := range rows {
					want = append(want, fmt.Sprint(*row.EventsHeld))
				}
				if got := strings.ReplaceAll(strings.Join(texts["value"], " "), ",", ""); got != strings.Join(want, " ") {
					t.Errorf("%s %s: values %q, the report has %q", lang, name, got, want)
				}
				if ticks := texts["tick"]; len(ticks) < 3 || ticks[0] != "0" && !strings.Contains(strings.Join(ticks, " "), " 0 ") {
					t.Errorf("%s %s: axis ticks %q", lang, name, ticks)
				}
			}
			if name == "month" && !strings.Contains(strings.Join(texts["tick"], " "), "2025-01") {
				t.Errorf("%s month: no month under the columns: %q", lang, texts["tick"])
			}
			var img bytes.Buffer
			if err := rc.PNG(&img); err != nil {
				t.Fatal(err)
			}
			d := rc.drawing()
			decoded, err := png.Decode(&img)
			if err != nil {
				t.Fatal(err)
			}
			if b := decoded.Bounds(); b.Dx() != int(d.Width*pngScale) || b.Dy() != int(d.Height*pngScale) {
				t.Errorf("%s %s: PNG %v, the SVG is %v × %v", lang, name, b, d.Width, d.Height)
			}
			if dir := os.Getenv("CHART_PREVIEW"); dir != "" {
				os.WriteFile(filepath.Join(dir, lang+"-"+name+".svg"), buf.Bytes(), 0o644)
				var again bytes.Buffer
				rc.PNG(&again)
				os.WriteFile(filepath.Join(dir, lang+"-"+name+".png"), again.Bytes(), 0o644)
			}
		}
	}
}

func mustMonth(t *testing.T, s string) time.Time {
	t.Helper()
	m, err := models.ParseMonth(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestChartFileNames: a chart's file name carries its figure, the period
// and the filters.
func TestChartFileNames(t *testing.T) {
	rc := ReportChart{Name: "month", Figure: models.FigureEventsHeld}
	for _, tt := range []struct {
		q    url.Values
		want string
	}{
		{url.Values{"from": {"2025-01"}, "to": {"2025-12"}, "country": {"ma"}}, "events-held-by-month_2025-01_2025-12_country-MA"},
		{url.Values{}, "events-held-by-month"},
		{url.Values{"from": {"2025-03"}, "campaign": {"#ApprendreÀVie"}, "compare": {"previous"}}, "events-held-by-month_from-2025-03_campaign-ApprendreÀVie_vs-previous"},
		{url.Values{"city": {"../agadir"}}, "events-held-by-month_city----agadir"},
	} {
		if got := rc.FileName(tt.q); got != tt.want {
			t.Errorf("%v: %q, want %q", tt.q, got, tt.want)
		}
	}
}

// TestMapClustersNearbyCities: two cities 1 km apart are one point, a
// city 2000 km away another; the cluster counts its cities.
func TestMapClustersNearbyCities(t *testing.T) {
	r, cities := sampleReport()
	m := newWorldMap("m", "", cities, r.Breakdowns.ByCity, models.FigureEventsHeld)
	if len(m.Points) != 2 {
		t.Fatalf("%d points: %+v", len(m.Points), m.Points)
	}
	var cluster, single mapPoint
	for _, p := range m.Points {
		if p.Cities != nil {
			cluster = p
		} else {
			single = p
		}
	}
	if len(cluster.Cities) != 2 || cluster.Value != 5+10 || single.Slug != "cork" {
		t.Errorf("cluster %+v, single %+v", cluster, single)
	}
	if got := len(mapCities(m)); got != 3 {
		t.Errorf("the map's list has %d cities", got)
	}
}

// TestMapPointsAreLinks: on the page, each point and each cluster is a
// link with an accessible name and a label that shows on focus: a city's
// to its page, a cluster's to the list of the map's cities.
func TestMapPointsAreLinks(t *testing.T) {
	r, cities := sampleReport()
	ctx := chartContext(t, "en")
	var buf bytes.Buffer
	if err := worldMapFigure(newWorldMap("m", "Map", cities, r.Breakdowns.ByCity, models.FigureEventsHeld)).Render(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if n := doc.Find("circle").Length(); n != 2 {
		t.Fatalf("%d circles", n)
	}
	doc.Find("circle").Each(func(_ int, c *goquery.Selection) {
		a := c.Parent()
		href, _ := a.Attr("href")
		name, _ := a.Attr("aria-label")
		label := a.Find("[data-testid=map-label]").Text()
		switch {
		case goquery.NodeName(a) != "a":
			t.Errorf("circle inside %s", goquery.NodeName(a))
		case href == "/cities/cork":
			if label != "Cork" || !strings.Contains(name, "Cork") {
				t.Errorf("Cork: label %q, name %q", label, name)
			}
		case href == "#m-list":
			if !strings.Contains(label, "Agadir") || !strings.Contains(label, "Inezgane") || !strings.HasPrefix(name, label) {
				t.Errorf("cluster: label %q, name %q", label, name)
			}
			if doc.Find("#m-list").Length() != 1 {
				t.Error("no list for the cluster's link")
			}
		default:
			t.Errorf("circle links to %q", href)
		}
	})
}

// TestPNGTextIsShapedArabic: the PNG's texts have a glyph for every
// letter of the Arabic footer, join Arabic letters (a letter between two
// others takes another form than alone), and run right to left with the
// English source name kept whole on the left.
func TestPNGTextIsShapedArabic(t *testing.T) {
	ts, err := chartTypesetter()
	if err != nil {
		t.Fatal(err)
	}
	ctx := chartContext(t, "ar")
	line := Tf(ctx, "annual.chart_footer_source", map[string]any{"Source": T(ctx, "annual.chart_source")})
	runs := ts.shape(line, 22, true)
	// A hashtag is isolated left to right (its # stays before it), and
	// the marks that isolate it draw nothing.
	filters := Tf(ctx, "annual.chart_footer_filters", map[string]any{"Filters": hashtag("#LearnThroughLife")})
	for _, r := range append(ts.shape(filters, 22, true), runs...) {
		for _, g := range r.Glyphs {
			if g.GlyphID == 0 {
				t.Errorf("a letter without a glyph in run %v", r.Runes)
			}
		}
	}
	var visual []rune
	for _, r := range ts.shape(filters, 22, true) {
		visual = append(visual, []rune(filters)[r.Runes.Offset:r.Runes.Offset+r.Runes.Count]...)
	}
	if !strings.Contains(string(visual), "#LearnThroughLife") {
		t.Errorf("the hashtag's runs, left to right: %q", string(visual))
	}
	if first := []rune(line)[runs[0].Runes.Offset]; first != 'L' {
		t.Errorf("the leftmost run starts with %q, not the source's name", first)
	}
	alone := ts.shape("ب", 22, true)[0].Glyphs[0].GlyphID
	joined := ts.shape("ببب", 22, true)[0].Glyphs
	if len(joined) != 3 || joined[1].GlyphID == alone {
		t.Errorf("ب between two others is glyph %v, as alone (%v): not joined", joined, alone)
	}
}
