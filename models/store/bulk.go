package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/unesco-gnlc/learnthroughlife/models/report/rollup"
)

// ErrNotEmpty means a bulk load or demo data was asked for on a database
// that has records.
var ErrNotEmpty = errors.New("database is not empty")

// TableRows are rows of one table for BulkInsert, each holding the values
// of Cols in their order.
type TableRows struct {
	Table string
	Cols  []string
	Rows  [][]any
}

// BulkInsert writes the rows of every table of batch, in order (parents
// before children), in one transaction of its own, or none of them:
// multi-row INSERTs on SQLite, COPY on PostgreSQL. Rows go in as they are,
// ids included: no validation, no audit entry, no roll-up refresh; after
// a load, call ResetSequences, RebuildRollups and Analyze. Table and
// column names are written into the SQL: they come from the code, never
// from input. Not for use inside Tx.
func (s *Store) BulkInsert(ctx context.Context, batch []TableRows) error {
	if s.dialect == rollup.Postgres {
		return s.copyRows(ctx, batch)
	}
	return s.insertRows(ctx, batch)
}

// insertRows writes a batch as multi-row INSERT statements.
func (s *Store) insertRows(ctx context.Context, batch []TableRows) error {
	return s.Tx(ctx, func(tx *Store) error {
		for _, t := range batch {
			width := len(t.Cols)
			per := max(1, 30_000/width)
			tuple := "(" + placeholders(width) + ")"
			for lo := 0; lo < len(t.Rows); lo += per {
				chunk := t.Rows[lo:min(lo+per, len(t.Rows))]
				args := make([]any, 0, len(chunk)*width)
				tuples := make([]string, len(chunk))
				for i, r := range chunk {
					tuples[i] = tuple
					args = append(args, r...)
				}
				if err := tx.db.Exec("INSERT INTO "+t.Table+" ("+strings.Join(t.Cols, ", ")+") VALUES "+strings.Join(tuples, ", "), args...).Error; err != nil {
					return fmt.Errorf("insert into %s: %w", t.Table, err)
				}
			}
		}
		return nil
	})
}

// copyRows writes a batch with PostgreSQL's COPY, all tables of it in one
// transaction on one connection.
func (s *Store) copyRows(ctx context.Context, batch []TableRows) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy: the PostgreSQL driver is not pgx (%T)", dc)
		}
		tx, err := sc.Conn().Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(context.WithoutCancel(ctx))
		for _, t := range batch {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.Table}, t.Cols, pgx.CopyFromRows(t.Rows)); err != nil {
				return fmt.Errorf("copy into %s: %w", t.Table, err)
			}
		}
		return tx.Commit(ctx)
	})
}

// ResetSequences moves the id sequences of the tables past their highest
// id, after a bulk load that wrote ids itself, so that the next row
// created gets the next id; the names come from the code. SQLite needs
// nothing.
func (s *Store) ResetSequences(ctx context.Context, tables ...string) error {
	if s.dialect != rollup.Postgres {
		return nil
	}
	for _, t := range tables {
		err := s.db.WithContext(ctx).Exec(fmt.Sprintf(
			"SELECT setval(pg_get_serial_sequence('%[1]s', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM %[1]s), false)", t)).Error
		if err != nil {
			return fmt.Errorf("reset the id sequence of %s: %w", t, err)
		}
	}
	return nil
}

