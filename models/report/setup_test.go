package report_test

import (
	"testing"

	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

// newEngine opens a fresh, migrated store (storetest.Open) and its report
// engine.
func newEngine(t testing.TB) (*store.Store, *report.Engine) {
	t.Helper()
	s, _ := storetest.Open(t)
	return s, report.New(s)
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
