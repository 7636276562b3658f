package handlers_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/importer"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
)

// uploadFile posts a multipart form with one file, with the client's CSRF token.
func (c *client) uploadFile(t testing.TB, path string, fields url.Values, filename string, data []byte) *response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	must(t, w.WriteField("_csrf", c.csrfOrFetch(t)))
	for k, vs := range fields {
		for _, v := range vs {
			must(t, w.WriteField(k, v))
		}
	}
	if filename != "" {
		fw, err := w.CreateFormFile("file", filename)
		must(t, err)
		_, err = fw.Write(data)
		must(t, err)
	}
	must(t, w.Close())
	req, err := http.NewRequest(http.MethodPost, c.app.srv.URL+path, &body)
	must(t, err)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(t, req)
}

// confirmImport confirms a checked file and follows its import, run in
// the background, on the status page to its end; it returns that page.
func (c *client) confirmImport(t testing.TB, path string, form url.Values) *response {
	t.Helper()
	res := c.post(t, path, form)
	wantStatus(t, res, http.StatusSeeOther)
	return c.waitImport(t, res.Header.Get("Location"))
}

// waitImport reloads an import's status page until the import has ended,
// and returns the page.
func (c *client) waitImport(t testing.TB, status string) *response {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		res := c.get(t, status)
		wantStatus(t, res, http.StatusOK)
		if state, _ := res.doc(t).Find("[data-testid=import-status]").Attr("data-state"); state != string(models.UploadRunning) {
			return res
		}
		if time.Now().After(deadline) {
			t.Fatalf("the import at %s still runs after 30 s", status)
		}
	}
}

// importToken is the token of the confirm form of a preview.
func importToken(t testing.TB, r *response) string {
	t.Helper()
	token, ok := r.doc(t).Find(`[data-testid=confirm-form] input[name=token]`).Attr("value")
	if !ok || token == "" {
		t.Fatalf("the preview has no confirm form:\n%s", r.body)
	}
	return token
}

// eventsCSV is a festival's events as a coordinator would save them.
const eventsCSV = `Reference,Title,Starts,Ends,Venue,Format,Status,Participants,Learning areas,Age groups,Partners
F-1,Festival opening,2025-03-10 10:00,2025-03-10 12:00,Town hall,In person,held,120,culture; Learning in families and communities,adults,Agadir Library
F-2,Coding for girls,2025-03-11 14:00,2025-03-11 16:00,Online,online,Held,35,technologies,youth,Agadir Library; Souss Digital Club
`

