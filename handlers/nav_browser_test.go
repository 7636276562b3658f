package handlers_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserNavigation: the coordinator and staff, on a phone and a
// desktop, in English and Arabic: the link to their workspace shows
// without opening anything; on a desktop the header and the workspace
// bar are one row each; staff reach a page of a group in two clicks; the
// network report's contents stay on screen and lead to a section. Every
// page is checked with axe-core and the Nu HTML Checker.
func TestBrowserNavigation(t *testing.T) {
	tools := needBrowser(t)
	a := newApp(t)
	c := &checks{t: t, tools: tools, dir: t.TempDir(), pages: map[string]string{}}
	for _, lang := range []string{"en", "ar"} {
		for _, size := range []struct {
			name string
			w, h int64
		}{{"phone", 390, 844}, {"desktop", 1280, 900}} {
			for _, email := range []string{"agadir@example.org", "staff@example.org"} {
				tb := a.open(t, c, fmt.Sprintf("%s on a %s in %s", email, size.name, lang), size.w, size.h, true)
				if lang == "ar" {
					tb.visit("/")
					tb.step("choose Arabic",
						chromedp.SetValue(chromedp.CSS("#language-choice"), "ar"),
						chromedp.Submit(chromedp.CSS("[data-testid=language-form]")),
						chromedp.WaitVisible(chromedp.CSS(`html[dir="rtl"][lang="ar"]`)),
					)
				}
				login(tb, email)
				// Seen without opening anything: in the viewport, not
				// in a closed menu.
				if !eval[bool](tb, `(() => { const e = document.querySelector("[data-testid=workspace-link]"), r = e.getBoundingClientRect();
					return e.checkVisibility() && !e.closest("details:not([open])") && r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth; })()`) {
					t.Errorf("%s: the workspace link is not in view", tb.name)
				}
				if eval[bool](tb, `document.documentElement.scrollWidth > innerWidth`) {
					t.Errorf("%s: the dashboard scrolls sideways", tb.name)
				}
				if size.w >= 1280 {
					// One row each: the header's links, and the workspace
					// bar no taller than one of its entries and a half.
					// A row: one horizontal line crosses every item.
					oneRow := eval[[]bool](tb, `[".site-nav > ul > li", ".workspace-bar > ul > li"].map(s => {
						const rs = [...document.querySelectorAll(s)].map(e => e.getBoundingClientRect());
						return Math.max(...rs.map(r => r.top)) < Math.min(...rs.map(r => r.bottom));
					})`)
					if !oneRow[0] || !oneRow[1] {
						t.Errorf("%s: the header is one row: %v, the workspace bar: %v", tb.name, oneRow[0], oneRow[1])
					}
					if tall := eval[bool](tb, `(() => { const b = document.querySelector("[data-testid=workspace-nav]"), li = b.querySelector("li"); return b.offsetHeight > li.offsetHeight * 1.5; })()`); tall {
						t.Errorf("%s: the workspace bar is taller than one row", tb.name)
					}
				}
				if strings.HasPrefix(email, "staff") {
					// Two clicks: the group, then its page.
					tb.markStale()
					tb.step("open the Network group and its campaigns",
						chromedp.Click(chromedp.CSS("[data-testid=workspace-network] summary")),
						chromedp.WaitVisible(chromedp.CSS(`[data-testid=workspace-network] a[href="/manage/campaigns"]`)),
						chromedp.Click(chromedp.CSS(`[data-testid=workspace-network] a[href="/manage/campaigns"]`)),
						chromedp.WaitReady(fresh(`[data-testid=workspace-network] a[href="/manage/campaigns"][aria-current=page]`)),
					)
					tb.check("campaigns, through the workspace bar")
				}
			}
		}
	}

	// On a phone, the network report's contents stay on screen as the
	// page scrolls, and lead to a section.
	phone := a.open(t, c, "visitor on a phone", 390, 844, true)
	phone.visit("/reports")
	eval[bool](phone, `window.scrollTo(0, 2500) === undefined`)
	phone.step("open the contents and go to the cities",
		chromedp.Click(chromedp.CSS("[data-testid=filter-summary] details.page-contents > summary")),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=report-toc] a[href="#by-city"]`)),
	)
	if top := eval[float64](phone, `document.querySelector("[data-testid=filter-summary]").getBoundingClientRect().top`); top != 0 {
		t.Errorf("the report's contents bar is at %v px after scrolling, not at the top", top)
	}
	phone.check("report with its contents open")
	phone.step("follow the contents", chromedp.Click(chromedp.CSS(`[data-testid=report-toc] a[href="#by-city"]`)))
	if seen := eval[bool](phone, `(() => { const r = document.querySelector("#by-city").getBoundingClientRect(); return location.hash === "#by-city" && r.top >= 0 && r.top < innerHeight; })()`); !seen {
		t.Error("the contents did not lead to the cities")
	}
	c.validateHTML()
}
