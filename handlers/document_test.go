package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
)

func TestReportDocument(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	ctx := context.Background()
	year := time.Now().UTC().AddDate(0, 0, -3).Year()
	r, err := a.store.StartCityReport(ctx, models.CLIActor(), a.agadir.ID, models.YearPeriod(year))
	must(t, err)
	must(t, a.store.SaveCityReport(ctx, models.CLIActor(), r, r.Version, models.CityReportDraft{
		Worked: "Reading afternoons filled the library.", Hard: "Finding volunteers.", Plans: "Open on Saturdays.",
		Ratings: []models.Rating{{Area: models.AreaFamilies, Score: 3, Comment: "Strong in families."}},
	}))
	r, err = a.store.CityReport(ctx, r.ID)
	must(t, err)
	must(t, a.store.SubmitCityReport(ctx, models.CLIActor(), r, r.Version, report.Frozen[*store.Store](a.reports, context.Background(), r)))
	r, err = a.store.CityReport(ctx, r.ID)
	must(t, err)
	must(t, a.store.ReviewCityReport(ctx, models.CLIActor(), r, r.Version, true, ""))

	path := fmt.Sprintf("/reports/document?from=%d-01&to=%d-12", year, year)
	staff := a.loggedIn(t, "staff@example.org")
	res := staff.get(t, path)
	wantStatus(t, res, http.StatusOK)
	doc := res.doc(t)
	if got := doc.Find("[data-testid=doc-period]").Text(); got != fmt.Sprintf("1 January – 31 December %d", year) {
		t.Errorf("period %q", got)
	}
	if doc.Find("[data-testid=comparison-note]").Length() != 1 || doc.Find("[data-testid=report-totals] [data-testid=change-events_held]").Length() != 1 {
		t.Error("the document's figures are not compared with the year before")
	}
	// The map is a group of links (its cities), the other charts images.
	charts := ".doc-section svg[role=img], .doc-section svg[role=group]"
	if doc.Find("svg[data-testid=doc-map-figure]").Length() != 1 || doc.Find(charts).Length() < 8 {
		t.Errorf("the document has %d charts", doc.Find(charts).Length())
	}
	for _, bd := range models.AllBreakdowns() {
		id := bd.Name
		if bd.Chart == "" {
			continue // the cities are on the map
		}
		if doc.Find("#doc-"+id+" svg").Length() != 1 || doc.Find("[data-testid=doc-table-"+id+"]").Length() != 1 {
			t.Errorf("section %s lacks its chart or its table", id)
		}
		if doc.Find(".doc-toc a[href='#doc-"+id+"']").Length() != 1 {
			t.Errorf("the contents do not link %s", id)
		}
	}
	if n := doc.Find("[data-testid=heatmap] tbody tr").Length(); n != 2 {
		t.Errorf("the heat-map has %d cities", n)
	}
	if cells := doc.Find("[data-testid=heatmap] tbody tr").First().Find("td").Length(); cells != 6 {
		t.Errorf("the heat-map has %d blocks", cells)
	}
	// Both fixture events are tagged families only: the other five blocks are thin.
	if thin := doc.Find("[data-testid=thin-blocks]").Text(); !strings.Contains(thin, "workplace") {
		t.Errorf("thin blocks: %q", thin)
	}
	annex := doc.Find("[data-testid=annex]")
	if !strings.Contains(annex.Text(), "Reading afternoons filled the library.") || !strings.Contains(annex.Text(), "Strong in families.") {
		t.Errorf("the annex lacks Agadir's approved report: %q", annex.Text())
	}
	// The public gets the document without the cities' narratives.
	pub := a.client().get(t, path)
	wantStatus(t, pub, http.StatusOK)
	if strings.Contains(pub.body, "Reading afternoons") || pub.doc(t).Find("[data-testid=annex]").Length() != 0 {
		t.Error("the public sees the annex")
	}
	// Without a period, the last whole year; compare=none drops the comparison.
	doc = a.client().get(t, "/reports/document?compare=none").doc(t)
	last := time.Now().UTC().Year() - 1
	if got := doc.Find("[data-testid=doc-period]").Text(); got != fmt.Sprintf("1 January – 31 December %d", last) || doc.Find("[data-testid=comparison-note]").Length() != 0 {
		t.Errorf("default document: period %q, %d comparison notes", got, doc.Find("[data-testid=comparison-note]").Length())
	}
	for _, q := range []string{"region=mars", "compare=later", "map=member_cities", "from=2025-13"} {
		wantStatus(t, a.client().get(t, "/reports/document?"+q), http.StatusBadRequest)
	}
}

