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
)

// Photo limits.
const (
	// maxPixels bounds width × height before a full decode, so a small
	// file that declares a huge image cannot exhaust memory.
	maxPixels = 50_000_000
	// MaxDecodedBytes bounds the memory one decoded photo may take, worked
	// out from its header (pixels × bytes per pixel of its format and bit
	// depth) before it is decoded: a 24-megapixel JPEG or a 16-megapixel
	// 8-bit PNG fits, a 7000 × 7000 PNG does not.
	MaxDecodedBytes = 96 << 20
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

// Gate lets only a few photos be decoded at once, since decoding is
// what costs memory. Others wait up to a short while, then are refused
// with Busy. A nil gate lets every decode through.
type Gate struct {
	slots chan struct{}
	wait  time.Duration
}

// NewGate lets n photos be decoded at once, the others wait up to wait.
func NewGate(n int, wait time.Duration) *Gate {
	return &Gate{slots: make(chan struct{}, max(n, 1)), wait: wait}
}

// enter takes a slot, or fails with Busy after the wait or when ctx ends.
func (g *Gate) enter(ctx context.Context) (release func(), err error) {
	if g == nil {
		return func() {}, nil
	}
	timer := time.NewTimer(g.wait)
	defer timer.Stop()
	select {
	case g.slots <- struct{}{}:
		return func() { <-g.slots }, nil
	case <-timer.C:
		return nil, photoProblem(Busy)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
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
	if pixels > maxPixels || pixels*bytesPerPixel(cfg.ColorModel) > MaxDecodedBytes {
		return nil, photoProblem(photoHuge)
	}
	release, err := g.enter(ctx)
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

// bytesPerPixel is what one pixel of a decoded image of model takes in
// memory, as Go's decoders lay it out; a JPEG's chroma is counted at full
// resolution, the worst case.
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
	w, h := b.Dx(), b.Dy()
	if w > long || h > long {
		if w >= h {
			w, h = long, max(1, h*long/w)
		} else {
			w, h = max(1, w*long/h), long
		}
	}
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
