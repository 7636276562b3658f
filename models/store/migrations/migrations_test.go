package migrations

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestLoad: the files make one migration per version, with a pair where
// the engines differ, and a broken set of files is refused.
func TestLoad(t *testing.T) {
	good := fstest.MapFS{
		"0001_a.sql":               {Data: []byte("CREATE TABLE a (id {{id}}, at {{ts}});")},
		"0002_b.sqlite.sql":        {Data: []byte("CREATE INDEX s ON a(at);")},
		"0002_b.postgres.sql":      {Data: []byte("CREATE INDEX p ON a(at);")},
		"0002_b.fill.sql":          {Data: []byte("UPDATE a SET at = at;")},
		"0003_c.sql":               {Data: []byte("-- nothing")},
		"0003_c.fill.sqlite.sql":   {Data: []byte("DELETE FROM a;")},
		"0003_c.fill.postgres.sql": {Data: []byte("TRUNCATE a;")},
	}
	list, err := load(good, nil, Postgres)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range list {
		got = append(got, m.Name+": "+strings.Join(m.statements, "; "))
		if (m.fill != nil) != (m.Version > 1) {
			t.Errorf("migration %d: fill %v", m.Version, m.fill != nil)
		}
	}
	if want := []string{"a: CREATE TABLE a (id BIGSERIAL PRIMARY KEY, at TIMESTAMPTZ)", "b: CREATE INDEX p ON a(at)", "c: "}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	for name, fsys := range map[string]fstest.MapFS{
		"a gap":               {"0001_a.sql": {}, "0003_c.sql": {}},
		"one engine only":     {"0001_a.sqlite.sql": {}},
		"both and one":        {"0001_a.sql": {}, "0001_a.sqlite.sql": {}, "0001_a.postgres.sql": {}},
		"two names":           {"0001_a.sql": {}, "0001_b.fill.sql": {}},
		"a fill alone":        {"0001_a.fill.sql": {}},
		"a name not numbered": {"1_a.sql": {}},
		"an unknown type":     {"0001_a.sql": {Data: []byte("CREATE TABLE a (x {{int}})")}},
	} {
		if _, err := load(fsys, nil, SQLite); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	goFill := func(DB, Engine) error { return nil }
	if _, err := load(good, map[int]func(DB, Engine) error{3: goFill}, SQLite); err == nil {
		t.Error("a fill in SQL and one in Go: no error")
	}
	if _, err := load(good, map[int]func(DB, Engine) error{4: goFill}, SQLite); err == nil {
		t.Error("a fill in Go without its file: no error")
	}
}

// TestEmbedded: the embedded files load on both engines into the same
// versions and names, and the fills in Go have their files.
func TestEmbedded(t *testing.T) {
	sqlite, postgres := For(SQLite), For(Postgres)
	if len(sqlite) != Latest() || len(postgres) != Latest() {
		t.Fatalf("%d and %d migrations, latest %d", len(sqlite), len(postgres), Latest())
	}
	for i := range sqlite {
		if sqlite[i].Version != i+1 || postgres[i].Name != sqlite[i].Name {
			t.Errorf("migration %d: %d %s, %d %s", i+1, sqlite[i].Version, sqlite[i].Name, postgres[i].Version, postgres[i].Name)
		}
	}
	for version := range goFills {
		if sqlite[version-1].fill == nil {
			t.Errorf("migration %d's fill in Go is not run", version)
		}
	}
}
