package handlers_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"image/png"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/xuri/excelize/v2"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// TestEveryBreakdownDownloads: each breakdown of the API comes as a CSV
// with the same rows and figures, and as a sheet of the workbook, beside
// a sheet of definitions; the data dictionary names every column.
func TestEveryBreakdownDownloads(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.client()
	const query = "?region=arab-states&from=2020-01&to=2030-12"
	var api apiReport
	res := c.get(t, "/api/v1/report"+query)
	wantStatus(t, res, http.StatusOK)
	must(t, json.Unmarshal([]byte(res.body), &api))

	var dict struct {
		Figures []struct{ Name, Description string }
		Exports []struct {
			File    string
			Columns []struct{ Name, Description string }
		}
	}
	res = c.get(t, "/api/v1/dictionary")
	wantStatus(t, res, http.StatusOK)
	must(t, json.Unmarshal([]byte(res.body), &dict))
	// The OpenAPI document describes the dictionary, strictly.
	desc := c.get(t, "/api/v1/openapi.json")
	loader := openapi3.NewLoader()
	spec, err := loader.LoadFromData([]byte(desc.body))
	must(t, err)
	must(t, spec.Validate(loader.Context))
	for _, schema := range spec.Components.Schemas {
		forbidExtraProperties(schema.Value, map[*openapi3.Schema]bool{})
	}
	var body any
	must(t, json.Unmarshal([]byte(res.body), &body))
	schema := spec.Paths.Find("/api/v1/dictionary").Get.Responses.Status(http.StatusOK).Value.Content.Get("application/json").Schema.Value
	if err := schema.VisitJSON(body, openapi3.EnableJSONSchema2020()); err != nil {
		t.Errorf("the dictionary does not match the OpenAPI document: %v", err)
	}
	if len(dict.Figures) != 7 {
		t.Errorf("the dictionary defines %d figures", len(dict.Figures))
	}
	columns := map[string][]string{}
	for _, x := range dict.Exports {
		for _, col := range x.Columns {
			if col.Description == "" {
				t.Errorf("%s: column %s has no description", x.File, col.Name)
			}
			if !strings.HasPrefix(col.Name, "compared_") { // only when compared: TestComparedDownloads
				columns[x.File] = append(columns[x.File], col.Name)
			}
		}
	}

	res = c.get(t, "/reports/export.xlsx"+query)
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.Header.Get("Link"), "/api/v1/dictionary") {
		t.Error("the workbook does not point at the dictionary")
	}
	book, err := excelize.OpenReader(strings.NewReader(res.body))
	must(t, err)
	defer book.Close()
	var sheets []string
	for name, rows := range api.Breakdowns {
		sheets = append(sheets, name)
		file := "/reports/" + name + ".csv"
		res := c.get(t, file+query)
		wantStatus(t, res, http.StatusOK)
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") || !strings.Contains(res.Header.Get("Link"), "/api/v1/dictionary") {
			t.Errorf("%s: headers %v", file, res.Header)
		}
		records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.body, "\ufeff"))).ReadAll()
		must(t, err)
		if !slices.Equal(records[0], columns[file]) {
			t.Errorf("%s: header %v, the dictionary says %v", file, records[0], columns[file])
		}
		if len(records) != len(rows)+1 {
			t.Fatalf("%s: %d rows, the API has %d", file, len(records)-1, len(rows))
		}
		sheet, err := book.GetRows(name)
		must(t, err)
		if len(sheet) != len(records) {
			t.Errorf("sheet %s has %d rows, the CSV %d", name, len(sheet), len(records))
		}
		for i, row := range rows {
			for j, col := range records[0] {
				want := strings.Trim(string(row[col]), `"`)
				if want == "" {
					want = "0"
				}
				if records[i+1][j] != want {
					t.Errorf("%s row %d %s = %q, the API says %q", file, i, col, records[i+1][j], want)
				}
				if sheet[i+1][j] != want {
					t.Errorf("sheet %s row %d %s = %q, the API says %q", name, i, col, sheet[i+1][j], want)
				}
			}
		}
	}
	if len(sheets) != 8 {
		t.Errorf("the API has %d breakdowns", len(sheets))
	}
	if defs, err := book.GetRows("definitions"); err != nil || len(defs) < 7+len(dict.Exports)*3 {
		t.Errorf("definitions sheet: %d rows, %v", len(defs), err)
	}
	wantStatus(t, c.get(t, "/reports/by_region.csv?region=mars"), http.StatusBadRequest)
}

