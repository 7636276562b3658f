package handlers_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// browserTools are what the browser tests need: Chromium, Java for the Nu
// HTML Checker, and the axe-core and vnu-jar npm packages (make
// browser-deps installs them under .ci/node_modules).
type browserTools struct {
	chromium, java, axe, vnu string
}

// needBrowser finds the tools, or skips the test with one line saying how
// to get them; with REQUIRE_BROWSER=1 a missing tool fails instead.
func needBrowser(t *testing.T) browserTools {
	t.Helper()
	root, _ := filepath.Abs("..")
	tools := browserTools{
		axe: filepath.Join(root, ".ci/node_modules/axe-core/axe.min.js"),
		vnu: filepath.Join(root, ".ci/node_modules/vnu-jar/build/dist/vnu.jar"),
	}
	var missing []string
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			tools.chromium = p
			break
		}
	}
	if tools.chromium == "" {
		missing = append(missing, "chromium")
	}
	if p, err := exec.LookPath("java"); err == nil {
		tools.java = p
	} else {
		missing = append(missing, "java")
	}
	for _, f := range []string{tools.axe, tools.vnu} {
		if _, err := os.Stat(f); err != nil {
			missing = append(missing, filepath.Base(f))
		}
	}
	if len(missing) > 0 {
		msg := fmt.Sprintf("browser tests need %s: install Debian's chromium and default-jre-headless, then run make browser-deps", strings.Join(missing, ", "))
		if os.Getenv("REQUIRE_BROWSER") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return tools
}

// checks gathers the pages seen, for the HTML checker at the end.
type checks struct {
	t     *testing.T
	tools browserTools
	dir   string
	pages map[string]string // file → where it came from
}

// tab is one browser (its own cookies) at one viewport size.
type tab struct {
	t      *testing.T
	ctx    context.Context
	name   string
	base   string
	js     bool
	checks *checks
}

// artifactsDir is where a failing step leaves its screenshot and HTML.
func artifactsDir() string {
	if d := os.Getenv("ARTIFACTS_DIR"); d != "" {
		return d
	}
	root, _ := filepath.Abs("..")
	return filepath.Join(root, "test-artifacts")
}

// open starts a browser for one user at a viewport size; js false
// disables JavaScript in its pages.
func (a *app) open(t *testing.T, c *checks, name string, width, height int64, js bool) *tab {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(c.tools.chromium), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true), chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(int(width), int(height)),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	tb := &tab{t: t, ctx: ctx, name: name, base: a.srv.URL, js: js, checks: c}
	var vp []chromedp.EmulateViewportOption
	if width < 600 {
		vp = append(vp, chromedp.EmulateMobile)
	}
	// The first call starts the browser, which lives as long as the
	// context of that call: it gets the tab's own context, no timeout.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height, vp...)); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	if !js {
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
	}
	return tb
}

// step runs browser actions; on failure it saves a screenshot and the
// page's HTML as artifacts and stops the test.
func (tb *tab) step(name string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tb.t.Fatalf("%s: %s: %v%s", tb.name, name, err, tb.saveArtifacts(name))
	}
}

// saveArtifacts keeps the page as it is for whoever reads the failure.
func (tb *tab) saveArtifacts(step string) string {
	dir := artifactsDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return ""
	}
	slug := regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(strings.ToLower(tb.t.Name()+"-"+tb.name+"-"+step), "-")
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		os.WriteFile(filepath.Join(dir, slug+".png"), png, 0o644)
	}
	if html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html"))); err == nil {
		os.WriteFile(filepath.Join(dir, slug+".html"), []byte(html), 0o644)
	}
	return fmt.Sprintf("\n(screenshot and HTML saved in %s as %s.*)", dir, slug)
}

// text reads the text of the first element matching css.
func (tb *tab) text(css string) string {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		tb.t.Fatalf("%s: read %s: %v%s", tb.name, css, err, tb.saveArtifacts("read"))
	}
	return strings.TrimSpace(s)
}

// location is the address of the page shown.
func (tb *tab) location() string {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		tb.t.Fatalf("%s: location: %v", tb.name, err)
	}
	return loc
}