func TestImportEventsFromCSVPreviewConfirmAndReimport(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	co := a.loggedIn(t, "agadir@example.org")
	path := "/manage/cities/agadir/import"
	events, partners := a.countEvents(t), a.countPartners(t)
	before, err := a.reports.Report(ctx, report.Query{CityID: a.agadir.ID})
	must(t, err)

	res := co.uploadFile(t, path, url.Values{"kind": {"events"}}, "festival.csv", []byte(eventsCSV))
	wantStatus(t, res, http.StatusOK)
	doc := res.doc(t)
	if got := doc.Find("[data-testid=import-creates]").Text(); !strings.Contains(got, "2 rows will be created") {
		t.Errorf("creates: %q", got)
	}
	if got := doc.Find("[data-testid=import-new-partners] li").Text(); got != "Souss Digital Club" {
		t.Errorf("new partners: %q", got)
	}
	if a.countEvents(t) != events || a.countPartners(t) != partners {
		t.Fatal("the preview wrote something")
	}
	token := importToken(t, res)

	// Unknown partners are created only when asked: otherwise nothing is written.
	res = co.post(t, path+"/confirm", url.Values{"token": {token}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.doc(t).Find("[data-testid=problem-table]").Text(), "Create these partners too") {
		t.Errorf("the refusal does not say why:\n%s", res.body)
	}
	if a.countEvents(t) != events || a.countPartners(t) != partners {
		t.Fatal("a refused import wrote something")
	}

	// Another user cannot use the token, even staff.
	res = a.loggedIn(t, "staff@example.org").post(t, path+"/confirm", url.Values{"token": {token}, "create_partners": {"yes"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if a.countEvents(t) != events {
		t.Fatal("another user's token imported")
	}

	status := co.confirmImport(t, path+"/confirm", url.Values{"token": {token}, "create_partners": {"yes"}})
	if got := status.doc(t).Find("[data-testid=import-done]").Text(); !strings.Contains(got, "2 created, 0 updated") {
		t.Errorf("status: %q", got)
	}
	if got := a.countEvents(t); got != events+2 {
		t.Fatalf("events: %d, want %d", got, events+2)
	}
	if got := a.countPartners(t); got != partners+1 {
		t.Fatalf("partners: %d, want %d", got, partners+1)
	}
	list, err := a.store.Events(ctx, models.EventFilter{CityIDs: []uint{a.agadir.ID}, Query: "coding for girls"}, models.Page{Size: 5})
	must(t, err)
	if len(list.Items) != 1 {
		t.Fatalf("imported event not found: %+v", list.Items)
	}
	e := list.Items[0]
	loc := a.agadir.Location()
	if want := time.Date(2025, 3, 11, 14, 0, 0, 0, loc); !e.StartsAt.Equal(want) || e.Status != models.StatusHeld || e.Format != models.FormatOnline ||
		e.Participants == nil || *e.Participants != 35 || len(e.PartnerIDs) != 2 || len(e.LearningAreas) != 1 || e.LearningAreas[0] != models.AreaTechnologies {
		t.Errorf("imported event: %+v (start %v)", e, e.StartsAt)
	}
	entries, err := a.store.AuditEntries(ctx, models.AuditFilter{CityIDs: []uint{a.agadir.ID}}, models.Page{Size: 50})
	must(t, err)
	var created int
	for _, en := range entries.Items {
		if en.Action == models.AuditCreate && en.UserEmail == "agadir@example.org" {
			created++
		}
	}
	if created != 3 { // two events, one partner
		t.Errorf("audit entries of the import: %d, want 3", created)
	}

	// The figures are right straight after: the cached report moved, and
	// it agrees with a recomputation from the raw tables.
	after, err := a.reports.Report(ctx, report.Query{CityID: a.agadir.ID})
	must(t, err)
	if after.Totals.EventsHeld != before.Totals.EventsHeld+2 || after.Totals.Participants != before.Totals.Participants+155 {
		t.Errorf("report after import: %+v, before %+v", after.Totals, before.Totals)
	}
	for _, q := range []report.Query{{}, {CityID: a.agadir.ID},
		{From: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)}} {
		fast, err := a.reports.Report(ctx, q)
		must(t, err)
		raw, err := a.reports.FromRaw(ctx, q)
		must(t, err)
		fj, _ := json.Marshal(fast)
		rj, _ := json.Marshal(raw)
		if string(fj) != string(rj) {
			t.Errorf("%+v: report after import differs from recomputation\nreport: %s\nraw:    %s", q, fj, rj)
		}
	}

	// The same file again: two updates, no duplicates. Confirming the same
	// upload again only shows its status.
	res = co.post(t, path+"/confirm", url.Values{"token": {token}, "create_partners": {"yes"}})
	wantStatus(t, res, http.StatusSeeOther)
	if got := a.countEvents(t); got != events+2 {
		t.Fatalf("events after a second confirmation: %d, want %d", got, events+2)
	}
	res = co.uploadFile(t, path, url.Values{"kind": {"events"}}, "festival.csv", []byte(strings.ReplaceAll(eventsCSV, ",120,", ",130,")))
	wantStatus(t, res, http.StatusOK)
	// Only the row it changes is an update: the other is left as it is.
	if got := res.doc(t).Find("[data-testid=import-updates]").Text(); !strings.Contains(got, "1 row will update") {
		t.Errorf("updates: %q", got)
	}
	if got := res.doc(t).Find("[data-testid=import-unchanged]").Text(); !strings.Contains(got, "1 row is already as stored") {
		t.Errorf("unchanged: %q", got)
	}
	if res.doc(t).Find("[data-testid=import-new-partners]").Length() != 0 {
		t.Error("the partner created by the first import is listed as new")
	}
	co.confirmImport(t, path+"/confirm", url.Values{"token": {importToken(t, res)}})
	if got := a.countEvents(t); got != events+2 {
		t.Fatalf("events after re-import: %d, want %d", got, events+2)
	}
	again, err := a.reports.Report(ctx, report.Query{CityID: a.agadir.ID})
	must(t, err)
	if again.Totals.Participants != after.Totals.Participants+10 {
		t.Errorf("participants after re-import: %d, want %d", again.Totals.Participants, after.Totals.Participants+10)
	}
}

func TestImportWithoutReferenceMatchesTitleAndStart(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	co := a.loggedIn(t, "agadir@example.org")
	file := "Title;Starts;Learning areas\nStory circle;2025-02-01 18:00;culture\n"
	again := "Title;Starts;Venue;Learning areas\nStory circle;2025-02-01 18:00;Library;culture\n"
	for i, want := range []string{"1 row will be created", "1 row will update"} {
		if i > 0 {
			file = again
		}
		res := co.uploadFile(t, "/manage/cities/agadir/import", url.Values{"kind": {"events"}}, "circle.csv", []byte(file))
		wantStatus(t, res, http.StatusOK)
		if got := res.doc(t).Find("[data-testid=import-creates], [data-testid=import-updates]").Text(); !strings.Contains(got, want) {
			t.Errorf("import %d: %q, want %q", i+1, got, want)
		}
		co.confirmImport(t, "/manage/cities/agadir/import/confirm", url.Values{"token": {importToken(t, res)}})
	}
	if got := a.countEvents(t); got != 3 {
		t.Errorf("events: %d, want 3 (the two of the fixture and one imported)", got)
	}
}

func TestImportRefusesBrokenFilesAndWritesNothing(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	co := a.loggedIn(t, "agadir@example.org")
	tooMany := &strings.Builder{}
	tooMany.WriteString("Title,Starts,Learning areas\n")
	for range models.MaxSheetRows + 1 {
		tooMany.WriteString("x,2025-01-01,culture\n")
	}
	for _, tc := range []struct {
		name, file string
		data       []byte
		// want is in the file's error, or else in the problem table.
		want string
		// line and column of the problem, when it is a row's.
		line, column string
	}{
		{name: "Windows-1252", file: "cafe.csv", data: []byte("Title,Starts,Learning areas\nCaf\xe9 des savoirs,2025-01-01,culture\n"), want: "not in UTF-8"},
		{name: "not a table", file: "photo.csv", data: []byte("\x89PNG\r\n\x1a\n\x00\x00"), want: "not a CSV"},
		{name: "broken xlsx", file: "broken.xlsx", data: []byte("PK\x03\x04 not really a zip"), want: "could not be read"},
		{name: "empty", file: "empty.csv", data: []byte("\n\n ,, \n"), want: "empty"},
		{name: "too many rows", file: "big.csv", data: []byte(tooMany.String()), want: "more than 20,000 rows"},
		{name: "no file", want: "required"},
		{name: "unknown column", file: "x.csv", data: []byte("Title,Starts,Learning areas,Mood\nA,2025-01-01,culture,happy\n"), want: "not one of the template", line: "1", column: "Mood"},
		{name: "missing column", file: "x.csv", data: []byte("Title,Learning areas\nA,culture\n"), want: "lacks this column", line: "1", column: "Starts"},
		// Line numbers count the empty lines a spreadsheet shows.
		{name: "bad date after empty rows", file: "x.csv", data: []byte("Title,Starts,Learning areas\n\n,,\nA,31/02/2025,culture\n"), want: "“31/02/2025” is not a day of the calendar", line: "4", column: "Starts"},
		{name: "unknown area", file: "x.csv", data: []byte("Title,Starts,Learning areas\nA,2025-01-01,gardening\n"), want: "“gardening” is not a Learning areas this file can use: write Inclusive learning in the education system, ", line: "2", column: "Learning areas"},
		{name: "duplicate row", file: "x.csv", data: []byte("Title,Starts,Learning areas\nA,2025-01-01,culture\nA,2025-01-01,culture\n"), want: "on line 2", line: "3", column: "Title"},
		{name: "held without count", file: "x.csv", data: []byte("Title,Starts,Status,Learning areas\nA,2025-01-01,held,culture\n"), want: "This is required", line: "2", column: "Participants"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			events, partners := a.countEvents(t), a.countPartners(t)
			res := co.uploadFile(t, "/manage/cities/agadir/import", url.Values{"kind": {"events"}}, tc.file, tc.data)
			wantStatus(t, res, http.StatusUnprocessableEntity)
			doc := res.doc(t)
			if tc.line == "" {
				if got := doc.Find("[data-testid=error-file]").Text(); !strings.Contains(got, tc.want) {
					t.Errorf("file error %q, want %q", got, tc.want)
				}
			} else {
				row := doc.Find("[data-testid=problem-row]").First()
				cells := row.Find("td")
				if got := strings.TrimSpace(cells.Eq(0).Text()); got != tc.line {
					t.Errorf("line %q, want %q", got, tc.line)
				}
				if got := strings.TrimSpace(cells.Eq(1).Text()); got != tc.column {
					t.Errorf("column %q, want %q", got, tc.column)
				}
				if got := cells.Eq(2).Text(); !strings.Contains(got, tc.want) {
					t.Errorf("reason %q, want %q", got, tc.want)
				}
				if doc.Find("[data-testid=confirm-import]").Length() != 0 {
					t.Error("a file with problems can be confirmed")
				}
			}
			if a.countEvents(t) != events || a.countPartners(t) != partners {
				t.Error("a refused file wrote something")
			}
		})
	}
}

func TestImportLimitsAndLongProblemLists(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	co := a.loggedIn(t, "agadir@example.org")
	events := a.countEvents(t)
	big := append([]byte("Title,Starts,Learning areas\n"), bytes.Repeat([]byte("x"), models.MaxSheetBytes)...)
	res := co.uploadFile(t, "/manage/cities/agadir/import", url.Values{"kind": {"events"}}, "big.csv", big)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if got := res.doc(t).Find("[data-testid=error-file]").Text(); !strings.Contains(got, "larger than 10 MB") {
		t.Errorf("file error %q", got)
	}
	// A body far past the limit is cut off before it is read.
	res = co.uploadFile(t, "/manage/cities/agadir/import", url.Values{"kind": {"events"}}, "huge.csv", bytes.Repeat([]byte("x"), 12<<20))
	wantStatus(t, res, http.StatusRequestEntityTooLarge)
	// A file wrong throughout lists its first problems only.
	var b strings.Builder
	b.WriteString("Title,Starts,Learning areas\n")
	for range 500 {
		b.WriteString("A,not a date,culture\n")
	}
	res = co.uploadFile(t, "/manage/cities/agadir/import", url.Values{"kind": {"events"}}, "bad.csv", []byte(b.String()))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	doc := res.doc(t)
	if n := doc.Find("[data-testid=problem-row]").Length(); n != 200 {
		t.Errorf("%d problems listed, want the first 200", n)
	}
	if got := doc.Find("[data-testid=more-problems]").Text(); !strings.Contains(got, "300 more problems") {
		t.Errorf("more problems: %q", got)
	}
	if a.countEvents(t) != events {
		t.Error("a refused file wrote something")
	}
}

func TestImportReadsBOMSemicolonsAndTranslatedHeadings(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	co := a.loggedIn(t, "agadir@example.org")
	// As a French spreadsheet saves "CSV UTF-8": a BOM, semicolons, French
	// headings and labels, Arabic text.
	file := "\xEF\xBB\xBFTitre;Début;Fin;Statut;Participants;Domaines d’apprentissage;Tranches d’âge\r\n" +
		"\"قراءة; مع العائلة\";2025-01-05 10:00;2025-01-05 12:00;Tenu;40;Apprentissage dans les familles et les communautés;Enfants\r\n"
	res := co.uploadFile(t, "/manage/cities/agadir/import", url.Values{"kind": {"events"}}, "fr.csv", []byte(file))
	wantStatus(t, res, http.StatusOK)
	co.confirmImport(t, "/manage/cities/agadir/import/confirm", url.Values{"token": {importToken(t, res)}})
	list, err := a.store.Events(context.Background(), models.EventFilter{CityIDs: []uint{a.agadir.ID}, Query: "قراءة"}, models.Page{Size: 5})
	must(t, err)
	if len(list.Items) != 1 || list.Items[0].Title != "قراءة; مع العائلة" || list.Items[0].Status != models.StatusHeld ||
		len(list.Items[0].AgeGroups) != 1 || list.Items[0].AgeGroups[0] != models.AgeChildren {
		t.Fatalf("imported: %+v", list.Items)
	}
}

// festivalXLSX is a workbook with a date cell, a venue merged over two
// rows, an empty row, and a formula whose cached value differs from what
// it would compute now: the cached value is what is read.
func festivalXLSX(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sh := f.GetSheetName(0)
	loc := time.UTC
	rows := [][]any{
		{"Reference", "Title", "Starts", "Venue", "Status", "Participants", "Learning areas"},
		{"X-1", "Family games", time.Date(2025, 4, 2, 15, 30, 0, 0, loc), "Old medina", "held", 25, "families-communities"},
		{"X-2", "Library night", "2025-04-03 20:00", nil, "held", nil, "culture"},
		{},
		{"X-3", "Repair café", "2025-04-05", "Souk El Had", "planned", nil, "workplace"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		must(t, f.SetSheetRow(sh, cell, &r))
	}
	must(t, f.MergeCell(sh, "D2", "D3"))
	must(t, f.SetCellFormula(sh, "F3", "20+22"))
	var buf bytes.Buffer
	must(t, f.Write(&buf))
	// Give the formula a cached value, as a spreadsheet saves it.
	return rewriteZip(t, buf.Bytes(), "xl/worksheets/sheet1.xml", func(s string) string {
		out := strings.Replace(s, "<f>20+22</f>", "<f>20+22</f><v>41</v>", 1)
		if out == s {
			t.Fatalf("no formula in %s", s)
		}
		return out
	})
}

func rewriteZip(t *testing.T, data []byte, name string, edit func(string) string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	must(t, err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		r, err := f.Open()
		must(t, err)
		b, err := io.ReadAll(r)
		must(t, err)
		r.Close()
		if f.Name == name {
			b = []byte(edit(string(b)))
		}
		w, err := zw.Create(f.Name)
		must(t, err)
		_, err = w.Write(b)
		must(t, err)
	}
	must(t, zw.Close())
	return out.Bytes()
}

func TestImportEventsFromXLSX(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	co := a.loggedIn(t, "agadir@example.org")
	res := co.uploadFile(t, "/manage/cities/agadir/import", url.Values{"kind": {"events"}}, "festival.xlsx", festivalXLSX(t))
	wantStatus(t, res, http.StatusOK)
	co.confirmImport(t, "/manage/cities/agadir/import/confirm", url.Values{"token": {importToken(t, res)}})
	list, err := a.store.Events(ctx, models.EventFilter{CityIDs: []uint{a.agadir.ID}, Sort: "start"}, models.Page{Size: 10})
	must(t, err)
	byTitle := map[string]models.Event{}
	for _, e := range list.Items {
		byTitle[e.Title] = e
	}
	loc := a.agadir.Location()
	games, night, repair := byTitle["Family games"], byTitle["Library night"], byTitle["Repair café"]
	if !games.StartsAt.Equal(time.Date(2025, 4, 2, 15, 30, 0, 0, loc)) {
		t.Errorf("date cell read as %v", games.StartsAt.In(loc))
	}
	if night.Venue != "Old medina" {
		t.Errorf("merged venue: %q", night.Venue)
	}
	if night.Participants == nil || *night.Participants != 41 {
		t.Errorf("formula cell: %v, want its cached value 41", night.Participants)
	}
	if repair.ID == 0 || repair.Status != models.StatusPlanned {
		t.Errorf("row after the empty one: %+v", repair)
	}
}

// renameExample writes name over a template's example mark, its first
// row's first cell: the example, no longer marked, is imported.
func renameExample(t testing.TB, format string, data []byte, name string) []byte {
	t.Helper()
	rows := templateRows(t, format, data)
	rows[1][0] = name
	if format == "xlsx" {
		f := openXLSX(t, data)
		must(t, f.SetCellStr(f.GetSheetName(0), "A2", name))
		var out bytes.Buffer
		must(t, f.Write(&out))
		return out.Bytes()
	}
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	must(t, w.WriteAll(rows))
	return out.Bytes()
}

func TestImportPartnersAndTemplates(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	co := a.loggedIn(t, "agadir@example.org")
	// The templates, in the interface language, read back as they are.
	co.setCookie("ltl_lang", "fr")
	for _, format := range []string{"csv", "xlsx"} {
		res := co.get(t, "/manage/cities/agadir/import/template?kind=partners&format="+format)
		wantStatus(t, res, http.StatusOK)
		if !strings.Contains(res.Header.Get("Content-Disposition"), "partners-agadir-fr."+format) {
			t.Errorf("%s: %q", format, res.Header.Get("Content-Disposition"))
		}
		sheet, err := importer.ReadSheet(context.Background(), []byte(res.body))
		must(t, err)
		if sheet.Header[0] != "Nom" || len(sheet.Rows) != 1 || sheet.Rows[0].Cell(1) != "Institution culturelle" {
			t.Errorf("%s template: %v %v", format, sheet.Header, sheet.Rows)
		}
		// The example row, marked, is skipped; named, it imports, and
		// again as an update.
		if sheet.Rows[0].Cell(0) != "EXEMPLE – cette ligne est ignorée" {
			t.Errorf("%s: the example is not marked: %q", format, sheet.Rows[0].Cells)
		}
		named := renameExample(t, format, []byte(res.body), "Bibliothèque municipale")
		up := co.uploadFile(t, "/manage/cities/agadir/import", url.Values{"kind": {"partners"}}, "p."+format, named)
		wantStatus(t, up, http.StatusOK)
		co.confirmImport(t, "/manage/cities/agadir/import/confirm", url.Values{"token": {importToken(t, up)}})
	}
	if got := a.countPartners(t); got != 3 {
		t.Errorf("partners: %d, want 3 (two of the fixture, one imported then updated)", got)
	}
	wantStatus(t, co.get(t, "/manage/cities/agadir/import/template?kind=stories&format=csv"), http.StatusBadRequest)
	res := co.get(t, "/manage/cities/agadir/import/template?kind=events&format=xlsx")
	wantStatus(t, res, http.StatusOK)
	up := co.uploadFile(t, "/manage/cities/agadir/import", url.Values{"kind": {"events"}}, "e.xlsx", renameExample(t, "xlsx", []byte(res.body), "E-1"))
	wantStatus(t, up, http.StatusOK)

	// Only the coordinator's own cities.
	fez := a.loggedIn(t, "fez@example.org")
	for _, r := range []*response{
		fez.get(t, "/manage/cities/agadir/import"),
		fez.get(t, "/manage/cities/agadir/import/template?kind=events&format=csv"),
		fez.uploadFile(t, "/manage/cities/agadir/import", url.Values{"kind": {"events"}}, "festival.csv", []byte(eventsCSV)),
		fez.post(t, "/manage/cities/agadir/import/confirm", url.Values{"token": {importToken(t, up)}}),
	} {
		wantStatus(t, r, http.StatusForbidden)
	}
}

// TestImportParticipantsByAgeGroup reads an events file's participants by
// age group: counts that do not add up to the total are a problem of
// their row, and nothing is written; fixed, they are stored and reach the
// age group breakdown of the reports.
func TestImportParticipantsByAgeGroup(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	co := a.loggedIn(t, "agadir@example.org")
	path := "/manage/cities/agadir/import"
	const head = "Reference,Title,Starts,Status,Participants,Learning areas,Age groups,Participants: Children,Participants: Youth,Participants: Adults,Participants: Older adults\n"
	bad := head + "G-1,Garden day,2025-04-05 10:00,held,60,families-communities,children; older adults,40,,,25\n" +
		"G-2,Chess in the park,2025-04-06 10:00,held,12,culture,youth,,,,\n"
	events := a.countEvents(t)
	res := co.uploadFile(t, path, url.Values{"kind": {"events"}}, "ages.csv", []byte(bad))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	problems := res.doc(t).Find("[data-testid=problem-table]").Text()
	if !strings.Contains(problems, "Participants by age group") || !strings.Contains(problems, "must add up") {
		t.Errorf("the preview does not name the age counts' problem:\n%s", problems)
	}
	if a.countEvents(t) != events {
		t.Fatal("a refused preview wrote events")
	}
	before, err := a.reports.Compute(ctx, report.Query{CityID: a.agadir.ID})
	must(t, err)
	good := strings.Replace(bad, ",40,,,25", ",35,,,25", 1)
	res = co.uploadFile(t, path, url.Values{"kind": {"events"}}, "ages.csv", []byte(good))
	wantStatus(t, res, http.StatusOK)
	co.confirmImport(t, path+"/confirm", url.Values{"token": {importToken(t, res)}})
	wantAdded := func(when string, want map[string]int64) {
		t.Helper()
		after, err := a.reports.Compute(ctx, report.Query{CityID: a.agadir.ID})
		must(t, err)
		for i, row := range after.Breakdowns.ByAgeGroup {
			if added := *row.Participants - *before.Breakdowns.ByAgeGroup[i].Participants; added != want[row.Key] {
				t.Errorf("%s, %s: %d participants from the imports, want %d", when, row.Key, added, want[row.Key])
			}
		}
	}
	wantAdded("after the import", map[string]int64{"children": 35, "youth": 12, "adults": 0, "older-adults": 25})
	after, err := a.reports.Compute(ctx, report.Query{CityID: a.agadir.ID})
	must(t, err)
	raw, err := a.reports.FromRaw(ctx, report.Query{CityID: a.agadir.ID})
	must(t, err)
	if rj, aj := mustJSONBytes(t, raw), mustJSONBytes(t, after); rj != aj {
		t.Errorf("after the import, the roll-ups and the raw tables disagree\nroll-ups: %s\nraw:      %s", aj, rj)
	}
	exported := co.get(t, "/manage/cities/agadir/events.csv").body
	if !strings.Contains(exported, ",age_groups,participants_children,participants_youth,participants_adults,participants_older-adults,partners,") ||
		!strings.Contains(exported, "children; older-adults,35,,,25,") {
		t.Errorf("the events CSV lacks the counts by age group:\n%.2000s", exported)
	}
	// A file without the count columns keeps the counts of a row left as
	// it was, and drops those of a row whose groups or total it changes:
	// no group it took out comes back, and a new total is no problem.
	const short = "Reference,Title,Starts,Status,Participants,Learning areas,Age groups\n"
	again := short + "G-1,Garden day,2025-04-05 10:00,held,60,families-communities,children; older adults\n" +
		"G-2,Chess in the park,2025-04-06 10:00,held,12,culture,adults\n"
	res = co.uploadFile(t, path, url.Values{"kind": {"events"}}, "again.csv", []byte(again))
	wantStatus(t, res, http.StatusOK)
	co.confirmImport(t, path+"/confirm", url.Values{"token": {importToken(t, res)}})
	wantAdded("after a file without counts", map[string]int64{"children": 35, "youth": 0, "adults": 12, "older-adults": 25})
	changed := short + "G-1,Garden day,2025-04-05 10:00,held,70,families-communities,children; older adults\n"
	res = co.uploadFile(t, path, url.Values{"kind": {"events"}}, "total.csv", []byte(changed))
	wantStatus(t, res, http.StatusOK)
	co.confirmImport(t, path+"/confirm", url.Values{"token": {importToken(t, res)}})
	wantAdded("after a new total without counts", map[string]int64{"children": 0, "youth": 0, "adults": 12, "older-adults": 0})
}

func mustJSONBytes(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	must(t, err)
	return string(b)
}

// TestImportReadsAFrenchFileAsSaved imports what a French coordinator's
// spreadsheet holds: semicolons, "Réalisé" and "a eu lieu" for held,
// straight apostrophes and no accents in the areas, the event form's
// dates, "Présentiel". A status the tracker does not know is quoted with
// the statuses it takes, in the page's language, and nothing is written.
func TestImportReadsAFrenchFileAsSaved(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	co := a.loggedIn(t, "agadir@example.org")
	co.setCookie("ltl_lang", "fr")
	file := "Titre;Début;Statut;Participants;Format;Domaines d'apprentissage;Tranches d'age\n" +
		"Atelier d'écriture;14/05/2025 14h;Réalisé;25;présentiel;Qualite de l'apprentissage;jeunes\n" +
		"Café des savoirs;15.05.2025 9h30;a eu lieu;12;En ligne;Une culture vivante de l'apprentissage tout au long de la vie;Adultes; seniors\n"
	res := co.uploadFile(t, "/manage/cities/agadir/import", url.Values{"kind": {"events"}}, "atelier.csv", []byte(file))
	wantStatus(t, res, http.StatusOK)
	doc := res.doc(t)
	if got := doc.Find("[data-testid=import-problems]").Text(); got != "" {
		t.Fatalf("problems with a file that says what it means: %s", got)
	}
	if got := doc.Find("[data-testid=import-creates]").Text(); !strings.Contains(got, "2 ") {
		t.Errorf("preview: %q", got)
	}
	co.confirmImport(t, "/manage/cities/agadir/import/confirm", url.Values{"token": {importToken(t, res)}})
	p, err := a.store.Events(context.Background(), models.EventFilter{CityIDs: []uint{a.agadir.ID}, Query: "Atelier"}, models.Page{})
	must(t, err)
	if len(p.Items) != 1 {
		t.Fatalf("imported: %+v", p.Items)
	}
	e, err := a.store.Event(context.Background(), p.Items[0].ID)
	must(t, err)
	want := time.Date(2025, time.May, 14, 14, 0, 0, 0, a.agadir.Location())
	if e.Status != models.StatusHeld || e.Format != models.FormatInPerson || !e.StartsAt.Equal(want) ||
		!slices.Equal(e.LearningAreas, []models.LearningArea{models.AreaQuality}) || !slices.Equal(e.AgeGroups, []models.AgeGroup{models.AgeYouth}) {
		t.Errorf("stored %+v", e)
	}

	bad := "Titre;Début;Statut;Domaines d'apprentissage\nAtelier;14/05/2025 14h;Reporté;Qualité de l’apprentissage\n"
	before := a.countEvents(t)
	res = co.uploadFile(t, "/manage/cities/agadir/import", url.Values{"kind": {"events"}}, "reporte.csv", []byte(bad))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if got, want := res.doc(t).Find("[data-testid=problem-row]").Text(), "« Reporté » n’est pas une valeur possible pour Statut : écrivez Prévu, Tenu ou Annulé."; !strings.Contains(got, want) {
		t.Errorf("problem %q, want %q", got, want)
	}
	if a.countEvents(t) != before {
		t.Error("a refused file wrote events")
	}
}

// utf16Text is s in UTF-16 little-endian, as Excel saves "Unicode text",
// with or without its byte-order mark.
func utf16Text(s string, bom bool) []byte {
	var out []byte
	if bom {
		out = []byte{0xFF, 0xFE}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

// TestImportUTF16: a UTF-16 file with its byte-order mark is read; one
// without it is refused, in every language, with what it is and how to
// save it, for a city's import and the cohort's, and nothing is written.
func TestImportUTF16(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	co := a.loggedIn(t, "agadir@example.org")
	staff := a.loggedIn(t, "staff@example.org")
	path := "/manage/cities/agadir/import"
	res := co.uploadFile(t, path, url.Values{"kind": {"events"}}, "festival.txt", utf16Text(eventsCSV, true))
	wantStatus(t, res, http.StatusOK)
	if got := res.doc(t).Find("[data-testid=import-creates]").Text(); !strings.Contains(got, "2 rows will be created") {
		t.Errorf("UTF-16 with a BOM: creates %q", got)
	}
	events, cities := a.countEvents(t), a.countCities(t)
	for lang, want := range map[string]string{
		"en": "This file is UTF-16 text (“Unicode text”), which cannot be read as it is. In Excel choose Save As → CSV UTF-8",
		"fr": "Ce fichier est du texte UTF-16 (« Texte Unicode »), qui ne peut pas être lu tel quel. Dans Excel, choisissez Enregistrer sous → CSV UTF-8",
		"es": "Este archivo es texto UTF-16 («Texto Unicode»), que no se puede leer tal cual. En Excel, elija Guardar como → CSV UTF-8",
		"ar": "هذا الملف نص بترميز UTF-16",
	} {
		co.setCookie("ltl_lang", lang)
		staff.setCookie("ltl_lang", lang)
		for who, res := range map[string]*response{
			"city import":   co.uploadFile(t, path, url.Values{"kind": {"events"}}, "festival.txt", utf16Text(eventsCSV, false)),
			"cohort import": staff.upload(t, "/manage/cohort-import", "cohort.txt", utf16Text("name,country,joined_year\nUTF Town,MA,2024\n", false)),
		} {
			wantStatus(t, res, http.StatusUnprocessableEntity)
			if got := res.doc(t).Find("[data-testid=error-file]").Text(); !strings.Contains(got, want) {
				t.Errorf("%s in %s: file error %q, want %q", who, lang, got, want)
			}
		}
	}
	if a.countEvents(t) != events || a.countCities(t) != cities {
		t.Error("a refused file wrote something")
	}
}
