package store

import (
	"context"
	"time"
)

// Allow records one request of client in bucket and reports whether it is
// within limit requests per window. The count lives in the database, so
// every app instance shares it; a refused request is not recorded.
func (s *Store) Allow(ctx context.Context, bucket, client string, limit int, window time.Duration) (bool, error) {
	now := time.Now().UTC()
	allowed := false
	err := s.Tx(ctx, func(tx *Store) error {
		var n int64
		if err := tx.db.Table("rate_events").Where("bucket = ? AND client = ? AND created_at > ?", bucket, client, now.Add(-window)).Count(&n).Error; err != nil {
			return err
		}
		if n >= int64(limit) {
			return nil
		}
		allowed = true
		return tx.db.Exec("INSERT INTO rate_events (bucket, client, created_at) VALUES (?, ?, ?)", bucket, client, now).Error
	})
	return allowed, err
}

// PruneRateEvents deletes rate-limit records older than a day.
func (s *Store) PruneRateEvents(ctx context.Context) error {
	return s.db.WithContext(ctx).Exec("DELETE FROM rate_events WHERE created_at < ?", time.Now().UTC().Add(-24*time.Hour)).Error
}

// rateLimit is at most n events of client in bucket per window.
type rateLimit struct {
	bucket, client string
	n              int
}
