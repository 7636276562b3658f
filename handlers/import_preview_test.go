package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// The import preview of issue 32: values a column does not know mapped
// once for the whole file, the rows as they will be stored, updates that
// change nothing left out of the count, and rows left out by the user.

const importPath = "/manage/cities/agadir/import"

// frenchStatusFile is a French coordinator's file whose statuses say
// "Clôturé", which the tracker does not know, on two rows, and whose age
// groups say "Tout public" on one.
const frenchStatusFile = "Titre;Début;Statut;Participants;Domaines d'apprentissage;Tranches d'âge\n" +
	"Atelier d'écriture;14/05/2025 14h;Clôturé;25;Qualité de l'apprentissage;Jeunes\n" +
	"Café des savoirs;15/05/2025 9h30;Tenu;12;Une culture vivante de l'apprentissage tout au long de la vie;Tout public\n" +
	"Lecture en famille;16/05/2025 10:00;cloture;30;Apprentissage dans les familles et les communautés;Enfants\n"

// previewForm is the form a preview's confirm form would post as it is
// shown: its hidden fields, its selects' chosen values and its ticked
// boxes, with extra fields set over them.
func previewForm(t *testing.T, r *response, extra url.Values) url.Values {
	t.Helper()
	form := url.Values{}
	r.doc(t).Find("[data-testid=confirm-form]").Find("input, select").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		typ, _ := s.Attr("type")
		switch {
		case name == "" || name == "_csrf":
		case goquery.NodeName(s) == "select":
			v, _ := s.Find("option[selected]").Attr("value")
			form.Add(name, v)
		case typ == "checkbox":
			if _, on := s.Attr("checked"); on {
				v, _ := s.Attr("value")
				form.Add(name, v)
			}
		default:
			v, _ := s.Attr("value")
			form.Add(name, v)
		}
	})
	if len(form) == 0 {
		t.Fatalf("the preview has no confirm form:\n%s", r.body)
	}
	for k, vs := range extra {
		form[k] = vs
	}
	return form
}

