package views

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/a-h/templ"
)

// markKind is what a mark of a downloaded chart draws.
type markKind int

const (
	markRect markKind = iota
	markLine
	markCircle
	markText
)

// mark is one shape or text of a downloaded chart, in the SVG's units,
// drawn the same into the SVG file and the PNG image.
type mark struct {
	Kind markKind
	// X, Y are a rectangle's or a line's first corner, a circle's centre,
	// a text's anchor on its baseline; W, H a rectangle's size or a
	// line's run; R a circle's radius.
	X, Y, W, H, R float64
	// Class is the chart stylesheet's class: "bar", "bar prev", "axis",
	// "title", "label", "value", "tick", "legend", "footer", "city",
	// "city none", "count".
	Class string
	Text  string
	// Anchor places a text by its left edge ("start"), middle or right
	// edge ("end") at X, whatever its direction.
	Anchor string
	// Upright turns a text a quarter to read upwards, from X, Y: the
	// values of columns too narrow for them.
	Upright bool
	// RTL lays a text out right to left (a line in Arabic).
	RTL bool
	// Size is a text's size when not its class's: the values of columns
	// narrower than a line of text.
	Size float64
	// Title is a shape's tooltip.
	Title string
}

// drawing is a downloaded chart: its marks over a white sheet, with the
// countries' outlines below them for the map.
type drawing struct {
	Width, Height float64
	Title, Desc   string
	// Land draws the map's sea and countries, LandY lower than the map's
	// own frame.
	Land  bool
	LandY float64
	Marks []mark
}

// Sizes of the downloaded charts' texts, by class.
var textSizes = map[string]float64{"title": 17, "label": 15, "value": 12, "tick": 12, "legend": 13, "footer": 11, "count": 11}

// size is a text mark's size.
func (m mark) size() float64 {
	if m.Size != 0 {
		return m.Size
	}
	return textSizes[m.Class]
}

// The bands of a downloaded chart: the title line above, the footer's
// lines below.
const (
	titleBand   = 34
	footerLineH = 15
)

// textWidth estimates how wide a text is, in the SVG's units, from its
// size: an average letter of a sans-serif is a little over half as wide
// as it is tall. The SVG's reader lays it out with its own font, so a
// layout leaves room for some error.
func textWidth(s string, size float64) float64 {
	return float64(utf8.RuneCountInString(s)) * size * 0.58
}

// wrapText breaks s into lines at most width wide, between words.
func wrapText(s string, size, width float64) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && textWidth(line+" "+w, size) > width {
			lines = append(lines, line)
			line = w
			continue
		}
		line = strings.TrimPrefix(line+" "+w, " ")
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// niceTicks are the values an axis marks from 0 to at most max: four or
// five steps of 1, 2 or 5 times a power of ten, whole numbers.
func niceTicks(top int) []int {
	if top <= 0 {
		return []int{0}
	}
	raw := float64(top) / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	s := max(1, int(math.Round(step)))
	var out []int
	for v := 0; v <= top; v += s {
		out = append(out, v)
	}
	return out
}

// drawing lays out the chart as a file: the title line, the chart with
// its axes and a value on each bar, column or point, and the footer.
func (rc ReportChart) drawing() drawing {
	var body []mark
	var w, h float64
	switch {
	case rc.world != nil:
		w, h = mapWidth, mapBottom-mapTop
		body = mapMarks(*rc.world)
	case rc.over != nil:
		w, h = float64(rc.over.Width), float64(rc.over.Height)
		body, h = overlayMarks(*rc.over, h)
	case rc.bars.Columns:
		w, h = float64(rc.bars.Width), float64(rc.bars.Height)
		body, h = columnMarks(*rc.bars, h)
	default:
		w = float64(rc.bars.Width)
		body, h = barMarks(*rc.bars, rc.rtl)
	}
	// A margin on either side of a chart keeps its edge's labels whole.
	margin := 10.0
	if rc.world != nil {
		margin = 0
	}
	w += 2 * margin
	d := drawing{Width: w, Title: rc.Title, Desc: rc.desc, Land: rc.world != nil, LandY: titleBand}
	side, anchor := 4.0, "start"
	if rc.rtl {
		side, anchor = w-4, "end"
	}
	titleSize := textSizes["title"]
	titles := wrapText(rc.Title, titleSize, w-8)
	top := float64(titleBand + (len(titles)-1)*20)
	for i, line := range titles {
		d.Marks = append(d.Marks, mark{Kind: markText, X: side, Y: 22 + float64(i*20), Class: "title", Text: line, Anchor: anchor, RTL: rc.rtl})
	}
	for _, m := range body {
		m.X += margin
		m.Y += top
		d.Marks = append(d.Marks, m)
	}
	if d.Land {
		d.LandY = top
	}
	y := top + h + 8
	for _, f := range rc.Footer {
		for _, line := range wrapText(f, textSizes["footer"], w-8) {
			y += footerLineH
			d.Marks = append(d.Marks, mark{Kind: markText, X: side, Y: y, Class: "footer", Text: line, Anchor: anchor, RTL: rc.rtl})
		}
	}
	d.Height = math.Ceil(y + 8)
	return d
}

