package demo_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

// newTestStore opens a fresh, migrated database: SQLite, or PostgreSQL
// when TEST_DATABASE_URL is set.
func newTestStore(t *testing.T) *store.Store {
	t.Helper()
	s, _ := storetest.Open(t)
	return s
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func countEvents(t *testing.T, s *store.Store) int64 {
	t.Helper()
	page, err := s.Events(context.Background(), models.EventFilter{}, models.Page{Size: 1})
	must(t, err)
	return page.Total
}

// rawDB opens the PostgreSQL test database dsn directly, past the store
// (the pgx driver is registered by the store's), closed after the test.
func rawDB(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	must(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}