// dropForBulkLoad drops the foreign keys and the secondary indexes of the
// current schema's tables, which a bulk load would otherwise check and
// update row by row, and returns the statements that make them again
// (indexes first, then the keys, which are checked in one pass each).
// Primary keys and unique constraints stay.
func (s *Store) dropForBulkLoad(ctx context.Context) ([]string, error) {
	db := s.db.WithContext(ctx)
	var keys []struct{ Tbl, Name, Def string }
	if err := db.Raw(`SELECT c.conrelid::regclass::text AS tbl, c.conname AS name, pg_get_constraintdef(c.oid) AS def
		FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
		ORDER BY c.conname`).Scan(&keys).Error; err != nil {
		return nil, err
	}
	var indexes []struct{ Name, Def string }
	if err := db.Raw(`SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
		WHERE i.schemaname = current_schema()
		AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.connamespace = current_schema()::regnamespace)
		ORDER BY i.indexname`).Scan(&indexes).Error; err != nil {
		return nil, err
	}
	var again []string
	for _, k := range keys {
		if err := db.Exec("ALTER TABLE " + k.Tbl + " DROP CONSTRAINT " + k.Name).Error; err != nil {
			return nil, err
		}
	}
	for _, ix := range indexes {
		if err := db.Exec("DROP INDEX " + ix.Name).Error; err != nil {
			return nil, err
		}
		again = append(again, ix.Def)
	}
	for _, k := range keys {
		again = append(again, "ALTER TABLE "+k.Tbl+" ADD CONSTRAINT "+k.Name+" "+k.Def)
	}
	return again, nil
}

// Analyze gathers the planner's statistics after a bulk load. On
// PostgreSQL it also vacuums the tables of the current schema (and only
// those), so that the visibility map is set and index-only scans need not
// visit the table, and freezes the rows, so that no anti-wraparound vacuum
// rewrites them later.
func (s *Store) Analyze(ctx context.Context) error {
	db := s.db.WithContext(ctx)
	if s.dialect != rollup.Postgres {
		return db.Exec("ANALYZE").Error
	}
	var tables []string
	if err := db.Raw("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename").Scan(&tables).Error; err != nil {
		return err
	}
	if len(tables) == 0 {
		return nil
	}
	return db.Exec("VACUUM (FREEZE, ANALYZE) " + strings.Join(tables, ", ")).Error
}

// schemaName is what an unquoted PostgreSQL schema name may be here.
var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// targetSchema is the schema a PostgreSQL URL's tables live in: the first
// of its search_path, or public.
func targetSchema(dsn string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", fmt.Errorf("database URL: %w", err)
	}
	schema := "public"
	if sp := u.Query().Get("search_path"); sp != "" {
		schema = strings.TrimSpace(strings.Split(sp, ",")[0])
	}
	if !schemaName.MatchString(schema) {
		return "", fmt.Errorf("database URL: search_path %q is not a plain schema name", schema)
	}
	return schema, nil
}

