package views

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
)

// DocumentPage is the data of the printable network report.
type DocumentPage struct {
	Report     *models.Report
	Comparison *models.Comparison
	Query      url.Values
	// From and To are the period's first and last days.
	From, To time.Time
	// Filters describe the query's filters other than the period.
	Filters   []string
	Cities    []models.City
	MapFigure models.Figure
	Coverage  *report.BlockCoverage
	// Annex are the approved city reports of the period, for staff only
	// (nil for everyone else), with their cities' names by id.
	Annex     []models.CityReport
	AnnexCity map[uint]string
	Staff     bool
	Generated time.Time
}

// docChart is a chart of the document with the table of its numbers.
type docChart struct {
	Chart   ReportChart
	Rows    []models.Row
	Figures []models.Figure
	Caption string
	// Note says what the table leaves out, if anything.
	Note string
}

// documentCharts are the document's charts after the map, each with its
// table: the breakdowns with a chart, in the order of the report page.
func documentCharts(ctx context.Context, p DocumentPage) []docChart {
	var out []docChart
	for _, bd := range pageBreakdowns() {
		if bd.Chart == "" {
			continue
		}
		dc := docChart{Chart: breakdownChart(ctx, bd, p.Report, p.Comparison), Rows: *bd.Rows(&p.Report.Breakdowns), Figures: bd.Table,
			Caption: T(ctx, "report.by_"+bd.Name)}
		if n := ageUnrecorded(p.Report); bd.Dim == models.DimAge && n > 0 {
			dc.Note = Tf(ctx, "report.age_unrecorded", map[string]any{"N": Num(ctx, n)})
		}
		out = append(out, dc)
	}
	return out
}

// documentPeriod names the document's period.
func documentPeriod(p DocumentPage) string {
	return p.From.Format(time.DateOnly) + " – " + p.To.Format(time.DateOnly)
}

// heatClass shades a heat-map cell by its share of the largest count.
func heatClass(n, maxN int64) string {
	if n == 0 || maxN == 0 {
		return "heat heat-0"
	}
	return fmt.Sprintf("heat heat-%d", 1+min(3, int(4*n/(maxN+1))))
}

// areaNames names building blocks.
func areaNames(ctx context.Context, areas []models.LearningArea) []string {
	out := make([]string, len(areas))
	for i, a := range areas {
		out[i] = T(ctx, "area."+string(a))
	}
	return out
}

// scoreText is a self-assessment score's label.
func scoreText(ctx context.Context, score int) string {
	return T(ctx, fmt.Sprintf("city_reports.score.%d", score))
}
