// Package storetest opens a fresh, migrated Store for a test: a SQLite file
// in a temporary directory, or, when TEST_DATABASE_URL names a PostgreSQL
// database, a schema of its own in it, dropped after the test.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// DSN returns a new empty database for the test: its DSN, and the photo
// directory to use with it.
func DSN(t testing.TB) (dsn, photoDir string) {
	t.Helper()
	dir := t.TempDir()
	photoDir = filepath.Join(dir, "photos")
	base := os.Getenv("TEST_DATABASE_URL")
	if base == "" {
		return filepath.Join(dir, "test.db"), photoDir
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), photoDir
}

// Open returns a migrated Store on a new empty database, closed after the
// test, and its photo directory.
func Open(t testing.TB) (*models.Store, string) {
	t.Helper()
	dsn, photos := DSN(t)
	s, err := models.Open(dsn, photos)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s, photos
}