// BulkLoadPostgres fills the PostgreSQL database dsn, whose schema (the
// URL's search_path, or public) must hold no records, with load. It
// builds everything in a scratch schema next to the target
// (SCHEMA_partial): it migrates it, drops its foreign keys and secondary
// indexes, runs load on a Store bound to it, makes the indexes and keys
// again (reported to progress, which may be nil, as stage "indexes") and
// gathers statistics; then it moves the tables into the target in one
// transaction. An interrupted or failed run drops the scratch schema and
// leaves the target as it was. It returns ErrNotEmpty when the target has
// records, before the load or at the move.
func BulkLoadPostgres(ctx context.Context, dsn string, load func(st *Store) error, progress func(stage string, done, total int)) (err error) {
	target, err := targetSchema(dsn)
	if err != nil {
		return err
	}
	scratch := target + "_partial"
	admin, err := Open(dsn, "")
	if err != nil {
		return err
	}
	defer admin.Close()
	if admin.dialect != rollup.Postgres {
		return errors.New("BulkLoadPostgres needs a postgres:// URL")
	}
	if err := admin.checkEmptySchema(ctx, target); err != nil {
		return err
	}
	db := admin.db.WithContext(ctx)
	if err := db.Exec("DROP SCHEMA IF EXISTS " + scratch + " CASCADE").Error; err != nil {
		return err
	}
	if err := db.Exec("CREATE SCHEMA " + scratch).Error; err != nil {
		return err
	}
	defer func() {
		if err != nil {
			// Cleaning up must outlive the cancelled context of an interrupt.
			cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
			defer cancel()
			admin.db.WithContext(cctx).Exec("DROP SCHEMA IF EXISTS " + scratch + " CASCADE")
		}
	}()

	u, _ := url.Parse(dsn)
	q := u.Query()
	q.Set("search_path", scratch)
	u.RawQuery = q.Encode()
	st, err := Open(u.String(), "")
	if err != nil {
		return err
	}
	err = st.Migrate(ctx)
	var deferred []string
	if err == nil {
		deferred, err = st.dropForBulkLoad(ctx)
	}
	if err == nil {
		err = load(st)
	}
	for i, stmt := range deferred {
		if err != nil {
			break
		}
		if progress != nil {
			progress("indexes", i, len(deferred))
		}
		err = st.db.WithContext(ctx).Exec(stmt).Error
	}
	if err == nil && progress != nil {
		progress("indexes", len(deferred), len(deferred))
	}
	if err == nil {
		// Statistics of the expression indexes just made (the stories'
		// search vector), without which the planner takes every word for
		// a rare one.
		err = st.db.WithContext(ctx).Exec("ANALYZE").Error
	}
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return admin.Tx(ctx, func(tx *Store) error {
		if err := tx.db.Exec("CREATE SCHEMA IF NOT EXISTS " + target).Error; err != nil {
			return err
		}
		if err := tx.checkEmptySchema(ctx, target); err != nil {
			return err
		}
		tables, err := tx.schemaTables(ctx, scratch)
		if err != nil {
			return err
		}
		// The target's own tracker tables (migrated, without records) make
		// way; tables of other applications stay.
		old, err := tx.schemaTables(ctx, target)
		if err != nil {
			return err
		}
		for _, t := range old {
			if !slices.Contains(tables, t) {
				continue
			}
			if err := tx.db.Exec("DROP TABLE " + target + "." + t + " CASCADE").Error; err != nil {
				return err
			}
		}
		// Indexes, constraints, triggers and the id sequences move with
		// their tables.
		for _, t := range tables {
			if err := tx.db.Exec("ALTER TABLE " + scratch + "." + t + " SET SCHEMA " + target).Error; err != nil {
				return err
			}
		}
		// Functions (those of triggers) move by themselves, in place of
		// the target's own of the same name.
		var funcs []struct{ Name, Signature string }
		if err := tx.db.Raw(`SELECT p.proname AS name, pg_get_function_identity_arguments(p.oid) AS signature
			FROM pg_proc p WHERE p.pronamespace = ?::regnamespace`, scratch).Scan(&funcs).Error; err != nil {
			return err
		}
		for _, f := range funcs {
			if err := tx.db.Exec("DROP FUNCTION IF EXISTS " + target + "." + f.Name + "(" + f.Signature + ") CASCADE").Error; err != nil {
				return err
			}
			if err := tx.db.Exec("ALTER FUNCTION " + scratch + "." + f.Name + "(" + f.Signature + ") SET SCHEMA " + target).Error; err != nil {
				return err
			}
		}
		return tx.db.Exec("DROP SCHEMA " + scratch).Error
	})
}

// schemaTables lists the tables of a schema.
func (s *Store) schemaTables(ctx context.Context, schema string) ([]string, error) {
	var tables []string
	err := s.db.WithContext(ctx).Raw(`SELECT table_name FROM information_schema.tables
		WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name`, schema).Scan(&tables).Error
	return tables, err
}

// recordTables hold what people entered; a schema with none of their rows
// is empty, whatever bookkeeping rows (migrations, versions, sessions) it
// has.
var recordTables = []string{"cities", "users", "campaigns", "partners", "events", "stories", "city_reports", "audit_entries"}

// checkEmptySchema returns ErrNotEmpty when one of the schema's record
// tables has a row.
func (s *Store) checkEmptySchema(ctx context.Context, schema string) error {
	tables, err := s.schemaTables(ctx, schema)
	if err != nil {
		return err
	}
	for _, t := range tables {
		if !slices.Contains(recordTables, t) {
			continue
		}
		var found bool
		if err := s.db.WithContext(ctx).Raw("SELECT EXISTS (SELECT 1 FROM " + schema + "." + t + ")").Scan(&found).Error; err != nil {
			return err
		}
		if found {
			return ErrNotEmpty
		}
	}
	return nil
}
