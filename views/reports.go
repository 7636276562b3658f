package views

import (
	"cmp"
	"context"
	"net/url"
	"slices"
	"strings"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
)

// ReportPage is the data of the report page.
type ReportPage struct {
	Report *models.Report
	// Comparison is the compared period's report, when one is asked for.
	Comparison *models.Comparison
	// MapFigure sizes the cities on the map.
	MapFigure models.Figure
	Query     url.Values
	City      *models.City
	Campaigns []models.Campaign
	Cities    []models.City
	Sort      models.Figure
	Desc      bool
	// AllRows shows the tables of cities and countries whole; otherwise
	// their first PartRows rows, with a link to the rest (rows=all).
	AllRows bool
	// Staff only: what needs follow-up.
	Staff       bool
	QuietMonths int
	Quiet       []report.QuietCity
	Backlog     map[uint]int64
	// Errors are the filter's months that could not be read: the page
	// then shows the filter alone, with them (Report is nil).
	Errors models.FieldErrors
}

// monthFilter is a month field of the report filter: from, to,
// compare_from or compare_to.
type monthFilter struct{ Name, Label string }

// periodFilters are the report filter's period fields.
func periodFilters(ctx context.Context) []monthFilter {
	return []monthFilter{{"from", T(ctx, "report.from")}, {"to", T(ctx, "report.to")}}
}

// comparedFilters are the fields of the period a report is compared with.
func comparedFilters(ctx context.Context) []monthFilter {
	return []monthFilter{{"compare_from", T(ctx, "annual.compare_from")}, {"compare_to", T(ctx, "annual.compare_to")}}
}

// compareOptions are the comparisons the report's filter offers.
func compareOptions(ctx context.Context) []option {
	return []option{
		{Value: "none", Label: T(ctx, "annual.compare_none")},
		{Value: "previous", Label: T(ctx, "annual.compare_previous")},
		{Value: "year", Label: T(ctx, "annual.compare_year")},
		{Value: "period", Label: T(ctx, "annual.compare_period")},
	}
}

// compareChoice is the comparison option a query chose: "period" for
// compare_from and compare_to alone (an old link's), "none" for none.
func compareChoice(q url.Values) string {
	switch m := q.Get("compare"); {
	case m != "":
		return m
	case q.Get("compare_from") != "" || q.Get("compare_to") != "":
		return "period"
	}
	return "none"
}

// reportFilterLabels name the report filter's typed fields for its error
// summary.
func reportFilterLabels(ctx context.Context) fieldLabels {
	var out fieldLabels
	for _, m := range append(periodFilters(ctx), comparedFilters(ctx)...) {
		out = append(out, fieldLabel(m))
	}
	return out
}

// periodWords says a bound of the report's period in words, as it was
// read ("March 2025", "5 March 2025"); "" when it cannot be read.
func periodWords(ctx context.Context, typed string) string {
	t, month, err := models.ParseDayOrMonth(typed)
	switch {
	case err != nil:
		return ""
	case month:
		return MonthLabel(ctx, t)
	}
	return Date(ctx, t)
}

// monthNote says how a month field's value was read ("We read: March
// 2025."); "" when it is empty, refused or unread.
func monthNote(ctx context.Context, p ReportPage, name string) string {
	if _, bad := p.Errors[name]; bad {
		return ""
	}
	if w := periodWords(ctx, p.Query.Get(name)); w != "" {
		return Tf(ctx, "report.read_as", map[string]any{"Period": w})
	}
	return ""
}

// monthDescribedBy describes a month field by its problem, its note and
// the months' hint.
func monthDescribedBy(ctx context.Context, p ReportPage, name string) string {
	ids := ""
	if _, bad := p.Errors[name]; bad {
		ids = errorID(name) + " "
	}
	if monthNote(ctx, p, name) != "" {
		ids += "note-" + name + " "
	}
	return ids + "month-hint"
}

// PartRows is how many rows the city and country tables show at first: a
// network report has some 400 cities and 90 countries.
const PartRows = 25

// pageBreakdowns are the report's breakdowns in the order of the report
// page (models.Breakdown.Page).
func pageBreakdowns() []models.Breakdown {
	out := models.AllBreakdowns()
	slices.SortFunc(out, func(a, b models.Breakdown) int { return cmp.Compare(a.Page, b.Page) })
	return out
}

// sections are the breakdowns the page has a section for, in its order:
// a city's report has no use for those of places.
func sections(p ReportPage) []models.Breakdown {
	return slices.DeleteFunc(pageBreakdowns(), func(bd models.Breakdown) bool { return p.City != nil && bd.Places() })
}

// sectionRows lay the sections out a row of the page each, but for the
// age groups and the formats, two short tables side by side.
func sectionRows(p ReportPage) [][]models.Breakdown {
	half := func(bd models.Breakdown) bool { return bd.Dim == models.DimAge || bd.Dim == models.DimFormat }
	var out [][]models.Breakdown
	for _, bd := range sections(p) {
		if n := len(out); n > 0 && half(bd) && half(out[n-1][0]) && len(out[n-1]) == 1 {
			out[n-1] = append(out[n-1], bd)
			continue
		}
		out = append(out, []models.Breakdown{bd})
	}
	return out
}

