package importer

import (
	"context"
	"testing"
	"time"
)

func TestGateTurnsAwayWhenFull(t *testing.T) {
	g := NewGate(2, 10*time.Millisecond)
	ctx := context.Background()
	var releases []func()
	for range 2 {
		release, err := g.enter(ctx)
		if err != nil {
			t.Fatal(err)
		}
		releases = append(releases, release)
	}
	if _, err := g.ReadSheet(ctx, []byte("a\n1\n")); err == nil {
		t.Fatal("a full gate read a file")
	} else if se, ok := AsSheetError(err); !ok || se.Code != Busy {
		t.Fatalf("error %v, want %s", err, Busy)
	}
	releases[0]()
	if _, err := g.ReadSheet(ctx, []byte("a\n1\n")); err != nil {
		t.Fatalf("a freed slot: %v", err)
	}
	releases[1]()
	var none *Gate
	if _, err := none.ReadSheet(ctx, []byte("a\n1\n")); err != nil {
		t.Fatalf("a nil gate: %v", err)
	}
}
