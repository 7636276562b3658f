package views

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// changeText is a change as "+12 (+8.5 %)", "+12 (new)" when the
// compared figure was 0, or "0" when both were.
func changeText(ctx context.Context, c models.Change) string {
	abs, rel := changeParts(ctx, c)
	if rel == "" {
		return abs
	}
	return abs + " (" + rel + ")"
}

// changeParts are a change's absolute value, with its sign, and its
// percentage, with its sign ("new" when the compared figure was 0, ""
// when both were).
func changeParts(ctx context.Context, c models.Change) (abs, rel string) {
	abs = Num(ctx, c.Absolute)
	if c.Absolute > 0 {
		abs = "+" + abs
	}
	switch {
	case c.Percent != nil:
		rel = fmt.Sprintf("%+.1f %%", *c.Percent)
	case c.Current != 0:
		rel = T(ctx, "annual.change_new")
	}
	return abs, rel
}

// changeClass shades a change: up, down or flat.
func changeClass(c models.Change) string {
	switch {
	case c.Absolute > 0:
		return "change up"
	case c.Absolute < 0:
		return "change down"
	}
	return "change"
}

// earlier are the rows of a compared breakdown, each under the key of
// the report's row it is compared with: the row of the same key, but for
// the months, which are compared in their order (the first month of one
// period with the first of the other, January 2026 with January 2025).
type earlier struct {
	rows map[string]models.Row
	// inOrder: a row that has none in the other period (a month past
	// the compared period's end) has no change, rather than one from 0.
	inOrder bool
}

// rowChange is the change of figure f between a row and the row it is
// compared with (from 0 when it has none, as a city that was not active);
// false when f does not apply or, for the months, the row has none.
func rowChange(r models.Row, prev earlier, f models.Figure) (models.Change, bool) {
	cur, ok := figureOf(r, f)
	if !ok {
		return models.Change{}, false
	}
	row, had := prev.rows[r.Key]
	if !had && prev.inOrder {
		return models.Change{}, false
	}
	before, _ := figureOf(row, f)
	return models.NewChange(cur, before), true
}

// periodLabel names a comparison's period in words: its months when it
// is whole months ("January 2024 – December 2024"), else its days.
func periodLabel(ctx context.Context, c *models.Comparison) string {
	from, to, ok := comparedDays(c)
	switch {
	case !ok:
		return strings.TrimSpace(c.From + " – " + c.To)
	case from.Day() == 1 && to.AddDate(0, 0, 1).Day() == 1:
		return MonthLabel(ctx, from) + " – " + MonthLabel(ctx, to)
	}
	return Date(ctx, from) + " – " + Date(ctx, to)
}

// comparedDays are a comparison's first and last days.
func comparedDays(c *models.Comparison) (from, to time.Time, ok bool) {
	from, err1 := time.Parse(time.DateOnly, c.From)
	to, err2 := time.Parse(time.DateOnly, c.To)
	return from, to, err1 == nil && err2 == nil
}

// comparedPeriodWords names a comparison's period as the document names
// its own ("1 January – 31 December 2025", PeriodInWords).
func comparedPeriodWords(ctx context.Context, c *models.Comparison) string {
	if from, to, ok := comparedDays(c); ok {
		return PeriodInWords(ctx, from, to)
	}
	return periodLabel(ctx, c)
}

// overlay is a column chart of two periods, month i of one beside month i
// of the other.
type overlay struct {
	chart
	Cur, Prev []overlayBar
	// Legend places the two series' keys.
	CurLabel, PrevLabel string
}

