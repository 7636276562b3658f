package photo

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image/jpeg"
	"runtime"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// flatJPEG is a real w × h JPEG of one flat colour, small whatever its
// size: each 8 × 8 block is coded in a bit or two. Progressive (SOF2) it
// holds a single DC scan, which Go's decoder reads as it would any
// progressive file: a coefficient block per 8 × 8 block of every
// component, kept until the end. What an attacker sends: 32 megapixels
// at 4:4:4 in 183 KB.
type flatJPEG struct {
	w, h        int
	sampling    []byte // hv of each component: 0x11 0x11 0x11 is 4:4:4
	progressive bool
	// names of the components (1, 2, 3… when empty); jfif adds the
	// JFIF segment; adobe ≥ 0 adds an Adobe segment with that
	// transform, after the scan when adobeLate.
	names     []byte
	jfif      bool
	adobe     int
	adobeLate bool
}

func segment(b *bytes.Buffer, marker byte, payload []byte) {
	b.Write([]byte{0xFF, marker})
	binary.Write(b, binary.BigEndian, uint16(len(payload)+2))
	b.Write(payload)
}

func (f flatJPEG) bytes() []byte {
	var b bytes.Buffer
	b.Write([]byte{0xFF, 0xD8})
	if f.jfif {
		segment(&b, 0xE0, []byte("JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"))
	}
	adobe := append([]byte("Adobe\x00\x64\x00\x00\x00\x00"), byte(f.adobe))
	if f.adobe >= 0 && !f.adobeLate {
		segment(&b, 0xEE, adobe)
	}
	q := bytes.Repeat([]byte{1}, 65)
	q[0] = 0
	segment(&b, 0xDB, q)
	sof := []byte{8, byte(f.h >> 8), byte(f.h), byte(f.w >> 8), byte(f.w), byte(len(f.sampling))}
	for i, hv := range f.sampling {
		name := byte(i + 1)
		if f.names != nil {
			name = f.names[i]
		}
		sof = append(sof, name, hv, 0)
	}
	sofMarker := byte(0xC0)
	if f.progressive {
		sofMarker = 0xC2
	}
	segment(&b, sofMarker, sof)
	// One code, of one bit, for each table: DC difference 0, and (for a
	// baseline scan) end of block.
	oneCode := append(append([]byte{0x00, 1}, make([]byte, 15)...), 0)
	segment(&b, 0xC4, oneCode)
	if !f.progressive {
		oneCode[0] = 0x10
		segment(&b, 0xC4, oneCode)
	}
	sos := []byte{byte(len(f.sampling))}
	for i := range f.sampling {
		name := byte(i + 1)
		if f.names != nil {
			name = f.names[i]
		}
		sos = append(sos, name, 0)
	}
	if f.progressive {
		sos = append(sos, 0, 0, 0) // DC only
	} else {
		sos = append(sos, 0, 63, 0)
	}
	segment(&b, 0xDA, sos)
	h0, v0 := int(f.sampling[0]>>4), int(f.sampling[0]&15)
	if len(f.sampling) == 1 {
		h0, v0 = 1, 1
	}
	units := 0
	for _, hv := range f.sampling {
		if len(f.sampling) == 1 {
			hv = 0x11
		}
		units += int(hv>>4) * int(hv&15)
	}
	bits := (f.w + 8*h0 - 1) / (8 * h0) * ((f.h + 8*v0 - 1) / (8 * v0)) * units
	if !f.progressive {
		bits *= 2
	}
	data := make([]byte, (bits+7)/8)
	if r := bits % 8; r != 0 {
		data[len(data)-1] = byte(0xFF >> r)
	}
	b.Write(data)
	if f.adobe >= 0 && f.adobeLate {
		segment(&b, 0xEE, adobe)
	}
	b.Write([]byte{0xFF, 0xD9})
	return b.Bytes()
}

var (
	s444 = []byte{0x11, 0x11, 0x11}
	s420 = []byte{0x22, 0x11, 0x11}
)

// decodeAlloc is what Go's decoder allocates to decode data.
func decodeAlloc(t *testing.T, data []byte) int64 {
	t.Helper()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
		t.Fatalf("the test JPEG does not decode: %v", err)
	}
	runtime.ReadMemStats(&after)
	return int64(after.TotalAlloc - before.TotalAlloc)
}

