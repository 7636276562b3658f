// Package photo checks and re-encodes the photos learners upload: JPEG,
// PNG or WebP in, a fresh upright JPEG of at most 2048 pixels a side out,
// with no metadata; a Gate bounds how many are decoded at once. Storing
// the result is the store's (store.CreateStory).
package photo

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	stddraw "image/draw"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"
	"golang.org/x/sync/semaphore"
)

// Photo limits.
const (
	// maxPixels bounds width × height before a full decode, so a small
	// file that declares a huge image cannot exhaust memory.
	maxPixels = 50_000_000
	// MaxPhotoMemory bounds the memory one photo may take to be decoded
	// and scaled down, worked out from its header before it is decoded:
	// a 24-megapixel baseline JPEG (80 MB), a 12-megapixel progressive
	// one (113 MB) or a 16-megapixel 8-bit PNG (78 MB) fits; a 4000 ×
	// 4000 16-bit PNG (139 MB), a 7000 × 7000 PNG or a 32-megapixel
	// progressive 4:4:4 JPEG (511 MB) does not.
	MaxPhotoMemory = 128 << 20
	// DecodeShare is what a Gate of n lets be decoded at once, n times:
	// photos are decoded together while their memory adds up to at most
	// n × DecodeShare, and one that needs more than all of it is refused.
	DecodeShare = 96 << 20
	// longSide is the longest side of a stored photo.
	longSide = 2048
	// exifWindow is how much of a JPEG's start is searched for its EXIF
	// orientation (an APP1 segment is at most 64 KB).
	exifWindow = 256 << 10
)

// The photo problems a learner can be told about.
const (
	photoTooLarge = "photo_size"
	photoType     = "photo_type"
	photoCorrupt  = "photo_corrupt"
	photoHuge     = "photo_dimensions"
	// Busy means the server is decoding as many photos as it may: the
	// learner is asked to send the form again in a moment.
	Busy = "photo_busy"
)

// Gate bounds the memory of the photos being decoded at once, since
// decoding is what costs memory: each photo takes what its header says
// it needs from a budget, and gives it back when done. Others wait, in
// turn, up to a short while, then are refused with Busy. A nil gate lets
// every decode through.
type Gate struct {
	budget *semaphore.Weighted
	size   int64
	wait   time.Duration
}

// NewGate lets photos be decoded at once while their memory adds up to
// n × DecodeShare (n honest phone photos); the others wait up to wait.
func NewGate(n int, wait time.Duration) *Gate {
	size := int64(max(n, 1)) * DecodeShare
	return &Gate{budget: semaphore.NewWeighted(size), size: size, wait: wait}
}

// limit is the most memory one photo may need to get through g: no more
// than MaxPhotoMemory, nor than g's whole budget, which it could never
// have.
func (g *Gate) limit() int64 {
	if g == nil {
		return MaxPhotoMemory
	}
	return min(MaxPhotoMemory, g.size)
}

// enter takes need bytes of the budget, or fails with Busy after the
// wait or when ctx ends.
func (g *Gate) enter(ctx context.Context, need int64) (release func(), err error) {
	if g == nil {
		return func() {}, nil
	}
	wctx, cancel := context.WithTimeout(ctx, g.wait)
	defer cancel()
	if err := g.budget.Acquire(wctx, need); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, photoProblem(Busy)
	}
	return func() { g.budget.Release(need) }, nil
}

// Process checks and re-encodes a photo held in memory, with no bound
// on concurrent decodes (for the command line and tests); see
// Gate.Process.
func Process(r io.Reader, claimedType string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, models.MaxPhotoBytes+1))
	if err != nil {
		return nil, photoProblem(photoCorrupt)
	}
	var gate *Gate
	return gate.Process(context.Background(), bytes.NewReader(data), claimedType)
}

