package models_test

import (
	"context"
	"testing"
	"time"
)

func TestSessionStore(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ss := f.store.Sessions()
	must(t, ss.CommitCtx(ctx, "tok", []byte("one"), time.Now().Add(time.Hour)))
	must(t, ss.CommitCtx(ctx, "tok", []byte("two"), time.Now().Add(time.Hour)))
	b, found, err := ss.FindCtx(ctx, "tok")
	must(t, err)
	if !found || string(b) != "two" {
		t.Fatalf("find = %q, %v", b, found)
	}
	must(t, ss.CommitCtx(ctx, "old", []byte("x"), time.Now().Add(-time.Minute)))
	if _, found, _ := ss.FindCtx(ctx, "old"); found {
		t.Error("expired session found")
	}
	must(t, f.store.PruneSessions(ctx))
	must(t, ss.DeleteCtx(ctx, "tok"))
	if _, found, _ := ss.FindCtx(ctx, "tok"); found {
		t.Error("deleted session found")
	}
}
