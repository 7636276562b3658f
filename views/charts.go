package views

import (
	"context"
	"fmt"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// figureOf reads a figure of a breakdown row; ok is false when the
// figure does not apply to the row.
func figureOf(r models.Row, f models.Figure) (int64, bool) {
	if p := r.Value(f); p != nil {
		return *p, true
	}
	return 0, false
}

// figureText is a row's figure for a table cell ("–" when it does not apply).
func figureText(ctx context.Context, r models.Row, f models.Figure) string {
	if v, ok := figureOf(r, f); ok {
		return Num(ctx, v)
	}
	return "–"
}

// chartBar is one bar of a bar chart, laid out.
type chartBar struct {
	Label, Value string
	X, Y, W, H   int
	TextX, TextY int
	// ValueY, in a column chart, is where the column's value is written
	// above it; 0 for a column that shows its value only on hover.
	ValueY int
}

// chart is a laid-out bar chart: Width and Height are its view box.
type chart struct {
	ID, Title     string
	Width, Height int
	Bars          []chartBar
	Columns       bool
	BaseY         int
	// Max is the figure that fills Plot units (a bar's length, a column's
	// height); Left is where a column chart's first column starts: the
	// value axis of a downloaded chart stands there.
	Max, Plot, Left int
}

// barChart lays out horizontal bars of figure over rows, one per row,
// each with its label above it, so that long labels stay readable on a
// phone.
func barChart(id, title string, rows []models.Row, figure models.Figure) chart {
	const width, barW, rowH = 520, 420, 46
	c := chart{ID: id, Title: title, Width: width, Height: len(rows)*rowH + 4, Plot: barW}
	maxV := int64(1)
	for _, r := range rows {
		if v, _ := figureOf(r, figure); v > maxV {
			maxV = v
		}
	}
	c.Max = int(maxV)
	for i, r := range rows {
		v, _ := figureOf(r, figure)
		w := int(v * barW / maxV)
		if v > 0 && w < 2 {
			w = 2
		}
		y := i * rowH
		c.Bars = append(c.Bars, chartBar{
			Label: r.Label, Value: formatInt(int(v)), X: 0, Y: y + 24, W: w, H: 16,
			TextX: w + 6, TextY: y + 38,
		})
	}
	return c
}

// columnChart lays out one column per row (months), labelling some.
func columnChart(id, title string, rows []models.Row, figure models.Figure) chart {
	// Above the plot, room for the tallest column's value; on the left,
	// for the value axis of a downloaded chart.
	const plotH, width, pad, top = 180, 680, 44, 28
	c := chart{ID: id, Title: title, Width: width + 2*pad, Height: plotH + top + 30, Columns: true, BaseY: plotH + top, Plot: plotH, Left: pad}
	if len(rows) == 0 {
		return c
	}
	maxV := int64(1)
	for _, r := range rows {
		if v, _ := figureOf(r, figure); v > maxV {
			maxV = v
		}
	}
	c.Max = int(maxV)
	step := width / len(rows)
	every := max(1, (len(rows)+11)/12)
	for i, r := range rows {
		v, _ := figureOf(r, figure)
		h := int(v * plotH / maxV)
		// The months labelled (at most 12) show their values too, so that
		// the chart reads without hovering, in print and on a slide.
		label, valueY := "", 0
		if i%every == 0 {
			label, valueY = r.Key, c.BaseY-h-6
		}
		c.Bars = append(c.Bars, chartBar{
			Label: label, Value: formatInt(int(v)), X: pad + i*step + 1, Y: c.BaseY - h, W: max(step-2, 1), H: h,
			TextX: pad + i*step + step/2, TextY: c.BaseY + 16, ValueY: valueY,
		})
	}
	return c
}

// placedBar is a horizontal bar placed for the page's writing direction.
type placedBar struct {
	chartBar
	BarX int
}

// mirrored places a bar chart's bars: from the left in left-to-right
// languages, from the right in Arabic, with labels on the same side (SVG
// text starts on the right in a right-to-left page).
func mirrored(ctx context.Context, c chart) []placedBar {
	out := make([]placedBar, len(c.Bars))
	for i, b := range c.Bars {
		p := placedBar{chartBar: b, BarX: b.X}
		if Dir(ctx) == "rtl" {
			p.X = c.Width - b.X
			p.BarX = c.Width - b.X - b.W
			p.TextX = c.Width - b.TextX
		}
		out[i] = p
	}
	return out
}

func viewBox(c chart) string { return fmt.Sprintf("0 0 %d %d", c.Width, c.Height) }