// TestJPEGLayoutCountsWhatTheDecoderAllocates: for every kind of JPEG Go
// decodes, what decodeBytes reads from the header is at least what the
// decoder allocates, and not much more.
func TestJPEGLayoutCountsWhatTheDecoderAllocates(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    flatJPEG
	}{
		{"baseline 4:2:0", flatJPEG{w: 1500, h: 1000, sampling: s420, jfif: true, adobe: -1}},
		{"baseline 4:4:4", flatJPEG{w: 1500, h: 1000, sampling: s444, jfif: true, adobe: -1}},
		{"progressive 4:4:4", flatJPEG{w: 1500, h: 1000, sampling: s444, progressive: true, jfif: true, adobe: -1}},
		{"progressive 4:2:0", flatJPEG{w: 1501, h: 999, sampling: s420, progressive: true, jfif: true, adobe: -1}},
		{"progressive 4:2:2", flatJPEG{w: 1500, h: 1000, sampling: []byte{0x21, 0x11, 0x11}, progressive: true, adobe: -1}},
		{"progressive grey", flatJPEG{w: 1500, h: 1000, sampling: []byte{0x22}, progressive: true, adobe: -1}},
		{"progressive RGB by name", flatJPEG{w: 1500, h: 1000, sampling: s444, progressive: true, names: []byte("RGB"), adobe: -1}},
		{"progressive RGB by Adobe", flatJPEG{w: 1500, h: 1000, sampling: s444, progressive: true, adobe: 0}},
		{"progressive RGB by Adobe after the scan", flatJPEG{w: 1500, h: 1000, sampling: s444, progressive: true, adobe: 0, adobeLate: true}},
		{"progressive CMYK", flatJPEG{w: 1500, h: 1000, sampling: []byte{0x11, 0x11, 0x11, 0x11}, progressive: true, adobe: 0}},
		{"progressive YCbCrK", flatJPEG{w: 1500, h: 1000, sampling: []byte{0x22, 0x11, 0x11, 0x22}, progressive: true, adobe: 2}},
	} {
		data := tc.f.bytes()
		l, err := readJPEGLayout(bufio.NewReader(bytes.NewReader(data)))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		counted, allocated := l.decodeBytes(), decodeAlloc(t, data)
		if counted < allocated || counted > allocated*11/10+256<<10 {
			t.Errorf("%s: counted %.1f MB, the decoder allocated %.1f MB", tc.name, float64(counted)/(1<<20), float64(allocated)/(1<<20))
		}
	}
}

// TestProgressiveJPEGsAreCountedAtTheirCost: a 32-megapixel progressive
// 4:4:4 JPEG (183 KB; 511 MB to decode and scale) is refused before it
// is decoded, when the same image as a baseline 4:2:0 file (99 MB) goes
// through; a 12-megapixel progressive photo (113 MB) fits, but not
// through a gate of one share (96 MB).
func TestProgressiveJPEGsAreCountedAtTheirCost(t *testing.T) {
	bomb := flatJPEG{w: 6928, h: 4619, sampling: s444, progressive: true, jfif: true, adobe: -1}.bytes()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Process(bytes.NewReader(bomb), "image/jpeg")
	runtime.ReadMemStats(&after)
	var fe models.FieldErrors
	if !errors.As(err, &fe) || fe["photo"].Code != photoHuge {
		t.Errorf("32 MP progressive 4:4:4 (%d KB): err = %v, want %s", len(bomb)>>10, err, photoHuge)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 32<<20 {
		t.Errorf("refusing it allocated %d MB", n>>20)
	}
	for _, ok := range []flatJPEG{
		{w: 6928, h: 4619, sampling: s420, jfif: true, adobe: -1},
		{w: 4032, h: 3024, sampling: s420, progressive: true, jfif: true, adobe: -1},
	} {
		if _, err := Process(bytes.NewReader(ok.bytes()), "image/jpeg"); err != nil {
			t.Errorf("%d × %d (progressive %v): %v", ok.w, ok.h, ok.progressive, err)
		}
	}
	phone := flatJPEG{w: 4032, h: 3024, sampling: s420, progressive: true, jfif: true, adobe: -1}.bytes()
	_, err = NewGate(1, time.Millisecond).Process(context.Background(), bytes.NewReader(phone), "image/jpeg")
	if !errors.As(err, &fe) || fe["photo"].Code != photoHuge {
		t.Errorf("12 MP progressive through a gate of one share: err = %v, want %s", err, photoHuge)
	}
}

// TestGateWeighsPhotos: a photo waits while the memory it needs is taken
// by others, and goes through once enough of it is given back.
func TestGateWeighsPhotos(t *testing.T) {
	g := NewGate(2, 50*time.Millisecond)
	phone := flatJPEG{w: 4032, h: 3024, sampling: s420, progressive: true, jfif: true, adobe: -1}.bytes() // 113 MB
	release, err := g.enter(context.Background(), 100<<20)
	if err != nil {
		t.Fatal(err)
	}
	_, err = g.Process(context.Background(), bytes.NewReader(phone), "image/jpeg")
	var fe models.FieldErrors
	if !errors.As(err, &fe) || fe["photo"].Code != Busy {
		t.Fatalf("with 92 MB of the budget free: err = %v, want %s", err, Busy)
	}
	release()
	if _, err := g.Process(context.Background(), bytes.NewReader(phone), "image/jpeg"); err != nil {
		t.Fatalf("with the budget free: %v", err)
	}
}
