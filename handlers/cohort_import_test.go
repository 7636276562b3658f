package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// upload sends a file to the cohort import, with the client's CSRF token.
func (c *client) upload(t *testing.T, path, name string, data []byte) *response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	must(t, w.WriteField("_csrf", c.csrfOrFetch(t)))
	fw, err := w.CreateFormFile("file", name)
	must(t, err)
	_, err = fw.Write(data)
	must(t, err)
	must(t, w.Close())
	req, err := http.NewRequest(http.MethodPost, c.app.srv.URL+path, &body)
	must(t, err)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(t, req)
}

func (a *app) countCities(t testing.TB) int {
	t.Helper()
	cities, err := a.store.Cities(context.Background(), models.CityFilter{})
	must(t, err)
	return len(cities)
}

func TestCohortImportPreviewConfirmAndReimport(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	c := a.loggedIn(t, "staff@example.org")
	before := a.countCities(t)
	csv := "name,country,joined_year,co_lead,latitude,longitude,time_zone\n" +
		"Essaouira,MA,2024,yes,31.51,-9.77,Africa/Casablanca\n" +
		"Dakar,SN,2024,no,14.69,-17.44,Africa/Dakar\n" +
		"Liège,BE,2024,yes,,,Europe/Brussels\n" +
		"Agadir,MA,2024,yes,30.42,-9.6,Africa/Casablanca\n"

	res := c.upload(t, "/manage/cohort-import", "cohort.csv", []byte(csv))
	wantStatus(t, res, http.StatusOK)
	doc := res.doc(t)
	if got := doc.Find("[data-testid=cohort-row]").Length(); got != 4 {
		t.Fatalf("%d rows in the preview, want 4", got)
	}
	if s := doc.Find("[data-testid=cohort-summary]").Text(); !strings.Contains(s, "3 new cities") || !strings.Contains(s, "1 city updated") {
		t.Errorf("summary %q", s)
	}
	if a.countCities(t) != before {
		t.Fatal("the preview wrote cities")
	}
	rows, _ := doc.Find("[data-testid=cohort-confirm] input[name=rows]").Attr("value")
	wantStatus(t, c.post(t, "/manage/cohort-import/confirm", url.Values{"rows": {rows}}), http.StatusSeeOther)
	if a.countCities(t) != before+3 {
		t.Fatalf("%d cities after import, want %d", a.countCities(t), before+3)
	}
	dakar, err := a.store.CityBySlug(ctx, "dakar")
	must(t, err)
	if dakar.Region != models.RegionAfrica || dakar.TimeZone != "Africa/Dakar" || dakar.Latitude == nil || *dakar.Latitude != 14.69 || dakar.CoLead {
		t.Errorf("Dakar = %+v", dakar)
	}
	liege, err := a.store.CityBySlug(ctx, "liege")
	must(t, err)
	if liege.Region != models.RegionEuropeNA || !liege.CoLead || liege.Latitude != nil {
		t.Errorf("Liège = %+v", liege)
	}
	// The list of cities leads to inviting each new city's coordinator,
	// with the city chosen in the form.
	list := c.get(t, "/manage/cities").doc(t)
	href, ok := list.Find("[data-testid=invite-dakar]").Attr("href")
	if !ok {
		t.Fatal("no invitation link for Dakar after its import")
	}
	form := c.get(t, href)
	wantStatus(t, form, http.StatusOK)
	if v, _ := form.doc(t).Find("input[name=cities]:checked, select[name=cities] option:checked").Attr("value"); v != fmt.Sprint(dakar.ID) {
		t.Errorf("the invitation form from Dakar's row chose city %q, want %d", v, dakar.ID)
	}
	wantStatus(t, c.get(t, "/manage/users/new?city=atlantis"), http.StatusBadRequest)
	// Agadir kept its coordinator.
	ids, err := a.store.CityCoordinatorIDs(ctx, a.agadir.ID)
	must(t, err)
	if len(ids) != 1 {
		t.Errorf("Agadir has %d coordinators after the re-import, want 1", len(ids))
	}

	// The same file again: every city matched by slug, none added.
	res = c.upload(t, "/manage/cohort-import", "cohort.csv", []byte(csv))
	if s := res.doc(t).Find("[data-testid=cohort-summary]").Text(); !strings.Contains(s, "0 new cities") || !strings.Contains(s, "4 cities updated") {
		t.Errorf("re-import summary %q", s)
	}
}

