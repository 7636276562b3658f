package handlers_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// TestBrowserChecklistArabic: a new coordinator on a phone (390 px) in
// Arabic reads their checklist right to left, with nothing wider than
// the screen, says their city's page is right, and opens a help page.
// axe-core and the Nu HTML Checker run on every page.
func TestBrowserChecklistArabic(t *testing.T) {
	tools := needBrowser(t)
	a := newApp(t)
	ctx := context.Background()
	cli := models.CLIActor()
	essaouira := &models.City{Name: "Essaouira", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2024}
	must(t, a.store.CreateCity(ctx, cli, essaouira, nil))
	_, err := a.store.CreateUser(ctx, cli, models.NewUser{Email: "new@example.org", Name: "منسق جديد", Password: password,
		Role: models.RoleCoordinator, CityIDs: []uint{essaouira.ID}})
	must(t, err)
	c := &checks{t: t, tools: tools, dir: t.TempDir(), pages: map[string]string{}}

	tb := a.open(t, c, "new coordinator in Arabic on a phone", 390, 844, true)
	tb.visit("/")
	tb.step("choose Arabic",
		chromedp.SetValue(chromedp.CSS("#language-choice"), "ar"),
		chromedp.Submit(chromedp.CSS("[data-testid=language-form]")),
		chromedp.WaitVisible(chromedp.CSS(`html[dir="rtl"][lang="ar"]`)),
	)
	login(tb, "new@example.org")
	tb.step("the checklist", chromedp.WaitVisible(chromedp.CSS("[data-testid=checklist-page]")))
	if got := tb.text("[data-testid=checklist] h2"); got != "الخطوات الأولى في Essaouira" {
		t.Errorf("checklist heading %q", got)
	}
	if got := tb.text("[data-testid=checklist-partners]"); !strings.Contains(got, "لم يُنجز بعد") {
		t.Errorf("a step to do says %q", got)
	}
	if w := eval[int](tb, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); w > 0 {
		t.Errorf("the dashboard is %d px wider than the phone%s", w, tb.saveArtifacts("wide"))
	}
	tb.screenshot("checklist-ar-390")
	tb.markStale()
	tb.step("the page is right",
		chromedp.Click(chromedp.CSS("[data-testid=checklist-page-right]")),
		chromedp.WaitVisible(fresh(`[data-testid=checklist-page][data-done=true]`)),
	)
	tb.check("the page checked")
	if got := tb.text("[data-testid=checklist-page]"); !strings.Contains(got, "✓ أُنجز") {
		t.Errorf("a step done says %q", got)
	}
	tb.visit("/help/team")
	tb.screenshot("help-team-ar-390")
	if w := eval[int](tb, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); w > 0 {
		t.Errorf("the help page is %d px wider than the phone", w)
	}
	c.validateHTML()
}