// tableRows are the rows of a breakdown's table on the page: those of
// the long ones (countries, cities) as shownRows says.
func tableRows(p ReportPage, bd models.Breakdown) []models.Row {
	rows := *bd.Rows(&p.Report.Breakdowns)
	if bd.From == models.FromCountries || bd.From == models.FromCities {
		return shownRows(p, rows)
	}
	return rows
}

// tableFigures are the figures of a breakdown's table on the page: those
// it shows with their changes when the report is compared and it has
// them, else its Table.
func tableFigures(p ReportPage, bd models.Breakdown) []models.Figure {
	if p.Comparison != nil && bd.Compared != nil {
		return bd.Compared
	}
	return bd.Table
}

// definedFigures are the figures the page defines: all but countries,
// whose name says it.
func definedFigures() []models.Figure {
	return slices.DeleteFunc(models.Figures(), func(f models.Figure) bool { return f == models.FigureCountries })
}

// shownRows are the rows of a city or country table the page shows.
func shownRows(p ReportPage, rows []models.Row) []models.Row {
	if p.AllRows {
		return rows
	}
	return rows[:min(len(rows), PartRows)]
}

// allRowsURL is the page with its tables whole, at the table.
func allRowsURL(p ReportPage, anchor string) string {
	q := withParam(p.Query, "sort", string(p.Sort))
	if p.Sort == "" {
		q.Del("sort")
	}
	if p.Desc {
		q.Set("dir", "desc")
	}
	q.Set("rows", "all")
	return withQuery("/reports", q) + "#" + anchor
}

func reportTitle(ctx context.Context, p ReportPage) string {
	if p.City != nil {
		return Tf(ctx, "report.city_title", map[string]any{"City": p.City.Name})
	}
	return T(ctx, "report.title")
}

func campaignTagOptions(cs []models.Campaign) []option {
	out := make([]option, len(cs))
	for i, c := range cs {
		tag := strings.TrimPrefix(c.Hashtag, "#")
		out[i] = option{Value: tag, Label: hashtag(c.Hashtag)}
	}
	return out
}

// countryOptions lists the member cities' countries by name.
func countryOptions(ctx context.Context, cities []models.City) []option {
	seen := map[string]bool{}
	var out []option
	for _, c := range cities {
		if !seen[c.Country] {
			seen[c.Country] = true
			out = append(out, option{Value: c.Country, Label: CountryName(ctx, c.Country)})
		}
	}
	slices.SortFunc(out, func(a, b option) int { return strings.Compare(a.Label, b.Label) })
	return out
}

// cohortOptions lists the years cities joined the network.
func cohortOptions(cities []models.City) []option {
	seen := map[int]bool{}
	var years []int
	for _, c := range cities {
		if !seen[c.JoinedYear] {
			seen[c.JoinedYear] = true
			years = append(years, c.JoinedYear)
		}
	}
	slices.Sort(years)
	out := make([]option, len(years))
	for i, y := range years {
		out[i] = option{Value: itoa(y), Label: itoa(y)}
	}
	return out
}

// ageUnrecorded counts the participants the age group breakdown leaves
// out: those of events that reached no age group, or several without
// recording how many were in each.
func ageUnrecorded(r *models.Report) int64 {
	n := r.Totals.Participants
	for _, row := range r.Breakdowns.ByAgeGroup {
		if row.Participants != nil {
			n -= *row.Participants
		}
	}
	return n
}

// thinAreas names the building blocks with less than half the average
// number of events: where a city or the network is thin.
func thinAreas(rows []models.Row) string {
	var total int64
	for _, r := range rows {
		total += *r.EventsHeld
	}
	if total == 0 || len(rows) == 0 {
		return ""
	}
	var thin []string
	for _, r := range rows {
		if *r.EventsHeld*int64(len(rows))*2 < total {
			thin = append(thin, r.Label)
		}
	}
	return strings.Join(thin, "; ")
}

func ariaSort(desc bool) string {
	if desc {
		return "descending"
	}
	return "ascending"
}

// sortURL links to the report sorted by key, flipping the direction when
// it is already sorted by it.
func sortURL(p ReportPage, key models.Figure) string {
	q := withParam(p.Query, "sort", string(key))
	if key == "" {
		q.Del("sort")
	}
	q.Del("dir")
	if p.Sort == key && !p.Desc || p.Sort != key && key != "" {
		q.Set("dir", "desc")
	}
	return withQuery("/reports", q) + "#by-city"
}

// topRows are the n rows with the most of figure f, most first (ties in
// the rows' order); rows with none are left out.
func topRows(rows []models.Row, f models.Figure, n int) []models.Row {
	var out []models.Row
	for _, r := range rows {
		if v, ok := figureOf(r, f); ok && v > 0 {
			out = append(out, r)
		}
	}
	slices.SortStableFunc(out, func(a, b models.Row) int { return cmp.Compare(*b.Value(f), *a.Value(f)) })
	return out[:min(n, len(out))]
}
