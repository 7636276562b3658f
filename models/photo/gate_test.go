package photo

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// TestGateBoundsConcurrentDecodes: with the whole budget taken, a photo
// waits the gate's while, then is refused with Busy; once it is given
// back the photo goes through.
func TestGateBoundsConcurrentDecodes(t *testing.T) {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewNRGBA(image.Rect(0, 0, 40, 30))); err != nil {
		t.Fatal(err)
	}
	g := NewGate(1, 50*time.Millisecond)
	release, err := g.enter(context.Background(), DecodeShare)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = g.Process(context.Background(), bytes.NewReader(b.Bytes()), "image/png")
	var fe models.FieldErrors
	if !errors.As(err, &fe) || fe["photo"].Code != Busy {
		t.Fatalf("with no free slot: err = %v, want %s", err, Busy)
	}
	if waited := time.Since(start); waited < 50*time.Millisecond {
		t.Errorf("refused after %v, before the gate's wait", waited)
	}
	release()
	if _, err := g.Process(context.Background(), bytes.NewReader(b.Bytes()), "image/png"); err != nil {
		t.Fatalf("with a free slot: %v", err)
	}
}
