package views

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// NetworkSelection is which reports the network's narratives, workbook
// and self-assessment gather: a period's, in some statuses.
type NetworkSelection struct {
	// Period is the period (models.Period.String); Periods those offered
	// to choose from, Period among them.
	Period   string
	Periods  []models.Period
	Statuses []models.CityReportStatus
}

// Query is the selection as the query of a link.
func (s NetworkSelection) Query() url.Values {
	q := url.Values{"period": {s.Period}}
	for _, st := range s.Statuses {
		q.Add("status", string(st))
	}
	return q
}

// NetworkNarrativesPage is the data of the document of every city's
// narrative and self-assessment for a period.
type NetworkNarrativesPage struct {
	Selection NetworkSelection
	Reports   []models.CityWithReport
	Generated time.Time
}

// SelfAssessmentPage is the data of the cities' self-assessments side by
// side.
type SelfAssessmentPage struct {
	Selection  NetworkSelection
	Assessment models.SelfAssessment
	// Cities are every city of the chosen reports: their countries are
	// those to filter by.
	Cities []models.City
	// Region and Country filter the rows ("" for all); Sort is the
	// building block the rows are sorted by ("" for the city's name),
	// Asc its direction.
	Region  models.Region
	Country string
	Sort    models.LearningArea
	Asc     bool
}

// Filtered reports whether a filter leaves cities out.
func (p SelfAssessmentPage) Filtered() bool { return p.Region != "" || p.Country != "" }

// The network's reports, as files and pages.
const (
	NetworkWorkbookURL       = "/manage/city-reports/network.xlsx"
	NetworkDocumentURL       = "/manage/city-reports/network/document"
	NetworkSelfAssessmentURL = "/manage/city-reports/network/self-assessment"
)

// networkLink is one of the network's pages or files for the selection.
func networkLink(path string, s NetworkSelection) string { return withQuery(path, s.Query()) }

// statusOptions are the statuses to choose, in their order.
func statusOptions(ctx context.Context) []option {
	var out []option
	for _, s := range models.CityReportStatuses() {
		out = append(out, option{Value: string(s), Label: T(ctx, "city_report_status."+string(s))})
	}
	return out
}

// selectionPeriods are the periods to choose from, with the one shown
// first when it is not among them.
func selectionPeriods(ctx context.Context, s NetworkSelection) []option {
	opts := periodOptions(ctx, s.Periods)
	if !slices.ContainsFunc(opts, func(o option) bool { return o.Value == s.Period }) {
		if p, err := models.ParsePeriod(s.Period); err == nil {
			opts = append([]option{{Value: s.Period, Label: PeriodLabel(ctx, p)}}, opts...)
		}
	}
	return opts
}

// statusNames lists the statuses chosen, in words.
func statusNames(ctx context.Context, ss []models.CityReportStatus) string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = T(ctx, "city_report_status."+string(s))
	}
	sep := ", "
	if Dir(ctx) == "rtl" {
		sep = "، "
	}
	return strings.Join(names, sep)
}

func statusStrings(ss []models.CityReportStatus) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

// cityAnchor is the id of a city's section in the document.
func cityAnchor(c models.City) string { return "city-" + c.Slug }

// selfAssessmentSortURL sorts the table by area ("" for the city's name),
// flipping the direction when it is sorted by area already.
func selfAssessmentSortURL(p SelfAssessmentPage, area models.LearningArea) string {
	q := p.Selection.Query()
	if p.Region != "" {
		q.Set("region", string(p.Region))
	}
	if p.Country != "" {
		q.Set("country", p.Country)
	}
	if area != "" {
		q.Set("sort", string(area))
		if p.Sort == area && !p.Asc {
			q.Set("dir", "asc")
		}
	}
	return withQuery(NetworkSelfAssessmentURL, q)
}

// heatScore shades a score's cell: one shade per point of the scale.
func heatScore(score int) string { return "heat heat-" + itoa(score) }

// medianText is a median for the request's language, "2.5", or a dash
// when no city rated the building block.
func medianText(ctx context.Context, m models.ScoreMedian) string {
	if m.Rated == 0 {
		return "—"
	}
	lang := req(ctx).Lang
	if lang == language.Und {
		lang = language.English
	}
	if base, _ := lang.Base(); base.String() == "ar" {
		lang = language.MustParse("ar-u-nu-latn") // Western digits, as Num
	}
	return message.NewPrinter(lang).Sprint(number.Decimal(m.Value, number.MaxFractionDigits(1)))
}
