package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"golang.org/x/crypto/bcrypt"

	"github.com/unesco-gnlc/learnthroughlife/handlers"
	"github.com/unesco-gnlc/learnthroughlife/models/demo"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

// newDemoApp serves the demo data, as make run loads it.
func newDemoApp(t *testing.T) *app {
	t.Helper()
	dsn, photos := storetest.DSN(t)
	st, err := store.Open(dsn, photos, store.WithBcryptCost(bcrypt.MinCost))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	must(t, st.Migrate(ctx))
	must(t, demo.Seed(ctx, st, time.Now()))
	a := &app{store: st, reports: report.New(st), dsn: dsn, photoDir: photos}
	a.serve(t, handlers.Config{}, false)
	return a
}

// TestBrowserAnnualReport checks the annual report's pages in Chromium
// with axe-core and the Nu HTML Checker, at phone and desktop widths and
// in Arabic, and prints the network document of the demo data to PDF
// (saved under test-artifacts/).
func TestBrowserAnnualReport(t *testing.T) {
	tools := needBrowser(t)
	a := newDemoApp(t)
	c := &checks{t: t, tools: tools, dir: t.TempDir(), pages: map[string]string{}}
	year := time.Now().UTC().Year() - 1
	compared := fmt.Sprintf("/reports?from=%d-01&to=%d-12&compare=previous", year, year)
	for _, size := range []struct {
		name string
		w, h int64
	}{{"phone", 390, 844}, {"desktop", 1280, 900}} {
		visitor := a.open(t, c, "visitor on "+size.name, size.w, size.h, true)
		for _, path := range []string{compared, "/reports/document", "/cities"} {
			visitor.visit(path)
		}
	}
	arabic := a.open(t, c, "visitor in Arabic", 390, 844, true)
	arabic.visit("/")
	arabic.step("choose Arabic",
		chromedp.SetValue(chromedp.CSS("#language-choice"), "ar"),
		chromedp.Submit(chromedp.CSS("[data-testid=language-form]")),
		chromedp.WaitVisible(chromedp.CSS(`html[dir="rtl"][lang="ar"]`)),
	)
	for _, path := range []string{compared, "/reports/document", "/cities"} {
		arabic.visit(path)
	}
	if dir := eval[string](arabic, `document.querySelector("svg[data-testid=report-map], svg[data-testid=doc-map-figure], svg[data-testid=city-map]").closest("[dir]").getAttribute("dir")`); dir != "ltr" {
		t.Errorf("the map is drawn %q in Arabic", dir)
	}

	// Staff print the network document of the demo data to PDF.
	staff := a.open(t, c, "staff", 1280, 900, true)
	staff.visit("/login")
	staff.step("log in as staff",
		chromedp.SendKeys(chromedp.CSS("#email"), "staff@example.org"),
		chromedp.SendKeys(chromedp.CSS("#password"), "learnthroughlife\r"),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=welcome]")),
	)
	staff.visit("/reports/document")
	ctx, cancel := context.WithTimeout(staff.ctx, 60*time.Second)
	defer cancel()
	pdf, err := chromedp.Run(ctx, func(ctx context.Context, target *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, target, page.PrintToPDF, page.PrintToPDFParams{PrintBackground: new(true), PreferCSSPageSize: new(true)})
		return res.Data, err
	})
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || len(pdf) < 50_000 {
		t.Errorf("not a PDF of the report: %d bytes", len(pdf))
	}
	dir := artifactsDir()
	must(t, os.MkdirAll(dir, 0o755))
	out := filepath.Join(dir, "network-report.pdf")
	must(t, os.WriteFile(out, pdf, 0o644))
	t.Logf("the network document: %s (%d KB)", out, len(pdf)/1024)
	c.validateHTML()
}
