package handlers_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/PuerkitoBio/goquery"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

func TestLanguageChoice(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	// From the browser's Accept-Language.
	req, _ := http.NewRequest(http.MethodGet, a.srv.URL+"/cities", nil)
	req.Header.Set("Accept-Language", "es-AR,es;q=0.9,en;q=0.5")
	c := a.client()
	res := c.do(t, req)
	doc := res.doc(t)
	if lang, _ := doc.Find("html").Attr("lang"); lang != "es" || doc.Find("h1").Text() != "Ciudades miembro" {
		t.Errorf("Accept-Language es: lang=%q, h1=%q", lang, doc.Find("h1").Text())
	}
	// An explicit choice wins and is remembered; Arabic is right to left.
	res = c.post(t, "/language", url.Values{"lang": {"ar"}, "next": {"/cities"}})
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/cities" {
		t.Errorf("after choosing, went to %q", loc)
	}
	res = c.do(t, req)
	doc = res.doc(t)
	lang, _ := doc.Find("html").Attr("lang")
	dir, _ := doc.Find("html").Attr("dir")
	if lang != "ar" || dir != "rtl" || !strings.Contains(doc.Find("h1").Text(), "المدن") {
		t.Errorf("after choosing Arabic: lang=%q dir=%q h1=%q", lang, dir, doc.Find("h1").Text())
	}
	wantStatus(t, c.post(t, "/language", url.Values{"lang": {"klingon"}}), http.StatusBadRequest)
	wantStatus(t, c.post(t, "/language", url.Values{"lang": {"fr"}, "next": {"https://evil.example/"}}), http.StatusSeeOther)

	// A signed-in user's choice follows them to another browser.
	u := a.loggedIn(t, "agadir@example.org")
	wantStatus(t, u.post(t, "/language", url.Values{"lang": {"fr"}, "next": {"/dashboard"}}), http.StatusSeeOther)
	other := a.loggedIn(t, "agadir@example.org")
	if h1 := other.get(t, "/dashboard").doc(t).Find("h1").Text(); h1 != "Tableau de bord" {
		t.Errorf("the profile's language did not follow the user: %q", h1)
	}
}

// englishOnly lists the English messages that lang translates differently:
// finding one of them on a page in lang means a string was not translated.
func englishOnly(t *testing.T, lang string) map[string]bool {
	t.Helper()
	read := func(name string) map[string]any {
		files, err := filepath.Glob("../views/locales/*." + name + ".toml")
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]any{}
		for _, path := range append([]string{"../views/locales/" + name + ".toml"}, files...) {
			var part map[string]any
			if _, err := toml.DecodeFile(path, &part); err != nil {
				t.Fatal(err)
			}
			maps.Copy(m, part)
		}
		return m
	}
	en, tr := read("en"), read(lang)
	out := map[string]bool{}
	for k, v := range en {
		s, ok := v.(string)
		if !ok || strings.Contains(s, "{{") || len(s) < 4 {
			continue
		}
		if other, _ := tr[k].(string); other != s {
			out[s] = true
		}
	}
	return out
}

// TestPagesAreTranslated renders the main pages in each language and
// fails on any text left in English.
func TestPagesAreTranslated(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	for _, lang := range []string{"fr", "es", "ar"} {
		english := englishOnly(t, lang)
		for _, who := range []string{"", "agadir@example.org", "staff@example.org"} {
			c := a.client()
			if who != "" {
				c = a.loggedIn(t, who)
			}
			c.setCookie("ltl_lang", lang)
			pages := []string{"/", "/cities", "/cities/agadir", "/stories/new", "/stories/status", "/reports", "/login", "/no-such-page"}
			if who != "" {
				pages = []string{"/dashboard", "/account", "/manage/cities/agadir/events", "/manage/cities/agadir/events/new",
					"/manage/cities/agadir/partners/new", "/manage/stories", "/manage/city-reports", "/reports"}
			}
			for _, path := range pages {
				doc := c.get(t, path).doc(t)
				if l, _ := doc.Find("html").Attr("lang"); l != lang {
					t.Errorf("%s %s: lang=%q", lang, path, l)
				}
				doc.Find("body *").Each(func(_ int, s *goquery.Selection) {
					s.Contents().Each(func(_ int, n *goquery.Selection) {
						if goquery.NodeName(n) != "#text" {
							return
						}
						if text := strings.TrimSpace(n.Text()); english[text] {
							t.Errorf("%s %s (%s): untranslated %q", lang, path, who, text)
						}
					})
				})
			}
		}
	}
}

