package rollup_test

import (
	"context"
	"regexp"
	"slices"
	"testing"

	"github.com/unesco-gnlc/learnthroughlife/models/report/rollup"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

// TestTablesAreTheSchemas checks the registry of roll-up tables against
// the migrated schema: every roll-up table of the database is in it (a
// rebuild, a refresh or a test that ranges over it misses none), and
// every column that keys a table's rows is one of its columns.
func TestTablesAreTheSchemas(t *testing.T) {
	t.Parallel()
	s, _ := storetest.Open(t)
	ctx := context.Background()
	query := "SELECT name FROM sqlite_master WHERE type = 'table'"
	if s.Dialect() == rollup.Postgres {
		query = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
	}
	rows, err := s.Rows(ctx, query)
	must(t, err)
	var inSchema []string
	for rows.Next() {
		var name string
		must(t, rows.Scan(&name))
		if regexp.MustCompile(`^r[unrty]_`).MatchString(name) {
			inSchema = append(inSchema, name)
		}
	}
	must(t, rows.Err())
	rows.Close()
	var registered []string
	for _, table := range rollup.Tables() {
		registered = append(registered, table.Name)
		rows, err := s.Rows(ctx, "SELECT * FROM "+table.Name+" WHERE 1 = 0")
		must(t, err)
		cols, err := rows.Columns()
		must(t, err)
		rows.Close()
		for _, key := range table.Keys {
			if !slices.Contains(cols, key) {
				t.Errorf("%s: key column %s is not one of %v", table.Name, key, cols)
			}
		}
	}
	slices.Sort(inSchema)
	slices.Sort(registered)
	if !slices.Equal(inSchema, registered) {
		t.Errorf("roll-up tables of the schema %v, of the registry %v", inSchema, registered)
	}
}
