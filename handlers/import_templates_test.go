package handlers_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/importer"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// templateLangs are the interface languages, each with the data sheet's
// name and the example mark its templates carry.
var templateLangs = []struct{ lang, events, partners, mark string }{
	{"en", "Events", "Partners", "EXAMPLE – this row is skipped"},
	{"fr", "Événements", "Partenaires", "EXEMPLE – cette ligne est ignorée"},
	{"es", "Eventos", "Socios", "EJEMPLO – esta fila se omite"},
	{"ar", "الفعاليات", "الشركاء", "مثال – يُتجاوز هذا الصف"},
}

// inLang is a context in lang, for the messages a test expects.
func inLang(lang string) context.Context {
	cat, err := catalog()
	if err != nil {
		panic(err)
	}
	return cat.WithRequest(context.Background(), views.Request{Lang: cat.Match(lang)})
}

// t is the message id in lang.
func (a *app) t(lang, id string) string { return views.T(inLang(lang), id) }

// tn is the plural message id for n in lang.
func (a *app) tn(lang, id string, n int) string { return views.Tn(inLang(lang), id, n) }

// eventByTitle is the city's event of that title, with its links.
func (a *app) eventByTitle(t testing.TB, title string) *models.Event {
	t.Helper()
	ctx := context.Background()
	list, err := a.store.Events(ctx, models.EventFilter{CityIDs: []uint{a.agadir.ID}}, models.Page{Size: 500})
	must(t, err)
	for _, e := range list.Items {
		if e.Title == title {
			full, err := a.store.Event(ctx, e.ID)
			must(t, err)
			return full
		}
	}
	t.Fatalf("no event %q", title)
	return nil
}

// getTemplate downloads a template in lang.
func (c *client) getTemplate(t testing.TB, lang, kind, format string) []byte {
	t.Helper()
	c.setCookie("ltl_lang", lang)
	res := c.get(t, "/manage/cities/agadir/import/template?kind="+kind+"&format="+format)
	wantStatus(t, res, http.StatusOK)
	return []byte(res.body)
}

// openXLSX opens a served workbook.
func openXLSX(t testing.TB, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	must(t, err)
	t.Cleanup(func() { f.Close() })
	return f
}

// templateRows are a template's rows, CSV or the XLSX file's first sheet.
func templateRows(t testing.TB, format string, data []byte) [][]string {
	t.Helper()
	if format == "csv" {
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))))
		rows, err := r.ReadAll()
		must(t, err)
		return rows
	}
	f := openXLSX(t, data)
	rows, err := f.GetRows(f.GetSheetName(0))
	must(t, err)
	return rows
}

// fillTemplate adds row below a template's example, in the template
// itself: as a spreadsheet would save it, the XLSX file keeps its lists,
// instructions and validations.
func fillTemplate(t testing.TB, format string, data []byte, row []string) []byte {
	t.Helper()
	var out bytes.Buffer
	if format == "csv" {
		out.Write(data)
		w := csv.NewWriter(&out)
		must(t, w.Write(row))
		w.Flush()
		must(t, w.Error())
		return out.Bytes()
	}
	f := openXLSX(t, data)
	cells := make([]any, len(row))
	for i, v := range row {
		cells[i] = v
	}
	must(t, f.SetSheetRow(f.GetSheetName(0), "A3", &cells))
	must(t, f.Write(&out))
	return out.Bytes()
}

