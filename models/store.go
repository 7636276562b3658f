// Package models holds the domain types of the tracker and the Store that
// persists them. It is the only package that talks to the database.
package models

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-playground/validator/v10"
	"golang.org/x/crypto/bcrypt"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Sentinel errors returned by Store methods; handlers map them to HTTP
// statuses in one place.
var (
	// ErrNotFound means the requested record does not exist.
	ErrNotFound = errors.New("not found")
	// ErrDuplicate means a unique value (email, slug) is already taken.
	ErrDuplicate = errors.New("already exists")
	// ErrForbidden means the acting user may not touch the record.
	ErrForbidden = errors.New("forbidden")
	// ErrConsent means a write would publish a story without the consents
	// it needs (see Story.MayBePublished); the database refused it.
	ErrConsent = errors.New("a story is published only with its author's consent, and a minor's with a guardian's")
)

// Store persists the tracker's records. All methods are safe for concurrent use.
type Store struct {
	db       *gorm.DB
	dialect  string
	validate *validator.Validate
	dummy    *dummyHash
	photos   PhotoDir
	reports  *reportCache
	// reportHits counts the reports the cache answered.
	reportHits *atomic.Int64
	// cities keeps the list of every city, which many pages read whole,
	// while no city changes (nil in a transaction).
	cities *cityCache
	// ledger is the erasure ledger file ("" for none); see WithErasureLedger.
	ledger string
	// notify writes the mails that changes cause (SetNotifier); nil: none.
	notify Notifier
	// pending collects the roll-ups to refresh at the end of a batch
	// (Batch); nil outside one.
	pending *pendingRollups
}

// dummyHash is a bcrypt hash compared against when a login names an
// unknown email, made once per Store on first use.
type dummyHash struct {
	once sync.Once
	hash string
}

func (s *Store) dummyHash() string {
	s.dummy.once.Do(func() {
		h, _ := bcrypt.GenerateFromPassword([]byte("no such user"), bcrypt.DefaultCost)
		s.dummy.hash = string(h)
	})
	return s.dummy.hash
}

// Open connects to the database named by dsn: a postgres:// URL selects
// PostgreSQL; anything else is a SQLite file path, whose directory is
// created if needed. Uploaded photos are kept in photoDir, which several
// app instances must share.
func Open(dsn, photoDir string) (*Store, error) {
	cfg := &gorm.Config{
		TranslateError:         true,
		SkipDefaultTransaction: true,
		Logger:                 logger.Discard,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	}
	var (
		db      *gorm.DB
		dialect string
		err     error
	)
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		dialect = "postgres"
		db, err = gorm.Open(postgres.Open(withParam(dsn, "timezone", "UTC")), cfg)
	} else {
		dialect = "sqlite"
		path := strings.TrimPrefix(dsn, "sqlite://")
		if err := createPrivate(path); err != nil {
			return nil, fmt.Errorf("open: %w", err)
		}
		// PRAGMAs go in the DSN so that every pooled connection gets them;
		// _txlock=immediate makes read-then-write transactions wait for the
		// lock instead of failing at once with SQLITE_BUSY; _secure_delete
		// zeroes deleted and overwritten content, so an erased story leaves
		// no bytes behind in the file's free space. A write waits up to 15 s
		// for the lock (_busy_timeout): the largest import holds it about 4 s
		// at network scale, and over 5 s on a loaded machine, when a
		// learner's story must wait rather than fail; a request's own
		// deadline still bounds the wait.
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
	if dialect == "sqlite" {
		sqlDB.SetMaxOpenConns(4)
	} else {
		sqlDB.SetMaxOpenConns(20)
	}
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	return &Store{db: db, dialect: dialect, validate: newValidator(), dummy: &dummyHash{}, photos: PhotoDir{dir: photoDir}, reports: newReportCache(256), reportHits: new(atomic.Int64), cities: &cityCache{}}, nil
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

// Dialect names the database engine: "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.dialect }

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
		// The cities cache stays outside: a transaction may yet roll back.
		return fn(&Store{db: gtx, dialect: s.dialect, validate: s.validate, dummy: s.dummy, photos: s.photos, reports: s.reports, reportHits: s.reportHits, ledger: s.ledger, notify: s.notify, pending: s.pending})
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

// translate maps GORM and driver errors to the package's sentinels.
func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return ErrDuplicate
	case strings.Contains(err.Error(), "UNIQUE constraint failed"):
		return ErrDuplicate
	case strings.Contains(err.Error(), "stories_consent"):
		return fmt.Errorf("%w (%v)", ErrConsent, err)
	}
	return err
}

// Page asks for one page of a list. Number starts at 1.
type Page struct {
	Number int
	Size   int
	// NoTotal skips counting the matches across pages, for a list that
	// shows no count or pager (Paged.Total stays 0).
	NoTotal bool
	// CountUpTo, for the lists that count only so far (the audit log),
	// overrides how far; 0 for the list's own limit.
	CountUpTo int64
}

// normalize bounds the page to sane values.
func (p Page) normalize() Page {
	if p.Size <= 0 || p.Size > 100 {
		p.Size = 20
	}
	if p.Number < 1 {
		p.Number = 1
	}
	return p
}

func (p Page) offset() int { return (p.Number - 1) * p.Size }

// Paged is one page of results with the total count across pages.
type Paged[T any] struct {
	Items []T
	Total int64
	// AtLeast says that the matches were counted only up to Total, and
	// there are more.
	AtLeast bool
	Page    Page
}

// Pages is the number of pages needed for Total items; when the count
// stopped short (AtLeast), at least one more than a full page's number.
func (p Paged[T]) Pages() int {
	if p.Page.Size == 0 {
		return 1
	}
	n := int((p.Total + int64(p.Page.Size) - 1) / int64(p.Page.Size))
	if p.AtLeast && len(p.Items) == p.Page.Size {
		n = max(n, p.Page.Number+1)
	}
	return max(n, 1)
}

// countUpTo sets out's Total to the number of rows of q, but stops
// counting past limit (out.AtLeast): a list of millions of rows (the audit
// log) says "more than limit" rather than counting them all on every page
// view. db is the session to count in.
func countUpTo[T any](db, q *gorm.DB, limit int64, out *Paged[T]) error {
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
	if s.dialect != "sqlite" {
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
	if s.dialect != "sqlite" {
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
