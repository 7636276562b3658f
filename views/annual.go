package views

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// changeText is a change as "+12 (+8.5 %)", or "+12" when there was
// nothing to compare with.
func changeText(ctx context.Context, c models.Change) string {
	abs := Num(ctx, c.Absolute)
	if c.Absolute > 0 {
		abs = "+" + abs
	}
	if c.Percent == nil {
		return abs
	}
	return fmt.Sprintf("%s (%+.1f %%)", abs, *c.Percent)
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

// rowChange is the change of figure f between a row and the row of the
// same key in the compared breakdown (nothing before when it has none).
func rowChange(r models.Row, prev map[string]models.Row, f models.Figure) (models.Change, bool) {
	cur, ok := figureOf(r, f)
	if !ok {
		return models.Change{}, false
	}
	before, _ := figureOf(prev[r.Key], f)
	return models.NewChange(cur, before), true
}

// rowChangeText is rowChange for a table cell ("–" when f does not apply).
func rowChangeText(ctx context.Context, r models.Row, prev map[string]models.Row, f models.Figure) string {
	if c, ok := rowChange(r, prev, f); ok {
		return changeText(ctx, c)
	}
	return "–"
}

// byKey indexes rows by key.
func byKey(rows []models.Row) map[string]models.Row {
	out := make(map[string]models.Row, len(rows))
	for _, r := range rows {
		out[r.Key] = r
	}
	return out
}

// periodLabel names a comparison's period in words: its months when it
// is whole months ("January 2024 – December 2024"), else its days.
func periodLabel(ctx context.Context, c *models.Comparison) string {
	from, err1 := time.Parse(time.DateOnly, c.From)
	to, err2 := time.Parse(time.DateOnly, c.To)
	switch {
	case err1 != nil || err2 != nil:
		return strings.TrimSpace(c.From + " – " + c.To)
	case from.Day() == 1 && to.AddDate(0, 0, 1).Day() == 1:
		return MonthLabel(ctx, from) + " – " + MonthLabel(ctx, to)
	}
	return Date(ctx, from) + " – " + Date(ctx, to)
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

// comparedRows indexes a breakdown of the comparison by key (nil without one).
func comparedRows(c *models.Comparison, bd models.Breakdown) map[string]models.Row {
	if c == nil {
		return nil
	}
	return byKey(*bd.Rows(&c.Breakdowns))
}

// monthSpan names the months of a by-month breakdown, "2025-01 – 2025-12".
func monthSpan(rows []models.Row) string {
	if len(rows) == 0 {
		return ""
	}
	return rows[0].Key + " – " + rows[len(rows)-1].Key
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
