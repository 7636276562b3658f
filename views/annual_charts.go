package views

import (
	"context"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/a-h/templ"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// ReportChart is one of the report's charts, laid out once for the page,
// a standalone SVG file and a PNG image.
type ReportChart struct {
	// Name is the chart's file name without extension ("month", "map").
	Name  string
	Title string
	bars  *chart
	over  *overlay
	world *worldMap
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
	if name == "map" {
		m := newWorldMap("report-map", Tf(ctx, "annual.map_title", map[string]any{"Figure": T(ctx, "figure."+string(mapFigure))}), cities, r.Breakdowns.ByCity, mapFigure)
		return ReportChart{Name: name, Title: m.Title, world: &m}, true
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
			return ReportChart{Name: bd.Name, Title: o.Title, over: &o}
		}
		c = columnChart(id, T(ctx, title), rows, bd.Chart)
	case models.FromCountries:
		top := topRows(rows, bd.Chart, 15)
		c = barChart(id, Tf(ctx, title, map[string]any{"Count": len(top)}), top, bd.Chart)
	default:
		c = barChart(id, T(ctx, title), rows, bd.Chart)
	}
	return ReportChart{Name: bd.Name, Title: c.Title, bars: &c}
}

// blank reports whether the chart has nothing to draw.
func (rc ReportChart) blank() bool { return rc.bars != nil && len(rc.bars.Bars) == 0 }

// SVG is the chart as a standalone SVG document, styled inside itself.
func (rc ReportChart) SVG() templ.Component {
	switch {
	case rc.world != nil:
		return standaloneMap(*rc.world)
	case rc.over != nil:
		return standaloneOverlay(*rc.over)
	}
	return standaloneChart(*rc.bars)
}

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

// chartFont is Go's own sans-serif (Latin, Greek, Cyrillic): labels in
// scripts it lacks come out in English (see PNGContext).
var chartFont = sync.OnceValues(func() (*opentype.Font, error) { return opentype.Parse(goregular.TTF) })

// PNG draws the chart as a PNG image on the server, with Go's vector
// rasterizer and font: no browser.
func (rc ReportChart) PNG(w io.Writer) error {
	f, err := chartFont()
	if err != nil {
		return err
	}
	face := func(size float64) font.Face {
		fc, _ := opentype.NewFace(f, &opentype.FaceOptions{Size: size * pngScale, DPI: 72, Hinting: font.HintingFull})
		return fc
	}
	var width, height, top float64
	switch {
	case rc.world != nil:
		width, height, top = mapWidth, mapBottom-mapTop, mapTop
	case rc.over != nil:
		width, height = float64(rc.over.Width), float64(rc.over.Height)
	default:
		width, height = float64(rc.bars.Width), float64(rc.bars.Height)
	}
	const titleH = 34
	img := image.NewRGBA(image.Rect(0, 0, int(width*pngScale), int((height+titleH)*pngScale)))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	cv := &canvas{img: img, dy: titleH - top}
	cv.text(face(17), 4, 22-cv.dy, rc.Title, inkText, false)
	switch {
	case rc.world != nil:
		land := landImage()
		draw.Draw(img, land.Bounds(), land, land.Bounds().Min, draw.Src)
		for i := len(rc.world.Points) - 1; i >= 0; i-- {
			p := rc.world.Points[i]
			cv.circle(p.X, p.Y, p.R+0.8, color.RGBA{0xff, 0xff, 0xff, 0xff})
			cv.circle(p.X, p.Y, p.R, inkAccent)
		}
	case rc.over != nil:
		o := rc.over
		cv.rect(24, 6, 14, 14, inkPrev)
		cv.text(face(13), 44, 18, o.PrevLabel, inkMuted, false)
		cv.rect(360, 6, 14, 14, inkAccent)
		cv.text(face(13), 380, 18, o.CurLabel, inkMuted, false)
		cv.rect(0, float64(o.BaseY), float64(o.Width), 1, inkAxis)
		for _, b := range o.Prev {
			cv.rect(float64(b.X), float64(b.Y), float64(b.W), float64(b.H), inkPrev)
		}
		for _, b := range o.Cur {
			cv.rect(float64(b.X), float64(b.Y), float64(b.W), float64(b.H), inkAccent)
			cv.text(face(13), float64(b.TextX), float64(b.TextY), b.Label, inkMuted, true)
		}
	case rc.bars.Columns:
		c := rc.bars
		cv.rect(0, float64(c.BaseY), float64(c.Width), 1, inkAxis)
		for _, b := range c.Bars {
			cv.rect(float64(b.X), float64(b.Y), float64(b.W), float64(b.H), inkAccent)
			cv.text(face(13), float64(b.TextX), float64(b.TextY), b.Label, inkMuted, true)
		}
	default:
		for _, b := range rc.bars.Bars {
			cv.text(face(18), float64(b.X), float64(b.Y-6), b.Label, inkText, false)
			cv.rect(float64(b.X), float64(b.Y), float64(b.W), float64(b.H), inkAccent)
			cv.text(face(18), float64(b.TextX), float64(b.TextY), b.Value, inkText, false)
		}
	}
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	return enc.Encode(w, img)
}

// landImage is the map's sea and countries at the PNG's scale, below a
// title line, drawn once: every map PNG starts from a copy of it.
var landImage = sync.OnceValue(func() *image.RGBA {
	const titleH = 34
	img := image.NewRGBA(image.Rect(0, int(titleH*pngScale), int(mapWidth*pngScale), int((mapBottom-mapTop+titleH)*pngScale)))
	cv := &canvas{img: img, dy: titleH - mapTop}
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

// text writes s with its baseline at y, starting at x or centred on it.
func (cv *canvas) text(face font.Face, x, y float64, s string, c color.Color, centre bool) {
	if s == "" || face == nil {
		return
	}
	d := font.Drawer{Dst: cv.img, Src: image.NewUniform(c), Face: face}
	px, py := cv.pt(x, y)
	if centre {
		px -= float32(d.MeasureString(s).Round()) / 2
	}
	d.Dot = fixed.P(int(px), int(py))
	d.DrawString(s)
}

// standaloneBox is the view box of a chart with its title line above.
func standaloneBox(w, h int) string {
	return "0 -34 " + strconv.Itoa(w) + " " + strconv.Itoa(h+34)
}