func TestCohortImportFromXLSX(t *testing.T) {
	a := newApp(t)
	c := a.loggedIn(t, "staff@example.org")
	x := excelize.NewFile()
	for i, row := range [][]any{
		{"Name", "Country", "Joined year", "Co-lead", "Coordinates", "Time zone"},
		{"Nanjing", "CN", 2024, "yes", "32.06, 118.8", "Asia/Shanghai"},
		{"La Paz", "BO", 2024, "no", "", "America/La_Paz"},
	} {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		must(t, err)
		must(t, x.SetSheetRow("Sheet1", cell, &row))
	}
	var buf bytes.Buffer
	must(t, x.Write(&buf))
	res := c.upload(t, "/manage/cohort-import", "cohort.xlsx", buf.Bytes())
	wantStatus(t, res, http.StatusOK)
	if got := res.doc(t).Find("[data-testid=cohort-row]").Length(); got != 2 {
		t.Fatalf("%d rows from the XLSX file, want 2", got)
	}
	if !strings.Contains(res.body, "Latin America") || !strings.Contains(res.body, "Asia") {
		t.Error("regions not derived from the countries")
	}
}

func TestCohortImportNamesBadLinesAndWritesNothing(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.loggedIn(t, "staff@example.org")
	before := a.countCities(t)
	csv := "name;country;joined_year;co_lead;latitude;longitude;time_zone\n" +
		"Good Town;FR;2024;no;;;Europe/Paris\n" +
		"Nowhere;ZZ;2024;no;;;\n" +
		"Too Early;FR;1900;no;;;\n" +
		"Maybe Town;FR;2024;perhaps;;;\n" +
		"Far Town;FR;2024;no;95;10;\n" +
		"Good Town;FR;2025;no;;;\n" +
		"Clock Town;FR;2024;no;;;Mars/Olympus\n"
	res := c.upload(t, "/manage/cohort-import", "cohort.csv", []byte(csv))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	var got []string
	res.doc(t).Find("[data-testid=cohort-problem]").Each(func(_ int, s *goquery.Selection) {
		got = append(got, strings.Join(strings.Fields(s.Find("td").First().Text()), " "))
	})
	want := []string{"4", "5", "3", "6", "7", "8"}
	if strings.Join(slices.Sorted(slices.Values(got)), ",") != strings.Join(slices.Sorted(slices.Values(want)), ",") {
		t.Errorf("problem lines %v, want %v", got, want)
	}
	for _, reason := range []string{"Write yes or no.", "Line 2 has the same city already.", "Enter a two-letter ISO country code"} {
		if !strings.Contains(res.body, reason) {
			t.Errorf("no reason %q", reason)
		}
	}
	if res.doc(t).Find("[data-testid=cohort-confirm]").Length() != 0 {
		t.Error("a file with problems can be confirmed")
	}
	if a.countCities(t) != before {
		t.Error("a refused file wrote cities")
	}
	// A file that is not a table, or lacks a column, is refused whole.
	for name, data := range map[string]string{
		"bad.xlsx":     "PK\x03\x04 not really a workbook",
		"columns.csv":  "name,country\nX,FR\n",
		"unknown.csv":  "name,country,joined_year,mayor\nX,FR,2024,Someone\n",
		"empty.csv":    "",
		"headonly.csv": "name,country,joined_year\n",
		"latin1.csv":   "name,country,joined_year\nLi\xe8ge,BE,2024\n",
	} {
		res := c.upload(t, "/manage/cohort-import", name, []byte(data))
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if res.doc(t).Find("[data-testid=error-file]").Length() != 1 {
			t.Errorf("%s: no error beside the file field", name)
		}
	}
	res = c.upload(t, "/manage/cohort-import", "latin1.csv", []byte("name,country,joined_year\nLi\xe8ge,BE,2024\n"))
	if !strings.Contains(res.doc(t).Find("[data-testid=error-file]").Text(), "UTF-8") {
		t.Error("a file in another encoding than UTF-8 is not named as such")
	}
	// A tampered confirm is planned again: nothing is written.
	wantStatus(t, c.post(t, "/manage/cohort-import/confirm", url.Values{"rows": {`[{"Line":2,"City":{"Name":"Nowhere","Country":"ZZ","JoinedYear":2024}}]`}}), http.StatusUnprocessableEntity)
	wantStatus(t, c.post(t, "/manage/cohort-import/confirm", url.Values{"rows": {`not json`}}), http.StatusBadRequest)
	if a.countCities(t) != before {
		t.Error("a refused confirm wrote cities")
	}
}