// TestImportTemplateWorkbook opens the served XLSX templates: the data
// sheet first, named in the reader's language, right to left in Arabic,
// its headings bold and frozen, its columns wider than the default; the
// lists of values (the city's current partners among them) with the
// validations that offer them; and the instructions in that language.
func TestImportTemplateWorkbook(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	// A partner that no longer works with the city is not offered.
	must(t, a.store.CreatePartner(ctx, models.CLIActor(), &models.Partner{CityID: a.agadir.ID, Name: "Old Club", Sector: models.SectorOtherSector}))
	co := a.loggedIn(t, "agadir@example.org")
	for _, l := range templateLangs {
		f := openXLSX(t, co.getTemplate(t, l.lang, "events", "xlsx"))
		lists, instructions := map[string]string{"en": "Lists", "fr": "Listes", "es": "Listas", "ar": "القوائم"}[l.lang],
			map[string]string{"en": "Instructions", "fr": "Mode d’emploi", "es": "Instrucciones", "ar": "التعليمات"}[l.lang]
		if got, want := f.GetSheetList(), []string{l.events, lists, instructions}; !slices.Equal(got, want) {
			t.Fatalf("%s: sheets %q, want %q", l.lang, got, want)
		}
		data := l.events
		view, err := f.GetSheetView(data, 0)
		must(t, err)
		if rtl := view.RightToLeft != nil && *view.RightToLeft; rtl != (l.lang == "ar") {
			t.Errorf("%s: right to left %v", l.lang, rtl)
		}
		panes, err := f.GetPanes(data)
		must(t, err)
		if !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
			t.Errorf("%s: panes %+v, want the first row frozen", l.lang, panes)
		}
		style, err := f.GetCellStyle(data, "B1")
		must(t, err)
		st, err := f.GetStyle(style)
		must(t, err)
		if st.Font == nil || !st.Font.Bold {
			t.Errorf("%s: the headings are not bold", l.lang)
		}
		rows, err := f.GetRows(data)
		must(t, err)
		header := rows[0]
		col := func(heading string) string {
			t.Helper()
			i := slices.Index(header, heading)
			if i < 0 {
				t.Fatalf("%s: no column %q in %q", l.lang, heading, header)
			}
			name, err := excelize.ColumnNumberToName(i + 1)
			must(t, err)
			return name
		}
		for _, c := range []string{"A", "B", "D", "J"} {
			w, err := f.GetColWidth(data, c)
			must(t, err)
			if w <= 9.140625 {
				t.Errorf("%s: column %s is %v wide, the default", l.lang, c, w)
			}
		}
		if rows[1][0] != l.mark {
			t.Errorf("%s: the example's reference is %q, want the mark %q", l.lang, rows[1][0], l.mark)
		}

		// Each list is a column of the lists sheet, offered to its data
		// column by a validation over every row a file may have.
		listRows, err := f.GetCols(lists)
		must(t, err)
		list := map[string][]string{}
		listCol := map[string]string{}
		for i, c := range listRows {
			for len(c) > 0 && c[len(c)-1] == "" {
				c = c[:len(c)-1] // GetCols pads the shorter columns
			}
			list[c[0]] = c[1:]
			name, _ := excelize.ColumnNumberToName(i + 1)
			listCol[c[0]] = name
		}
		dvs, err := f.GetDataValidations(data)
		must(t, err)
		bySqref := map[string]*excelize.DataValidation{}
		for _, dv := range dvs {
			bySqref[dv.Sqref] = dv
		}
		labels := func(ids ...string) []string {
			var out []string
			for _, id := range ids {
				out = append(out, a.t(l.lang, id))
			}
			return out
		}
		for _, c := range []struct {
			column  string
			values  []string
			several bool
		}{
			{"import.col.status", labels("status.planned", "status.held", "status.cancelled"), false},
			{"import.col.format", labels("format.in-person", "format.online", "format.hybrid"), false},
			{"import.col.lang", []string{"en", "fr", "es", "ar"}, false},
			{"import.col.campaign", []string{a.campaign.Hashtag}, false},
			{"import.col.age_groups", labels("age.children", "age.youth", "age.adults", "age.older-adults"), true},
			{"import.col.partners", []string{"Agadir Library"}, true},
		} {
			heading := a.t(l.lang, c.column)
			if !slices.Equal(list[heading], c.values) {
				t.Errorf("%s: list %q is %q, want %q", l.lang, heading, list[heading], c.values)
			}
			target := col(heading)
			dv := bySqref[target+"2:"+target+"20001"]
			if dv == nil {
				t.Errorf("%s: no validation on %s (%s); validations: %v", l.lang, heading, target, slices.Collect(maps.Keys(bySqref)))
				continue
			}
			wantRef := "'" + lists + "'!$" + listCol[heading] + "$2:$" + listCol[heading] + "$" + strconv.Itoa(len(c.values)+1)
			if dv.Type != "list" || dv.Formula1 != wantRef {
				t.Errorf("%s: %s offers %s %q, want the list %q", l.lang, heading, dv.Type, dv.Formula1, wantRef)
			}
			if c.several {
				// A cell of several values cannot be checked: it is not
				// refused, and says how to write several.
				if dv.ShowErrorMessage || !dv.ShowInputMessage || dv.Prompt == nil || !strings.Contains(*dv.Prompt, "; ") {
					t.Errorf("%s: %s: error %v, input %v %v", l.lang, heading, dv.ShowErrorMessage, dv.ShowInputMessage, dv.Prompt)
				}
			} else if !dv.ShowErrorMessage || dv.ErrorStyle == nil || *dv.ErrorStyle != "warning" {
				t.Errorf("%s: %s should warn of a value not in the list, not refuse it: %+v", l.lang, heading, dv)
			}
		}
		if len(list[a.t(l.lang, "import.col.learning_areas")]) != len(models.LearningAreas()) {
			t.Errorf("%s: learning areas %q", l.lang, list[a.t(l.lang, "import.col.learning_areas")])
		}

		// The instructions, in the reader's language, cover every column.
		text, err := f.GetRows(instructions)
		must(t, err)
		var all strings.Builder
		for _, r := range text {
			all.WriteString(strings.Join(r, " | ") + "\n")
		}
		for _, want := range []string{
			a.t(l.lang, "import.help.topic_dates"), l.mark, "14/05/2026 10h30", "(" + a.agadir.Location().String() + ")",
			a.t(l.lang, "import.col.external_ref") + " |  | ", a.t(l.lang, "import.col.title") + " | " + a.t(l.lang, "import.yes") + " | ",
			a.t(l.lang, "status.cancelled"),
		} {
			if !strings.Contains(all.String(), want) {
				t.Errorf("%s: the instructions lack %q:\n%s", l.lang, want, all.String())
			}
		}
	}

	// The partners template: its sheet, and lists of sectors and yes/no.
	f := openXLSX(t, co.getTemplate(t, "fr", "partners", "xlsx"))
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Partenaires", "Listes", "Mode d’emploi"}) {
		t.Errorf("partners template: sheets %q", got)
	}
	cols, err := f.GetCols("Listes")
	must(t, err)
	if len(cols) != 3 || cols[0][0] != "Secteur" || len(cols[0]) != len(models.Sectors())+1 || !slices.Equal(cols[2][:3], []string{"Actif", "oui", "non"}) {
		t.Errorf("partners lists: %q", cols)
	}
}

