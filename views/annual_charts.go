package views

import (
	"context"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/a-h/templ"
	"golang.org/x/image/vector"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// ReportChart is one of the report's charts, laid out once for the page,
// a standalone SVG file and a PNG image.
type ReportChart struct {
	// Name is the chart's file name without extension ("month", "map").
	Name  string
	Title string
	// Figure is what the chart measures.
	Figure models.Figure
	// Footer is what a downloaded chart says under itself: the figure, the
	// period, the filters and the source (WithFooter).
	Footer []string
	desc   string
	rtl    bool
	bars   *chart
	over   *overlay
	world  *worldMap
}

// ChartNames are the names of the report's charts, in the page's order:
// the map, then the breakdowns that have a chart.
func ChartNames() []string {
	names := []string{"map"}
	for _, bd := range pageBreakdowns() {
		if bd.Chart != "" {
			names = append(names, bd.Name)
		}
	}
	return names
}

// NewReportChart lays out the chart called name of a report (its
// comparison may be nil), as the report page draws it; ok is false for an
// unknown name.
func NewReportChart(ctx context.Context, name string, r *models.Report, cmp *models.Comparison, cities []models.City, mapFigure models.Figure) (ReportChart, bool) {
	rc, ok := newReportChart(ctx, name, r, cmp, cities, mapFigure)
	rc.desc, rc.rtl = T(ctx, "annual.svg_desc"), Dir(ctx) == "rtl"
	return rc, ok
}

func newReportChart(ctx context.Context, name string, r *models.Report, cmp *models.Comparison, cities []models.City, mapFigure models.Figure) (ReportChart, bool) {
	if name == "map" {
		m := newWorldMap("report-map", Tf(ctx, "annual.map_title", map[string]any{"Figure": T(ctx, "figure."+string(mapFigure))}), cities, r.Breakdowns.ByCity, mapFigure)
		return ReportChart{Name: name, Title: m.Title, Figure: mapFigure, world: &m}, true
	}
	for _, bd := range models.AllBreakdowns() {
		if bd.Name == name && bd.Chart != "" {
			return breakdownChart(ctx, bd, r, cmp), true
		}
	}
	return ReportChart{}, false
}

// breakdownChart lays out the chart of a breakdown that has one: the
// months as columns (beside the compared period's, if any), the countries
// with the most of the figure, the others as bars.
func breakdownChart(ctx context.Context, bd models.Breakdown, r *models.Report, cmp *models.Comparison) ReportChart {
	id, title := "chart-"+bd.Name, "report.chart_"+bd.Name
	rows := *bd.Rows(&r.Breakdowns)
	var c chart
	switch bd.From {
	case models.FromMonths:
		if cmp != nil {
			prev := *bd.Rows(&cmp.Breakdowns)
			o := overlayChart(id, T(ctx, "annual.chart_month_compared"), rows, prev, bd.Chart, monthSpan(ctx, rows), monthSpan(ctx, prev))
			return ReportChart{Name: bd.Name, Title: o.Title, Figure: bd.Chart, over: &o}
		}
		c = columnChart(id, T(ctx, title), rows, bd.Chart)
	case models.FromCountries:
		top := topRows(rows, bd.Chart, 15)
		c = barChart(id, Tf(ctx, title, map[string]any{"Count": len(top)}), top, bd.Chart)
	default:
		c = barChart(id, T(ctx, title), rows, bd.Chart)
	}
	return ReportChart{Name: bd.Name, Title: c.Title, Figure: bd.Chart, bars: &c}
}

// blank reports whether the chart has nothing to draw.
func (rc ReportChart) blank() bool { return rc.bars != nil && len(rc.bars.Bars) == 0 }

// WithFooter is the chart with the lines a downloaded chart carries under
// it, so that it still says what it shows once it sits in a slide: its
// figure, the report's period and filters in words, and the source.
func (rc ReportChart) WithFooter(ctx context.Context, p ReportPage) ReportChart {
	period := periodSummary(ctx, p.Query)
	if period == "" {
		period = T(ctx, "annual.chart_all_dates")
	}
	filters := strings.Join(scopeSummary(ctx, p), T(ctx, "annual.chart_list_sep"))
	if filters == "" {
		filters = T(ctx, "annual.chart_no_filters")
	}
	rc.Footer = []string{
		Tf(ctx, "annual.chart_footer_figure", map[string]any{"Figure": T(ctx, "figure."+string(rc.Figure)), "Period": period}),
		Tf(ctx, "annual.chart_footer_filters", map[string]any{"Filters": filters}),
		Tf(ctx, "annual.chart_footer_source", map[string]any{"Source": T(ctx, "annual.chart_source")}),
	}
	return rc
}

// FileName is the name a downloaded chart is saved under, without its
// extension: the figure and the chart, then the period and each filter
// of the query, as "events-held-by-month_2025-01_2025-12_country-MA".
// Parts keep their letters (a campaign's hashtag may have accents): the
// handler also writes an ASCII name.
func (rc ReportChart) FileName(q url.Values) string {
	fig := strings.ReplaceAll(string(rc.Figure), "_", "-")
	parts := []string{fig + "-by-" + strings.ReplaceAll(rc.Name, "_", "-")}
	if rc.Name == "map" {
		parts[0] = fig + "-map"
	}
	from, to := q.Get("from"), q.Get("to")
	switch {
	case from != "" && to != "":
		parts = append(parts, from, to)
	case from != "":
		parts = append(parts, "from-"+from)
	case to != "":
		parts = append(parts, "until-"+to)
	}
	for _, k := range []string{"campaign", "region", "country", "city", "cohort"} {
		if v := q.Get(k); v != "" {
			if k == "country" {
				v = strings.ToUpper(v)
			}
			parts = append(parts, k+"-"+strings.TrimPrefix(v, "#"))
		}
	}
	switch q.Get("compare") {
	case "previous":
		parts = append(parts, "vs-previous")
	case "period":
		parts = append(parts, "vs-"+q.Get("compare_from"), q.Get("compare_to"))
	}
	for i, p := range parts {
		parts[i] = strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' {
				return r
			}
			return '-'
		}, p)
	}
	return strings.Join(parts, "_")
}