// TestDocumentIntroduction: staff write the introduction on the cover of
// a period's document, one text per language; the document shows the
// page's language, else English, in paragraphs and in its own direction,
// and only for that period. Bad texts and periods are refused, writing
// nothing; everyone but staff is kept out.
func TestDocumentIntroduction(t *testing.T) {
	t.Parallel()
	a := newApp(t)
	staff := a.loggedIn(t, "staff@example.org")
	form := staff.get(t, "/manage/document-introduction?from=2025-01&to=2025-12")
	wantStatus(t, form, http.StatusOK)
	if got := form.doc(t).Find("[data-testid=intro-period]").Text(); !strings.Contains(got, "1 January – 31 December 2025") {
		t.Errorf("the form names the period %q", got)
	}
	if got := form.doc(t).Find("textarea[name=text_ar]").AttrOr("dir", ""); got != "rtl" {
		t.Errorf("the Arabic text is written %q", got)
	}
	res := staff.post(t, "/manage/document-introduction", url.Values{
		"from": {"2025-01-01"}, "to": {"2025-12-31"},
		"text_en": {"A year of learning in 29 cities.\r\n\r\nThank you to every coordinator."}, "text_fr": {""}, "text_es": {""},
		"text_ar": {"عام من التعلّم في 29 مدينة."},
	})
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/reports/document?from=2025-01-01&to=2025-12-31" {
		t.Errorf("saved, sent to %q", loc)
	}
	if n := a.countAudit(t, models.EntityDocumentIntro); n != 2 {
		t.Errorf("%d audit entries, want 2", n)
	}

	for _, tc := range []struct{ lang, dirLang, first string }{
		{"en", "en", "A year of learning in 29 cities."},
		{"ar", "ar", "عام من التعلّم في 29 مدينة."},
		{"fr", "en", "A year of learning in 29 cities."}, // no French text: the English one
	} {
		c := a.client()
		c.setCookie("ltl_lang", tc.lang)
		doc := c.get(t, "/reports/document?from=2025-01&to=2025-12").doc(t)
		intro := doc.Find("[data-testid=doc-intro]")
		if intro.AttrOr("lang", "") != tc.dirLang || intro.AttrOr("dir", "") != "auto" || strings.TrimSpace(intro.Find("p").First().Text()) != tc.first {
			t.Errorf("%s: the cover's introduction is %q in %q", tc.lang, intro.Text(), intro.AttrOr("lang", ""))
		}
		if tc.lang == "en" && intro.Find("p[dir=auto]").Length() != 2 {
			t.Errorf("the introduction has %d paragraphs, want 2", intro.Find("p").Length())
		}
		if doc.Find("[data-testid=edit-intro]").Length() != 0 {
			t.Error("the public sees the link to edit the introduction")
		}
	}
	ar := a.client()
	ar.setCookie("ltl_lang", "ar")
	if got := ar.get(t, "/reports/document?from=2025-01&to=2025-12").doc(t).Find("[data-testid=doc-period]").Text(); got != "1 يناير – 31 ديسمبر 2025" {
		t.Errorf("the Arabic period: %q", got)
	}
	if got := a.client().get(t, "/reports/document?from=2025-07&to=2026-06").doc(t).Find("[data-testid=doc-period]").Text(); got != "1 July 2025 – 30 June 2026" {
		t.Errorf("a period across two years: %q", got)
	}
	// Another period's document has no introduction; staff's has the link.
	doc := staff.get(t, "/reports/document?from=2025-01&to=2025-03").doc(t)
	if doc.Find("[data-testid=doc-intro]").Length() != 0 {
		t.Error("a quarter's document shows the year's introduction")
	}
	if href := doc.Find("[data-testid=edit-intro]").AttrOr("href", ""); href != "/manage/document-introduction?from=2025-01-01&to=2025-03-31" {
		t.Errorf("staff's link to the quarter's introduction: %q", href)
	}

	// Refused: too long, a bad period. Nothing written, nothing audited.
	long := staff.post(t, "/manage/document-introduction", url.Values{
		"from": {"2025-01-01"}, "to": {"2025-12-31"}, "text_en": {"Changed."}, "text_fr": {strings.Repeat("a", models.IntroMaxChars+1)},
	})
	wantStatus(t, long, http.StatusUnprocessableEntity)
	if long.doc(t).Find("#text_fr[aria-invalid=true]").Length() != 1 || long.doc(t).Find("#text_en").Text() != "Changed." {
		t.Error("the refused form does not point at the French text or lost the input")
	}
	for _, q := range []url.Values{{"from": {"2025-13"}}, {"from": {"2025-12-01"}, "to": {"2025-01-31"}}} {
		q.Set("text_en", "Changed.")
		wantStatus(t, staff.post(t, "/manage/document-introduction", q), http.StatusBadRequest)
	}
	wantStatus(t, staff.get(t, "/manage/document-introduction?to=yesterday"), http.StatusBadRequest)
	texts, err := a.store.DocumentIntros(context.Background(), "2025-01-01", "2025-12-31")
	must(t, err)
	if texts["en"] != "A year of learning in 29 cities.\n\nThank you to every coordinator." || len(texts) != 2 {
		t.Errorf("refused forms changed the introduction: %q", texts)
	}
	if n := a.countAudit(t, models.EntityDocumentIntro); n != 2 {
		t.Errorf("refused forms were audited: %d entries", n)
	}
}