// TestEveryChartDownloads: each chart of the page comes as a standalone
// SVG with its title and as a PNG drawn on the server.
func TestEveryChartDownloads(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.client()
	for _, name := range views.ChartNames() {
		for _, q := range []string{"", "?from=2026-01&to=2026-12&compare=previous&map=participants"} {
			res := c.get(t, "/reports/charts/"+name+".svg"+q)
			wantStatus(t, res, http.StatusOK)
			var svg struct {
				XMLName xml.Name
				Title   string `xml:"title"`
				Desc    string `xml:"desc"`
			}
			if err := xml.Unmarshal([]byte(res.body), &svg); err != nil || svg.XMLName.Local != "svg" || svg.Title == "" || !strings.Contains(svg.Desc, "dictionary") {
				t.Errorf("%s.svg%s: %v, %+v", name, q, err, svg)
			}
			if ct := res.Header.Get("Content-Type"); ct != "image/svg+xml" {
				t.Errorf("%s.svg: content type %q", name, ct)
			}
			res = c.get(t, "/reports/charts/"+name+".png"+q)
			wantStatus(t, res, http.StatusOK)
			img, err := png.Decode(bytes.NewReader([]byte(res.body)))
			if err != nil || img.Bounds().Dx() < 800 {
				t.Errorf("%s.png%s: %v", name, q, err)
			}
		}
	}
	c.setCookie("ltl_lang", "ar")
	wantStatus(t, c.get(t, "/reports/charts/area.png"), http.StatusOK)
	wantStatus(t, c.get(t, "/reports/charts/map.png?map=member_cities"), http.StatusBadRequest)
}

// TestDownloadedChartsSayWhatTheyShow: a downloaded chart is named after
// its figure, period and filters, and says them in its footer with the
// source; it writes each month's value as the API reports it, and an
// Arabic one is drawn in Arabic.
func TestDownloadedChartsSayWhatTheyShow(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	accented := &models.Campaign{Hashtag: "#ApprendreÀVie", Name: "Apprendre à vie", StartsOn: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	must(t, a.store.CreateCampaign(ctx, accented))
	c := a.client()
	year := time.Now().UTC().Year()
	from, to := fmt.Sprintf("%d-01", year-1), fmt.Sprintf("%d-12", year)
	query := "?from=" + from + "&to=" + to + "&country=ma"

	var api apiReport
	res := c.get(t, "/api/v1/report"+query)
	wantStatus(t, res, http.StatusOK)
	must(t, json.Unmarshal([]byte(res.body), &api))
	var want []string
	for _, row := range api.Breakdowns["by_month"] {
		v := strings.Trim(string(row["events_held"]), `"`)
		if v == "" {
			v = "0"
		}
		want = append(want, v)
	}
	if len(want) != 24 {
		t.Fatalf("the API has %d months", len(want))
	}

	res = c.get(t, "/reports/charts/month.svg"+query)
	wantStatus(t, res, http.StatusOK)
	if cd, name := res.Header.Get("Content-Disposition"), "events-held-by-month_"+from+"_"+to+"_country-MA.svg"; cd != `attachment; filename="`+name+`"` {
		t.Errorf("Content-Disposition %q, want the name %s", cd, name)
	}
	texts := svgTexts(t, res.body)
	if got := strings.ReplaceAll(strings.Join(texts["value"], " "), ",", ""); got != strings.Join(want, " ") {
		t.Errorf("values %q, the API says %q", got, want)
	}
	if len(texts["tick"]) < 3 {
		t.Errorf("axis ticks %q", texts["tick"])
	}
	footer := strings.Join(texts["footer"], " ")
	for _, part := range []string{"Figure: events held", fmt.Sprintf("January %d – December %d", year-1, year), "Filters: Morocco",
		"Source: LearnThroughLife tracker, UNESCO Global Network of Learning Cities"} {
		if !strings.Contains(footer, part) {
			t.Errorf("the footer %q does not say %q", footer, part)
		}
	}

	// A hashtag with an accent: an ASCII name, and the name itself.
	res = c.get(t, "/reports/charts/area.png?campaign="+url.QueryEscape(accented.Hashtag))
	wantStatus(t, res, http.StatusOK)
	if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="events-held-by-area_campaign-Apprendre-Vie.png"; filename*=UTF-8''events-held-by-area_campaign-Apprendre%C3%80Vie.png` {
		t.Errorf("Content-Disposition %q", cd)
	}

	c.setCookie("ltl_lang", "ar")
	res = c.get(t, "/reports/charts/map.svg"+query)
	wantStatus(t, res, http.StatusOK)
	if footer := strings.Join(svgTexts(t, res.body)["footer"], " "); !strings.Contains(footer, "المصدر: LearnThroughLife tracker") || !strings.Contains(footer, "المغرب") {
		t.Errorf("Arabic footer %q", footer)
	}
	res = c.get(t, "/reports/charts/month.png"+query)
	wantStatus(t, res, http.StatusOK)
	if _, err := png.Decode(strings.NewReader(res.body)); err != nil {
		t.Errorf("Arabic PNG: %v", err)
	}
}

// svgTexts are the texts of an SVG file by class.
func svgTexts(t *testing.T, doc string) map[string][]string {
	t.Helper()
	var svg struct {
		Texts []struct {
			Class string `xml:"class,attr"`
			Text  string `xml:",chardata"`
		} `xml:"text"`
	}
	if err := xml.Unmarshal([]byte(doc), &svg); err != nil {
		t.Fatalf("the SVG does not parse: %v", err)
	}
	out := map[string][]string{}
	for _, x := range svg.Texts {
		out[x.Class] = append(out[x.Class], x.Text)
	}
	return out
}