// overlayChart lays out the figure of two runs of months side by side in
// each slot: the compared period's lighter, on the left.
func overlayChart(id, title string, rows, prev []models.Row, figure models.Figure, curLabel, prevLabel string) overlay {
	const plotH, width, pad, legendH = 180, 680, 44, 28
	n := max(len(rows), len(prev))
	o := overlay{chart: chart{ID: id, Title: title, Width: width + 2*pad, Height: plotH + 40 + legendH, Columns: true, BaseY: plotH + 10 + legendH, Plot: plotH, Left: pad},
		CurLabel: curLabel, PrevLabel: prevLabel}
	if n == 0 {
		return o
	}
	maxV := int64(1)
	for _, set := range [][]models.Row{rows, prev} {
		for _, r := range set {
			if v, _ := figureOf(r, figure); v > maxV {
				maxV = v
			}
		}
	}
	o.Max = int(maxV)
	step := width / n
	every := max(1, (n+11)/12)
	half := max(step/2-1, 1)
	place := func(set []models.Row, offset int, labelled bool) []overlayBar {
		var out []overlayBar
		for i, r := range set {
			v, _ := figureOf(r, figure)
			h := int(v * plotH / maxV)
			label := ""
			if labelled && i%every == 0 {
				label = r.Key
			}
			out = append(out, overlayBar{Title: r.Key + ": " + formatInt(int(v)), chartBar: chartBar{
				Label: label, Value: formatInt(int(v)), X: pad + i*step + offset, Y: o.BaseY - h, W: half, H: h,
				TextX: pad + i*step + step/2, TextY: o.BaseY + 16,
			}})
		}
		return out
	}
	o.Prev = place(prev, 0, len(rows) == 0)
	o.Cur = place(rows, half+1, true)
	return o
}

// overlayBar is a column with its own tooltip title (month and value).
type overlayBar struct {
	chartBar
	Title string
}

// comparedRows are the compared rows of a breakdown for its rows in
// the report (all of them, in the report's order: the months are
// compared in order); empty without a comparison.
func comparedRows(c *models.Comparison, bd models.Breakdown, rows []models.Row) earlier {
	if c == nil {
		return earlier{}
	}
	return earlier{rows: c.Earlier(bd, rows), inOrder: bd.From == models.FromMonths}
}

// monthSpan names the months of a by-month breakdown in words, "January
// 2025 – December 2025" ("" without months).
func monthSpan(ctx context.Context, rows []models.Row) string {
	if len(rows) == 0 {
		return ""
	}
	first, err1 := models.ParseMonth(rows[0].Key)
	last, err2 := models.ParseMonth(rows[len(rows)-1].Key)
	if err1 != nil || err2 != nil {
		return rows[0].Key + " – " + rows[len(rows)-1].Key
	}
	return MonthLabel(ctx, first) + " – " + MonthLabel(ctx, last)
}

// chartQuery is the page's query with the map's figure, for chart files.
func chartQuery(p ReportPage) url.Values {
	if p.MapFigure == "" || p.MapFigure == models.FigureEventsHeld {
		return p.Query
	}
	return withParam(p.Query, "map", string(p.MapFigure))
}

// filterSummary describes the page's active filters in words, for the
// summary that stays in view.
func filterSummary(ctx context.Context, p ReportPage) []string {
	var out []string
	if s := periodSummary(ctx, p.Query); s != "" {
		out = append(out, s)
	}
	return append(out, scopeSummary(ctx, p)...)
}

// periodSummary is the period of a report's query in words ("January
// 2025 – December 2025", "from March 2025"); "" for all time.
func periodSummary(ctx context.Context, q url.Values) string {
	from, to := periodWords(ctx, q.Get("from")), periodWords(ctx, q.Get("to"))
	switch {
	case from != "" && to != "":
		return from + " – " + to
	case from != "":
		return Tf(ctx, "annual.since", map[string]any{"From": from})
	case to != "":
		return Tf(ctx, "annual.until", map[string]any{"To": to})
	}
	return ""
}

// scopeSummary describes the page's filters other than its period: the
// campaign, the places, the cohort and the compared period.
func scopeSummary(ctx context.Context, p ReportPage) []string {
	q := p.Query
	var out []string
	if s := q.Get("campaign"); s != "" {
		out = append(out, hashtag("#"+strings.TrimPrefix(s, "#")))
	}
	if s := q.Get("region"); s != "" {
		out = append(out, T(ctx, "region."+s))
	}
	if s := q.Get("country"); s != "" {
		out = append(out, CountryName(ctx, strings.ToUpper(s)))
	}
	if p.City != nil {
		out = append(out, p.City.Name)
	}
	if s := q.Get("cohort"); s != "" {
		out = append(out, Tf(ctx, "annual.cohort", map[string]any{"Year": s}))
	}
	if p.Comparison != nil {
		out = append(out, Tf(ctx, "annual.versus", map[string]any{"Period": periodLabel(ctx, p.Comparison)}))
	}
	return out
}
