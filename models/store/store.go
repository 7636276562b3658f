// Package store persists the tracker's records (package models) in SQLite
// or PostgreSQL: Store, Open, Tx and Batch, one file per family of
// tables. It is the only package that uses GORM; every write that can
// change a report figure refreshes the roll-ups (package rollup) in its
// own transaction.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report/rollup"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Store persists the tracker's records. All methods are safe for concurrent use.
type Store struct {
	db      *gorm.DB
	dialect rollup.Dialect
	dummy   *dummyHash
	photos  PhotoDir
	// cost is the bcrypt cost of the passwords it hashes.
	cost int
	// cities keeps the list of every city, which many pages read whole,
	// while no city changes (nil in a transaction).
	cities *cityCache
	// ledger is the erasure ledger file ("" for none); see WithErasureLedger.
	ledger string
	// notify writes the mails that changes cause (SetNotifier); nil: none.
	notify Notifier
	// keys seal the two-factor secrets (WithSecretKeys); nil: none, and
	// keyErr says why a key given was refused.
	keys   *secretKeys
	keyErr error
	// pending collects the roll-ups to refresh at the end of a batch
	// (Batch); nil outside one.
	pending *pendingRollups
	// bulk is the id of the audit entry of the bulk action (AuditBulk)
	// that this transaction's changes are part of; nil: none.
	bulk *uint
}

// pendingRollups are the roll-up keys and partners that the writes of a
// batch changed, refreshed together at its end.
type pendingRollups struct {
	keys     []rollup.Key
	partners []uint
}

// Option sets how Open opens a Store.
type Option func(*Store)

// WithBcryptCost hashes passwords at cost instead of bcrypt's default:
// for the tests, where hashing at the default cost for every account a
// test makes would dominate the suite's time.
func WithBcryptCost(cost int) Option { return func(s *Store) { s.cost = cost } }

// dummyHash is a bcrypt hash compared against when a login names an
// unknown email, made once per Store on first use.
type dummyHash struct {
	once sync.Once
	hash string
}

func (s *Store) dummyHash() string {
	s.dummy.once.Do(func() {
		h, _ := bcrypt.GenerateFromPassword([]byte("no such user"), s.cost)
		s.dummy.hash = string(h)
	})
	return s.dummy.hash
}

// Open connects to the database named by dsn: a postgres:// URL selects
// PostgreSQL; anything else is a SQLite file path, whose directory is
// created if needed. Uploaded photos are kept in photoDir, which several
// app instances must share.
func Open(dsn, photoDir string, opts ...Option) (*Store, error) {
	cfg := &gorm.Config{
		TranslateError:         true,
		SkipDefaultTransaction: true,
		Logger:                 logger.Discard,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	}
	var (
		db      *gorm.DB
		dialect rollup.Dialect
		err     error
	)
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		dialect = rollup.Postgres
		db, err = gorm.Open(postgres.Open(withParam(dsn, "timezone", "UTC")), cfg)
	} else {
		dialect = rollup.SQLite
		path := strings.TrimPrefix(dsn, "sqlite://")
		if err := createPrivate(path); err != nil {
			return nil, fmt.Errorf("open: %w", err)
		}
		// PRAGMAs go in the DSN so that every pooled connection gets them;
		// _txlock=immediate makes read-then-write transactions wait for the
		// lock instead of failing at once with SQLITE_BUSY; _secure_delete
		// zeroes deleted and overwritten content, so an erased story leaves
		// no bytes behind in the file's free space. A write waits up to 15 s
		// for the lock (_busy_timeout): the largest import holds it for
		// seconds at network scale (docs/bulk-entry.md), when a learner's
		// story must wait rather than fail; a request's own deadline still
		// bounds the wait.
		full := "file:" + path + "?_journal_mode=WAL&_synchronous=NORMAL&_busy_timeout=15000&_foreign_keys=1&_txlock=immediate&_secure_delete=1"
		db, err = gorm.Open(sqlite.Open(full), cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", dialect, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open: %w", err)
	}
	if dialect == rollup.SQLite {
		sqlDB.SetMaxOpenConns(4)
	} else {
		sqlDB.SetMaxOpenConns(20)
	}
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{db: db, dialect: dialect, dummy: &dummyHash{}, photos: PhotoDir{dir: photoDir}, cost: bcrypt.DefaultCost, cities: &cityCache{}}
	for _, opt := range opts {
		opt(s)
	}
	return s, nil
}

// createPrivate creates the directory of a SQLite file and the empty file
// itself, unless they exist, readable by the server's user only. SQLite
// gives its -wal and -shm files the database file's mode, so they are
// private too.
func createPrivate(path string) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}