// TestUserContentTakesItsOwnDirection: in the Arabic interface, learners'
// and cities' own words are laid out in their own direction (dir=auto), so
// English punctuation lands at the end of an English sentence.
func TestUserContentTakesItsOwnDirection(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	code := a.submit(t, validStoryForm(), nil)
	st := a.storyByCode(t, code)
	must(t, a.store.ModerateStory(context.Background(), models.CLIActor(), st, models.ActionPublish, ""))
	c := a.client()
	c.setCookie("ltl_lang", "ar")
	for path, sel := range map[string]string{
		fmt.Sprintf("/stories/%d", st.ID): "[data-testid=story] h1, [data-testid=story] p[dir]",
		"/cities/agadir":                  ".story-card h3, .story-card .story-excerpt, .event-card h3",
	} {
		doc := c.get(t, path).doc(t)
		found := doc.Find(sel)
		if found.Length() == 0 {
			t.Errorf("%s: no user content found", path)
		}
		found.Each(func(_ int, s *goquery.Selection) {
			if dir, _ := s.Attr("dir"); dir != "auto" {
				t.Errorf("%s: %q has dir=%q, want auto", path, s.Text(), dir)
			}
		})
	}
}

// TestActivityIsTranslated: the activity feed names system actors and
// report periods in the page's language ("learner", "year 2026" were left
// in English).
func TestActivityIsTranslated(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	a.submit(t, validStoryForm(), nil)
	year := time.Now().UTC().Year()
	_, err := a.store.StartCityReport(context.Background(), models.CLIActor(), a.agadir.ID, models.YearPeriod(year))
	must(t, err)
	c := a.loggedIn(t, "staff@example.org")
	c.setCookie("ltl_lang", "fr")
	activity := c.get(t, "/dashboard").doc(t).Find("[data-testid=activity]").Text()
	for _, english := range []string{"learner", "cli", fmt.Sprintf("year %d", year)} {
		if strings.Contains(activity, english) {
			t.Errorf("activity in French says %q:\n%s", english, activity)
		}
	}
	if !strings.Contains(activity, "apprenant") {
		t.Errorf("activity in French does not name the learner:\n%s", activity)
	}
}

// TestContentIsMarkedWithItsLanguage: a story's and an event's own words
// carry their language; the interface's words around them keep the page's.
func TestContentIsMarkedWithItsLanguage(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	form := validStoryForm()
	form.Set("lang", "fr")
	st := a.storyByCode(t, a.submit(t, form, nil))
	must(t, a.store.ModerateStory(context.Background(), models.CLIActor(), st, models.ActionPublish, ""))
	c := a.client()
	for path, sel := range map[string]string{
		fmt.Sprintf("/stories/%d", st.ID): "[data-testid=story] h1, [data-testid=story] p[dir]",
		"/cities/agadir":                  ".story-card h3, .story-card .story-excerpt",
	} {
		doc := c.get(t, path).doc(t)
		found := doc.Find(sel)
		if found.Length() == 0 {
			t.Errorf("%s: no story text found", path)
		}
		found.Each(func(_ int, s *goquery.Selection) {
			if lang, _ := s.Attr("lang"); lang != "fr" {
				t.Errorf("%s: %q has lang=%q, want fr", path, s.Text(), lang)
			}
		})
		if n := doc.Find("[lang=fr] .tag, [lang=fr] .muted").Length(); n != 0 {
			t.Errorf("%s: %d pieces of the English interface are marked French", path, n)
		}
	}
}

// TestReportWordsTakeTheirOwnDirection: a city report's narrative, rating
// comments and featured titles keep their own direction, on the report's
// page and in the printed document.
func TestReportWordsTakeTheirOwnDirection(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	year := time.Now().UTC().AddDate(0, 0, -3).Year()
	r, err := a.store.StartCityReport(ctx, models.CLIActor(), a.agadir.ID, models.YearPeriod(year))
	must(t, err)
	must(t, a.store.SaveCityReport(ctx, models.CLIActor(), r, r.Version, models.CityReportDraft{
		Worked: "حلقات القراءة في كل حي.", Hard: "Finding volunteers.", Plans: "Open on Saturdays.", EventIDs: []uint{a.agadirEvent.ID},
		Ratings: []models.Rating{{Area: models.AreaFamilies, Score: 3, Comment: "Strong in families."}},
	}))
	c := a.loggedIn(t, "staff@example.org")
	c.setCookie("ltl_lang", "ar")
	for path, sel := range map[string]string{
		fmt.Sprintf("/manage/city-reports/%d", r.ID): "[data-testid=ratings] tbody td:last-child, p:contains('حلقات القراءة'), li strong:contains('" + a.agadirEvent.Title + "')",
	} {
		found := c.get(t, path).doc(t).Find(sel)
		if found.Length() < 3 {
			t.Errorf("%s: %d blocks of the report's words found", path, found.Length())
		}
		found.Each(func(_ int, s *goquery.Selection) {
			if dir, _ := s.Attr("dir"); dir != "auto" {
				t.Errorf("%s: %q has dir=%q, want auto", path, s.Text(), dir)
			}
		})
	}
}
