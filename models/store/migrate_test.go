package store

import (
	"slices"
	"strings"
	"testing"

	"github.com/unesco-gnlc/learnthroughlife/models/store/migrations"
)

// TestSearchVectorIsIndexed: the gallery searches PostgreSQL with the
// text that migration 36 indexes; with any other, the index goes unused.
func TestSearchVectorIsIndexed(t *testing.T) {
	m := migrations.For(migrations.Postgres)[35]
	if !slices.ContainsFunc(m.Statements(), func(s string) bool { return strings.Contains(s, "USING GIN (("+pgSearchVector+"))") }) {
		t.Errorf("migration %d (%s) indexes no %s", m.Version, m.Name, pgSearchVector)
	}
}
