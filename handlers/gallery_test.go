package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/unesco-gnlc/learnthroughlife/handlers"
	"github.com/unesco-gnlc/learnthroughlife/models"
)

// publish stores a story of city straight in the store and publishes it.
func (a *app) publish(t testing.TB, cityID uint, title, body, lang string, area models.LearningArea) *models.Story {
	t.Helper()
	ctx := context.Background()
	st := &models.Story{
		CityID: cityID, CampaignID: a.campaign.ID, Title: title, Body: body, DisplayName: "Samira Idrissi",
		AgeGroup: models.AgeAdults, PublicationConsent: true, Lang: lang, LearningAreas: []models.LearningArea{area},
	}
	_, err := a.store.CreateStory(ctx, st, nil)
	must(t, err)
	must(t, a.store.ModerateStory(ctx, models.CLIActor(), st, models.ActionPublish, ""))
	st.Status = models.StoryPublished
	return st
}

// galleryTitles are the titles of the gallery's cards, in order.
func galleryTitles(t testing.TB, doc *goquery.Document) []string {
	t.Helper()
	var out []string
	doc.Find("[data-testid=gallery-card] h3").Each(func(_ int, s *goquery.Selection) {
		out = append(out, strings.TrimSpace(s.Text()))
	})
	return out
}

func TestGalleryFiltersAndSearch(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	liege := &models.City{Name: "Liège", Country: "BE", Region: models.RegionEuropeNA, JoinedYear: 2024}
	must(t, a.store.CreateCity(ctx, models.CLIActor(), liege, nil))
	a.publish(t, a.agadir.ID, "Pottery with my grandmother", "Every Sunday we shaped clay together in the old medina.", "en", models.AreaFamilies)
	a.publish(t, a.fez.ID, "Apprendre à coder", "Un atelier de programmation pour les femmes du quartier, à la bibliothèque.", "fr", models.AreaTechnologies)
	a.publish(t, liege.ID, "Le français au travail", "Des cours du soir pour parler français avec mes collègues, à la bibliothèque.", "fr", models.AreaWorkplace)
	pending := &models.Story{CityID: a.agadir.ID, CampaignID: a.campaign.ID, Title: "Pottery not yet published", Body: "Clay and more clay, still waiting for its moderation.",
		Anonymous: true, AgeGroup: models.AgeAdults, PublicationConsent: true}
	_, err := a.store.CreateStory(ctx, pending, nil)
	must(t, err)

	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"", []string{"Le français au travail", "Apprendre à coder", "Pottery with my grandmother"}},
		{"?q=clay", []string{"Pottery with my grandmother"}},
		{"?q=BIBLIOTH%C3%88QUE", []string{"Le français au travail", "Apprendre à coder"}},
		{"?q=bibliothèque&city=fez", []string{"Apprendre à coder"}},
		{"?region=arab-states", []string{"Apprendre à coder", "Pottery with my grandmother"}},
		{"?region=europe-north-america&lang=fr", []string{"Le français au travail"}},
		{"?city=agadir&region=europe-north-america", nil},
		{"?area=technologies", []string{"Apprendre à coder"}},
		{"?lang=fr&area=workplace&q=cours", []string{"Le français au travail"}},
		{"?q=nothing+like+this", nil},
		{"?q=&city=&region=&area=&lang=", []string{"Le français au travail", "Apprendre à coder", "Pottery with my grandmother"}},
	} {
		t.Run(tc.query, func(t *testing.T) {
			res := a.client().get(t, "/stories"+tc.query)
			wantStatus(t, res, http.StatusOK)
			doc := res.doc(t)
			if got := galleryTitles(t, doc); !slices.Equal(got, tc.want) {
				t.Errorf("stories = %q, want %q", got, tc.want)
			}
			if len(tc.want) == 0 && doc.Find("[data-testid=gallery-empty]").Length() != 1 {
				t.Error("no message for an empty result")
			}
			// The form shows the filters it was sent.
			q, _ := url.ParseQuery(strings.TrimPrefix(tc.query, "?"))
			form := doc.Find("form[data-testid=gallery-filter]")
			if got, _ := form.Find("input[name=q]").Attr("value"); got != q.Get("q") {
				t.Errorf("search box = %q, want %q", got, q.Get("q"))
			}
			for _, name := range []string{"city", "region", "area", "lang"} {
				if got, _ := form.Find("select[name=" + name + "] option[selected]").Attr("value"); got != q.Get(name) {
					t.Errorf("%s selected = %q, want %q", name, got, q.Get(name))
				}
			}
		})
	}
}