// Process checks an uploaded photo and re-encodes it: it accepts JPEG, PNG
// and WebP whose content matches claimedType, bounds the file size, the
// pixels and the decoded size from the header before decoding, decodes
// within the gate, applies the EXIF orientation, scales the photo down to
// longSide and encodes a fresh JPEG, which carries no metadata (no
// GPS position, no camera). r is read from its start and may be a file.
// Refusals are FieldErrors on "photo".
func (g *Gate) Process(ctx context.Context, r io.ReadSeeker, claimedType string) ([]byte, error) {
	size, err := r.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, photoProblem(photoCorrupt)
	}
	if size > models.MaxPhotoBytes {
		return nil, photoProblem(photoTooLarge)
	}
	head := make([]byte, min(size, exifWindow))
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, photoProblem(photoCorrupt)
	}
	if _, err := io.ReadFull(r, head); err != nil {
		return nil, photoProblem(photoCorrupt)
	}
	sniffed := http.DetectContentType(head)
	formats := map[string]string{"image/jpeg": "jpeg", "image/png": "png", "image/webp": "webp"}
	format, ok := formats[sniffed]
	if !ok || sniffed != claimedType {
		return nil, photoProblem(photoType)
	}
	decoders := map[string]struct {
		config func(io.Reader) (image.Config, error)
		decode func(io.Reader) (image.Image, error)
	}{
		"jpeg": {jpeg.DecodeConfig, jpeg.Decode},
		"png":  {png.DecodeConfig, png.Decode},
		"webp": {webp.DecodeConfig, webp.Decode},
	}
	dec := decoders[format]
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, photoProblem(photoCorrupt)
	}
	cfg, err := dec.config(bufio.NewReader(r))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, photoProblem(photoCorrupt)
	}
	pixels := int64(cfg.Width) * int64(cfg.Height)
	if pixels > maxPixels {
		return nil, photoProblem(photoHuge)
	}
	decoding := pixels * bytesPerPixel(cfg.ColorModel)
	if format == "jpeg" {
		if _, err := r.Seek(0, io.SeekStart); err != nil {
			return nil, photoProblem(photoCorrupt)
		}
		layout, err := readJPEGLayout(bufio.NewReader(r))
		if err != nil || layout.width != cfg.Width || layout.height != cfg.Height {
			return nil, photoProblem(photoCorrupt)
		}
		decoding = layout.decodeBytes()
	}
	need := decoding + scaleBytes(cfg.Width, cfg.Height, format == "jpeg")
	if need > g.limit() {
		return nil, photoProblem(photoHuge)
	}
	release, err := g.enter(ctx, need)
	if err != nil {
		return nil, err
	}
	defer release()
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, photoProblem(photoCorrupt)
	}
	img, err := dec.decode(bufio.NewReader(r))
	if err != nil {
		return nil, photoProblem(photoCorrupt)
	}
	// Scaled down first, so that turning it upright works on the small
	// copy: the full-size image is left to the collector at once.
	img = fit(img, longSide)
	if format == "jpeg" {
		img = orient(img, exifOrientation(head))
	}
	var out bytes.Buffer
	if err := jpeg.Encode(&out, img, &jpeg.Options{Quality: 85}); err != nil {
		return nil, fmt.Errorf("encode photo: %w", err)
	}
	return out.Bytes(), nil
}

// bytesPerPixel is what one pixel of a decoded PNG or WebP image of
// model takes in memory, as Go's decoders lay it out (a JPEG's is
// jpegLayout.decodeBytes).
func bytesPerPixel(model color.Model) int64 {
	switch model {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.YCbCrModel:
		return 3
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	}
	if _, paletted := model.(color.Palette); paletted {
		return 1
	}
	return 4 // RGBA, NRGBA, CMYK, NYCbCrA and anything else
}

func photoProblem(code string) error {
	return models.FieldErrors{"photo": {Code: code, Param: fmt.Sprint(models.MaxPhotoBytes >> 20)}}
}

// fit scales img down so that its longer side is at most long, and lays it
// on white so that transparent PNGs stay readable as JPEG. It halves the
// image until it is less than twice the size wanted, then scales the
// rest of the way: each step averages neighbouring pixels, and none needs
// more than the next, smaller image in memory (a kernel scaler over the
// whole photo would need tens of bytes per source row and target column).
func fit(img image.Image, long int) image.Image {
	b := img.Bounds()
	w, h := fitSize(b.Dx(), b.Dy(), long)
	src := img
	for sb := src.Bounds(); sb.Dx() >= 2*w && sb.Dy() >= 2*h; sb = src.Bounds() {
		half := image.NewRGBA(image.Rect(0, 0, sb.Dx()/2, sb.Dy()/2))
		draw.ApproxBiLinear.Scale(half, half.Bounds(), src, sb, draw.Src, nil)
		src = half
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	stddraw.Draw(dst, dst.Bounds(), &image.Uniform{C: color.White}, image.Point{}, stddraw.Src)
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Over, nil)
	return dst
}

// fitSize is the size of a w × h image fitted into long × long.
func fitSize(w, h, long int) (int, int) {
	if w > long || h > long {
		if w >= h {
			return long, max(1, h*long/w)
		}
		return max(1, w*long/h), long
	}
	return w, h
}

