package migrations_test

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/models/store/migrations"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

var update = flag.Bool("update", false, "rewrite the golden schema files in testdata")

// TestSchema migrates a fresh database and compares its schema with the
// golden dump of its engine in testdata: SQLite's sqlite_master, and on
// PostgreSQL (TEST_DATABASE_URL) pg_dump -s when it is installed, and
// the catalog's own description, which needs no tool. A migration that
// changes the schema changes the dump: go test -run TestSchema -update
// rewrites it, and the diff shows the change.
func TestSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn, photos := storetest.DSN(t)
	s, err := store.Open(dsn, photos)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if v, err := s.SchemaVersion(ctx); err != nil || v != migrations.Latest() {
		t.Fatalf("schema version %d (%v), want %d", v, err, migrations.Latest())
	}
	if s.Dialect() == "sqlite" {
		golden(t, "schema.sqlite.sql", sqliteSchema(t, s))
		return
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	schema := u.Query().Get("search_path")
	golden(t, "schema.postgres.txt", unqualified(catalogSchema(t, s), schema))
	pgDump := findPgDump()
	if pgDump == "" {
		t.Log("no pg_dump on PATH or under /usr/lib/postgresql: the catalog's description only")
		return
	}
	out, err := exec.Command(pgDump, "--schema-only", "--no-owner", "--no-privileges", "--schema", schema, os.Getenv("TEST_DATABASE_URL")).Output()
	if err != nil {
		t.Fatalf("%s: %v", pgDump, err)
	}
	golden(t, "schema.postgres.sql", unqualified(pgDumpSchema(string(out)), schema))
}

// sqliteSchema is every object of sqlite_master, with its SQL.
func sqliteSchema(t *testing.T, s *store.Store) string {
	var b strings.Builder
	for _, r := range query(t, s, "SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_master ORDER BY type, name") {
		fmt.Fprintf(&b, "-- %s %s on %s\n", r[0], r[1], r[2])
		if r[3] != "" {
			b.WriteString(r[3] + ";\n")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// catalogSchema describes the current schema from PostgreSQL's catalog:
// columns, constraints, indexes, sequences, triggers and functions.
func catalogSchema(t *testing.T, s *store.Store) string {
	sections := []struct{ name, sql string }{
		{"columns", `SELECT table_name, column_name, data_type, is_nullable, COALESCE(column_default, '') FROM information_schema.columns
			WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`},
		{"constraints", `SELECT r.relname, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
			WHERE r.relnamespace = current_schema()::regnamespace ORDER BY r.relname, c.conname`},
		{"indexes", `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY tablename, indexname`},
		{"sequences", `SELECT sequence_name, data_type, start_value, increment FROM information_schema.sequences
			WHERE sequence_schema = current_schema() ORDER BY sequence_name`},
		{"triggers", `SELECT r.relname, g.tgname, pg_get_triggerdef(g.oid) FROM pg_trigger g JOIN pg_class r ON r.oid = g.tgrelid
			WHERE r.relnamespace = current_schema()::regnamespace AND NOT g.tgisinternal ORDER BY r.relname, g.tgname`},
		{"functions", `SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace ORDER BY p.proname`},
	}
	var b strings.Builder
	for _, sec := range sections {
		fmt.Fprintf(&b, "-- %s\n", sec.name)
		for _, r := range query(t, s, sec.sql) {
			b.WriteString(strings.TrimRight(strings.Join(r, " | "), " ") + "\n")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// pgDumpSchema is pg_dump's output without what changes from one dump
// to the next or one pg_dump to the next: comments, settings, the
// \restrict key, the schema itself.
func pgDumpSchema(dump string) string {
	var lines []string
	for line := range strings.SplitSeq(dump, "\n") {
		switch {
		case strings.HasPrefix(line, "--"), strings.HasPrefix(line, "SET "), strings.HasPrefix(line, "SELECT pg_catalog.set_config"),
			strings.HasPrefix(line, `\restrict`), strings.HasPrefix(line, `\unrestrict`), strings.HasPrefix(line, "CREATE SCHEMA "):
			continue
		case line == "" && (len(lines) == 0 || lines[len(lines)-1] == ""):
			continue
		}
		lines = append(lines, line)
	}
	return strings.TrimSpace(strings.Join(lines, "\n")) + "\n"
}

// unqualified is text without the test's own schema name before names.
func unqualified(text, schema string) string {
	return regexp.MustCompile(`\b`+regexp.QuoteMeta(schema)+`\.`).ReplaceAllString(text, "")
}

// findPgDump is pg_dump on PATH, or the newest under Debian's
// /usr/lib/postgresql; "" for none.
func findPgDump() string {
	if p, err := exec.LookPath("pg_dump"); err == nil {
		return p
	}
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_dump")
	slices.SortFunc(found, func(a, b string) int { return len(a) - len(b) }) // 9 before 15
	if len(found) == 0 {
		return ""
	}
	return found[len(found)-1]
}

// query is every row of a statement, as text.
func query(t *testing.T, s *store.Store, sql string) [][]string {
	t.Helper()
	rows, err := s.Rows(context.Background(), sql)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for rows.Next() {
		vals := make([]string, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		gotPath := filepath.Join(t.TempDir(), name)
		os.WriteFile(gotPath, []byte(got), 0o644)
		t.Errorf("the migrated schema differs from %s: diff %s %s (go test -run TestSchema -update rewrites it, for a new migration)", path, path, gotPath)
	}
}
