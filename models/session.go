package models

import (
	"context"
	"time"
)

// SessionStore keeps web sessions in the database so that they survive a
// restart and are shared by every app instance. It implements scs.CtxStore.
type SessionStore struct{ s *Store }

// Sessions returns the database-backed session store.
func (s *Store) Sessions() *SessionStore { return &SessionStore{s: s} }

// FindCtx returns the data of an unexpired session.
func (ss *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var rows []struct{ Data []byte }
	err := ss.s.db.WithContext(ctx).Raw("SELECT data FROM sessions WHERE token = ? AND expiry > ?", token, time.Now().UTC()).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, false, err
	}
	return rows[0].Data, true, nil
}

// CommitCtx adds or replaces a session.
func (ss *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	return ss.s.db.WithContext(ctx).Exec(`INSERT INTO sessions (token, data, expiry) VALUES (?, ?, ?)
		ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`, token, b, expiry.UTC()).Error
}

// DeleteCtx removes a session.
func (ss *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	return ss.s.db.WithContext(ctx).Exec("DELETE FROM sessions WHERE token = ?", token).Error
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