// eval runs JavaScript in the page through DevTools (not subject to the
// page's Content-Security-Policy).
func eval[T any](tb *tab, js string) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("%s: evaluate: %v%s", tb.name, err, tb.saveArtifacts("eval"))
	}
	return v
}

// markStale marks the page shown, so that a step that loads another one
// can wait for an element of the new page (fresh), not find it on the
// page it leaves while that one is still shown.
func (tb *tab) markStale() {
	tb.t.Helper()
	eval[bool](tb, `(document.documentElement.dataset.stale = "yes") === "yes"`)
}

// fresh is a selector of an element in a page loaded since markStale.
func fresh(sel string) chromedp.CSS { return chromedp.CSS("html:not([data-stale]) " + sel) }

// visit opens a page and checks it.
func (tb *tab) visit(path string) {
	tb.t.Helper()
	tb.step("open "+path, chromedp.Navigate(tb.base+path), chromedp.WaitReady(chromedp.CSS("main")))
	tb.check(path)
}

// check runs axe-core on the page for WCAG 2.1 A and AA and keeps its
// HTML for the HTML checker.
func (tb *tab) check(where string) {
	tb.t.Helper()
	tb.checkExcept(where)
}

// checkExcept is check with some axe rules left out: a page that must
// break one of them, with the reason at the call.
func (tb *tab) checkExcept(where string, rules ...string) {
	tb.t.Helper()
	tb.step("wait for "+where, chromedp.WaitReady(chromedp.CSS("main")))
	if !tb.js {
		return // axe needs scripts; the same pages are checked with them on
	}
	if !eval[bool](tb, `typeof axe !== "undefined"`) {
		src, err := os.ReadFile(tb.checks.tools.axe)
		if err != nil {
			tb.t.Fatal(err)
		}
		eval[bool](tb, string(src)+"\n;true")
	}
	off := map[string]any{}
	for _, r := range rules {
		off[r] = map[string]bool{"enabled": false}
	}
	offJSON, _ := json.Marshal(off)
	violations := eval[[]string](tb, `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, rules: `+string(offJSON)+`})
		.then(r => r.violations.map(v => v.id + ": " + v.help + " at " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | ")))`)
	for _, v := range violations {
		tb.t.Errorf("%s, %s: accessibility: %s", tb.name, where, v)
	}
	if len(violations) > 0 {
		tb.saveArtifacts("axe " + where)
	}
	html := eval[string](tb, `"<!DOCTYPE html>\n" + document.documentElement.outerHTML`)
	file := filepath.Join(tb.checks.dir, fmt.Sprintf("page-%03d.html", len(tb.checks.pages)))
	if err := os.WriteFile(file, []byte(html), 0o644); err != nil {
		tb.t.Fatal(err)
	}
	tb.checks.pages[file] = tb.name + " " + where
}

// keyboardWalk tabs through the page and checks that every control is
// reached and shows where the focus is. Controls inside a closed
// <details> are not counted: they are not rendered until it opens.
func (tb *tab) keyboardWalk(where string) {
	tb.t.Helper()
	total := eval[int](tb, `[...document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea")]
		.filter(e => !e.closest(".honeypot") && e.tabIndex >= 0 && e.offsetParent !== null && e.checkVisibility()).length`)
	seen := map[string]bool{}
	// Date inputs take a tab stop per part (day, month, year, time).
	for range total*3 + 10 {
		tb.step("tab on "+where, chromedp.KeyEvent("\t"))
		info := eval[[]string](tb, `(() => {
			const e = document.activeElement;
			if (!e || e === document.body) return ["", "true"];
			const s = getComputedStyle(e);
			const visible = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none";
			window.__kbd = window.__kbd || 0;
			if (!e.dataset.kbd) e.dataset.kbd = String(++window.__kbd);
			const id = e.tagName + "#" + (e.id || "") + "[" + (e.getAttribute("name") || e.getAttribute("href") || e.textContent.trim().slice(0, 30)) + "]" + e.dataset.kbd;
			return [id, String(visible)];
		})()`)
		if info[0] == "" {
			continue
		}
		seen[info[0]] = true
		if info[1] != "true" {
			tb.t.Errorf("%s, %s: %s has no visible focus", tb.name, where, info[0])
		}
	}
	if len(seen) < total {
		tb.t.Errorf("%s, %s: the keyboard reached %d of %d controls", tb.name, where, len(seen), total)
	}
}

