package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/unesco-gnlc/learnthroughlife/views"
)

// getIn fetches path with the interface language lang chosen.
func (c *client) getIn(t *testing.T, path, lang string) *goquery.Document {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.app.srv.URL+path, nil)
	must(t, err)
	req.Header.Set("Accept-Language", lang)
	res := c.do(t, req)
	wantStatus(t, res, http.StatusOK)
	return res.doc(t)
}

// TestHelpPagesInEveryLanguage: each help page answers in the four
// languages, with the page's lang set, a breadcrumb, a link back, and
// its own words in that language: no paragraph of the English text on
// the French, Spanish or Arabic page.
func TestHelpPagesInEveryLanguage(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.client()
	for _, topic := range views.HelpTopics() {
		english := map[string]bool{}
		for _, lang := range []string{"en", "fr", "es", "ar"} {
			doc := c.getIn(t, "/help/"+topic, lang)
			if got, _ := doc.Find("html").Attr("lang"); got != lang {
				t.Errorf("%s in %s: html lang %q", topic, lang, got)
			}
			article := doc.Find("[data-testid=help]")
			words := len(strings.Fields(article.Text()))
			if words < 120 || words > 400 {
				t.Errorf("%s in %s: %d words", topic, lang, words)
			}
			if doc.Find("nav.breadcrumb a[href='/help']").Length() != 1 || doc.Find("[data-testid=help-back]").Length() != 1 {
				t.Errorf("%s in %s: no breadcrumb or link back", topic, lang)
			}
			texts := append([]string{article.Find("h1").Text()}, article.Find("p, li, h2").Map(func(_ int, s *goquery.Selection) string { return s.Text() })...)
			for _, s := range texts {
				if lang == "en" {
					english[s] = true
				} else if english[s] {
					t.Errorf("%s in %s: English text %q", topic, lang, s)
				}
			}
		}
	}
	doc := c.getIn(t, "/help", "fr")
	if n := doc.Find("[data-testid=help-topics] a").Length(); n != len(views.HelpTopics()) {
		t.Errorf("the help index lists %d pages", n)
	}
}

func TestUnknownHelpTopicIsNotFound(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.client()
	for _, path := range []string{"/help/nothing", "/help/Events", "/help/events.en", "/help/..%2Fdashboard"} {
		wantStatus(t, c.get(t, path), http.StatusNotFound)
	}
}

// TestHelpBackStaysOnTheSite: the link back goes only to a page of
// /manage/ on this site, else to the help index.
func TestHelpBackStaysOnTheSite(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.client()
	for back, want := range map[string]string{
		"/manage/cities/agadir/import": "/manage/cities/agadir/import",
		"https://evil.example/":        "/help",
		"//evil.example/manage/":       "/help",
		"/manage/../login":             "/help",
		"/manage/x?next=//evil":        "/help",
		"/login":                       "/help",
	} {
		doc := c.getIn(t, "/help/import?back="+url.QueryEscape(back), "en")
		if got, _ := doc.Find("[data-testid=help-back]").Attr("href"); got != want {
			t.Errorf("back=%q: link back to %q, want %q", back, got, want)
		}
	}
}

// TestFormsLinkTheirHelp: the event and partner forms (new, and shown
// again with an error), the import page, the moderation queue and a city
// report each link their help page, in the same tab, whose link back
// returns to the form.
func TestFormsLinkTheirHelp(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.loggedIn(t, "agadir@example.org")
	res := c.post(t, "/manage/city-reports", url.Values{"city": {"agadir"}, "period": {"year:" + time.Now().UTC().Format("2006")}})
	wantStatus(t, res, http.StatusSeeOther)
	report := res.Header.Get("Location")
	bad := a.validEventForm("")
	for _, tc := range []struct {
		page  func() *response
		topic string
		back  string
	}{
		{func() *response { return c.get(t, "/manage/cities/agadir/events/new") }, "events", "/manage/cities/agadir/events/new"},
		{func() *response { return c.get(t, fmt.Sprintf("/manage/events/%d/edit", a.agadirEvent.ID)) }, "events", fmt.Sprintf("/manage/events/%d/edit", a.agadirEvent.ID)},
		{func() *response { return c.post(t, fmt.Sprintf("/manage/events/%d", a.agadirEvent.ID), bad) }, "events", fmt.Sprintf("/manage/events/%d/edit", a.agadirEvent.ID)},
		{func() *response { return c.get(t, "/manage/cities/agadir/partners/new") }, "partners", "/manage/cities/agadir/partners/new"},
		{func() *response { return c.post(t, fmt.Sprintf("/manage/partners/%d", a.agadirPart.ID), url.Values{}) }, "partners", fmt.Sprintf("/manage/partners/%d/edit", a.agadirPart.ID)},
		{func() *response { return c.get(t, "/manage/cities/agadir/import") }, "import", "/manage/cities/agadir/import"},
		{func() *response { return c.get(t, "/manage/stories") }, "stories", "/manage/stories"},
		{func() *response { return c.get(t, report) }, "city-reports", report},
	} {
		doc := tc.page().doc(t)
		link := doc.Find("[data-testid=help-link]")
		href, _ := link.Attr("href")
		if target, _ := link.Attr("target"); link.Length() != 1 || target != "" || !strings.HasPrefix(href, "/help/"+tc.topic+"?") {
			t.Errorf("%s: help link %q (%d)", tc.back, href, link.Length())
			continue
		}
		help := c.getIn(t, href, "en")
		if got, _ := help.Find("[data-testid=help-back]").Attr("href"); got != tc.back {
			t.Errorf("%s: the help page links back to %q", tc.back, got)
		}
	}
}
