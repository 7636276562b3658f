package handlers_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserImportPreview walks the import preview of issue 32 in
// Chromium: a coordinator checks a file whose status the tracker does not
// know, maps it to Held for every row, unticks a row, confirms, and finds
// the events list with the file's other rows. On a phone (390 px), with
// and without JavaScript and in Arabic, the preview of a re-import that
// updates a row shows its before and after. Every page goes through
// axe-core and the Nu HTML Checker; the phone's previews are kept as
// screenshots in the test artifacts.
func TestBrowserImportPreview(t *testing.T) {
	tools := needBrowser(t)
	a := newApp(t)
	c := &checks{t: t, tools: tools, dir: t.TempDir(), pages: map[string]string{}}
	dir := t.TempDir()
	write := func(name, data string) string {
		t.Helper()
		f := filepath.Join(dir, name)
		must(t, os.WriteFile(f, []byte(data), 0o644))
		return f
	}
	festival := write("festival.csv", "Reference,Title,Starts,Status,Participants,Learning areas,Partners\n"+
		"W-1,Storytelling walk,2025-03-10 10:00,wrapped up,40,culture,Agadir Library\n"+
		"W-2,Test row do not import,2025-03-11 10:00,planned,,culture,\n"+
		"W-3,Family maths night,2025-03-12 18:00,Wrapped up,25,families-communities,Souss Digital Club\n")

	coo := a.open(t, c, "coordinator", 1280, 900, true)
	login(coo, "agadir@example.org")
	coo.visit("/manage/cities/agadir/import")
	coo.step("check a file with an unknown status",
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{festival}),
		chromedp.Click(chromedp.CSS("[data-testid=check-file]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=import-mapping]")),
	)
	coo.check("preview asking for a mapping")
	if got := coo.text("[data-testid=import-mapping] label"); got != "“wrapped up” in Status (2 rows)" {
		t.Errorf("mapping label %q", got)
	}
	coo.markStale()
	coo.step("map it to Held",
		chromedp.SetValue(chromedp.CSS("[data-testid=map-select]"), "held"),
		chromedp.Click(chromedp.CSS("[data-testid=apply-mapping]")),
		chromedp.WaitVisible(fresh("[data-testid=import-rows]")),
	)
	coo.check("preview with the mapping applied")
	coo.keyboardWalk("preview with the mapping applied")
	coo.saveArtifacts("preview 1280")
	if n := eval[int](coo, `document.querySelectorAll("[data-testid=problem-row]").length`); n != 0 {
		t.Errorf("%d problems after the mapping", n)
	}
	coo.step("untick the test row, create the new partner and confirm",
		chromedp.Click(chromedp.CSS("#keep-3")),
		chromedp.Click(chromedp.CSS("[data-testid=create-partners]")),
		chromedp.Click(chromedp.CSS("[data-testid=confirm-import]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=import-done]")),
	)
	coo.check("import done")
	if got := coo.text("[data-testid=import-done]"); !strings.Contains(got, "2 created, 0 updated") {
		t.Errorf("import done: %q", got)
	}
	coo.step("see the events", chromedp.Click(chromedp.CSS("[data-testid=import-events-link]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=event-table]")))
	coo.check("events after the import")
	list := coo.text("[data-testid=event-table]")
	for _, title := range []string{"Storytelling walk", "Family maths night"} {
		if !strings.Contains(list, title) {
			t.Errorf("the events list lacks %q:\n%s", title, list)
		}
	}
	if strings.Contains(list, "Test row do not import") {
		t.Error("the row left out is in the events list")
	}

	// A re-import that updates a row, on a phone: the before and after.
	again := write("festival-again.csv", "Reference,Title,Starts,Status,Participants,Learning areas,Partners\n"+
		"W-1,Storytelling walk in the medina,2025-03-10 10:00,held,45,culture,Agadir Library\n"+
		"W-3,Family maths night,2025-03-12 18:00,Wrapped up,25,families-communities,Souss Digital Club\n"+
		"W-4,Repair café with a rather long title that has to wrap on a phone,2025-03-14 15:00,planned,,workplace,New Makers Club\n")
	for _, lang := range []string{"en", "ar"} {
		for _, js := range []bool{true, false} {
			name := "coordinator on a phone, " + lang
			if !js {
				name += ", no JavaScript"
			}
			phone := a.open(t, c, name, 390, 844, js)
			login(phone, "agadir@example.org")
			if lang != "en" {
				phone.step("choose "+lang,
					chromedp.SetValue(chromedp.CSS("#language-choice"), lang),
					chromedp.Submit(chromedp.CSS("[data-testid=language-form]")),
					chromedp.WaitVisible(chromedp.CSS(`html[lang="`+lang+`"]`)),
				)
			}
			phone.visit("/manage/cities/agadir/import")
			phone.step("check the re-import",
				chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{again}),
				chromedp.Submit(chromedp.CSS("[data-testid=import-form]")),
				chromedp.WaitVisible(chromedp.CSS("[data-testid=import-mapping]")),
			)
			phone.check("re-import preview")
			phone.markStale()
			phone.step("map the status",
				chromedp.SetValue(chromedp.CSS("[data-testid=map-select]"), "held"),
				chromedp.Click(chromedp.CSS("[data-testid=apply-mapping]")),
				chromedp.WaitVisible(fresh("[data-testid=import-rows]")),
			)
			phone.check("re-import preview with the mapping")
			phone.saveArtifacts("preview 390")
		}
	}
	c.validateHTML()
}