// validateHTML runs the Nu HTML Checker once over every page seen.
func (c *checks) validateHTML() {
	c.t.Helper()
	if len(c.pages) == 0 {
		return
	}
	args := []string{"-jar", c.tools.vnu, "--format", "json", "--errors-only"}
	for f := range c.pages {
		args = append(args, f)
	}
	var out bytes.Buffer
	cmd := exec.Command(c.tools.java, args...)
	cmd.Stderr = &out
	cmd.Run() // exits 1 when it finds errors; the report says which
	var report struct {
		Messages []struct {
			Type, URL, Message string
			LastLine           int
			Extract            string
		}
	}
	if err := json.Unmarshal(out.Bytes(), &report); err != nil {
		c.t.Fatalf("HTML checker: %v\n%s", err, out.String())
	}
	for _, m := range report.Messages {
		if m.Type == "error" || m.Type == "non-document-error" {
			file := strings.TrimPrefix(m.URL, "file:")
			c.t.Errorf("invalid HTML on %s, line %d: %s (%q)", c.pages[file], m.LastLine, m.Message, m.Extract)
		}
	}
}

// testPhoto writes a small JPEG for the upload step.
func testPhoto(t *testing.T) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 320, 240))
	for y := range 240 {
		for x := range 320 {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 160, 255})
		}
	}
	path := filepath.Join(t.TempDir(), "learning.jpg")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := jpeg.Encode(f, img, nil); err != nil {
		t.Fatal(err)
	}
	return path
}

// submitStory is journey (a): a learner tells a story with a photo and
// keeps the receipt code. It uses only the keyboard once the page is open.
func submitStory(tb *tab, title, photo string) string {
	tb.visit("/stories/new?city=agadir")
	tb.step("fill the story form",
		chromedp.SendKeys(chromedp.CSS("#title"), title),
		chromedp.SendKeys(chromedp.CSS("#body"), "At the library's digital workshop I built a website for my pottery; now customers from other cities find me."),
		chromedp.SendKeys(chromedp.CSS("#display_name"), "Latifa Amrani"),
		chromedp.SetValue(chromedp.CSS("#age_group"), "older-adults"),
		chromedp.SendKeys(chromedp.CSS(`input[name=learning_areas][value=technologies]`), " "),
		chromedp.SetUploadFiles(chromedp.CSS("#photo"), []string{photo}),
		chromedp.SendKeys(chromedp.CSS("#photo_alt"), "A vase on a table"),
		chromedp.SendKeys(chromedp.CSS("#publication_consent"), " "),
		chromedp.SendKeys(chromedp.CSS("[data-testid=submit-story]"), "\r"),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=receipt-code]")),
	)
	tb.check("receipt")
	return tb.text("[data-testid=receipt-code]")
}

// login signs in with the keyboard.
func login(tb *tab, email string) {
	tb.visit("/login")
	tb.step("log in as "+email,
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), password+"\r"),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=welcome]")),
	)
	tb.check("dashboard")
}