// TestImportMapsUnknownValuesOnce: a French file whose status "Clôturé"
// the tracker does not know is kept, and its preview asks once what each
// unknown value stands for; mapped to Tenu (and "Tout public" to adults),
// every row is imported as held. Mapping to a value the column does not
// take, or in a column that takes none, is refused with 422 and writes
// nothing; and a mapping is for its file only.
func TestImportMapsUnknownValuesOnce(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	co := a.loggedIn(t, "agadir@example.org")
	co.setCookie("ltl_lang", "fr")
	events := a.countEvents(t)

	res := co.uploadFile(t, importPath, url.Values{"kind": {"events"}}, "ateliers.csv", []byte(frenchStatusFile))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	doc := res.doc(t)
	var labels []string
	doc.Find("[data-testid=import-mapping] label").Each(func(_ int, s *goquery.Selection) { labels = append(labels, strings.TrimSpace(s.Text())) })
	if want := []string{"« Clôturé » dans Statut (2 lignes)", "« Tout public » dans Tranches d’âge (1 ligne)"}; !slices.Equal(labels, want) {
		t.Errorf("mapping labels %q, want %q", labels, want)
	}
	var options []string
	doc.Find("select[name='map.status.cloture'] option").Each(func(_ int, s *goquery.Selection) { options = append(options, s.Text()) })
	if want := []string{"La laisser comme problème", "Prévu", "Tenu", "Annulé"}; !slices.Equal(options, want) {
		t.Errorf("status choices %q, want %q", options, want)
	}
	if doc.Find("[data-testid=confirm-import]").Length() != 0 {
		t.Error("a file with unknown values can be confirmed before they are mapped")
	}
	if doc.Find("[data-testid=problem-row]").Length() != 3 {
		t.Errorf("problems: %s", doc.Find("[data-testid=problem-table]").Text())
	}

	// Tampered choices: a value the column does not take, a column that
	// takes none. Refused, nothing written, and the file is still there.
	for name, extra := range map[string]url.Values{
		"a value not a status":      {"map.status.cloture": {"finished"}},
		"a list value not an area":  {"map.age_groups.tout public": {"culture"}},
		"a column without choices":  {"map.venue.cloture": {"held"}},
		"a mapping without a value": {"map.status": {"held"}},
	} {
		for _, action := range []string{"check", ""} {
			form := previewForm(t, res, extra)
			form.Set("action", action)
			r := co.post(t, importPath+"/confirm", form)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			if got := r.doc(t).Find("[data-testid=error-file]").Text(); !strings.Contains(got, "ne correspondent pas à ce fichier") {
				t.Errorf("%s (action %q): %q", name, action, got)
			}
			if a.countEvents(t) != events {
				t.Fatalf("%s: tampered choices wrote events", name)
			}
		}
	}

	// Mapped once, for every row: the preview shows them held.
	res = co.post(t, importPath+"/confirm", previewForm(t, res, url.Values{
		"action": {"check"}, "map.status.cloture": {"held"}, "map.age_groups.tout public": {"adults"},
	}))
	wantStatus(t, res, http.StatusOK)
	doc = res.doc(t)
	if got := doc.Find("[data-testid=import-creates]").Text(); !strings.Contains(got, "3 lignes seront créées") {
		t.Errorf("creates: %q", got)
	}
	var statuses []string
	doc.Find("[data-testid=import-row]").Each(func(_ int, s *goquery.Selection) {
		statuses = append(statuses, strings.TrimSpace(s.Find("td").Eq(4).Text()))
	})
	if want := []string{"Tenu", "Tenu", "Tenu"}; !slices.Equal(statuses, want) {
		t.Errorf("statuses shown %q, want %q", statuses, want)
	}
	if v, _ := doc.Find("select[name='map.status.cloture'] option[selected]").Attr("value"); v != "held" {
		t.Errorf("the mapping is not kept in the form: %q", v)
	}
	if a.countEvents(t) != events {
		t.Fatal("checking the mapping wrote events")
	}

	// Confirmed with the mapping the form carries.
	status := co.confirmImport(t, importPath+"/confirm", previewForm(t, res, nil))
	if got := status.doc(t).Find("[data-testid=import-done]").Text(); !strings.Contains(got, "3 créés") {
		t.Errorf("status: %q", got)
	}
	stored, err := a.store.CityEvents(ctx, a.agadir.ID)
	must(t, err)
	held := 0
	for _, e := range stored {
		switch e.Title {
		case "Atelier d'écriture", "Café des savoirs", "Lecture en famille":
			if e.Status != models.StatusHeld {
				t.Errorf("%s: status %s, want held", e.Title, e.Status)
			}
			held++
		}
		if e.Title == "Café des savoirs" && !slices.Equal(e.AgeGroups, []models.AgeGroup{models.AgeAdults}) {
			t.Errorf("age groups %v, want adults", e.AgeGroups)
		}
	}
	if held != 3 {
		t.Errorf("%d of the file's events stored, want 3", held)
	}

	// Another file: the mapping is not remembered.
	other := strings.Replace(frenchStatusFile, "Atelier d'écriture", "Atelier du soir", 1)
	res = co.uploadFile(t, importPath, url.Values{"kind": {"events"}}, "autre.csv", []byte(other))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if got := res.doc(t).Find("[data-testid=problem-table]").Text(); !strings.Contains(got, "« Clôturé » n’est pas une valeur possible pour Statut") {
		t.Errorf("the second file's problems: %q", got)
	}
	// Left as a problem, a value stays one, and its select stays offered.
	res = co.post(t, importPath+"/confirm", previewForm(t, res, url.Values{"action": {"check"}, "map.age_groups.tout public": {"adults"}}))
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if n := res.doc(t).Find("[data-testid=map-select]").Length(); n != 2 {
		t.Errorf("%d selects after a partial mapping, want 2", n)
	}
	if n := res.doc(t).Find("[data-testid=problem-row]").Length(); n != 2 {
		t.Errorf("%d problems after a partial mapping, want 2", n)
	}
}

