package store

import (
	"context"
	"reflect"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
)

// SessionStore keeps web sessions in the database so that they survive a
// restart and are shared by every app instance. It implements scs.CtxStore.
// The database keeps each session's token as its SHA-256 (hashToken), as
// it does links' tokens: a copy of it hands out no working session.
//
// With an idle timeout, scs commits the session on every request, only to
// move its expiry on: a write, which on SQLite waits behind any long
// write transaction (an import's), stalling every signed-in page. So a
// commit that changes nothing but the expiry, by less than sessionTouch,
// is skipped: the session read at the start of the request is remembered
// until its commit, and compared.
type SessionStore struct {
	s    *Store
	mu   sync.Mutex
	read map[string]readSession
}

// sessionTouch is how far a session's expiry may move on before a commit
// that changes nothing else writes it: the idle timeout is kept to within
// that much.
const sessionTouch = time.Minute

// maxReadSessions bounds the sessions remembered between their read and
// their commit; past it they are forgotten (their commits then write).
const maxReadSessions = 10_000

// readSession is a session as the database holds it: its decoded values
// and expiry.
type readSession struct {
	deadline time.Time
	values   map[string]any
	expiry   time.Time
}

// Sessions returns the database-backed session store.
func (s *Store) Sessions() *SessionStore {
	return &SessionStore{s: s, read: map[string]readSession{}}
}

// FindCtx returns the data of an unexpired session.
func (ss *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var rows []struct {
		Data   []byte
		Expiry time.Time
	}
	err := ss.s.db.WithContext(ctx).Raw("SELECT data, expiry FROM sessions WHERE token = ? AND expiry > ?", hashToken(token), time.Now().UTC()).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, false, err
	}
	ss.remember(token, rows[0].Data, rows[0].Expiry)
	return rows[0].Data, true, nil
}

// CommitCtx adds or replaces a session; a commit that would only move the
// expiry on by less than sessionTouch writes nothing.
func (ss *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	if ss.unchanged(token, b, expiry) {
		return nil
	}
	err := ss.s.db.WithContext(ctx).Exec(`INSERT INTO sessions (token, data, expiry) VALUES (?, ?, ?)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`, hashToken(token), b, expiry.UTC()).Error
	if err == nil {
		ss.remember(token, b, expiry)
	}
	return err
}

// remember notes a session as the database now holds it; data scs cannot
// decode is not remembered.
func (ss *SessionStore) remember(token string, data []byte, expiry time.Time) {
	deadline, values, err := scs.GobCodec{}.Decode(data)
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if err != nil {
		delete(ss.read, token)
		return
	}
	if len(ss.read) >= maxReadSessions {
		clear(ss.read)
	}
	ss.read[token] = readSession{deadline: deadline, values: values, expiry: expiry}
}

// unchanged reports whether committing data with expiry would only move
// the remembered session's expiry on, by less than sessionTouch.
func (ss *SessionStore) unchanged(token string, data []byte, expiry time.Time) bool {
	ss.mu.Lock()
	r, ok := ss.read[token]
	ss.mu.Unlock()
	if !ok || expiry.Sub(r.expiry) >= sessionTouch || expiry.Before(r.expiry) {
		return false
	}
	deadline, values, err := scs.GobCodec{}.Decode(data)
	return err == nil && deadline.Equal(r.deadline) && reflect.DeepEqual(values, r.values)
}

// DeleteCtx removes a session.
func (ss *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	ss.mu.Lock()
	delete(ss.read, token)
	ss.mu.Unlock()
	return ss.s.db.WithContext(ctx).Exec("DELETE FROM sessions WHERE token = ?", hashToken(token)).Error
}

// Find implements scs.Store.
func (ss *SessionStore) Find(token string) ([]byte, bool, error) {
	return ss.FindCtx(context.Background(), token)
}

// Commit implements scs.Store.
func (ss *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return ss.CommitCtx(context.Background(), token, b, expiry)
}

// Delete implements scs.Store.
func (ss *SessionStore) Delete(token string) error {
	return ss.DeleteCtx(context.Background(), token)
}

// PruneSessions deletes expired sessions.
func (s *Store) PruneSessions(ctx context.Context) error {
	return s.db.WithContext(ctx).Exec("DELETE FROM sessions WHERE expiry < ?", time.Now().UTC()).Error
}