// SVG is the chart as a standalone SVG document, styled inside itself.
func (rc ReportChart) SVG() templ.Component { return standaloneDrawing(rc.drawing()) }

// Colours of the exported charts, those of the page's stylesheet.
var (
	inkAccent = color.RGBA{0x00, 0x6b, 0x63, 0xff}
	inkMuted  = color.RGBA{0x4a, 0x55, 0x63, 0xff}
	inkText   = color.RGBA{0x1f, 0x2d, 0x3d, 0xff}
	inkPrev   = color.RGBA{0x7b, 0x87, 0x94, 0xff}
	inkAxis   = color.RGBA{0x8a, 0x94, 0xa3, 0xff}
	inkLand   = color.RGBA{0xd5, 0xdd, 0xe5, 0xff}
	inkSea    = color.RGBA{0xee, 0xf4, 0xf8, 0xff}
)

// pngScale draws the PNG at twice the SVG's units, for slides.
const pngScale = 2

// PNG draws the chart as a PNG image on the server, with Go's vector
// rasterizer and a shaper for its texts (Arabic too): no browser. It is
// the SVG file's drawing, at twice its size.
func (rc ReportChart) PNG(w io.Writer) error {
	ts, err := chartTypesetter()
	if err != nil {
		return err
	}
	d := rc.drawing()
	img := image.NewRGBA(image.Rect(0, 0, int(d.Width*pngScale), int(d.Height*pngScale)))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	cv := &canvas{img: img}
	if d.Land {
		land := landImage()
		draw.Draw(img, land.Bounds().Add(image.Pt(0, int((d.LandY-titleBand)*pngScale))), land, land.Bounds().Min, draw.Src)
	}
	for _, m := range d.Marks {
		switch m.Kind {
		case markRect:
			ink := inkAccent
			if m.Class == "bar prev" {
				ink = inkPrev
			}
			cv.rect(m.X, m.Y, m.W, m.H, ink)
		case markLine:
			cv.rect(m.X-0.5*boolf(m.W == 0), m.Y-0.5*boolf(m.H == 0), max(m.W, 1), max(m.H, 1), inkAxis)
		case markCircle:
			if m.Class == "city none" {
				cv.circle(m.X, m.Y, m.R+0.6, inkAccent)
				cv.circle(m.X, m.Y, m.R-0.6, color.RGBA{0xff, 0xff, 0xff, 0xc0})
				continue
			}
			cv.circle(m.X, m.Y, m.R+0.8, color.RGBA{0xff, 0xff, 0xff, 0xff})
			cv.circle(m.X, m.Y, m.R, inkAccent)
		case markText:
			ink := inkMuted
			switch m.Class {
			case "title", "label":
				ink = inkText
			case "count":
				ink = color.RGBA{0xff, 0xff, 0xff, 0xff}
			}
			ts.draw(img, m, m.size(), pngScale, ink)
		}
	}
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	return enc.Encode(w, img)
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// landImage is the map's sea and countries at the PNG's scale, below a
// title line, drawn once: every map PNG starts from a copy of it.
var landImage = sync.OnceValue(func() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, int(titleBand*pngScale), int(mapWidth*pngScale), int((mapBottom-mapTop+titleBand)*pngScale)))
	cv := &canvas{img: img, dy: titleBand - mapTop}
	cv.rect(0, mapTop, mapWidth, mapBottom-mapTop, inkSea)
	cv.paths(worldOutlines, inkLand)
	return img
})