func TestGalleryCards(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	form := validStoryForm()
	form.Set("display_name", "Adam Benali")
	form.Set("age_group", "children")
	form.Set("guardian_consent", "true")
	form.Set("photo_alt", "Adam at the library's reading corner")
	withPhoto := a.storyByCode(t, a.submit(t, form, &upload{"me.jpg", "image/jpeg", photoWithGPS(t)}))
	textOnly := a.publish(t, a.fez.ID, "Coding at the library", "I wrote my first program on a borrowed laptop, then taught my sister.", "en", models.AreaTechnologies)
	staff := a.loggedIn(t, "agadir@example.org")
	wantStatus(t, staff.post(t, fmt.Sprintf("/manage/stories/%d/publish", withPhoto.ID), nil), http.StatusSeeOther)

	res := a.client().get(t, "/stories")
	wantStatus(t, res, http.StatusOK)
	doc := res.doc(t)
	cards := doc.Find("[data-testid=gallery-card]")
	if cards.Length() != 2 {
		t.Fatalf("%d cards", cards.Length())
	}
	photo := cards.Eq(0)
	if src, _ := photo.Find("img").Attr("src"); src != fmt.Sprintf("/stories/%d/photo", withPhoto.ID) {
		t.Errorf("photo card image = %q", src)
	}
	if alt, _ := photo.Find("img").Attr("alt"); alt != "Adam at the library's reading corner" {
		t.Errorf("photo alt = %q", alt)
	}
	if text := photo.Text(); strings.Contains(text, "Benali") || !strings.Contains(text, "Adam") || !strings.Contains(text, "Agadir") {
		t.Errorf("photo card names the learner or city wrongly: %q", text)
	}
	text := cards.Eq(1)
	if text.Find("img").Length() != 0 || !strings.Contains(text.Find("blockquote").Text(), "borrowed laptop") {
		t.Errorf("text card for a story without a photo: %q", text.Text())
	}
	if href, _ := text.Find("h3 a").Attr("href"); href != fmt.Sprintf("/stories/%d", textOnly.ID) {
		t.Errorf("card links to %q", href)
	}
	// Nothing private on the page.
	if strings.Contains(res.body, "fatima@private.example") {
		t.Error("the gallery shows a contact email")
	}
}

func TestGalleryPagesFollowACursor(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	const n = models.GallerySize + 3
	for i := range n {
		a.publish(t, a.agadir.ID, fmt.Sprintf("Story number %02d", i), "A story long enough to be published in the gallery.", "en", models.AreaCulture)
	}
	c := a.client()
	var seen []string
	path := "/stories?city=agadir"
	for page := 0; path != ""; page++ {
		if page > 3 {
			t.Fatal("the pages do not end")
		}
		res := c.get(t, path)
		wantStatus(t, res, http.StatusOK)
		doc := res.doc(t)
		seen = append(seen, galleryTitles(t, doc)...)
		if page > 0 {
			newest, _ := doc.Find("[data-testid=gallery-newest]").Attr("href")
			if newest != "/stories?city=agadir" {
				t.Errorf("page %d: link to the newest = %q", page, newest)
			}
		}
		path, _ = doc.Find("[data-testid=gallery-older]").Attr("href")
		if path != "" && !strings.Contains(path, "city=agadir") {
			t.Errorf("the next page loses the filter: %q", path)
		}
	}
	var want []string
	for i := n - 1; i >= 0; i-- {
		want = append(want, fmt.Sprintf("Story number %02d", i))
	}
	if !slices.Equal(seen, want) {
		t.Errorf("pages gave %q, want %q", seen, want)
	}
}

func TestGalleryRefusesBadFilters(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	for _, tc := range []struct{ query, field string }{
		{"region=atlantis", "region"},
		{"city=atlantis", "city"},
		{"area=astrology", "area"},
		{"lang=de", "lang"},
		{"lang=fr-FR", "lang"},
		{"after=zzz", "after"},
		{"after=1-0", "after"},
		{"q=" + strings.Repeat("word+", 41), "q"},
		{"page=2", "page"},
		{"city=agadir&city=fez", "city"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			res := a.client().get(t, "/stories?"+tc.query)
			if res.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", res.StatusCode)
			}
			if msg := res.doc(t).Find("[data-testid=error-page]").Text(); !strings.Contains(msg, "“"+tc.field+"”") {
				t.Errorf("the page does not name %q: %q", tc.field, msg)
			}
		})
	}
}

// TestGalleryIsLinked: the main navigation and the home page lead to the
// gallery, and the navigation marks it only on its own pages.
func TestGalleryIsLinked(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	c := a.client()
	home := c.get(t, "/").doc(t)
	if href, _ := home.Find("[data-testid=home-gallery-link]").Attr("href"); href != "/stories" {
		t.Errorf("home links to the gallery at %q", href)
	}
	for path, current := range map[string]bool{"/stories": true, "/stories/new": false, "/": false} {
		nav := c.get(t, path).doc(t).Find(`header nav a[href="/stories"]`)
		if nav.Length() != 1 {
			t.Fatalf("%s: no gallery link in the navigation", path)
		}
		if _, marked := nav.Attr("aria-current"); marked != current {
			t.Errorf("%s: gallery link marked current = %v", path, marked)
		}
	}
}

