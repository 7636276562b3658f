package store

import (
	"context"
	"fmt"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models/store/migrations"
)

// Migrate brings the schema up to date, running each pending migration
// (package migrations) in its own transaction. It is safe to call on
// every start.
func (s *Store) Migrate(ctx context.Context) error { return s.migrateTo(ctx, migrations.Latest()) }

// migrateTo runs the pending migrations up to version last: the tests
// stop at a version to write rows as they were then.
func (s *Store) migrateTo(ctx context.Context, last int) error {
	engine := migrations.Engine(s.dialect)
	if err := s.db.WithContext(ctx).Exec(migrations.Ledger(engine)).Error; err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, m := range migrations.For(engine) {
		if m.Version > last {
			break
		}
		err := s.Tx(ctx, func(tx *Store) error {
			var n int64
			if err := tx.db.Table("schema_migrations").Where("version = ?", m.Version).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if err := m.Run(sqlRunner{tx.db}); err != nil {
				return err
			}
			return tx.db.Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", m.Version, time.Now().UTC()).Error
		})
		if err != nil {
			return fmt.Errorf("migrate to version %d (%s): %w", m.Version, m.Name, err)
		}
	}
	return nil
}

// SchemaLatest is the schema version Migrate brings a database to.
func SchemaLatest() int { return migrations.Latest() }

// SchemaVersion is the number of migrations applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.WithContext(ctx).Raw("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v).Error
	return v, err
}
