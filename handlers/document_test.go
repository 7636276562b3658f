package handlers_test

import (
	"context"
	"fmt"
	"net/http"
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
	if got := doc.Find("[data-testid=doc-period]").Text(); got != fmt.Sprintf("%d-01-01 – %d-12-31", year, year) {
		t.Errorf("period %q", got)
	}
	if doc.Find("[data-testid=comparison-note]").Length() != 1 || doc.Find("[data-testid=report-totals] [data-testid=change-events_held]").Length() != 1 {
		t.Error("the document's figures are not compared with the year before")
	}
	if doc.Find("svg[data-testid=doc-map-figure]").Length() != 1 || doc.Find(".doc-section svg[role=img]").Length() < 8 {
		t.Errorf("the document has %d charts", doc.Find(".doc-section svg[role=img]").Length())
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
	if got := doc.Find("[data-testid=doc-period]").Text(); got != fmt.Sprintf("%d-01-01 – %d-12-31", last, last) || doc.Find("[data-testid=comparison-note]").Length() != 0 {
		t.Errorf("default document: period %q, %d comparison notes", got, doc.Find("[data-testid=comparison-note]").Length())
	}
	for _, q := range []string{"region=mars", "compare=later", "map=member_cities", "from=2025-13"} {
		wantStatus(t, a.client().get(t, "/reports/document?"+q), http.StatusBadRequest)
	}
}
