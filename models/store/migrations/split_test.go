package migrations

import (
	"slices"
	"strings"
	"testing"
)

// TestStatements: a migration splits at its semicolons, but a trigger's
// body, a function's $$ body and a quoted string stay one statement, and
// comments go.
func TestStatements(t *testing.T) {
	for name, c := range map[string]struct {
		text string
		want []string
	}{
		"sqlite": {`-- a comment; with a semicolon, a 'quote and $$
	CREATE TABLE a (x INT);
	CREATE TRIGGER t AFTER INSERT ON a BEGIN
		INSERT INTO b VALUES (1);
		INSERT INTO b VALUES (2);
	END;
	CREATE INDEX s ON a(x); -- trailing
	INSERT INTO a (x) SELECT 1 WHERE 'a;b' <> '--;' AND 'it''s' <> '';`,
			[]string{"CREATE TABLE a (x INT)", "CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO b VALUES (1); INSERT INTO b VALUES (2); END",
				"CREATE INDEX s ON a(x)", "INSERT INTO a (x) SELECT 1 WHERE 'a;b' <> '--;' AND 'it''s' <> ''"}},
		"postgres": {`CREATE TABLE a (x INT);
	CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN -- no end here;
		RETURN NULL; END $$;
	CREATE INDEX p ON a(x)`,
			[]string{"CREATE TABLE a (x INT)", "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN -- no end here; RETURN NULL; END $$",
				"CREATE INDEX p ON a(x)"}},
		"comments only": {"-- nothing to run;\n-- at all\n", nil},
	} {
		var got []string
		for _, s := range statements(c.text) {
			got = append(got, strings.Join(strings.Fields(s), " "))
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: got %q, want %q", name, got, c.want)
		}
	}
}

// TestStatementsKeepText: a statement keeps its text between its first
// and last word, tabs and all, as SQLite then keeps it in sqlite_master.
func TestStatementsKeepText(t *testing.T) {
	got := statements("-- head\n\n\tCREATE TABLE a (\n\t\tx INT\n\t);\n\tCREATE INDEX i ON a(x);\n")
	if want := []string{"CREATE TABLE a (\n\t\tx INT\n\t)", "CREATE INDEX i ON a(x)"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