// TestImportTemplateRoundTrip downloads each template in each language,
// CSV and XLSX, fills in one row below its example and imports it: the
// example is skipped, and the row is stored as it reads.
func TestImportTemplateRoundTrip(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	co := a.loggedIn(t, "agadir@example.org")
	path := "/manage/cities/agadir/import"
	loc := a.agadir.Location()
	for _, l := range templateLangs {
		for _, format := range []string{"csv", "xlsx"} {
			name := l.lang + "-" + format
			data := co.getTemplate(t, l.lang, "events", format)
			rows := templateRows(t, format, data)
			if len(rows) != 2 || rows[1][0] != l.mark {
				t.Fatalf("%s: template rows %q", name, rows)
			}
			row := slices.Clone(rows[1])
			row[0], row[1] = "RT-"+name, "Round trip "+name
			res := co.uploadFile(t, path, url.Values{"kind": {"events"}}, "t."+format, fillTemplate(t, format, data, row))
			wantStatus(t, res, http.StatusOK)
			doc := res.doc(t)
			if got, want := strings.TrimSpace(doc.Find("[data-testid=import-examples]").Text()), a.tn(l.lang, "import.examples_skipped", 1); got != want {
				t.Errorf("%s: preview says %q, want %q", name, got, want)
			}
			if got, want := strings.TrimSpace(doc.Find("[data-testid=import-creates]").Text()), a.tn(l.lang, "import.creates", 1); got != want {
				t.Errorf("%s: preview says %q, want %q", name, got, want)
			}
			co.confirmImport(t, path+"/confirm", url.Values{"token": {importToken(t, res)}})

			e := a.eventByTitle(t, "Round trip "+name)
			lk, err := a.store.ImportLookups(ctx, models.ImportEvents, a.agadir.ID)
			must(t, err)
			if i := slices.IndexFunc(lk.Events, func(id store.EventIdentity) bool { return id.ID == e.ID }); i < 0 ||
				lk.Events[i].ExternalRef == nil || *lk.Events[i].ExternalRef != "RT-"+name {
				t.Errorf("%s: the event's reference is not RT-%s", name, name)
			}
			if !e.StartsAt.Equal(time.Date(2026, 5, 14, 10, 0, 0, 0, loc)) || !e.EndsAt.Equal(time.Date(2026, 5, 14, 12, 0, 0, 0, loc)) {
				t.Errorf("%s: %v – %v", name, e.StartsAt.In(loc), e.EndsAt.In(loc))
			}
			if e.Status != models.StatusPlanned || e.Format != models.FormatInPerson || e.Lang != l.lang || e.CampaignID != a.campaign.ID {
				t.Errorf("%s: status %s, format %s, lang %s, campaign %d", name, e.Status, e.Format, e.Lang, e.CampaignID)
			}
			slices.Sort(e.LearningAreas)
			slices.Sort(e.AgeGroups)
			if !slices.Equal(e.LearningAreas, []models.LearningArea{models.AreaCulture, models.AreaFamilies}) ||
				!slices.Equal(e.AgeGroups, []models.AgeGroup{models.AgeAdults, models.AgeOlderAdults}) ||
				!slices.Equal(e.PartnerIDs, []uint{a.agadirPart.ID}) {
				t.Errorf("%s: areas %v, ages %v, partners %v", name, e.LearningAreas, e.AgeGroups, e.PartnerIDs)
			}
			if e.Title == "" || e.Venue != a.t(l.lang, "import.example.venue") {
				t.Errorf("%s: venue %q", name, e.Venue)
			}

			// The partners template: its example skipped, the row added.
			data = co.getTemplate(t, l.lang, "partners", format)
			rows = templateRows(t, format, data)
			row = slices.Clone(rows[1])
			if row[0] != l.mark {
				t.Fatalf("%s: partners example %q", name, row)
			}
			row[0] = "Partner " + name
			res = co.uploadFile(t, path, url.Values{"kind": {"partners"}}, "p."+format, fillTemplate(t, format, data, row))
			wantStatus(t, res, http.StatusOK)
			if doc := res.doc(t); doc.Find("[data-testid=import-examples]").Length() != 1 {
				t.Errorf("%s: the partners preview does not say the example is skipped", name)
			}
			co.confirmImport(t, path+"/confirm", url.Values{"token": {importToken(t, res)}})
			ps, err := a.store.CityPartners(ctx, a.agadir.ID)
			must(t, err)
			i := slices.IndexFunc(ps, func(p models.Partner) bool { return p.Name == "Partner "+name })
			if i < 0 || ps[i].Sector != models.SectorCultural || !ps[i].Active || ps[i].Lang != l.lang || ps[i].ContactEmail != "contact@example.org" {
				t.Errorf("%s: partners %+v", name, ps)
			}
			if slices.ContainsFunc(ps, func(p models.Partner) bool { return p.Name == l.mark }) {
				t.Errorf("%s: the example row was imported", name)
			}
		}
	}
}