// TestBrowserJourneys drives the real server from Chromium: a learner on a
// phone tells a story with a photo; the city's coordinator publishes and
// features it and logs an event with two partners; staff filter the
// network report and download its CSV; the learner withdraws the story.
// Every page is checked with axe-core (WCAG 2.1 A and AA) and the Nu HTML
// Checker, the forms are walked with the keyboard, and the story form and
// the report filter also run without JavaScript.
func TestBrowserJourneys(t *testing.T) {
	tools := needBrowser(t)
	a := newApp(t)
	second := a.addPartner(t, a.agadir.ID, "Radio Agadir")
	c := &checks{t: t, tools: tools, dir: t.TempDir(), pages: map[string]string{}}
	photo := testPhoto(t)

	// Logged out, at phone and desktop widths.
	for _, size := range []struct {
		name string
		w, h int64
	}{{"phone", 390, 844}, {"desktop", 1280, 900}} {
		visitor := a.open(t, c, "visitor on "+size.name, size.w, size.h, true)
		for _, path := range []string{"/", "/cities", "/cities/agadir", fmt.Sprintf("/events/%d", a.agadirEvent.ID), "/stories", "/reports", "/stories/status", "/login", "/no-such-page"} {
			visitor.visit(path)
		}
	}

	// In Arabic, chosen with the language switch: right to left, checked too.
	arabic := a.open(t, c, "visitor in Arabic", 390, 844, true)
	arabic.visit("/")
	arabic.step("choose Arabic",
		chromedp.SetValue(chromedp.CSS("#language-choice"), "ar"),
		chromedp.Submit(chromedp.CSS("[data-testid=language-form]")),
		chromedp.WaitVisible(chromedp.CSS(`html[dir="rtl"][lang="ar"]`)),
	)
	for _, path := range []string{"/stories/new", "/reports", "/cities/agadir", fmt.Sprintf("/events/%d", a.agadirEvent.ID), "/stories"} {
		arabic.visit(path)
	}

	// (a) A learner on a phone tells a story with a photo.
	learner := a.open(t, c, "learner on a phone", 390, 844, true)
	learner.visit("/stories/new")
	learner.keyboardWalk("story form")
	code := submitStory(learner, "My first website at 60", photo)
	if len(code) < 20 {
		t.Fatalf("receipt code %q", code)
	}

	// (b) The coordinator publishes and features it, and logs an event.
	coo := a.open(t, c, "coordinator", 1280, 900, true)
	coo.visit("/login")
	coo.keyboardWalk("login form")
	login(coo, "agadir@example.org")
	coo.visit("/manage/stories")
	coo.step("open the story", chromedp.Click(chromedp.CSS("[data-testid=queue] li:last-child a")), chromedp.WaitVisible(chromedp.CSS("[data-testid=action-publish]")))
	coo.check("story to moderate")
	coo.step("publish", chromedp.SendKeys(chromedp.CSS("[data-testid=action-publish]"), "\r"), chromedp.WaitVisible(chromedp.CSS("[data-testid=flash]")))
	coo.check("queue after publishing")
	coo.visit("/manage/stories?status=published")
	coo.step("open the published story", chromedp.Click(chromedp.CSS("[data-testid=queue] li a")), chromedp.WaitVisible(chromedp.CSS("[data-testid=action-feature]")))
	coo.step("feature", chromedp.SendKeys(chromedp.CSS("[data-testid=action-feature]"), "\r"), chromedp.WaitVisible(chromedp.CSS("[data-testid=action-unfeature]")))
	coo.check("featured story")
	coo.visit("/manage/cities/agadir/events/new")
	coo.keyboardWalk("event form")
	start := time.Now().Add(-30 * time.Hour)
	coo.step("fill the event form",
		chromedp.SendKeys(chromedp.CSS("#title"), "Pottery and websites workshop"),
		// Typed the French way, day.month.year and 14h05.
		chromedp.Clear(chromedp.CSS("#starts_at_date")),
		chromedp.SendKeys(chromedp.CSS("#starts_at_date"), start.In(a.agadir.Location()).Format("2.1.2006")),
		chromedp.Clear(chromedp.CSS("#starts_at_time")),
		chromedp.SendKeys(chromedp.CSS("#starts_at_time"), strings.Replace(start.In(a.agadir.Location()).Format("15:04"), ":", "h", 1)),
		chromedp.Clear(chromedp.CSS("#ends_at_date")),
		chromedp.SendKeys(chromedp.CSS("#ends_at_date"), start.Add(2*time.Hour).In(a.agadir.Location()).Format("2.1.2006")),
		chromedp.Clear(chromedp.CSS("#ends_at_time")),
		chromedp.SendKeys(chromedp.CSS("#ends_at_time"), strings.Replace(start.Add(2*time.Hour).In(a.agadir.Location()).Format("15:04"), ":", "h", 1)),
		chromedp.SetValue(chromedp.CSS("#status"), "held"),
		chromedp.SendKeys(chromedp.CSS("#participants"), "42"),
		chromedp.SendKeys(chromedp.CSS(`input[name=learning_areas][value=technologies]`), " "),
		chromedp.SendKeys(chromedp.CSS(fmt.Sprintf(`input[name=partners][value="%d"]`, a.agadirPart.ID)), " "),
		chromedp.SendKeys(chromedp.CSS(fmt.Sprintf(`input[name=partners][value="%d"]`, second)), " "),
		chromedp.SendKeys(chromedp.CSS("[data-testid=save-event]"), "\r"),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=flash]")),
	)
	coo.check("event list")
	if row := coo.text("[data-testid=event-table] tbody"); !strings.Contains(row, "Pottery and websites workshop") || !strings.Contains(row, "42") {
		t.Errorf("the new event is not listed as held with 42 participants: %q", row)
	}
	for _, path := range []string{"/manage/cities/agadir/partners", "/manage/cities/agadir/partners/new", fmt.Sprintf("/manage/partners/%d/edit", a.agadirPart.ID), fmt.Sprintf("/manage/events/%d/delete", a.agadirEvent.ID)} {
		coo.visit(path)
	}
	coo.visit("/cities/agadir")
	if !strings.Contains(coo.text("[data-testid=city-stories]"), "My first website at 60") {
		t.Error("the published story is not on the city page")
	}
	coo.visit("/")
	if !strings.Contains(coo.text("[data-testid=featured-stories]"), "My first website at 60") {
		t.Error("the featured story is not on the home page")
	}
	// The gallery shows it, with its photo, to the learner on a phone and
	// to the coordinator on a desktop; its search finds it.
	for _, tb := range []*tab{learner, coo} {
		tb.visit("/stories?q=website")
		if !strings.Contains(tb.text("[data-testid=gallery]"), "My first website at 60") {
			t.Error("the published story is not in the gallery's search")
		}
	}
	learner.step("open the story from the gallery", chromedp.Click(chromedp.CSS("[data-testid=gallery-card] h3 a")), chromedp.WaitVisible(chromedp.CSS("[data-testid=story]")))
	learner.check("story page")

	// The coordinator writes the city's report for the year and submits it.
	coo.visit("/manage/city-reports")
	coo.step("start the year's report",
		chromedp.SetValue(chromedp.CSS("#city"), "agadir"),
		chromedp.SetValue(chromedp.CSS("#period"), "year:"+time.Now().UTC().Format("2006")),
		chromedp.Submit(chromedp.CSS("[data-testid=start-report]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=report-form]")),
	)
	coo.check("city report draft")
	coo.step("write and save the draft",
		chromedp.SendKeys(chromedp.CSS("#worked"), "Digital workshops for older learners"),
		chromedp.SendKeys(chromedp.CSS("[data-testid=save-report]"), "\r"),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=flash]")),
		chromedp.SendKeys(chromedp.CSS("[data-testid=submit-report]"), "\r"),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=report-gaps]")),
	)
	// Nothing is rated yet: the report says so and asks before sending.
	coo.check("city report gaps")
	coo.step("send it as it is",
		chromedp.SendKeys(chromedp.CSS("[data-testid=submit-anyway]"), "\r"),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=frozen-figures]")),
	)
	coo.check("submitted city report")
	reportURL := coo.location()

	// (c) Staff filter the network report and download its CSV.
	staff := a.open(t, c, "staff", 1280, 900, true)
	login(staff, "staff@example.org")
	staff.visit("/reports")
	staff.keyboardWalk("report filter")
	// The months typed as people write them: a name, and month/year.
	from, to := time.Now().AddDate(-1, 0, 0).Format("January 2006"), time.Now().Format("01/2006")
	staff.step("filter by region and period",
		chromedp.SetValue(chromedp.CSS("#region"), "arab-states"),
		chromedp.SendKeys(chromedp.CSS("#from"), from),
		chromedp.SendKeys(chromedp.CSS("#to"), to),
		chromedp.Submit(chromedp.CSS("[data-testid=report-filter]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=report-totals]")),
	)
	staff.check("filtered report")
	loc := staff.location()
	if got := staff.text("[data-testid=note-from]"); got != "We read: "+from+"." {
		t.Errorf("the report says it read the start as %q", got)
	}
	for _, want := range []string{"region=arab-states", "from=" + url.QueryEscape(from), "to=" + url.QueryEscape(to)} {
		if !strings.Contains(loc, want) {
			t.Errorf("the report URL %q does not keep %s", loc, want)
		}
	}
	held := staff.text("[data-testid=figure-events_held] .value")
	downloads := t.TempDir()
	if _, err := chromedp.CallBrowser(staff.ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads}); err != nil {
		t.Fatal(err)
	}
	staff.step("download the CSV", chromedp.Click(chromedp.CSS("[data-testid=csv-link]")))
	var data []byte
	for range 600 { // up to a minute: the suite's machine is shared
		files, _ := filepath.Glob(filepath.Join(downloads, "*.csv"))
		if len(files) == 1 {
			data, _ = os.ReadFile(files[0])
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff")))).ReadAll()
	if err != nil || len(records) < 2 {
		t.Fatalf("downloaded CSV: %v, %d records", err, len(records))
	}
	sum := 0
	for _, r := range records[1:] {
		var n int
		fmt.Sscan(r[6], &n)
		sum += n
	}
	if fmt.Sprint(sum) != held {
		t.Errorf("the CSV's events held add up to %d, the page shows %s", sum, held)
	}
	// Staff approve the city's report; its printable page is a clean document.
	staff.step("open the city report", chromedp.Navigate(reportURL), chromedp.WaitVisible(chromedp.CSS("[data-testid=approve]")))
	staff.check("city report to review")
	staff.step("approve", chromedp.SendKeys(chromedp.CSS("[data-testid=approve]"), "\r"), chromedp.WaitVisible(chromedp.CSS("[data-testid=flash]")))
	if status := staff.text("[data-testid=report-status]"); status != "Approved" {
		t.Errorf("report status after approval = %q", status)
	}
	staff.visit(strings.TrimPrefix(reportURL, a.srv.URL) + "/print")
	staff.visit("/manage/city-reports/network")
	// Every city's narrative as one document, and the self-assessments side by side.
	staff.visit("/manage/city-reports/network/document")
	staff.visit("/manage/city-reports/network/self-assessment?sort=quality")
	for _, path := range []string{"/manage/cities", "/manage/cities/new", "/manage/cities/agadir/edit", "/manage/audit", "/account"} {
		staff.visit(path)
	}
	phoneStaff := a.open(t, c, "staff on a phone", 390, 844, true)
	login(phoneStaff, "staff@example.org")
	phoneStaff.visit("/reports?region=arab-states")
	phoneStaff.visit("/dashboard")

	// (d) The learner withdraws the story: it disappears everywhere.
	learner.visit("/stories/status")
	learner.step("check the story with the code",
		chromedp.SendKeys(chromedp.CSS("#code"), code+"\r"),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=withdraw]")),
	)
	learner.check("story status")
	learner.step("withdraw", chromedp.SendKeys(chromedp.CSS("[data-testid=withdraw]"), "\r"), chromedp.WaitVisible(chromedp.CSS("[data-testid=withdraw-confirm]")))
	learner.check("confirm withdrawal")
	learner.step("confirm", chromedp.SendKeys(chromedp.CSS("[data-testid=withdraw-confirm]"), "\r"), chromedp.WaitVisible(chromedp.CSS("[data-testid=withdrawn]")))
	learner.check("withdrawn story")
	for _, path := range []string{"/", "/cities/agadir", "/stories", "/stories?q=website"} {
		learner.visit(path)
		if body := learner.text("main"); strings.Contains(body, "My first website at 60") {
			t.Errorf("the withdrawn story is still on %s", path)
		}
	}

	// Without JavaScript: the story form and the report filter.
	nojs := a.open(t, c, "learner without JavaScript", 390, 844, false)
	if noJSCode := submitStory(nojs, "Learning without scripts", photo); len(noJSCode) < 20 {
		t.Errorf("no receipt without JavaScript: %q", noJSCode)
	}
	nojs.visit("/reports")
	nojs.step("filter without JavaScript",
		chromedp.SetValue(chromedp.CSS("#region"), "arab-states"),
		chromedp.Submit(chromedp.CSS("[data-testid=report-filter]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=report-totals]")),
	)
	if loc := nojs.location(); !strings.Contains(loc, "region=arab-states") {
		t.Errorf("the report filter without JavaScript went to %q", loc)
	}
	nojs.visit("/stories")
	nojs.step("filter the gallery without JavaScript",
		chromedp.SendKeys(chromedp.CSS("#q"), "website"),
		chromedp.SetValue(chromedp.CSS("#region"), "arab-states"),
		chromedp.Submit(chromedp.CSS("[data-testid=gallery-filter]")),
		chromedp.WaitReady(chromedp.CSS(`#region option[selected][value="arab-states"]`)),
	)
	if loc := nojs.location(); !strings.Contains(loc, "region=arab-states") || !strings.Contains(loc, "q=website") {
		t.Errorf("the gallery filter without JavaScript went to %q", loc)
	}

	c.validateHTML()
}

