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

// ChartNames are the names of the report's charts, in the page's order.
func ChartNames() []string {
	return []string{"map", "month", "region", "area", "age", "format", "sector", "country"}
}

// NewReportChart lays out the chart called name of a report (its
// comparison may be nil), as the report page draws it; ok is false for an
// unknown name.
func NewReportChart(ctx context.Context, name string, r *models.Report, cmp *models.Comparison, cities []models.City, mapFigure models.Figure) (ReportChart, bool) {
	b := &r.Breakdowns
	bar := func(id, titleID string, rows []models.Row, f models.Figure) (ReportChart, bool) {
		c := barChart(id, T(ctx, titleID), rows, f)
		return ReportChart{Name: name, Title: c.Title, bars: &c}, true
	}
	switch name {
	case "map":
		m := newWorldMap("report-map", Tf(ctx, "annual.map_title", map[string]any{"Figure": T(ctx, "figure."+string(mapFigure))}), cities, b.ByCity, mapFigure)
		return ReportChart{Name: name, Title: m.Title, world: &m}, true
	case "month":
		if cmp != nil {
			o := overlayChart("chart-month", T(ctx, "annual.chart_month_compared"), b.ByMonth, cmp.Breakdowns.ByMonth, models.FigureEventsHeld, monthSpan(b.ByMonth), monthSpan(cmp.Breakdowns.ByMonth))
			return ReportChart{Name: name, Title: o.Title, over: &o}, true
		}
		c := columnChart("chart-month", T(ctx, "report.chart_month"), b.ByMonth, models.FigureEventsHeld)
		return ReportChart{Name: name, Title: c.Title, bars: &c}, true
	case "region":
		return bar("chart-region", "report.chart_region", b.ByRegion, models.FigureEventsHeld)
	case "area":
		return bar("chart-area", "report.chart_area", b.ByLearningArea, models.FigureEventsHeld)
	case "age":
		return bar("chart-age", "report.chart_age", b.ByAgeGroup, models.FigureEventsHeld)
	case "format":
		return bar("chart-format", "report.chart_format", b.ByFormat, models.FigureEventsHeld)
	case "sector":
		return bar("chart-sector", "report.chart_sector", b.ByPartnerSector, models.FigurePartnersEngaged)
	case "country":
		top := topRows(b.ByCountry, models.FigureEventsHeld, 15)
		c := barChart("chart-country", Tf(ctx, "report.chart_country", map[string]any{"Count": len(top)}), top, models.FigureEventsHeld)
		return ReportChart{Name: name, Title: c.Title, bars: &c}, true
	}
	return ReportChart{}, false
}

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
	faces := map[float64]font.Face{}
	face := func(size float64) font.Face {
		if fc, ok := faces[size]; ok {
			return fc
		}
		fc, _ := opentype.NewFace(f, &opentype.FaceOptions{Size: size * pngScale, DPI: 72, Hinting: font.HintingFull})
		faces[size] = fc
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
		cv.rect(0, top, width, height, inkSea)
		cv.paths(worldOutlines, inkLand)
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

// canvas draws in the SVG's units onto a PNG image.
type canvas struct {
	img *image.RGBA
	dy  float64
}

// pathOp is one step of a path in image pixels: 'M' move, 'L' line or
// 'Z' close.
type pathOp struct {
	op   byte
	x, y float32
}

// fill fills the path in one colour, rasterizing its bounding box only: a
// shape costs its own size, not the image's (a map's 800 city dots would
// otherwise each cost the whole image).
func (cv *canvas) fill(ops []pathOp, c color.Color) {
	minX, minY, maxX, maxY := float32(math.MaxFloat32), float32(math.MaxFloat32), float32(-math.MaxFloat32), float32(-math.MaxFloat32)
	for _, o := range ops {
		if o.op != 'Z' {
			minX, minY, maxX, maxY = min(minX, o.x), min(minY, o.y), max(maxX, o.x), max(maxY, o.y)
		}
	}
	r := image.Rect(int(math.Floor(float64(minX))), int(math.Floor(float64(minY))), int(math.Ceil(float64(maxX))), int(math.Ceil(float64(maxY)))).Intersect(cv.img.Bounds())
	if r.Empty() {
		return
	}
	z := vector.NewRasterizer(r.Dx(), r.Dy())
	z.DrawOp = draw.Over
	ox, oy := float32(r.Min.X), float32(r.Min.Y)
	for _, o := range ops {
		switch o.op {
		case 'M':
			z.MoveTo(o.x-ox, o.y-oy)
		case 'L':
			z.LineTo(o.x-ox, o.y-oy)
		default:
			z.ClosePath()
		}
	}
	z.Draw(cv.img, r, image.NewUniform(c), image.Point{})
}

// to is the path step to the point (x, y) in the SVG's units.
func (cv *canvas) to(op byte, x, y float64) pathOp {
	return pathOp{op, float32(x * pngScale), float32((y + cv.dy) * pngScale)}
}

func (cv *canvas) pt(x, y float64) (float32, float32) {
	return float32(x * pngScale), float32((y + cv.dy) * pngScale)
}

func (cv *canvas) rect(x, y, w, h float64, c color.Color) {
	if w <= 0 || h <= 0 {
		return
	}
	cv.fill([]pathOp{cv.to('M', x, y), cv.to('L', x+w, y), cv.to('L', x+w, y+h), cv.to('L', x, y+h), {op: 'Z'}}, c)
}

func (cv *canvas) circle(x, y, r float64, c color.Color) {
	const n = 24
	ops := make([]pathOp, 0, n+2)
	for i := range n + 1 {
		a := 2 * math.Pi * float64(i) / n
		op := byte('L')
		if i == 0 {
			op = 'M'
		}
		ops = append(ops, cv.to(op, x+r*math.Cos(a), y+r*math.Sin(a)))
	}
	cv.fill(append(ops, pathOp{op: 'Z'}), c)
}

// paths fills the SVG paths (M, L and Z with absolute points) of the
// outlines file in one colour.
func (cv *canvas) paths(outlines string, c color.Color) {
	var ops []pathOp
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
				ops = append(ops, pathOp{op: 'Z'})
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
			ops = append(ops, cv.to(cmd, x, y))
		}
	}
	cv.fill(ops, c)
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