// scaleBytes is what Process allocates after decoding a w × h photo:
// fit's halvings and its result, as RGBA, a copy turned upright for a
// JPEG, and the encoded JPEG (under 1 MB at 2,048 px). Counted as if
// none of it were collected before the end.
func scaleBytes(w, h int, jpeg bool) int64 {
	tw, th := fitSize(w, h, longSide)
	var n int64
	for ; w >= 2*tw && h >= 2*th; w, h = w/2, h/2 {
		n += int64(w/2) * int64(h/2) * 4
	}
	out := int64(tw) * int64(th) * 4
	n += out
	if jpeg {
		n += out
	}
	return n + 1<<20
}

// jpegLayout is what a JPEG's markers tell of the memory Go's decoder
// will take for it.
type jpegLayout struct {
	width, height int
	progressive   bool
	// sampling is each component's horizontal and vertical sampling
	// factor.
	sampling [][2]int
	// converted: the decoder ends by copying the image into a new one of
	// 4 bytes a pixel (a four-component JPEG into CMYK, an RGB one into
	// RGBA).
	converted bool
}

// errJPEGLayout: the markers of the JPEG are not what Go's decoder reads.
var errJPEGLayout = errors.New("no frame header Go's JPEG decoder reads")

// readJPEGLayout reads a JPEG's frame header (SOF0 or SOF1 sequential,
// SOF2 progressive; Go's decoder supports no other) and the markers that
// decide whether its three components are RGB, as Go's decoder does:
// RGB when there is no JFIF segment and either an Adobe segment says
// "unknown" transform or the components are named R, G and B. An Adobe
// segment may also come after the first scan, so the rest of the file is
// searched for one when the header leaves the question open.
func readJPEGLayout(r *bufio.Reader) (jpegLayout, error) {
	var l jpegLayout
	var soi [2]byte
	if _, err := io.ReadFull(r, soi[:]); err != nil || soi != [2]byte{0xFF, 0xD8} {
		return l, errJPEGLayout
	}
	var jfif, adobeRGB, rgbNames bool
	// The walk skips what Go's decoder skips: bytes between segments,
	// "\xff\x00", fill bytes and stray restart markers.
	for {
		b, err := r.ReadByte()
		if err != nil {
			return l, errJPEGLayout
		}
		if b != 0xFF {
			continue
		}
		marker, err := r.ReadByte()
		if err == nil && marker == 0 {
			continue
		}
		for err == nil && marker == 0xFF {
			marker, err = r.ReadByte()
		}
		if err != nil || marker == 0xD9 { // end of image before any scan
			return l, errJPEGLayout
		}
		if marker >= 0xD0 && marker <= 0xD7 {
			continue
		}
		var n [2]byte
		if _, err := io.ReadFull(r, n[:]); err != nil {
			return l, errJPEGLayout
		}
		size := int(binary.BigEndian.Uint16(n[:])) - 2
		if size < 0 {
			return l, errJPEGLayout
		}
		if marker == 0xDA { // the first scan: the header is read
			break
		}
		if !(marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) && marker != 0xE0 && marker != 0xEE {
			if _, err := r.Discard(size); err != nil {
				return l, errJPEGLayout
			}
			continue
		}
		seg := make([]byte, size)
		if _, err := io.ReadFull(r, seg); err != nil {
			return l, errJPEGLayout
		}
		switch {
		case marker == 0xC0 || marker == 0xC1 || marker == 0xC2:
			if l.sampling != nil || len(seg) < 6 {
				return l, errJPEGLayout
			}
			l.progressive = marker == 0xC2
			l.height = int(binary.BigEndian.Uint16(seg[1:]))
			l.width = int(binary.BigEndian.Uint16(seg[3:]))
			nc := int(seg[5])
			if (nc != 1 && nc != 3 && nc != 4) || len(seg) < 6+3*nc {
				return l, errJPEGLayout
			}
			for i := range nc {
				hv := seg[7+3*i]
				h, v := int(hv>>4), int(hv&0x0F)
				if h < 1 || h > 4 || v < 1 || v > 4 {
					return l, errJPEGLayout
				}
				if nc == 1 {
					h, v = 1, 1 // one component is never subsampled (Go's decoder)
				}
				l.sampling = append(l.sampling, [2]int{h, v})
			}
			rgbNames = nc == 3 && seg[6] == 'R' && seg[9] == 'G' && seg[12] == 'B'
		case marker >= 0xC3 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
			return l, errJPEGLayout // lossless, hierarchical or arithmetic: not decoded
		case marker == 0xE0 && bytes.HasPrefix(seg, []byte("JFIF\x00")):
			jfif = true
		case marker == 0xEE && bytes.HasPrefix(seg, []byte("Adobe")) && len(seg) >= 12:
			adobeRGB = seg[11] == 0
		}
	}
	if l.sampling == nil {
		return l, errJPEGLayout
	}
	switch len(l.sampling) {
	case 4:
		l.converted = true
	case 3:
		l.converted = !jfif && (adobeRGB || rgbNames)
		if !jfif && !l.converted {
			later, err := hasMarker(r, 0xEE)
			if err != nil {
				return l, errJPEGLayout
			}
			l.converted = later
		}
	}
	return l, nil
}