// TestImportLeavesOutUntickedRows: a row the user unticks is listed as
// left out, is not written, and the status page counts only what was;
// row numbers the preview did not list are refused with 422, nothing
// written.
func TestImportLeavesOutUntickedRows(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	co := a.loggedIn(t, "agadir@example.org")
	file := "Title,Starts,Learning areas\n" +
		"Reading club,2025-05-01 10:00,culture\n" +
		"Test row do not import,2025-05-02 10:00,culture\n" +
		"Repair café,2025-05-03 10:00,workplace\n"
	res := co.uploadFile(t, importPath, url.Values{"kind": {"events"}}, "club.csv", []byte(file))
	wantStatus(t, res, http.StatusOK)
	doc := res.doc(t)
	var lines []string
	doc.Find("[data-testid=import-row]").Each(func(_ int, s *goquery.Selection) {
		line, _ := s.Attr("data-line")
		if _, on := s.Find("[data-testid=keep-row]").Attr("checked"); !on {
			t.Errorf("line %s is not ticked", line)
		}
		lines = append(lines, line)
	})
	if !slices.Equal(lines, []string{"2", "3", "4"}) {
		t.Errorf("rows listed %q", lines)
	}
	if got := doc.Find("[data-testid=import-row]").First().Text(); !strings.Contains(got, "Thursday 1 May 2025, 10:00") || !strings.Contains(got, "Planned") {
		t.Errorf("first row %q", got)
	}
	events := a.countEvents(t)
	untick := url.Values{"keep": {"2", "4"}}

	for name, extra := range map[string]url.Values{
		"a line the file lacks":  {"row": {"2", "3", "4", "99"}, "keep": {"2", "4"}},
		"the heading's line":     {"row": {"1", "2", "3", "4"}, "keep": {"2", "4"}},
		"not a number":           {"row": {"2", "three", "4"}, "keep": {"2", "4"}},
		"ticked but not listed":  {"row": {"2", "4"}, "keep": {"2", "4", "3"}},
		"a negative line ticked": {"keep": {"-3"}},
	} {
		r := co.post(t, importPath+"/confirm", previewForm(t, res, extra))
		wantStatus(t, r, http.StatusUnprocessableEntity)
		if got := r.doc(t).Find("[data-testid=error-file]").Text(); !strings.Contains(got, "do not fit this file") {
			t.Errorf("%s: %q", name, got)
		}
		if a.countEvents(t) != events {
			t.Fatalf("%s: bad row numbers wrote events", name)
		}
	}

	// Checked again: the row is listed, unticked, and not counted.
	checked := co.post(t, importPath+"/confirm", previewForm(t, res, url.Values{"action": {"check"}, "keep": untick["keep"]}))
	wantStatus(t, checked, http.StatusOK)
	doc = checked.doc(t)
	if got := doc.Find("[data-testid=import-creates]").Text(); !strings.Contains(got, "2 rows will be created") {
		t.Errorf("creates: %q", got)
	}
	if got := doc.Find("[data-testid=import-skipped]").Text(); !strings.Contains(got, "1 row left out") {
		t.Errorf("skipped: %q", got)
	}
	if _, on := doc.Find("[data-line='3'] [data-testid=keep-row]").Attr("checked"); on {
		t.Error("the row left out is ticked again")
	}
	if got := doc.Find("[data-testid=confirm-import]").Text(); !strings.Contains(got, "Import 2 rows") {
		t.Errorf("confirm button %q", got)
	}
	status := co.confirmImport(t, importPath+"/confirm", previewForm(t, checked, nil))
	if got := status.doc(t).Find("[data-testid=import-done]").Text(); !strings.Contains(got, "2 created, 0 updated") {
		t.Errorf("status: %q", got)
	}
	if got := a.countEvents(t); got != events+2 {
		t.Errorf("events %d, want %d", got, events+2)
	}
	stored, err := a.store.CityEvents(ctx, a.agadir.ID)
	must(t, err)
	for _, e := range stored {
		if e.Title == "Test row do not import" {
			t.Errorf("the row left out was written: %+v", e)
		}
	}
}