// TestStoryPageSharingTags: a published story's page carries Open Graph
// and Twitter card tags with absolute addresses on the configured base
// URL, its photo among them when it has one.
func TestStoryPageSharingTags(t *testing.T) {
	t.Parallel()
	a := newAppWith(t, handlers.Config{BaseURL: "https://tracker.example.org/"}, false)
	code := a.submit(t, validStoryForm(), &upload{"me.jpg", "image/jpeg", photoWithGPS(t)})
	withPhoto := a.storyByCode(t, code)
	coo := a.loggedIn(t, "agadir@example.org")
	wantStatus(t, coo.post(t, fmt.Sprintf("/manage/stories/%d/publish", withPhoto.ID), nil), http.StatusSeeOther)
	textOnly := a.publish(t, a.fez.ID, "Coding at the library", "I wrote my first program on a borrowed laptop, then taught my sister.", "en", models.AreaTechnologies)

	meta := func(doc *goquery.Document, attr, name string) string {
		v, _ := doc.Find(fmt.Sprintf(`head meta[%s=%q]`, attr, name)).Attr("content")
		return v
	}
	page := fmt.Sprintf("https://tracker.example.org/stories/%d", withPhoto.ID)
	doc := a.client().get(t, fmt.Sprintf("/stories/%d", withPhoto.ID)).doc(t)
	for _, tc := range []struct{ attr, name, want string }{
		{"property", "og:title", "I learned to read"},
		{"property", "og:type", "article"},
		{"property", "og:url", page},
		{"property", "og:image", page + "/photo"},
		{"property", "og:description", "The literacy circle at the library changed my life, week after week."},
		{"name", "twitter:card", "summary_large_image"},
		{"name", "twitter:title", "I learned to read"},
		{"name", "twitter:image", page + "/photo"},
		{"name", "description", "The literacy circle at the library changed my life, week after week."},
	} {
		if got := meta(doc, tc.attr, tc.name); got != tc.want {
			t.Errorf("%s = %q, want %q", tc.name, got, tc.want)
		}
	}
	if href, _ := doc.Find(`link[rel=canonical]`).Attr("href"); href != page {
		t.Errorf("canonical = %q", href)
	}
	doc = a.client().get(t, fmt.Sprintf("/stories/%d", textOnly.ID)).doc(t)
	if meta(doc, "property", "og:image") != "" || meta(doc, "name", "twitter:card") != "summary" {
		t.Error("a story without a photo announces one")
	}
	// Unpublished, the page and its photo are no longer public at all.
	wantStatus(t, coo.post(t, fmt.Sprintf("/manage/stories/%d/unpublish", withPhoto.ID), nil), http.StatusSeeOther)
	wantStatus(t, a.client().get(t, fmt.Sprintf("/stories/%d", withPhoto.ID)), http.StatusNotFound)
	wantStatus(t, a.client().get(t, fmt.Sprintf("/stories/%d/photo", withPhoto.ID)), http.StatusNotFound)
}

// TestPublicPagesHaveADescription walks every public GET route of the
// route table that answers with a page, in every language, and wants a
// description in that language.
func TestPublicPagesHaveADescription(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	st := a.publish(t, a.agadir.ID, "Coding at the library", "I wrote my first program on a borrowed laptop, then taught my sister.", "en", models.AreaTechnologies)
	params := strings.NewReplacer(":slug", "agadir", ":id", fmt.Sprint(st.ID))
	var paths []string
	for _, r := range a.e.Routes() {
		if r.Method != http.MethodGet || strings.HasPrefix(r.Path, "/manage") || strings.HasPrefix(r.Path, "/api/") || strings.Contains(r.Path, "*") {
			continue
		}
		paths = append(paths, params.Replace(r.Path))
	}
	slices.Sort(paths)
	descriptions := map[string]map[string]string{}
	for _, lang := range []string{"en", "fr", "es", "ar"} {
		c := a.client()
		for _, path := range paths {
			req, err := http.NewRequest(http.MethodGet, a.srv.URL+path, nil)
			must(t, err)
			req.Header.Set("Accept-Language", lang)
			res := c.do(t, req)
			if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
				continue
			}
			d, _ := res.doc(t).Find(`head meta[name=description]`).Attr("content")
			if len(d) < 40 {
				t.Errorf("%s in %s: description %q", path, lang, d)
			}
			if descriptions[path] == nil {
				descriptions[path] = map[string]string{}
			}
			descriptions[path][lang] = d
		}
	}
	for _, path := range []string{"/", "/cities", "/cities/agadir", "/stories", "/stories/new", "/reports", "/login"} {
		if descriptions[path] == nil {
			t.Errorf("%s was not walked", path)
			continue
		}
		if d := descriptions[path]; d["en"] == d["fr"] || d["en"] == d["ar"] || d["en"] == d["es"] {
			t.Errorf("%s: a description is not translated: %q", path, d)
		}
	}
}