// barMarks draws a bar chart: each bar with its label above it and its
// value at its end, and the value axis under them; in a right-to-left
// language the bars grow from the right. It returns the marks and their
// height.
func barMarks(c chart, rtl bool) ([]mark, float64) {
	w := float64(c.Width)
	x := func(v float64) float64 {
		if rtl {
			return w - v
		}
		return v
	}
	near := "start"
	if rtl {
		near = "end"
	}
	var out []mark
	for _, b := range c.Bars {
		bx := float64(b.X)
		if rtl {
			bx = w - float64(b.X+b.W)
		}
		out = append(out,
			mark{Kind: markText, X: x(float64(b.X)), Y: float64(b.Y - 6), Class: "label", Text: b.Label, Anchor: near, RTL: rtl},
			mark{Kind: markRect, X: bx, Y: float64(b.Y), W: float64(b.W), H: float64(b.H), Class: "bar"},
			mark{Kind: markText, X: x(float64(b.TextX)), Y: float64(b.TextY), Class: "value", Text: b.Value, Anchor: near},
		)
	}
	axisY := float64(c.Height + 2)
	out = append(out,
		mark{Kind: markLine, X: x(0), Y: 16, H: axisY - 16, Class: "axis"},
		mark{Kind: markLine, X: min(x(0), x(float64(c.Plot))), Y: axisY, W: float64(c.Plot), Class: "axis"},
	)
	for _, v := range niceTicks(c.Max) {
		tx := x(float64(v * c.Plot / max(c.Max, 1)))
		out = append(out,
			mark{Kind: markLine, X: tx, Y: axisY, H: 4, Class: "axis"},
			mark{Kind: markText, X: tx, Y: axisY + 16, Class: "tick", Text: formatInt(v), Anchor: "middle"},
		)
	}
	return out, axisY + 22
}

// valueMarks writes each column's value above it, turned upright when
// it is wider than the column's slot; lift is how far the tallest
// upright value reaches above the plot.
func valueMarks(bars []chartBar, slot float64) (out []mark, lift float64) {
	for _, b := range bars {
		if textWidth(b.Value, textSizes["value"]) <= slot {
			out = append(out, mark{Kind: markText, X: float64(b.X) + float64(b.W)/2, Y: float64(b.Y - 4), Class: "value", Text: b.Value, Anchor: "middle"})
			continue
		}
		// Turned upright, a value is as wide as its letters are tall: it
		// shrinks to its slot, so that neighbours do not overlap.
		size := min(textSizes["value"], max(slot-1, 6))
		out = append(out, mark{Kind: markText, X: float64(b.X) + float64(b.W)/2 + size/3, Y: float64(b.Y - 4), Class: "value", Text: b.Value, Anchor: "start", Upright: true, Size: size})
		lift = max(lift, textWidth(b.Value, size))
	}
	return out, lift
}

// columnAxes draws a column chart's base line, its value axis on the
// left with its ticks, and the months' labels under the columns.
func columnAxes(c chart, bars []chartBar) []mark {
	base, left := float64(c.BaseY), float64(c.Left-4)
	out := []mark{
		{Kind: markLine, X: 0, Y: base, W: float64(c.Width), Class: "axis"},
		{Kind: markLine, X: left, Y: base - float64(c.Plot), H: float64(c.Plot), Class: "axis"},
	}
	for _, v := range niceTicks(c.Max) {
		ty := base - float64(v*c.Plot/max(c.Max, 1))
		out = append(out,
			mark{Kind: markLine, X: left - 4, Y: ty, W: 4, Class: "axis"},
			mark{Kind: markText, X: left - 6, Y: ty + 4, Class: "tick", Text: formatInt(v), Anchor: "end"},
		)
	}
	for _, b := range bars {
		if b.Label != "" {
			out = append(out, mark{Kind: markText, X: float64(b.TextX), Y: float64(b.TextY), Class: "tick", Text: b.Label, Anchor: "middle"})
		}
	}
	return out
}

