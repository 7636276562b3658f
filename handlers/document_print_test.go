package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"golang.org/x/text/unicode/norm"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/demo"
)

// needPdftotext finds poppler's pdftotext, or skips the test saying how
// to get it; with REQUIRE_BROWSER=1 a missing tool fails instead.
func needPdftotext(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("pdftotext")
	if err != nil {
		msg := "the printed document's check needs pdftotext: install Debian's poppler-utils"
		if os.Getenv("REQUIRE_BROWSER") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return p
}

// TestBrowserDocumentPrintsWhole prints the network document of the demo
// data on A4 with Chromium, as staff would send it, in English and in
// Arabic, and reads the PDF back with pdftotext: every column header of
// every table of the page served is on each page its table runs over
// (a column cut at the page's edge, or scrolled out of view, loses its
// header), and no page holds only a line or two of the body (a table's
// last row or a paragraph's last sentence pushed onto a page of its own).
func TestBrowserDocumentPrintsWhole(t *testing.T) {
	tools := needBrowser(t)
	pdftotext := needPdftotext(t)
	a := newDemoApp(t)
	c := &checks{t: t, tools: tools, dir: t.TempDir(), pages: map[string]string{}}
	const path = "/reports/document" // the last whole calendar year
	year := time.Now().UTC().Year() - 1
	must(t, a.store.SaveDocumentIntros(context.Background(), models.CLIActor(), fmt.Sprintf("%d-01-01", year), fmt.Sprintf("%d-12-31", year), map[string]string{
		"en": "In this year the cities of the network held events for learners of every age.\n\nThis report gives their figures, city by city and building block by building block.",
		"ar": "في هذا العام نظّمت مدن الشبكة فعاليات للمتعلمين من كل الأعمار.\n\nيعرض هذا التقرير أرقامها مدينةً مدينة وركيزةً ركيزة.",
	}, time.Now()))
	for _, lang := range []string{"en", "ar"} {
		staff := a.client()
		wantStatus(t, staff.post(t, "/login", url.Values{"email": {"staff@example.org"}, "password": {demo.Password}}), http.StatusSeeOther)
		staff.setCookie("ltl_lang", lang)
		u, _ := url.Parse(a.srv.URL)
		res := staff.get(t, path)
		wantStatus(t, res, http.StatusOK)
		tables := documentTables(res.doc(t))
		ids := map[string]bool{}
		for _, tbl := range tables {
			ids[tbl.id] = true
		}
		for _, bd := range models.AllBreakdowns() {
			if bd.Chart != "" && !ids["doc-table-"+bd.Name] {
				t.Fatalf("%s: the document has no table %s among %v", lang, bd.Name, ids)
			}
		}
		if !ids["heatmap"] {
			t.Fatalf("%s: the document has no heat-map among %v", lang, ids)
		}

		tb := a.open(t, c, "staff in "+lang, 1280, 900, true)
		var cookies []*network.CookieParam
		for _, ck := range staff.http.Jar.Cookies(u) {
			cookies = append(cookies, &network.CookieParam{Name: ck.Name, Value: ck.Value, URL: a.srv.URL})
		}
		ctx, cancel := context.WithTimeout(tb.ctx, 20*time.Second)
		_, err := chromedp.Run(ctx, func(ctx context.Context, target *chromedp.Target) (cdp.Empty, error) {
			return cdp.Call(ctx, target, network.SetCookies, network.SetCookiesParams{Cookies: cookies})
		})
		cancel()
		must(t, err)
		tb.step("open the document", chromedp.Navigate(tb.base+path), chromedp.WaitReady(chromedp.CSS("[data-testid=doc-intro]")))
		if got := eval[string](tb, `document.documentElement.lang`); got != lang {
			t.Fatalf("the document is in %q, want %q", got, lang)
		}
		file, pages := printedPages(t, tb, pdftotext, lang)
		checkPrintedTables(t, lang, tables, pages)
		checkNoLonePages(t, lang, tables, pages)
		checkNothingInMargins(t, pdftotext, lang, file)
	}
}

// printedTable is a table of the page as served: its column headers and
// the labels of its first and last rows.
type printedTable struct {
	id          string
	headers     []string
	first, last string
}

// documentTables reads every table with column headers, in order.
func documentTables(doc *goquery.Document) []printedTable {
	var out []printedTable
	doc.Find("main table").Each(func(i int, s *goquery.Selection) {
		pt := printedTable{id: s.AttrOr("data-testid", fmt.Sprintf("table %d", i+1))}
		s.Find("thead th").Each(func(_ int, th *goquery.Selection) {
			pt.headers = append(pt.headers, strings.TrimSpace(th.Text()))
		})
		rows := s.Find("tbody tr")
		if len(pt.headers) == 0 || rows.Length() == 0 {
			return
		}
		pt.first = strings.TrimSpace(rows.First().Children().First().Text())
		pt.last = strings.TrimSpace(rows.Last().Children().First().Text())
		out = append(out, pt)
	})
	return out
}

// printedPages prints the tab's page to an A4 PDF (the page's own @page
// rules first), keeps it as an artifact and returns the text of each
// page, laid out as printed, and the PDF file.
func printedPages(t *testing.T, tb *tab, pdftotext, lang string) (string, []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 4*time.Minute)
	defer cancel()
	pdf, err := chromedp.Run(ctx, func(ctx context.Context, target *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, target, page.PrintToPDF, page.PrintToPDFParams{
			PrintBackground: new(true), PreferCSSPageSize: new(true), PaperWidth: 8.27, PaperHeight: 11.69,
		})
		return res.Data, err
	})
	if err != nil {
		t.Fatalf("%s: print to PDF: %v", lang, err)
	}
	dir := artifactsDir()
	must(t, os.MkdirAll(dir, 0o755))
	file := filepath.Join(dir, "network-report-"+lang+".pdf")
	must(t, os.WriteFile(file, pdf, 0o644))
	t.Logf("%s: the printed document is %s (%d KB)", lang, file, len(pdf)/1024)
	out, err := exec.Command(pdftotext, "-layout", "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", file, err)
	}
	pages := strings.Split(string(out), "\f")
	if strings.TrimSpace(pages[len(pages)-1]) == "" {
		pages = pages[:len(pages)-1]
	}
	return file, pages
}