// canvas draws in the SVG's units onto a PNG image.
type canvas struct {
	img *image.RGBA
	dy  float64
}

// shape fills a closed outline drawn by trace, in its own small
// rasterizer the size of its box (x, y, w, h in the SVG's units): a
// rasterizer the size of the image for every point of a map is slow.
func (cv *canvas) shape(x, y, w, h float64, c color.Color, trace func(z *vector.Rasterizer, pt func(x, y float64) (float32, float32))) {
	x0, y0 := cv.pt(x, y)
	x1, y1 := cv.pt(x+w, y+h)
	box := image.Rect(int(math.Floor(float64(x0))), int(math.Floor(float64(y0))), int(math.Ceil(float64(x1))), int(math.Ceil(float64(y1)))).Intersect(cv.img.Bounds())
	if box.Empty() {
		return
	}
	z := vector.NewRasterizer(box.Dx(), box.Dy())
	z.DrawOp = draw.Over
	trace(z, func(x, y float64) (float32, float32) {
		px, py := cv.pt(x, y)
		return px - float32(box.Min.X), py - float32(box.Min.Y)
	})
	z.Draw(cv.img, box, image.NewUniform(c), image.Point{})
}

func (cv *canvas) pt(x, y float64) (float32, float32) {
	return float32(x * pngScale), float32((y + cv.dy) * pngScale)
}

func (cv *canvas) rect(x, y, w, h float64, c color.Color) {
	if w <= 0 || h <= 0 {
		return
	}
	cv.shape(x, y, w, h, c, func(z *vector.Rasterizer, pt func(x, y float64) (float32, float32)) {
		z.MoveTo(pt(x, y))
		z.LineTo(pt(x+w, y))
		z.LineTo(pt(x+w, y+h))
		z.LineTo(pt(x, y+h))
		z.ClosePath()
	})
}

func (cv *canvas) circle(x, y, r float64, c color.Color) {
	cv.shape(x-r, y-r, 2*r, 2*r, c, func(z *vector.Rasterizer, pt func(x, y float64) (float32, float32)) {
		const n = 24
		for i := range n + 1 {
			a := 2 * math.Pi * float64(i) / n
			if i == 0 {
				z.MoveTo(pt(x+r*math.Cos(a), y+r*math.Sin(a)))
			} else {
				z.LineTo(pt(x+r*math.Cos(a), y+r*math.Sin(a)))
			}
		}
		z.ClosePath()
	})
}

// paths fills the SVG paths (M, L and Z with absolute points) of the
// outlines file in one colour.
func (cv *canvas) paths(outlines string, c color.Color) {
	b := cv.img.Bounds()
	z := vector.NewRasterizer(b.Dx(), b.Dy())
	z.DrawOp = draw.Over
	for line := range strings.Lines(outlines) {
		parts := strings.SplitN(strings.TrimSpace(line), "\t", 3)
		if len(parts) != 3 {
			continue
		}
		d := parts[2]
		for len(d) > 0 {
			cmd := d[0]
			d = d[1:]
			if cmd == 'Z' {
				z.ClosePath()
				continue
			}
			end := strings.IndexAny(d, "MLZ")
			if end < 0 {
				end = len(d)
			}
			xs, ys, _ := strings.Cut(d[:end], " ")
			d = d[end:]
			x, _ := strconv.ParseFloat(xs, 64)
			y, _ := strconv.ParseFloat(ys, 64)
			if cmd == 'M' {
				z.MoveTo(cv.pt(x, y))
			} else {
				z.LineTo(cv.pt(x, y))
			}
		}
	}
	z.Draw(cv.img, b, image.NewUniform(c), image.Point{})
}