// columnMarks draws a column chart with every column's value; upright
// values push the chart down. It returns the marks and their height.
func columnMarks(c chart, h float64) ([]mark, float64) {
	var out []mark
	slot := 0.0
	for _, b := range c.Bars {
		out = append(out, mark{Kind: markRect, X: float64(b.X), Y: float64(b.Y), W: float64(b.W), H: float64(b.H), Class: "bar", Title: b.Label + " " + b.Value})
		slot = float64(b.W + 2)
	}
	values, lift := valueMarks(c.Bars, slot)
	out = append(append(out, values...), columnAxes(c, c.Bars)...)
	return lowered(out, lift, h)
}

// overlayMarks draws the two periods' columns with a value on each and
// the legend. It returns the marks and their height.
func overlayMarks(o overlay, h float64) ([]mark, float64) {
	out := []mark{
		{Kind: markRect, X: 24, Y: 6, W: 14, H: 14, Class: "bar prev"},
		{Kind: markText, X: 44, Y: 18, Class: "legend", Text: o.PrevLabel, Anchor: "start"},
		{Kind: markRect, X: 360, Y: 6, W: 14, H: 14, Class: "bar"},
		{Kind: markText, X: 380, Y: 18, Class: "legend", Text: o.CurLabel, Anchor: "start"},
	}
	var bars []chartBar
	slot := 0.0
	for _, set := range []struct {
		bars  []overlayBar
		class string
	}{{o.Prev, "bar prev"}, {o.Cur, "bar"}} {
		for _, b := range set.bars {
			out = append(out, mark{Kind: markRect, X: float64(b.X), Y: float64(b.Y), W: float64(b.W), H: float64(b.H), Class: set.class, Title: b.Title})
			bars = append(bars, b.chartBar)
			slot = float64(b.W + 1)
		}
	}
	values, lift := valueMarks(bars, slot)
	out = append(append(out, values...), columnAxes(o.chart, bars)...)
	// The legend stays at the top when upright values push the plot down.
	m, height := lowered(out[4:], lift, h)
	return append(out[:4:4], m...), height
}

// lowered moves marks down by the room that upright values need above
// the plot (beyond the room the chart keeps for a value), adding it to
// the height h.
func lowered(ms []mark, lift, h float64) ([]mark, float64) {
	extra := math.Max(0, math.Ceil(lift-20))
	for i := range ms {
		ms[i].Y += extra
	}
	return ms, h + extra
}

// mapMarks draws the map's points, a cluster with its count of cities.
func mapMarks(m worldMap) []mark {
	var out []mark
	for _, p := range m.Points {
		out = append(out, mark{Kind: markCircle, X: p.X, Y: p.Y, R: p.R, Class: pointClass(p)})
		if len(p.Cities) > 0 {
			out = append(out, mark{Kind: markText, X: p.X, Y: p.Y + 4, Class: "count", Text: strconv.Itoa(len(p.Cities)), Anchor: "middle"})
		}
	}
	return out
}

// svgTextAttrs place a text of the SVG file: its anchor (SVG's start and
// end follow the text's direction), direction and turn.
func svgTextAttrs(m mark) templ.Attributes {
	at := templ.Attributes{"x": num(m.X), "y": num(m.Y), "class": m.Class}
	anchor := m.Anchor
	if m.RTL {
		at["direction"], at["unicode-bidi"] = "rtl", "embed"
		anchor = map[string]string{"start": "end", "end": "start"}[anchor]
		if anchor == "" {
			anchor = "middle"
		}
	}
	if anchor != "start" {
		at["text-anchor"] = anchor
	}
	if m.Size != 0 {
		at["style"] = "font-size:" + num(m.Size) + "px"
	}
	if m.Upright {
		at["transform"] = "rotate(-90 " + num(m.X) + " " + num(m.Y) + ")"
	}
	return at
}

// num writes a coordinate with at most one decimal.
func num(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }
