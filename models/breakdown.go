package models

import "slices"

// Dimension is what a dimension breakdown splits the events and stories
// by. Its value is the roll-ups' dim column, and the catalog prefix of its
// keys' labels ("area.workplace").
type Dimension string

// The dimensions.
const (
	DimArea   Dimension = "area"   // the learning areas events and stories are tagged with
	DimAge    Dimension = "age"    // the age groups events reached, and stories' authors'
	DimFormat Dimension = "format" // how events were attended
	DimSector Dimension = "sector" // the sectors of events' partners
)

// Keys lists the values of the dimension in display order (nil for an
// unknown dimension).
func (d Dimension) Keys() []string {
	switch d {
	case DimArea:
		return texts(LearningAreas())
	case DimAge:
		return texts(AgeGroups())
	case DimFormat:
		return texts(EventFormats())
	case DimSector:
		return texts(Sectors())
	}
	return nil
}

// RowsFrom is what the rows of a breakdown are built from.
type RowsFrom string

// What breakdowns' rows are built from.
const (
	FromRegions   RowsFrom = "regions"   // the cities in scope, a row per region that has some
	FromCountries RowsFrom = "countries" // the cities in scope, a row per country, by code
	FromCities    RowsFrom = "cities"    // a row per city in scope, quiet ones too, by name
	FromMonths    RowsFrom = "months"    // a row per month of the period
	FromDimension RowsFrom = "dimension" // a row per key of the breakdown's dimension
)

// Breakdown is one of the report's breakdowns: what the JSON, the CSV and
// XLSX downloads, the report page, its charts and the printable document
// show of it. AllBreakdowns lists them.
type Breakdown struct {
	// Name is its short name: the ids of its section, chart and table on
	// pages ("by-area", "chart-area", "table-area"), its chart's file name,
	// and the catalog ids of its titles ("report.by_area",
	// "report.chart_area", "annual.chart.area").
	Name string
	// Key is its key among a report's breakdowns in JSON ("by_region"),
	// and the name of its CSV download.
	Key string
	// From is what its rows are built from; Dim is the dimension of a
	// FromDimension breakdown.
	From RowsFrom
	Dim  Dimension
	// Figures are the figures its rows have (the others are nil), in the
	// order of Figures: the fields of its JSON rows, the columns of its
	// downloads.
	Figures []Figure
	// Table are the figures its tables on pages show, in their order.
	Table []Figure
	// Compared are the figures its table shows, each with its change, when
	// the report is compared with another period: every table then has a
	// change column after each figure.
	Compared []Figure
	// Chart is the figure its chart draws; "" when it has no chart of its
	// own (the cities are drawn on the map).
	Chart Figure
	// Page is its place among the breakdowns on the report page, 1 first;
	// the printable document and the chart downloads follow it too.
	Page int
	// Rows are its rows among a report's breakdowns.
	Rows func(*Breakdowns) *[]Row
}

// AllBreakdowns lists the report's breakdowns in the order of the JSON
// API: the one list that the report engine, the views, the downloads, the
// API's description and the data dictionary range over.
func AllBreakdowns() []Breakdown {
	all := Figures()
	country := without(all, FigureCountries)
	activity := without(all, FigureMemberCities, FigureCountries)
	cityTable := without(activity, FigureActiveCities)
	tags := []Figure{FigureEventsHeld, FigureParticipants, FigureStoriesPublished}
	formats := []Figure{FigureEventsHeld, FigureParticipants}
	sectors := []Figure{FigureEventsHeld, FigurePartnersEngaged}
	return []Breakdown{
		// Compared, a table takes two columns a figure: the places' tables
		// then leave out one of their counts of places.
		{Name: "region", Key: "by_region", From: FromRegions, Figures: all, Table: all, Compared: without(all, FigureCountries),
			Chart: FigureEventsHeld, Page: 2, Rows: func(b *Breakdowns) *[]Row { return &b.ByRegion }},
		{Name: "country", Key: "by_country", From: FromCountries, Figures: country, Table: country, Compared: without(country, FigureMemberCities),
			Chart: FigureEventsHeld, Page: 7, Rows: func(b *Breakdowns) *[]Row { return &b.ByCountry }},
		// A city's active_cities is 0 or 1: its table leaves it out.
		{Name: "city", Key: "by_city", From: FromCities, Figures: activity, Table: cityTable, Compared: cityTable,
			Page: 8, Rows: func(b *Breakdowns) *[]Row { return &b.ByCity }},
		{Name: "month", Key: "by_month", From: FromMonths, Figures: activity, Table: activity, Compared: activity,
			Chart: FigureEventsHeld, Page: 1, Rows: func(b *Breakdowns) *[]Row { return &b.ByMonth }},
		{Name: "area", Key: "by_learning_area", From: FromDimension, Dim: DimArea, Figures: tags, Table: tags, Compared: tags,
			Chart: FigureEventsHeld, Page: 3, Rows: func(b *Breakdowns) *[]Row { return &b.ByLearningArea }},
		{Name: "age", Key: "by_age_group", From: FromDimension, Dim: DimAge, Figures: tags, Table: tags, Compared: tags,
			Chart: FigureEventsHeld, Page: 4, Rows: func(b *Breakdowns) *[]Row { return &b.ByAgeGroup }},
		// Sectors are about partners: their tables and chart lead with them.
		{Name: "sector", Key: "by_partner_sector", From: FromDimension, Dim: DimSector, Figures: sectors,
			Table: []Figure{FigurePartnersEngaged, FigureEventsHeld}, Compared: []Figure{FigurePartnersEngaged, FigureEventsHeld},
			Chart: FigurePartnersEngaged, Page: 6,
			Rows: func(b *Breakdowns) *[]Row { return &b.ByPartnerSector }},
		{Name: "format", Key: "by_format", From: FromDimension, Dim: DimFormat, Figures: formats, Table: formats, Compared: formats,
			Chart: FigureEventsHeld, Page: 5, Rows: func(b *Breakdowns) *[]Row { return &b.ByFormat }},
	}
}

// BreakdownFrom is the breakdown whose rows are built from from (for
// FromDimension, which several share, the first of them); the zero
// Breakdown for an unknown value.
func BreakdownFrom(from RowsFrom) Breakdown {
	for _, b := range AllBreakdowns() {
		if b.From == from {
			return b
		}
	}
	return Breakdown{}
}

// Keys lists the keys its rows may have, in display order, when they are
// fixed (the regions, a dimension's values); nil when the data decide
// (countries, cities, months).
func (b Breakdown) Keys() []string {
	switch b.From {
	case FromRegions:
		return texts(Regions())
	case FromDimension:
		return b.Dim.Keys()
	}
	return nil
}

// Places reports whether its rows are places (regions, countries,
// cities), which a single city's report has no use for.
func (b Breakdown) Places() bool {
	return b.From == FromRegions || b.From == FromCountries || b.From == FromCities
}

// without is figures but the ones left out, in their order.
func without(figures []Figure, out ...Figure) []Figure {
	return slices.DeleteFunc(slices.Clone(figures), func(f Figure) bool { return slices.Contains(out, f) })
}

// texts are values of a string type as strings.
func texts[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// Earlier are the compared period's rows of the breakdown bd, each under
// the key of the row of rows (the report's, all of them in its order) it
// is compared with: the row of the same key, but for the months, which
// are compared in order (the first month of one period with the first of
// the other, January 2026 with January 2025). A row with none in the
// compared period is absent.
func (c *Comparison) Earlier(bd Breakdown, rows []Row) map[string]Row {
	prev := *bd.Rows(&c.Breakdowns)
	out := make(map[string]Row, len(rows))
	if bd.From != FromMonths {
		for _, r := range prev {
			out[r.Key] = r
		}
		return out
	}
	for i, r := range rows {
		if i < len(prev) {
			out[r.Key] = prev[i]
		}
	}
	return out
}
