package handlers_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// TestBrowserMapNamesShowOnTap: on a phone, a first tap on a city of the
// report's map shows its name and stays on the page; a second tap opens
// the city's page. Without scripts, the name shows on focus.
func TestBrowserMapNamesShowOnTap(t *testing.T) {
	tools := needBrowser(t)
	a := newApp(t)
	ctx := context.Background()
	a.agadir.Latitude, a.agadir.Longitude = new(30.4278), new(-9.5981)
	must(t, a.store.UpdateCity(ctx, models.CLIActor(), a.agadir, nil))
	// Fez is put 2,000 km north of Agadir, so that the two are apart on
	// the map (400 km apart, as they are, they make a cluster).
	a.fez.Latitude, a.fez.Longitude = new(48.4), new(-9.5981)
	must(t, a.store.UpdateCity(ctx, models.CLIActor(), a.fez, nil))
	c := &checks{t: t, tools: tools, dir: t.TempDir(), pages: map[string]string{}}

	label := `[data-testid=report-map] a:has(circle[data-city=fez]) [data-testid=map-label]`
	shown := func(tb *tab) bool {
		return eval[bool](tb, `getComputedStyle(document.querySelector("`+strings.ReplaceAll(label, `"`, `\"`)+`")).visibility === "visible"`)
	}
	phone := a.open(t, c, "visitor on a phone", 390, 844, true)
	// A touch screen, in a window that has the focus (a headless one has
	// not, and :focus would never match).
	phone.step("touch screen", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch), focused())
	phone.visit("/reports")
	if shown(phone) {
		t.Fatal("Fez's name shows before any tap")
	}
	phone.step("tap Fez", chromedp.Tap(chromedp.CSS(`[data-testid=report-map] circle[data-city=fez]`)))
	if !shown(phone) {
		t.Errorf("a tap on Fez does not show its name%s", phone.saveArtifacts("tap"))
	}
	if name := eval[string](phone, `document.querySelector("`+strings.ReplaceAll(label, `"`, `\"`)+`").textContent`); name != "Fez" {
		t.Errorf("the label says %q", name)
	}
	if loc := phone.location(); !strings.HasSuffix(loc, "/reports") {
		t.Errorf("the first tap went to %s", loc)
	}
	phone.screenshot("map-tap-en-390")
	phone.markStale()
	phone.step("tap Fez again", chromedp.Tap(chromedp.CSS(`[data-testid=report-map] circle[data-city=fez]`)),
		chromedp.WaitReady(fresh("main")))
	if loc := phone.location(); !strings.HasSuffix(loc, "/cities/fez") {
		t.Errorf("the second tap went to %s", loc)
	}

	nojs := a.open(t, c, "visitor without JavaScript", 390, 844, false)
	nojs.step("window with the focus", focused())
	nojs.visit("/reports")
	nojs.step("focus Fez", chromedp.Focus(chromedp.CSS(`[data-testid=report-map] a:has(circle[data-city=fez])`)))
	if !shown(nojs) {
		t.Errorf("a focused Fez does not show its name%s", nojs.saveArtifacts("focus"))
	}
	c.validateHTML()
}

// focused makes the headless window behave as one that has the focus.
func focused() chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, _ *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Call(ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
		return chromedp.Void{}, err
	}
}