// TestImportUntouchedTemplate uploads each template as it came: nothing
// to import, said plainly, and nothing written or kept.
func TestImportUntouchedTemplate(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	co := a.loggedIn(t, "agadir@example.org")
	events, partners, uploads := a.countEvents(t), a.countPartners(t), a.countUploads(t)
	for _, l := range templateLangs {
		for _, kind := range []string{"events", "partners"} {
			for _, format := range []string{"csv", "xlsx"} {
				data := co.getTemplate(t, l.lang, kind, format)
				res := co.uploadFile(t, "/manage/cities/agadir/import", url.Values{"kind": {kind}}, "t."+format, data)
				wantStatus(t, res, http.StatusUnprocessableEntity)
				doc := res.doc(t)
				if got, want := doc.Find("[data-testid=error-file]").Text(), a.t(l.lang, "validation.sheet_only_example"); got != want {
					t.Errorf("%s %s %s: %q, want %q", l.lang, kind, format, got, want)
				}
				if doc.Find("[data-testid=problem-table], [data-testid=confirm-form]").Length() != 0 {
					t.Errorf("%s %s %s: a problem list or a confirm form", l.lang, kind, format)
				}
			}
		}
	}
	if a.countEvents(t) != events || a.countPartners(t) != partners || a.countUploads(t) != uploads {
		t.Error("an untouched template wrote something")
	}
	// The mark is recognised in any language, folded: an English template's
	// example, retyped in lower case without its dash, in a French file.
	csvFile := "Référence,Titre,Début,Domaines d’apprentissage\n" +
		"example this row is skipped,Atelier,2026-05-14 10:00,culture\n" +
		"A-1,Atelier,2026-05-15 10:00,culture\n"
	co.setCookie("ltl_lang", "en")
	res := co.uploadFile(t, "/manage/cities/agadir/import", url.Values{"kind": {"events"}}, "f.csv", []byte(csvFile))
	wantStatus(t, res, http.StatusOK)
	if got := res.doc(t).Find("[data-testid=import-examples]").Text(); !strings.Contains(got, "1 example row skipped") {
		t.Errorf("folded mark: %q", got)
	}
}

