// Package migrations holds the tracker's schema changes, one numbered
// file each, and the data fills that go with some of them, frozen as
// they were at their version (see README.md). It runs nothing by itself:
// the store runs each migration through DB, in its own transaction, and
// records it in schema_migrations.
package migrations

import (
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Engine is a database engine a migration is written for.
type Engine string

// The engines the tracker runs on.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// DB runs a migration's statements inside the transaction that records
// it. Statements take ? placeholders; a slice argument stands for a list
// (IN ?).
type DB interface {
	Exec(query string, args ...any) error
	Rows(query string, args ...any) (*sql.Rows, error)
}

// Migration is one numbered change of the schema, and the data fill that
// goes with it, as one engine runs it.
type Migration struct {
	// Version is its number, kept in schema_migrations once it ran.
	Version int
	// Name is the rest of its file name ("cities_users").
	Name string
	// statements are its file's, split, their types substituted.
	statements []string
	// fill runs after the statements; nil for none.
	fill func(DB) error
}

// Run runs the migration on db: its statements, then its fill.
func (m Migration) Run(db DB) error {
	for i, stmt := range m.statements {
		if err := db.Exec(stmt); err != nil {
			return fmt.Errorf("statement %d: %w", i+1, err)
		}
	}
	return m.RunFill(db)
}

// RunFill runs the migration's data fill alone, if it has one: for the
// tests, which run a fill again over rows they wrote.
func (m Migration) RunFill(db DB) error {
	if m.fill == nil {
		return nil
	}
	if err := m.fill(db); err != nil {
		return fmt.Errorf("fill of migration %d: %w", m.Version, err)
	}
	return nil
}

// Statements are the migration's statements as the engine runs them.
func (m Migration) Statements() []string { return slices.Clone(m.statements) }

// files are the migrations: NNNN_name.sql, or a pair NNNN_name.sqlite.sql
// and NNNN_name.postgres.sql where the engines differ; a data fill in
// frozen SQL sits beside them as NNNN_name.fill.sql (or a pair of
// .fill.sqlite.sql and .fill.postgres.sql).
//
//go:embed *.sql
var files embed.FS

// goFills are the data fills written in Go, by version: those that read
// rows and decide in Go what to write. Each is frozen in its own file
// (NNNN_name.go) with the SQL it runs.
var goFills = map[int]func(DB, Engine) error{
	29: eventsInUTC,
	30: sessionsHashed,
	31: uploadTokensHashed,
}

// types are the column types that differ between the engines, written
// {{id}}, {{ts}} and {{blob}} in the migrations: the one substitution the
// files get. It is frozen like them.
var types = map[Engine]*strings.Replacer{
	SQLite:   strings.NewReplacer("{{id}}", "INTEGER PRIMARY KEY AUTOINCREMENT", "{{ts}}", "DATETIME", "{{blob}}", "BLOB"),
	Postgres: strings.NewReplacer("{{id}}", "BIGSERIAL PRIMARY KEY", "{{ts}}", "TIMESTAMPTZ", "{{blob}}", "BYTEA"),
}

// Ledger is the statement that makes schema_migrations, the versions
// applied, unless it exists.
func Ledger(engine Engine) string {
	return types[engine].Replace("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at {{ts}} NOT NULL)")
}

// lists are the migrations of each engine, read once from files.
var lists = map[Engine][]Migration{}

func init() {
	for _, engine := range []Engine{SQLite, Postgres} {
		list, err := load(files, goFills, engine)
		if err != nil {
			panic(fmt.Sprintf("migrations: %v", err))
		}
		lists[engine] = list
	}
}

// For is the ordered list of migrations as engine runs them.
func For(engine Engine) []Migration { return slices.Clone(lists[engine]) }

// Latest is the version the last migration brings a database to.
func Latest() int { return len(lists[SQLite]) }

// fileName is a migration file's name: version, name, whether it is a
// fill, and the engine it is for ("" for both).
var fileName = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)(\.fill)?(?:\.(sqlite|postgres))?\.sql$`)

// load reads the migrations of engine from fsys, with the fills in Go:
// one per version from 1 on, without gaps, each either one file for both
// engines or a pair.
func load(fsys fs.FS, goFills map[int]func(DB, Engine) error, engine Engine) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	type parts struct {
		name         string
		schema, fill map[string]string // by engine, "" for both
	}
	byVersion := map[int]*parts{}
	for _, e := range entries {
		m := fileName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("%s: not NNNN_name[.fill][.sqlite|.postgres].sql", e.Name())
		}
		version, _ := strconv.Atoi(m[1])
		p := byVersion[version]
		if p == nil {
			p = &parts{name: m[2], schema: map[string]string{}, fill: map[string]string{}}
			byVersion[version] = p
		}
		if p.name != m[2] {
			return nil, fmt.Errorf("%s: migration %d is named %s", e.Name(), version, p.name)
		}
		b, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, err
		}
		if m[3] != "" {
			p.fill[m[4]] = string(b)
		} else {
			p.schema[m[4]] = string(b)
		}
	}
	var out []Migration
	for version := 1; version <= len(byVersion); version++ {
		p := byVersion[version]
		if p == nil {
			return nil, fmt.Errorf("no migration %d, but %d files' versions", version, len(byVersion))
		}
		schema, ok, err := forEngine(p.schema, engine)
		if err != nil {
			return nil, fmt.Errorf("migration %d: %w", version, err)
		}
		if !ok {
			return nil, fmt.Errorf("migration %d: no schema file (a fill alone still has one, with a comment)", version)
		}
		m := Migration{Version: version, Name: p.name, statements: schema}
		fill, ok, err := forEngine(p.fill, engine)
		if err != nil {
			return nil, fmt.Errorf("fill of migration %d: %w", version, err)
		}
		if ok {
			m.fill = func(db DB) error {
				for i, stmt := range fill {
					if err := db.Exec(stmt); err != nil {
						return fmt.Errorf("statement %d: %w", i+1, err)
					}
				}
				return nil
			}
		}
		if f := goFills[version]; f != nil {
			if m.fill != nil {
				return nil, fmt.Errorf("migration %d has a fill in SQL and one in Go", version)
			}
			m.fill = func(db DB) error { return f(db, engine) }
		}
		out = append(out, m)
	}
	for version := range goFills {
		if version < 1 || version > len(out) {
			return nil, fmt.Errorf("a fill in Go for migration %d, which has no file", version)
		}
	}
	return out, nil
}

// forEngine picks engine's text among a migration's files (by engine, ""
// for both) and splits it into statements, with their types substituted;
// ok is false when there is no file.
func forEngine(texts map[string]string, engine Engine) (stmts []string, ok bool, err error) {
	text, both := texts[""]
	_, sqlite := texts[string(SQLite)]
	_, postgres := texts[string(Postgres)]
	switch {
	case both && (sqlite || postgres):
		return nil, false, fmt.Errorf("a file for both engines beside a file for one")
	case sqlite != postgres:
		return nil, false, fmt.Errorf("a file for one engine only: write the pair")
	case !both && !sqlite:
		return nil, false, nil
	case !both:
		text = texts[string(engine)]
	}
	stmts = statements(types[engine].Replace(text))
	for _, s := range stmts {
		if strings.Contains(s, "{{") {
			return nil, false, fmt.Errorf("an unknown placeholder in %.60q", s)
		}
	}
	return stmts, true, nil
}
