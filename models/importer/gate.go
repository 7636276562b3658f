package importer

import (
	"context"
	"time"
)

// Busy is the code of the SheetError a Gate gives when as many files as
// it lets through are being read: the user sends the file again in a
// moment.
const Busy = "sheet_busy"

// Gate lets only a few spreadsheets be read at once, since reading is
// what costs memory (as photo.Gate does for photos). Others wait up to
// a short while, then are refused with Busy. A nil gate lets every file
// through.
type Gate struct {
	slots chan struct{}
	wait  time.Duration
}

// NewGate lets n files be read at once, the others wait up to wait.
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
		return nil, &SheetError{Code: Busy}
	case <-ctx.Done():
		return nil, &SheetError{Code: Busy}
	}
}

// ReadSheet reads a file (ReadSheet) once a slot is free.
func (g *Gate) ReadSheet(ctx context.Context, data []byte) (*Sheet, error) {
	release, err := g.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	return ReadSheet(ctx, data)
}
