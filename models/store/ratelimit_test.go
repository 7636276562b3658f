package store_test

import (
	"context"
	"testing"

	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

func TestRateLimit(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	for i := range 3 {
		ok, err := f.Store.Allow(ctx, "story", "10.1.1.1", 3, 3600e9)
		must(t, err)
		if !ok {
			t.Fatalf("request %d refused", i)
		}
	}
	if ok, _ := f.Store.Allow(ctx, "story", "10.1.1.1", 3, 3600e9); ok {
		t.Error("fourth request allowed")
	}
	if ok, _ := f.Store.Allow(ctx, "story", "10.1.1.2", 3, 3600e9); !ok {
		t.Error("another client refused")
	}
}
