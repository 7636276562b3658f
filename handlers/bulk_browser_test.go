package handlers_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// TestBrowserBulkEntry drives the bulk entry of issue 13 from Chromium: a
// coordinator imports a festival's events from a CSV file (preview, then
// confirm, creating a partner the city lacked, and the import's status
// page while it runs and once done), duplicates an event, and
// records attendance for many events at once; on a phone, in Arabic and
// without JavaScript, the import checks its file too. Every page goes
// through axe-core (WCAG 2.1 A and AA) and the Nu HTML Checker.
func TestBrowserBulkEntry(t *testing.T) {
	tools := needBrowser(t)
	a, held, release := heldImports(t)
	c := &checks{t: t, tools: tools, dir: t.TempDir(), pages: map[string]string{}}
	csvFile := filepath.Join(t.TempDir(), "festival.csv")
	if err := os.WriteFile(csvFile, []byte(eventsCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "festival-bad.csv")
	if err := os.WriteFile(bad, []byte(strings.Replace(eventsCSV, "2025-03-11 14:00", "31/02/2025 14:00", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	past := a.pastEvent(t, a.agadir, "Poetry evening", 3, models.StatusPlanned)
	family := a.pastEvent(t, a.agadir, "Family games night", 4, models.StatusPlanned)
	family.AgeGroups = []models.AgeGroup{models.AgeChildren, models.AgeAdults}
	if err := a.store.UpdateEvent(context.Background(), models.CLIActor(), family); err != nil {
		t.Fatal(err)
	}

	coo := a.open(t, c, "coordinator", 1280, 900, true)
	login(coo, "agadir@example.org")
	coo.visit("/manage/cities/agadir/events")
	coo.step("open the import", chromedp.Click(chromedp.CSS("[data-testid=import-link]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=import-form]")))
	coo.check("import page")
	coo.keyboardWalk("import page")
	// A file with a bad date: the preview lists it, nothing can be confirmed.
	coo.step("check a file with a problem",
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{bad}),
		chromedp.Click(chromedp.CSS("[data-testid=check-file]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=problem-table]")),
	)
	coo.check("import preview with a problem")
	if n := eval[int](coo, `document.querySelectorAll("[data-testid=confirm-form]").length`); n != 0 {
		t.Error("a file with problems can be confirmed")
	}
	coo.step("check the corrected file",
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{csvFile}),
		chromedp.Click(chromedp.CSS("[data-testid=check-file]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=confirm-form]")),
	)
	coo.check("import preview")
	coo.step("confirm, creating the missing partner",
		chromedp.Click(chromedp.CSS("[data-testid=create-partners]")),
		chromedp.Click(chromedp.CSS("[data-testid=confirm-import]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=import-status]")),
	)
	// The import waits in the background until let go: its status page
	// shows it running, then reloads itself until it is done.
	wait(t, held)
	// Without JavaScript, only a reload shows the progress: the page reloads
	// itself while the import runs, which axe's meta-refresh rule (WCAG
	// 2.2.1) forbids; the page offers to stop it (2.2.1's "turn off"),
	// and that page passes every rule.
	coo.checkExcept("import status while it runs", "meta-refresh")
	if got := coo.text("[data-testid=import-phase]"); !strings.Contains(got, "Checking the file") {
		t.Errorf("phase while held: %q", got)
	}
	coo.step("stop the reloading", chromedp.Click(chromedp.CSS("[data-testid=import-stop-reload]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=import-reload]")))
	coo.check("import status while it runs, not reloading")
	coo.step("reload by hand", chromedp.Click(chromedp.CSS("[data-testid=import-reload]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=import-status]")))
	release()
	// Back on the page that reloads itself, which follows the import to
	// its end.
	status := eval[string](coo, `location.pathname`)
	coo.step("wait for the import to end", chromedp.Navigate(coo.base+status), chromedp.WaitVisible(chromedp.CSS("[data-testid=import-done]")))
	coo.check("import done")
	if got := coo.text("[data-testid=import-done]"); !strings.Contains(got, "2 created") {
		t.Errorf("import done: %q", got)
	}
	coo.step("see the imported events", chromedp.Click(chromedp.CSS("[data-testid=import-events-link]")), chromedp.WaitVisible(chromedp.CSS("main h1")))
	coo.check("events after the import")

	coo.visit(fmt.Sprintf("/manage/events/%d/edit", a.agadirEvent.ID))
	coo.step("duplicate", chromedp.Click(chromedp.CSS("[data-testid=duplicate-event]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=save-another]")))
	coo.check("duplicated event form")
	coo.step("save the copy and add another",
		chromedp.SetValue(chromedp.CSS("#title"), "Reading afternoon, again"),
		chromedp.Click(chromedp.CSS("[data-testid=save-another]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=flash]")),
	)
	coo.check("next event form")

	coo.visit("/manage/cities/agadir/attendance")
	coo.keyboardWalk("attendance page")
	coo.step("type a count, and another event's counts by age group",
		chromedp.SendKeys(chromedp.CSS("#"+models.AttendanceField(past.ID)), "27"),
		chromedp.Click(chromedp.CSS(fmt.Sprintf("[data-testid=ages-%d] summary", family.ID))),
		chromedp.SendKeys(chromedp.CSS("#"+models.AttendanceAgesField(family.ID, models.AgeChildren)), "12"),
		chromedp.SendKeys(chromedp.CSS("#"+models.AttendanceAgesField(family.ID, models.AgeAdults)), "9"),
	)
	coo.check("attendance with counts by age group")
	coo.step("save them",
		chromedp.Click(chromedp.CSS("[data-testid=save-attendance]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=flash]")),
	)
	coo.check("attendance saved")
	if e, err := a.store.Event(context.Background(), family.ID); err != nil || e.Participants == nil || *e.Participants != 21 {
		t.Errorf("the counts by age group did not make the event's count: %v (%v)", e.Participants, err)
	}
	// Its participants by age group: counts that do not add up to the 27
	// are refused beside them; corrected, they are saved.
	coo.visit(fmt.Sprintf("/manage/events/%d/edit", past.ID))
	coo.step("record counts by age group that do not add up",
		chromedp.SendKeys(chromedp.CSS("#participants_children"), "20"),
		chromedp.SendKeys(chromedp.CSS("#participants_adults"), "5"),
		chromedp.Click(chromedp.CSS("[data-testid=save-event]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=error-age_participants]")),
	)
	coo.check("age counts refused")
	coo.step("correct them and save",
		chromedp.SetValue(chromedp.CSS("#participants_adults"), "7"),
		chromedp.Click(chromedp.CSS("[data-testid=save-event]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=flash]")),
	)
	if e, err := a.store.Event(context.Background(), past.ID); err != nil || e.AgeParticipants[models.AgeChildren] != 20 || e.AgeParticipants[models.AgeAdults] != 7 {
		t.Errorf("counts by age group saved: %v (%v)", e.AgeParticipants, err)
	}
	coo.visit("/dashboard")

	// On a phone, in Arabic, without JavaScript: the same pages work.
	phone := a.open(t, c, "coordinator on a phone in Arabic, no JavaScript", 390, 844, false)
	login(phone, "fez@example.org")
	phone.step("choose Arabic",
		chromedp.SetValue(chromedp.CSS("#language-choice"), "ar"),
		chromedp.Submit(chromedp.CSS("[data-testid=language-form]")),
		chromedp.WaitVisible(chromedp.CSS(`html[dir="rtl"][lang="ar"]`)),
	)
	phone.visit("/manage/cities/fez/import")
	phone.step("check a file without JavaScript",
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{bad}),
		chromedp.Submit(chromedp.CSS("[data-testid=import-form]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=import-preview]")),
	)
	phone.check("import preview in Arabic")
	phone.visit("/manage/cities/fez/attendance")
	phone.visit(fmt.Sprintf("/manage/events/%d/duplicate", a.fezEvent.ID))
	// axe needs scripts: the Arabic pages are checked again with them on.
	arabic := a.open(t, c, "coordinator in Arabic on a phone", 390, 844, true)
	login(arabic, "fez@example.org")
	arabic.step("choose Arabic",
		chromedp.SetValue(chromedp.CSS("#language-choice"), "ar"),
		chromedp.Submit(chromedp.CSS("[data-testid=language-form]")),
		chromedp.WaitVisible(chromedp.CSS(`html[dir="rtl"][lang="ar"]`)),
	)
	for _, path := range []string{"/manage/cities/fez/import", "/manage/cities/fez/attendance", fmt.Sprintf("/manage/events/%d/duplicate", a.fezEvent.ID), "/dashboard"} {
		arabic.visit(path)
	}
	c.validateHTML()
}