// pdfWord is a word of a printed page and its box, in points from the
// page's top left corner, as pdftotext -bbox reports it.
var pdfWord = regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>|<page width="[0-9.]+" height="([0-9.]+)">`)

// checkNothingInMargins finds words that run from the page's content area
// into its bottom margin: the marks above an Arabic heading's first
// letters (the hamza of أ) printed at the foot of the page before the
// heading's own. The page number sits wholly inside the margin.
func checkNothingInMargins(t *testing.T, pdftotext, lang, file string) {
	t.Helper()
	out, err := exec.Command(pdftotext, "-bbox", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox %s: %v", file, err)
	}
	const margin = 16 / 25.4 * 72 // the @page rule's 16mm, in points
	page, bottom := 0, 0.0
	for _, m := range pdfWord.FindAllStringSubmatch(string(out), -1) {
		if m[6] != "" {
			page++
			bottom, _ = strconv.ParseFloat(m[6], 64)
			bottom -= margin
			continue
		}
		yMin, _ := strconv.ParseFloat(m[2], 64)
		yMax, _ := strconv.ParseFloat(m[4], 64)
		if yMin < bottom+2 && yMax > bottom+1 {
			t.Errorf("%s: page %d: %q runs from the text into the bottom margin (%.1f–%.1f pt, the text ends at %.1f)", lang, page, m[5], yMin, yMax, bottom)
		}
	}
}

// checkPrintedTables finds each table's pages, from the page with its
// first row to the page with its last, in the order of the document,
// and every word of every column header on each of them (the header
// row is repeated on each page a table runs over).
func checkPrintedTables(t *testing.T, lang string, tables []printedTable, pages []string) {
	t.Helper()
	words := make([]map[string]bool, len(pages))
	for i, p := range pages {
		words[i] = printedWords(p)
	}
	has := func(i int, s string) bool {
		for _, w := range printedTokens(s) {
			if !words[i][w] {
				return false
			}
		}
		return true
	}
	from := 0
	for _, tbl := range tables {
		// Its first page has its first row and most of its headers (a
		// chart above it may name the rows, and its heading the first
		// column).
		start := -1
		for i := from; i < len(pages) && start < 0; i++ {
			n := 0
			for _, h := range tbl.headers {
				if has(i, h) {
					n++
				}
			}
			if has(i, tbl.first) && 2*n > len(tbl.headers) {
				start = i
			}
		}
		if start < 0 {
			t.Errorf("%s: table %s: its first row %q is on no page after page %d", lang, tbl.id, tbl.first, from+1)
			continue
		}
		end := start
		for end < len(pages)-1 && !has(end, tbl.last) {
			end++
		}
		for i := start; i <= end; i++ {
			for _, h := range tbl.headers {
				if !has(i, h) {
					t.Errorf("%s: table %s, page %d: column %q is not printed", lang, tbl.id, i+1, h)
				}
			}
		}
		from = end
	}
}

// checkNoLonePages fails a page that holds one or two lines of body:
// lines other than the page number and table header rows repeated.
func checkNoLonePages(t *testing.T, lang string, tables []printedTable, pages []string) {
	t.Helper()
	headerWords := map[string]bool{}
	for _, tbl := range tables {
		for _, h := range tbl.headers {
			for _, w := range printedTokens(h) {
				headerWords[w] = true
			}
		}
	}
	pageNumber := regexp.MustCompile(`^\s*\d+ / \d+\s*$`)
	for i, p := range pages {
		var body []string
		for _, line := range strings.Split(p, "\n") {
			tokens := printedTokens(line)
			if len(tokens) == 0 || pageNumber.MatchString(strings.Map(dropBidi, line)) {
				continue
			}
			header := true
			for _, w := range tokens {
				header = header && headerWords[w]
			}
			if !header {
				body = append(body, strings.TrimSpace(line))
			}
		}
		if len(body) < 3 {
			t.Errorf("%s: page %d of %d holds only %q", lang, i+1, len(pages), body)
		}
	}
}

// dropBidi drops the bidi controls pdftotext writes around right-to-left
// text.
func dropBidi(r rune) rune {
	if unicode.Is(unicode.Bidi_Control, r) {
		return -1
	}
	return r
}

// printedWords is the set of words of a page's text.
func printedWords(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range printedTokens(s) {
		out[w] = true
	}
	return out
}

// printedTokens splits text into comparable words: compatibility forms
// folded (Arabic presentation forms, ligatures), bidi controls and
// punctuation dropped, lower case. pdftotext undoes Arabic's lam-alef
// ligature with its two letters swapped, and moves vowel marks: lam,
// the alefs and the marks are left out of the comparison.
func printedTokens(s string) []string {
	s = norm.NFKC.String(s)
	var out []string
	for _, f := range strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) && r != '%' || unicode.Is(unicode.Bidi_Control, r) || r == '\u200e' || r == '\u200f'
	}) {
		f = strings.Map(func(r rune) rune {
			switch {
			case r == 'ل', r == 'ا', r == 'أ', r == 'إ', r == 'آ', unicode.Is(unicode.Mn, r):
				return -1
			}
			return unicode.ToLower(r)
		}, f)
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}