// TestImportCountsOnlyChangedRows re-imports a 20-row file with one title
// changed: the preview says 1 update and 19 unchanged, and shows the
// title before and after; the import writes that one row only (one audit
// entry).
func TestImportCountsOnlyChangedRows(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	co := a.loggedIn(t, "agadir@example.org")
	file := func(title3 string) string {
		var b strings.Builder
		b.WriteString("Reference,Title,Starts,Status,Participants,Learning areas,Age groups\n")
		for i := 1; i <= 20; i++ {
			title := fmt.Sprintf("Evening class %d", i)
			if i == 3 {
				title = title3
			}
			fmt.Fprintf(&b, "EC-%d,%s,2025-06-%02d 18:00,held,%d,culture,adults\n", i, title, i, 10+i)
		}
		return b.String()
	}
	res := co.uploadFile(t, importPath, url.Values{"kind": {"events"}}, "classes.csv", []byte(file("Evening class 3")))
	wantStatus(t, res, http.StatusOK)
	co.confirmImport(t, importPath+"/confirm", previewForm(t, res, nil))
	audits := func() (created, updated int) {
		t.Helper()
		entries, err := a.store.AuditEntries(ctx, models.AuditFilter{CityIDs: []uint{a.agadir.ID}, Who: "agadir@example.org"}, models.Page{Size: 100})
		must(t, err)
		for _, en := range entries.Items {
			switch en.Action {
			case models.AuditCreate:
				created++
			case models.AuditUpdate:
				updated++
			}
		}
		return created, updated
	}
	if c, u := audits(); c != 20 || u != 0 {
		t.Fatalf("audit after the first import: %d created, %d updated", c, u)
	}
	before, err := a.store.CityEvents(ctx, a.agadir.ID)
	must(t, err)
	stamps := map[uint]string{}
	for _, e := range before {
		stamps[e.ID] = e.UpdatedAt.String()
	}

	res = co.uploadFile(t, importPath, url.Values{"kind": {"events"}}, "classes.csv", []byte(file("Evening class 3: drawing")))
	wantStatus(t, res, http.StatusOK)
	doc := res.doc(t)
	for id, want := range map[string]string{
		"import-creates": "0 rows will be created", "import-updates": "1 row will update",
		"import-unchanged": "19 rows are already as stored",
	} {
		if got := doc.Find("[data-testid=" + id + "]").Text(); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", id, got, want)
		}
	}
	rows := doc.Find("[data-testid=import-row]")
	if rows.Length() != 1 {
		t.Fatalf("%d rows listed, want the one update", rows.Length())
	}
	if got := rows.Find("mark").Text(); got != "Evening class 3: drawing" {
		t.Errorf("the changed title is not marked: %q", got)
	}
	changes := rows.Find("[data-testid=row-changes]")
	if got := changes.Find("dt").Text(); got != "Title" {
		t.Errorf("changed fields %q, want Title", got)
	}
	if b, af := changes.Find("del").Text(), changes.Find("ins").Text(); b != "Evening class 3" || af != "Evening class 3: drawing" {
		t.Errorf("before %q, after %q", b, af)
	}
	if got := doc.Find("[data-testid=confirm-import]").Text(); !strings.Contains(got, "Import 1 row") {
		t.Errorf("confirm button %q", got)
	}
	status := co.confirmImport(t, importPath+"/confirm", previewForm(t, res, nil))
	if got := status.doc(t).Find("[data-testid=import-done]").Text(); !strings.Contains(got, "0 created, 1 updated") {
		t.Errorf("status: %q", got)
	}
	if c, u := audits(); c != 20 || u != 1 {
		t.Errorf("audit after the re-import: %d created, %d updated, want 20 and 1", c, u)
	}
	after, err := a.store.CityEvents(ctx, a.agadir.ID)
	must(t, err)
	changed := 0
	for _, e := range after {
		if stamps[e.ID] != e.UpdatedAt.String() {
			changed++
			if e.Title != "Evening class 3: drawing" {
				t.Errorf("an unchanged row was written: %+v", e)
			}
		}
	}
	if changed != 1 {
		t.Errorf("%d events written, want 1", changed)
	}
}

// TestImportPreviewListsTheFirstRows: a large file lists its first 200
// rows and says how many more there are; the counts are of every row.
func TestImportPreviewListsTheFirstRows(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	co := a.loggedIn(t, "agadir@example.org")
	var b strings.Builder
	b.WriteString("Title,Starts,Learning areas\n")
	for i := range 250 {
		fmt.Fprintf(&b, "Talk %d,2025-01-01 10:00,culture\n", i)
	}
	res := co.uploadFile(t, importPath, url.Values{"kind": {"events"}}, "talks.csv", []byte(b.String()))
	wantStatus(t, res, http.StatusOK)
	doc := res.doc(t)
	if n := doc.Find("[data-testid=import-row]").Length(); n != models.ImportPreviewRows {
		t.Errorf("%d rows listed, want %d", n, models.ImportPreviewRows)
	}
	if got := doc.Find("[data-testid=more-rows]").Text(); !strings.Contains(got, "50 more rows") {
		t.Errorf("more rows: %q", got)
	}
	if got := doc.Find("[data-testid=import-creates]").Text(); !strings.Contains(got, "250 rows") {
		t.Errorf("creates: %q", got)
	}
}