// screenshot keeps the page as it is shown (the whole page) under name in
// the artifacts directory, for a person to look at.
func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Fatalf("%s: screenshot: %v", tb.name, err)
	}
	dir := artifactsDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

// TestBrowserModeration drives moderation that edits, and a learner who
// sends a story back: the coordinator corrects a story's text and
// publishes it; a missing reason is refused with the focus on the reason;
// the learner, with their code on a phone, edits the story sent back and
// sends it again; the moderation page at 390 px in English and Arabic.
// Every page is checked with axe-core and the HTML checker.
func TestBrowserModeration(t *testing.T) {
	tools := needBrowser(t)
	a := newApp(t)
	c := &checks{t: t, tools: tools, dir: t.TempDir(), pages: map[string]string{}}
	photo := testPhoto(t)

	learner := a.open(t, c, "learner on a phone", 390, 844, true)
	first := submitStory(learner, "My first website at 60", photo)
	second := submitStory(learner, "Pottery and code", photo)

	// The coordinator corrects the first story's text, then publishes it.
	coo := a.open(t, c, "coordinator", 1280, 900, true)
	login(coo, "agadir@example.org")
	coo.visit("/manage/stories")
	coo.step("open the first story",
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href="/manage/stories/%d"]`, a.storyByCode(t, first).ID))),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=edit-open]")),
	)
	coo.step("open the edit form", chromedp.Click(chromedp.CSS("[data-testid=edit-open]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=edit-form] #body")))
	coo.check("story to edit")
	coo.keyboardWalk("moderation page")
	coo.step("correct the text and publish",
		chromedp.SetValue(chromedp.CSS("[data-testid=edit-form] #body"), "At the library's digital workshop I built a website for my pottery."),
		chromedp.SendKeys(chromedp.CSS("[data-testid=edit-publish]"), "\r"),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=flash]")),
	)
	coo.check("queue after editing")
	if flash := coo.text("[data-testid=flash]"); flash != "Story corrected and published." {
		t.Errorf("flash after editing = %q", flash)
	}
	id := a.storyByCode(t, first).ID
	coo.visit(fmt.Sprintf("/stories/%d", id))
	if body := coo.text("[data-testid=story]"); !strings.Contains(body, "for my pottery.") || strings.Contains(body, "customers from other cities") {
		t.Errorf("the published story is not the corrected one: %q", body)
	}
	coo.visit(fmt.Sprintf("/manage/stories/%d", id))
	coo.step("open the original", chromedp.Click(chromedp.CSS("[data-testid=revisions] summary")), chromedp.WaitVisible(chromedp.CSS("[data-testid=revision] del")))
	coo.check("original beside the correction")
	if del := coo.text("[data-testid=revision] del"); !strings.Contains(del, "customers from other cities") {
		t.Errorf("the removed words shown are %q", del)
	}

	// The second story: a missing reason keeps the moderator at the reason;
	// then it is sent back.
	coo.visit(fmt.Sprintf("/manage/stories/%d", a.storyByCode(t, second).ID))
	coo.step("do not publish without a reason",
		chromedp.SendKeys(chromedp.CSS("[data-testid=action-reject]"), "\r"),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=error-summary]")),
	)
	coo.check("missing reason")
	if focused := eval[string](coo, `document.activeElement.id`); focused != "reason" {
		t.Errorf("after a missing reason the focus is on %q, not the reason", focused)
	}
	if seen := eval[bool](coo, `(() => { const r = document.querySelector("[data-testid=error-summary]").getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; })()`); !seen {
		t.Error("the error summary is scrolled out of sight")
	}
	coo.step("send it back with a reason",
		chromedp.SendKeys(chromedp.CSS("#reason"), "Please tell us what you learned at the workshop."),
		chromedp.SendKeys(chromedp.CSS("[data-testid=action-reject]"), "\r"),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=flash]")),
	)

	// The learner edits it with their code and sends it again.
	learner.visit("/stories/status")
	learner.step("check the story with the code",
		chromedp.SendKeys(chromedp.CSS("#code"), second+"\r"),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=edit-story]")),
	)
	learner.check("story sent back")
	learner.step("open the edit", chromedp.SendKeys(chromedp.CSS("[data-testid=edit-story]"), "\r"), chromedp.WaitVisible(chromedp.CSS("[data-testid=resubmit-form]")))
	learner.check("resubmit form")
	learner.keyboardWalk("resubmit form")
	learner.step("edit and send again",
		chromedp.SetValue(chromedp.CSS("#body"), "At the library's digital workshop I built a website for my pottery. I learned to photograph my vases and to write about them."),
		chromedp.SendKeys(chromedp.CSS("[data-testid=resubmit-send]"), "\r"),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=resubmitted]")),
	)
	learner.check("story sent again")
	if status := learner.text("[data-testid=status-value]"); status != "Waiting for moderation" {
		t.Errorf("status after sending again = %q", status)
	}
	coo.visit("/manage/stories")
	if q := coo.text("[data-testid=queue]"); !strings.Contains(q, "Pottery and code") || !strings.Contains(q, "Sent again") {
		t.Errorf("the story sent again is not in the queue: %q", q)
	}

	// The queue and a story to moderate on a phone, in English and Arabic.
	phone := a.open(t, c, "coordinator on a phone", 390, 844, true)
	login(phone, "agadir@example.org")
	path := fmt.Sprintf("/manage/stories/%d", a.storyByCode(t, second).ID)
	phone.visit("/manage/stories")
	phone.screenshot("moderation-queue-en-390")
	phone.visit(path)
	phone.step("open the original and the edit form",
		chromedp.Click(chromedp.CSS("[data-testid=revisions] summary")),
		chromedp.Click(chromedp.CSS("[data-testid=edit-open]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=edit-form] #body")),
	)
	phone.screenshot("moderation-story-en-390")
	if overflow := eval[bool](phone, `document.documentElement.scrollWidth > innerWidth`); overflow {
		t.Error("the moderation page scrolls sideways at 390 px")
	}
	phone.step("choose Arabic",
		chromedp.SetValue(chromedp.CSS("#language-choice"), "ar"),
		chromedp.Submit(chromedp.CSS("[data-testid=language-form]")),
		chromedp.WaitVisible(chromedp.CSS(`html[dir="rtl"][lang="ar"]`)),
	)
	phone.visit("/manage/stories")
	phone.screenshot("moderation-queue-ar-390")
	phone.visit(path)
	phone.screenshot("moderation-story-ar-390")
	if overflow := eval[bool](phone, `document.documentElement.scrollWidth > innerWidth`); overflow {
		t.Error("the Arabic moderation page scrolls sideways at 390 px")
	}

	c.validateHTML()
}
