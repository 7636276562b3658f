package views

import (
	"bytes"
	_ "embed"
	"image"
	"image/color"
	"image/draw"
	"math"
	"strings"
	"sync"
	"unicode"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// notoArabic is Noto Sans Arabic (SIL Open Font License, fonts/OFL.txt),
// from Debian's fonts-noto-core: Go's own font has no Arabic letters.
//
//go:embed fonts/NotoSansArabic-Regular.ttf
var notoArabic []byte

// typesetter shapes and draws the PNG charts' texts: Go's sans-serif for
// every script it has, Noto Sans Arabic for Arabic. Shaping joins the
// Arabic letters and orders a line's runs by the Unicode bidirectional
// algorithm; the shaper and faces keep caches, so one text is set at a
// time.
type typesetter struct {
	mu             sync.Mutex
	latin, arabic  *font.Face
	shaper         shaping.HarfbuzzShaper
	segmenter      shaping.Segmenter
	latinRuneCache map[rune]bool
}

var chartTypesetter = sync.OnceValues(func() (*typesetter, error) {
	latin, err := font.ParseTTF(bytes.NewReader(goregular.TTF))
	if err != nil {
		return nil, err
	}
	arabic, err := font.ParseTTF(bytes.NewReader(notoArabic))
	if err != nil {
		return nil, err
	}
	return &typesetter{latin: latin, arabic: arabic, latinRuneCache: map[rune]bool{}}, nil
})

// ResolveFace picks the face of a letter: Arabic letters, and whatever
// Go's font lacks (the Arabic comma), in Noto Sans Arabic.
func (ts *typesetter) ResolveFace(r rune) *font.Face {
	if unicode.Is(unicode.Arabic, r) {
		return ts.arabic
	}
	has, ok := ts.latinRuneCache[r]
	if !ok {
		_, has = ts.latin.NominalGlyph(r)
		ts.latinRuneCache[r] = has
	}
	if has {
		return ts.latin
	}
	return ts.arabic
}

// shape sets one line of text at size pixels, its runs in the order they
// are seen from left to right; rtl is the line's base direction.
func (ts *typesetter) shape(s string, size float64, rtl bool) []shaping.Output {
	runes := []rune(s)
	in := shaping.Input{Text: runes, RunEnd: len(runes), Direction: di.DirectionLTR, Size: fixed.Int26_6(size * 64), Language: language.NewLanguage("en")}
	if rtl {
		in.Direction, in.Language = di.DirectionRTL, language.NewLanguage("ar")
	}
	runs := ts.segmenter.Split(in, ts)
	out := make([]shaping.Output, len(runs))
	levels := make([]int, len(runs))
	for i, r := range runs {
		out[i] = ts.shaper.Shape(r)
		// The embedding levels of one line (UAX #9): a base level of 0 or
		// 1, and runs against the base direction one above it.
		switch {
		case rtl && r.Direction.Progression() == di.TowardTopLeft:
			levels[i] = 1
		case rtl:
			levels[i] = 2
		case r.Direction.Progression() == di.TowardTopLeft:
			levels[i] = 1
		}
	}
	// Rule L2: from the highest level down to the lowest odd one, reverse
	// every run of runs at that level or higher.
	for level := 2; level >= 1; level-- {
		for i := 0; i < len(out); {
			if levels[i] < level {
				i++
				continue
			}
			j := i
			for j < len(out) && levels[j] >= level {
				j++
			}
			for a, b := i, j-1; a < b; a, b = a+1, b-1 {
				out[a], out[b] = out[b], out[a]
				levels[a], levels[b] = levels[b], levels[a]
			}
			i = j
		}
	}
	return out
}

// draw writes a mark's text onto img at scale pixels per SVG unit: laid
// out and shaped, placed by its anchor, level or turned upright.
func (ts *typesetter) draw(img *image.RGBA, m mark, size, scale float64, c color.Color) {
	s := m.Text
	if strings.TrimSpace(s) == "" {
		return
	}
	ts.mu.Lock()
	defer ts.mu.Unlock()
	px := size * scale
	runs := ts.shape(s, px, m.RTL)
	var adv float64
	for _, r := range runs {
		adv += float64(r.Advance) / 64
	}
	shift := map[string]float64{"middle": adv / 2, "end": adv}[m.Anchor]
	ax, ay := m.X*scale, m.Y*scale
	// place turns a point of the line (x along the baseline from the
	// text's left edge, y downwards from it) into the image's pixels.
	place := func(x, y float64) (float64, float64) {
		x -= shift
		if m.Upright {
			return ax + y, ay - x
		}
		return ax + x, ay + y
	}
	// The box the line may ink, in the image, for a rasterizer of its size.
	asc, desc := 1.2*px, 0.6*px
	x0, y0 := place(0, -asc)
	x1, y1 := place(adv, desc)
	box := image.Rect(int(math.Floor(min(x0, x1))), int(math.Floor(min(y0, y1))), int(math.Ceil(max(x0, x1))), int(math.Ceil(max(y0, y1)))).Intersect(img.Bounds())
	if box.Empty() {
		return
	}
	z := vector.NewRasterizer(box.Dx(), box.Dy())
	z.DrawOp = draw.Over
	pen := 0.0
	for _, r := range runs {
		k := px / float64(r.Face.Upem())
		for _, g := range r.Glyphs {
			gx, gy := pen+float64(g.XOffset)/64, -float64(g.YOffset)/64
			pen += float64(g.Advance) / 64
			outline, ok := r.Face.GlyphData(g.GlyphID).(font.GlyphOutline)
			if !ok {
				continue
			}
			pt := func(p ot.SegmentPoint) (float32, float32) {
				x, y := place(gx+float64(p.X)*k, gy-float64(p.Y)*k)
				return float32(x) - float32(box.Min.X), float32(y) - float32(box.Min.Y)
			}
			for _, seg := range outline.Segments {
				switch seg.Op {
				case ot.SegmentOpMoveTo:
					z.MoveTo(pt(seg.Args[0]))
				case ot.SegmentOpLineTo:
					z.LineTo(pt(seg.Args[0]))
				case ot.SegmentOpQuadTo:
					bx, by := pt(seg.Args[0])
					cx, cy := pt(seg.Args[1])
					z.QuadTo(bx, by, cx, cy)
				case ot.SegmentOpCubeTo:
					bx, by := pt(seg.Args[0])
					cx, cy := pt(seg.Args[1])
					dx, dy := pt(seg.Args[2])
					z.CubeTo(bx, by, cx, cy, dx, dy)
				}
			}
			z.ClosePath()
		}
	}
	z.Draw(img, box, image.NewUniform(c), image.Point{})
}
