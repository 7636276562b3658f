package store

import (
	"slices"
	"strings"
	"testing"

	"github.com/unesco-gnlc/learnthroughlife/models/report/rollup"
)

// TestMigrationStatements: a migration's engine sections keep only the
// SQL of the engine they name, and a trigger's body stays one statement.
func TestMigrationStatements(t *testing.T) {
	m := `CREATE TABLE a (x INT);
	{{sqlite}}
	CREATE TRIGGER t AFTER INSERT ON a BEGIN
		INSERT INTO b VALUES (1);
		INSERT INTO b VALUES (2);
	END;
	CREATE INDEX s ON a(x);
	{{end}}
	{{postgres}}
	CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
	CREATE INDEX p ON a(x);
	{{end}}
	CREATE INDEX both ON a(x);`
	for dialect, want := range map[rollup.Dialect][]string{
		"sqlite": {"CREATE TABLE a (x INT)", "CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO b VALUES (1); INSERT INTO b VALUES (2); END",
			"CREATE INDEX s ON a(x)", "CREATE INDEX both ON a(x)"},
		"postgres": {"CREATE TABLE a (x INT)", "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$",
			"CREATE INDEX p ON a(x)", "CREATE INDEX both ON a(x)"},
	} {
		var got []string
		for _, s := range statements(forDialect(m, dialect)) {
			got = append(got, strings.Join(strings.Fields(s), " "))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: got %q, want %q", dialect, got, want)
		}
	}
}