// TestImportTemplateDateExamples reads each date form the instructions
// cite, as the import does.
func TestImportTemplateDateExamples(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	co := a.loggedIn(t, "agadir@example.org")
	f := openXLSX(t, co.getTemplate(t, "en", "events", "xlsx"))
	text, err := f.GetRows("Instructions")
	must(t, err)
	var dates string
	for _, r := range text {
		if len(r) == 3 && r[0] == "Dates" {
			dates = r[2]
		}
	}
	_, list, ok := strings.Cut(dates, "Also accepted: ")
	if !ok {
		t.Fatalf("no date forms in %q", dates)
	}
	list, _, _ = strings.Cut(list, ", a date alone")
	for _, s := range strings.Split(list, " · ") {
		if _, err := importer.ParseSheetTime(s, time.UTC); err != nil {
			t.Errorf("the instructions cite %q, which the import refuses: %v", s, err)
		}
	}
}

// BenchmarkImportTemplate serves the events template, XLSX and CSV, of a
// city with 425 current partners (the network's largest list), and
// reports its size.
func BenchmarkImportTemplate(b *testing.B) {
	a := newApp(b)
	for i := range 424 { // and the fixture's
		a.addPartner(b, a.agadir.ID, "Partner "+strconv.Itoa(i+1))
	}
	co := a.loggedIn(b, "agadir@example.org")
	for _, format := range []string{"xlsx", "csv"} {
		b.Run(format, func(b *testing.B) {
			var size int
			for b.Loop() {
				size = len(co.getTemplate(b, "fr", "events", format))
			}
			b.ReportMetric(float64(size)/1024, "KB")
		})
	}
}

// TestCohortTemplate downloads the cohort template, CSV and XLSX, in
// French: its sheets named in French, its example skipped when a row is
// filled in below it, and the untouched template refused.
func TestCohortTemplate(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	staff := a.loggedIn(t, "staff@example.org")
	staff.setCookie("ltl_lang", "fr")
	page := staff.get(t, "/manage/cohort-import")
	wantStatus(t, page, http.StatusOK)
	if page.doc(t).Find("[data-testid=cohort-template-xlsx]").Length() != 1 {
		t.Error("the cohort page offers no template")
	}
	for _, format := range []string{"csv", "xlsx"} {
		res := staff.get(t, "/manage/cohort-import/template?format="+format)
		wantStatus(t, res, http.StatusOK)
		data := []byte(res.body)
		if format == "xlsx" {
			f := openXLSX(t, data)
			if got := f.GetSheetList(); !slices.Equal(got, []string{"Villes", "Listes", "Mode d’emploi"}) {
				t.Errorf("sheets %q", got)
			}
			dvs, err := f.GetDataValidations("Villes")
			must(t, err)
			if len(dvs) != 1 || dvs[0].Sqref != "E2:E20001" {
				t.Errorf("co_lead validation: %+v", dvs)
			}
		}
		rows := templateRows(t, format, data)
		if rows[1][0] != "EXEMPLE – cette ligne est ignorée" {
			t.Fatalf("%s: example %q", format, rows[1])
		}
		cities := a.countCities(t)
		res = staff.uploadFile(t, "/manage/cohort-import", nil, "c."+format, data)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if got := res.doc(t).Find("[data-testid=error-file]").Text(); got != a.t("fr", "validation.sheet_only_example") {
			t.Errorf("%s untouched: %q", format, got)
		}
		row := slices.Clone(rows[1])
		row[0], row[2] = "Ville "+format, "SN"
		res = staff.uploadFile(t, "/manage/cohort-import", nil, "c."+format, fillTemplate(t, format, data, row))
		wantStatus(t, res, http.StatusOK)
		doc := res.doc(t)
		if got := doc.Find("[data-testid=cohort-examples]").Text(); got != a.tn("fr", "import.examples_skipped", 1) {
			t.Errorf("%s: %q", format, got)
		}
		rowsJSON, _ := doc.Find("[data-testid=cohort-confirm] input[name=rows]").Attr("value")
		wantStatus(t, staff.post(t, "/manage/cohort-import/confirm", url.Values{"rows": {rowsJSON}}), http.StatusSeeOther)
		if got := a.countCities(t); got != cities+1 {
			t.Errorf("%s: %d cities, want %d", format, got, cities+1)
		}
		city, err := a.store.CityBySlug(context.Background(), "ville-"+format)
		must(t, err)
		if city.Country != "SN" || !city.CoLead || city.JoinedYear != 2024 || city.TimeZone != "Africa/Casablanca" {
			t.Errorf("%s: %+v", format, city)
		}
	}
}
