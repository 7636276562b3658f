package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

func TestSessionStore(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	ss := f.Store.Sessions()
	must(t, ss.CommitCtx(ctx, "tok", []byte("one"), time.Now().Add(time.Hour)))
	must(t, ss.CommitCtx(ctx, "tok", []byte("two"), time.Now().Add(time.Hour)))
	b, found, err := ss.FindCtx(ctx, "tok")
	must(t, err)
	if !found || string(b) != "two" {
		t.Fatalf("find = %q, %v", b, found)
	}
	// The database keeps the token's SHA-256, not the token.
	sum := sha256.Sum256([]byte("tok"))
	if got := fmt.Sprint(selectAll(t, f.Store, "SELECT token FROM sessions")); got != fmt.Sprint([]map[string]any{{"token": hex.EncodeToString(sum[:])}}) {
		t.Errorf("stored tokens %s", got)
	}
	must(t, ss.CommitCtx(ctx, "old", []byte("x"), time.Now().Add(-time.Minute)))
	if _, found, _ := ss.FindCtx(ctx, "old"); found {
		t.Error("expired session found")
	}
	must(t, f.Store.PruneSessions(ctx))
	must(t, ss.DeleteCtx(ctx, "tok"))
	if _, found, _ := ss.FindCtx(ctx, "tok"); found {
		t.Error("deleted session found")
	}
}

// TestSessionCommitThatOnlyMovesTheExpirySkipsTheWrite: scs commits on
// every request with an idle timeout; a commit that changes nothing but
// the expiry, by less than a minute, must not write (it would wait behind
// a long write transaction on SQLite), and any other commit must.
func TestSessionCommitThatOnlyMovesTheExpirySkipsTheWrite(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	ss := f.Store.Sessions()
	codec := scs.GobCodec{}
	deadline := time.Now().Add(12 * time.Hour).UTC()
	data, err := codec.Encode(deadline, map[string]any{"user_id": 7, "lang": "fr", "epoch": 2})
	must(t, err)
	start := time.Now().Add(2 * time.Hour).Truncate(time.Second)
	must(t, ss.CommitCtx(ctx, "tok", data, start))
	expiry := func() time.Time {
		t.Helper()
		// A session found is remembered; its expiry is read back through
		// a second store, which remembers nothing.
		var got time.Time
		other := f.Store.Sessions()
		_, found, err := other.FindCtx(ctx, "tok")
		must(t, err)
		if !found {
			t.Fatal("session not found")
		}
		got = other.Expiry("tok")
		return got
	}
	read := func() []byte {
		t.Helper()
		b, found, err := ss.FindCtx(ctx, "tok")
		must(t, err)
		if !found {
			t.Fatal("session not found")
		}
		return b
	}
	// The same values, encoded again (a map's order may differ), 30 s on:
	// nothing written.
	read()
	again, err := codec.Encode(deadline, map[string]any{"epoch": 2, "lang": "fr", "user_id": 7})
	must(t, err)
	must(t, ss.CommitCtx(ctx, "tok", again, start.Add(30*time.Second)))
	if got := expiry(); !got.Equal(start) {
		t.Errorf("an expiry-only commit 30 s on wrote: expiry %v, want %v", got, start)
	}
	// A minute on: written.
	read()
	must(t, ss.CommitCtx(ctx, "tok", again, start.Add(time.Minute)))
	if got := expiry(); !got.Equal(start.Add(time.Minute)) {
		t.Errorf("an expiry-only commit a minute on: expiry %v, want %v", got, start.Add(time.Minute))
	}
	// Changed values: written at once.
	read()
	changed, err := codec.Encode(deadline, map[string]any{"user_id": 7, "lang": "ar", "epoch": 2})
	must(t, err)
	must(t, ss.CommitCtx(ctx, "tok", changed, start.Add(time.Minute+time.Second)))
	if _, values, err := codec.Decode(read()); err != nil || values["lang"] != "ar" {
		t.Errorf("a changed session was not written: %v %v", values, err)
	}
}
