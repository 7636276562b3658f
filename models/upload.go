package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"
)

// UploadLifetime is how long an uploaded file waits for its import to be
// confirmed.
const UploadLifetime = time.Hour

// Upload is a file a user has sent and must confirm before it is acted
// on: it is kept in the database (so every instance sees it), tied to its
// user and city, under a random token, for UploadLifetime.
type Upload struct {
	Token     string `gorm:"primaryKey"`
	UserID    uint
	CityID    uint
	Kind      string
	Name      string
	Data      []byte
	CreatedAt time.Time
}

// SaveUpload keeps a file for userID and cityID and returns its token;
// files past their lifetime are dropped on the way.
func (s *Store) SaveUpload(ctx context.Context, u *Upload) (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	u.Token = hex.EncodeToString(b)
	u.CreatedAt = time.Now().UTC()
	err := s.Tx(ctx, func(tx *Store) error {
		if err := tx.pruneUploads(u.CreatedAt); err != nil {
			return err
		}
		return tx.db.Create(u).Error
	})
	if err != nil {
		return "", fmt.Errorf("save upload: %w", err)
	}
	return u.Token, nil
}

// Upload returns the live upload with token that belongs to userID and
// cityID, or ErrNotFound (unknown, expired, or someone else's).
func (s *Store) Upload(ctx context.Context, token string, userID, cityID uint) (*Upload, error) {
	var u Upload
	err := s.db.WithContext(ctx).Where("token = ? AND user_id = ? AND city_id = ? AND created_at >= ?",
		token, userID, cityID, time.Now().UTC().Add(-UploadLifetime)).First(&u).Error
	if err != nil {
		return nil, translate(err)
	}
	return &u, nil
}

// DeleteUpload drops an upload once it has been used.
func (s *Store) DeleteUpload(ctx context.Context, token string) error {
	return s.db.WithContext(ctx).Where("token = ?", token).Delete(&Upload{}).Error
}

// PruneUploads drops the uploads past their lifetime: a file that was
// never confirmed may name people (partners' contacts) and is kept no
// longer than it can be used.
func (s *Store) PruneUploads(ctx context.Context) error {
	return s.Tx(ctx, func(tx *Store) error { return tx.pruneUploads(time.Now().UTC()) })
}

func (s *Store) pruneUploads(now time.Time) error {
	return s.db.Where("created_at < ?", now.Add(-UploadLifetime)).Delete(&Upload{}).Error
}