// withParam adds a query parameter to a URL-style DSN unless it has one.
func withParam(dsn, key, value string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	q := u.Query()
	if q.Get(key) == "" {
		q.Set(key, value)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// Dialect is the database engine.
func (s *Store) Dialect() rollup.Dialect { return s.dialect }

// Close releases the database connections.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Tx runs fn in one transaction, handing it a Store bound to that
// transaction; fn must use only that Store. The transaction commits when fn
// returns nil and rolls back otherwise.
func (s *Store) Tx(ctx context.Context, fn func(tx *Store) error) error {
	return s.db.WithContext(ctx).Transaction(func(gtx *gorm.DB) error {
		tx := *s
		tx.db = gtx
		// The cities cache stays outside: a transaction may yet roll back.
		tx.cities = nil
		return fn(&tx)
	})
}

// Batch runs fn in one transaction, like Tx, for many writes at once (an
// import): the report roll-ups that its writes change are refreshed once,
// at its end, rather than after each write. Inside a batch, a batch is
// part of the outer one.
func (s *Store) Batch(ctx context.Context, fn func(tx *Store) error) error {
	return s.Tx(ctx, func(tx *Store) error {
		if tx.pending != nil {
			return fn(tx)
		}
		p := &pendingRollups{}
		tx.pending = p
		if err := fn(tx); err != nil {
			return err
		}
		tx.pending = nil
		return tx.refreshRollups(p.keys, p.partners)
	})
}

// refreshRollups recomputes the roll-up rows of the keys and of the
// partners. Call it inside the transaction of the write that changed them;
// in a batch, it notes them for the batch's end.
func (s *Store) refreshRollups(keys []rollup.Key, partnerIDs []uint) error {
	if s.pending != nil {
		s.pending.keys = append(s.pending.keys, keys...)
		s.pending.partners = append(s.pending.partners, partnerIDs...)
		return nil
	}
	return s.rollups().Refresh(keys, partnerIDs)
}

// rollups is the roll-ups' writer, in s's transaction.
func (s *Store) rollups() *rollup.Writer { return rollup.New(sqlRunner{s.db}, s.dialect) }

// sqlRunner runs the roll-ups' statements on a session: a transaction,
// under its context.
type sqlRunner struct{ db *gorm.DB }

func (r sqlRunner) Exec(query string, args ...any) error { return r.db.Exec(query, args...).Error }

func (r sqlRunner) Rows(query string, args ...any) (*sql.Rows, error) {
	return r.db.Raw(query, args...).Rows()
}

// Rows runs a read statement and returns its rows, which the caller
// closes: for the report engine, which reads the roll-ups and the raw
// tables with its own SQL. The statement takes ? placeholders; a slice
// argument stands for a list (IN ?).
func (s *Store) Rows(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return s.db.WithContext(ctx).Raw(query, args...).Rows()
}

// translate maps GORM and driver errors to the package's sentinels.
func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return models.ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return models.ErrDuplicate
	case strings.Contains(err.Error(), "UNIQUE constraint failed"):
		return models.ErrDuplicate
	case strings.Contains(err.Error(), "stories_consent"):
		return fmt.Errorf("%w (%v)", models.ErrConsent, err)
	}
	return err
}

// countUpTo sets out's Total to the number of rows of q, but stops
// counting past limit (out.AtLeast): a list of millions of rows (the audit
// log) says "more than limit" rather than counting them all on every page
// view. db is the session to count in.
func countUpTo[T any](db, q *gorm.DB, limit int64, out *models.Paged[T]) error {
	var n int64
	capped := q.Session(&gorm.Session{}).Select("1").Limit(int(limit) + 1)
	if err := db.Table("(?) AS capped", capped).Count(&n).Error; err != nil {
		return err
	}
	out.Total, out.AtLeast = min(n, limit), n > limit
	return nil
}

// Checkpoint copies the SQLite write-ahead log into the database file and
// truncates it, so that long readers do not let it grow without bound and
// erased content does not linger in older frames of the log.
func (s *Store) Checkpoint(ctx context.Context) error {
	if s.dialect != rollup.SQLite {
		return nil
	}
	return s.db.WithContext(ctx).Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error
}

// ErrBackupEngine means online backups are made with the engine's own tool.
var ErrBackupEngine = errors.New("on PostgreSQL, back up with pg_dump (see README)")

// Backup writes a consistent copy of a SQLite database to path while the
// app keeps running (VACUUM INTO), readable by the server's user only.
// path must not exist.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.dialect != rollup.SQLite {
		return ErrBackupEngine
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s exists", path)
	}
	// VACUUM INTO writes into an empty file as into a new one, and keeps
	// the file's mode.
	if err := createPrivate(path); err != nil {
		return err
	}
	return s.db.WithContext(ctx).Exec("VACUUM INTO ?", path).Error
}

// placeholders is "?, ?, …" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// sortByOrder sorts xs in the order the values appear in order.
func sortByOrder[T comparable](xs []T, order []T) {
	slices.SortFunc(xs, func(a, b T) int { return slices.Index(order, a) - slices.Index(order, b) })
}
