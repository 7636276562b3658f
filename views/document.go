package views

import (
	"context"
	"fmt"
	"net/url"
	"strings"
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
	// Intro is staff's introduction to the period's document in the
	// page's language, else in English ("" for none), and IntroLang its
	// language.
	Intro, IntroLang string
}

// DocumentIntroPage is staff's form for the introduction of a period's
// document, in every interface language.
type DocumentIntroPage struct {
	// From and To are the period's first and last days, zero for an
	// open end.
	From, To time.Time
	// Texts are the introduction's texts by language.
	Texts  map[string]string
	Errors models.FieldErrors
}

// docChart is a chart of the document with the table of its numbers.
type docChart struct {
	Chart   ReportChart
	Rows    []models.Row
	Figures []models.Figure
	// Earlier are the compared period's rows, when the document is
	// compared.
	Earlier earlier
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
		if p.Comparison != nil {
			dc.Figures, dc.Earlier = bd.Compared, comparedRows(p.Comparison, bd, dc.Rows)
		}
		if n := ageUnrecorded(p.Report); bd.Dim == models.DimAge && n > 0 {
			dc.Note = Tf(ctx, "report.age_unrecorded", map[string]any{"N": Num(ctx, n)})
		}
		out = append(out, dc)
	}
	return out
}

// isCompareParam reports whether a query parameter chooses the
// comparison.
func isCompareParam(k string) bool {
	return k == "compare" || k == "compare_from" || k == "compare_to"
}

// documentPeriod names the document's period in words.
func documentPeriod(ctx context.Context, p DocumentPage) string {
	return PeriodInWords(ctx, p.From, p.To)
}

// PeriodInWords writes a period from its first to its last day in the
// request's language: "1 January – 31 December 2026" within a year,
// "1 July 2025 – 30 June 2026" across two, "from 1 January 2026" or
// "until 31 December 2026" with an open end.
func PeriodInWords(ctx context.Context, from, to time.Time) string {
	switch {
	case from.IsZero() && to.IsZero():
		return T(ctx, "annual.doc_all_time")
	case to.IsZero():
		return Tf(ctx, "annual.since", map[string]any{"From": Date(ctx, from)})
	case from.IsZero():
		return Tf(ctx, "annual.until", map[string]any{"To": Date(ctx, to)})
	}
	start := Date(ctx, from)
	if from.Year() == to.Year() {
		start = Tf(ctx, "annual.doc_day_month", map[string]any{"Day": from.Day(), "Month": T(ctx, "month."+strings.ToLower(from.Month().String()))})
	}
	return Tf(ctx, "annual.doc_period", map[string]any{"From": start, "To": Date(ctx, to)})
}

// DocumentIntroURL is staff's form for the introduction of the document
// of a period (its first and last days, zero for an open end).
func DocumentIntroURL(from, to time.Time) string {
	return "/manage/document-introduction?" + periodQuery(from, to)
}

// DocumentURL is the network document of a period, first and last days.
func DocumentURL(from, to time.Time) string {
	return "/reports/document?" + periodQuery(from, to)
}

func periodQuery(from, to time.Time) string {
	v := url.Values{}
	if !from.IsZero() {
		v.Set("from", from.Format(time.DateOnly))
	}
	if !to.IsZero() {
		v.Set("to", to.Format(time.DateOnly))
	}
	return v.Encode()
}

// introLanguages are the languages of the introduction's form, English
// first (the fallback), each with its field's label.
func introLanguages(ctx context.Context) []option {
	labels := map[string]string{
		"en": T(ctx, "annual.doc_intro_en"), "fr": T(ctx, "annual.doc_intro_fr"),
		"es": T(ctx, "annual.doc_intro_es"), "ar": T(ctx, "annual.doc_intro_ar"),
	}
	var out []option
	for _, lang := range models.CampaignLanguages() {
		out = append(out, option{Value: lang, Label: labels[lang]})
	}
	return out
}

func introLabels(ctx context.Context) fieldLabels {
	var out fieldLabels
	for _, o := range introLanguages(ctx) {
		out = append(out, fieldLabel{models.IntroField(o.Value), o.Label})
	}
	return out
}

// textDir is the direction of a language's text in a form field.
func textDir(lang string) string {
	if lang == "ar" {
		return "rtl"
	}
	return "ltr"
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
