package photo_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/photo"
)

// gpsSecret stands for the GPS position and camera data a phone writes.
const gpsSecret = "GPS 30.4278N 9.5981W Pixel-8-Pro"

// jpegWithExif makes a w×h JPEG, red on the left half, with an EXIF block
// holding the orientation and a GPS-like marker.
func jpegWithExif(t *testing.T, w, h, orientation int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{0, 0, 255, 255}
			if x < w/2 {
				c = color.RGBA{255, 0, 0, 255}
			}
			img.Set(x, y, c)
		}
	}
	var enc bytes.Buffer
	if err := jpeg.Encode(&enc, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	// TIFF, big-endian, one IFD with the orientation tag; the GPS marker
	// follows as extra data.
	var tiff bytes.Buffer
	tiff.WriteString("MM")
	binary.Write(&tiff, binary.BigEndian, uint16(42))
	binary.Write(&tiff, binary.BigEndian, uint32(8))
	binary.Write(&tiff, binary.BigEndian, uint16(1))
	binary.Write(&tiff, binary.BigEndian, uint16(0x0112))
	binary.Write(&tiff, binary.BigEndian, uint16(3))
	binary.Write(&tiff, binary.BigEndian, uint32(1))
	binary.Write(&tiff, binary.BigEndian, uint16(orientation))
	binary.Write(&tiff, binary.BigEndian, uint16(0))
	binary.Write(&tiff, binary.BigEndian, uint32(0))
	tiff.WriteString(gpsSecret)
	payload := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	var out bytes.Buffer
	out.Write(enc.Bytes()[:2]) // SOI
	out.Write([]byte{0xFF, 0xE1})
	binary.Write(&out, binary.BigEndian, uint16(len(payload)+2))
	out.Write(payload)
	out.Write(enc.Bytes()[2:])
	return out.Bytes()
}

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewNRGBA(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestProcessPhotoStripsMetadataAndTurnsUpright(t *testing.T) {
	in := jpegWithExif(t, 80, 40, 6) // stored sideways: 80×40, shown 40×80
	if !bytes.Contains(in, []byte(gpsSecret)) {
		t.Fatal("test photo lacks its metadata")
	}
	out, err := photo.Process(bytes.NewReader(in), "image/jpeg")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out, []byte(gpsSecret)) || bytes.Contains(out, []byte("Exif")) {
		t.Fatal("re-encoded photo still carries metadata")
	}
	img, err := jpeg.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 40 || b.Dy() != 80 {
		t.Fatalf("photo is %dx%d, want 40x80 (turned upright)", b.Dx(), b.Dy())
	}
	// Orientation 6 turns the image clockwise: the red left half is now on top.
	r, _, b, _ := img.At(20, 5).RGBA()
	if r < b {
		t.Errorf("top of the upright photo is not red: r=%d b=%d", r, b)
	}
}

func TestProcessPhotoBoundsSize(t *testing.T) {
	out, err := photo.Process(bytes.NewReader(pngBytes(t, 4096, 1280)), "image/png")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width != 2048 || cfg.Height != 640 {
		t.Errorf("stored photo is %dx%d, want 2048x640", cfg.Width, cfg.Height)
	}
}

func TestProcessPhotoRefusals(t *testing.T) {
	good := jpegWithExif(t, 20, 20, 1)
	tests := []struct {
		name    string
		data    []byte
		claimed string
		code    string
	}{
		{"text file", []byte("hello, this is not a photo at all"), "text/plain", "photo_type"},
		{"GIF", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), "image/gif", "photo_type"},
		{"JPEG claimed as PNG", good, "image/png", "photo_type"},
		{"script claimed as JPEG", []byte("<script>alert(1)</script>"), "image/jpeg", "photo_type"},
		{"truncated JPEG", good[:len(good)/2], "image/jpeg", "photo_corrupt"},
		{"broken WebP", []byte("RIFF\x10\x00\x00\x00WEBPVP8 \x04\x00\x00\x00abcd"), "image/webp", "photo_corrupt"},
		{"too large", append(append([]byte{}, good...), make([]byte, models.MaxPhotoBytes)...), "image/jpeg", "photo_size"},
		{"huge dimensions", pngDeclaring(t, 100000, 100000, 8, 6), "image/png", "photo_dimensions"},
		// Under the pixel cap, but too much memory once decoded.
		{"7000×7000 RGBA", pngDeclaring(t, 7000, 7000, 8, 6), "image/png", "photo_dimensions"},
		{"7000×7000 16-bit RGB", pngDeclaring(t, 7000, 7000, 16, 2), "image/png", "photo_dimensions"},
		{"4000×4000 16-bit RGBA", pngDeclaring(t, 4000, 4000, 16, 6), "image/png", "photo_dimensions"},
		// As many pixels in 8-bit grey fit: the file is decoded (and is
		// found broken, since it holds no pixels).
		{"4000×4000 grey", pngDeclaring(t, 4000, 4000, 8, 0), "image/png", "photo_corrupt"},
	}
	for _, tt := range tests {
		_, err := photo.Process(bytes.NewReader(tt.data), tt.claimed)
		var fe models.FieldErrors
		if !errors.As(err, &fe) || fe["photo"].Code != tt.code {
			t.Errorf("%s: err = %v, want photo problem %s", tt.name, err, tt.code)
		}
	}
}

// pngDeclaring is a tiny PNG whose header declares a w×h image of the given
// bit depth and colour type (0 grey, 2 RGB, 6 RGBA) but holds no pixels:
// what an attacker sends to make a server decode a huge image.
func pngDeclaring(t *testing.T, w, h uint32, depth, colorType byte) []byte {
	t.Helper()
	b := pngBytes(t, 1, 1)
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	b[24], b[25] = depth, colorType
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}