// hasMarker reports whether the rest of r holds the marker 0xFF m (in
// entropy-coded data 0xFF is followed only by 0x00 or a restart marker,
// so a find there is a marker too, or at worst counts too much).
func hasMarker(r *bufio.Reader, m byte) (bool, error) {
	prevFF := false
	buf := make([]byte, 64<<10)
	for {
		n, err := r.Read(buf)
		chunk := buf[:n]
		if prevFF && n > 0 && chunk[0] == m {
			return true, nil
		}
		if bytes.Contains(chunk, []byte{0xFF, m}) {
			return true, nil
		}
		if n > 0 {
			prevFF = chunk[n-1] == 0xFF
		}
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, err
		}
	}
}

// decodeBytes is the memory Go's JPEG decoder allocates for l: the
// image's planes, each component's at its sampling (the luma's and, for
// four components, the black one's at full size), rounded up to whole
// MCUs; for a progressive JPEG, 64 int32 coefficients (256 bytes) for
// every 8 × 8 block of every component, kept until the last scan, which
// is 12 bytes a pixel at 4:4:4 and 6 at 4:2:0; and the 4-byte-per-pixel
// copy of a converted image; and 256 KB for the decoder's own tables and
// buffers (under 50 KB measured).
func (l jpegLayout) decodeBytes() int64 {
	h0, v0 := l.sampling[0][0], l.sampling[0][1]
	mxx := int64((l.width + 8*h0 - 1) / (8 * h0))
	myy := int64((l.height + 8*v0 - 1) / (8 * v0))
	var n int64
	for _, s := range l.sampling {
		blocks := mxx * myy * int64(s[0]*s[1])
		n += blocks * 64
		if l.progressive {
			n += blocks * 64 * 4
		}
	}
	if l.converted {
		n += int64(l.width) * int64(l.height) * 4
	}
	return n + 256<<10
}

// exifOrientation reads the EXIF orientation (1–8) of a JPEG; 1 when absent.
func exifOrientation(data []byte) int {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return 1
	}
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			return 1
		}
		marker := data[i+1]
		size := int(binary.BigEndian.Uint16(data[i+2:]))
		if marker == 0xDA || size < 2 || i+2+size > len(data) {
			return 1 // start of scan or a broken segment: no EXIF before it
		}
		seg := data[i+4 : i+2+size]
		if marker == 0xE1 && len(seg) > 14 && string(seg[:6]) == "Exif\x00\x00" {
			return tiffOrientation(seg[6:])
		}
		i += 2 + size
	}
	return 1
}

// tiffOrientation finds tag 0x0112 in the first IFD of a TIFF header.
func tiffOrientation(t []byte) int {
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	ifd := int(bo.Uint32(t[4:]))
	if ifd+2 > len(t) {
		return 1
	}
	n := int(bo.Uint16(t[ifd:]))
	for k := range n {
		e := ifd + 2 + 12*k
		if e+12 > len(t) {
			return 1
		}
		if bo.Uint16(t[e:]) == 0x0112 {
			if v := int(bo.Uint16(t[e+8:])); v >= 1 && v <= 8 {
				return v
			}
			return 1
		}
	}
	return 1
}

// orient turns img upright according to an EXIF orientation.
func orient(img image.Image, o int) image.Image {
	if o <= 1 || o > 8 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	swap := o >= 5
	dw, dh := w, h
	if swap {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := range h {
		for x := range w {
			var dx, dy int
			switch o {
			case 2:
				dx, dy = w-1-x, y
			case 3:
				dx, dy = w-1-x, h-1-y
			case 4:
				dx, dy = x, h-1-y
			case 5:
				dx, dy = y, x
			case 6:
				dx, dy = h-1-y, x
			case 7:
				dx, dy = h-1-y, w-1-x
			case 8:
				dx, dy = y, w-1-x
			}
			dst.Set(dx, dy, img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return dst
}
