package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// SaveUpload keeps a file for userID and cityID and returns its token;
// files past their lifetime are dropped on the way.
func (s *Store) SaveUpload(ctx context.Context, u *models.Upload) (string, error) {
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
func (s *Store) Upload(ctx context.Context, token string, userID, cityID uint) (*models.Upload, error) {
	var u models.Upload
	err := s.db.WithContext(ctx).Where("token = ? AND user_id = ? AND city_id = ? AND created_at >= ?",
		token, userID, cityID, time.Now().UTC().Add(-models.UploadLifetime)).First(&u).Error
	if err != nil {
		return nil, translate(err)
	}
	return &u, nil
}

// ClaimUpload marks u, an upload just read (Upload), as running on
// runner, once: the first confirmation claims it; any later one gets
// ErrUploadClaimed. The file, up to 10 MB, is not read again.
func (s *Store) ClaimUpload(ctx context.Context, u *models.Upload, runner string) error {
	now := time.Now().UTC()
	res := s.db.WithContext(ctx).Model(&models.Upload{}).Where("token = ? AND state = ?", u.Token, models.UploadWaiting).
		Updates(map[string]any{"state": models.UploadRunning, "runner": runner, "started_at": now})
	if res.Error != nil {
		return fmt.Errorf("claim upload: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return models.ErrUploadClaimed
	}
	u.State, u.Runner, u.StartedAt = models.UploadRunning, runner, &now
	return nil
}

// FinishUpload keeps the outcome of a claimed upload's import (done with
// its counts, or failed with the reason) and drops its file.
func (s *Store) FinishUpload(ctx context.Context, token string, created, updated int, failure models.ImportFailure) error {
	return s.withCtx(ctx).finishUpload(token, created, updated, failure)
}

func (s *Store) finishUpload(token string, created, updated int, failure models.ImportFailure) error {
	state := models.UploadDone
	if failure != "" {
		state = models.UploadFailed
	}
	return s.db.Model(&models.Upload{}).Where("token = ?", token).Updates(map[string]any{
		"state": state, "created_rows": created, "updated_rows": updated, "failure": failure, "data": []byte{},
	}).Error
}

// ConfirmedUpload returns the live upload with token of cityID whose
// import was confirmed, without its file, or ErrNotFound. Whose it is
// the caller checks.
func (s *Store) ConfirmedUpload(ctx context.Context, token string, cityID uint) (*models.Upload, error) {
	var u models.Upload
	err := s.db.WithContext(ctx).Omit("data").Where("token = ? AND city_id = ? AND state <> ? AND started_at >= ?",
		token, cityID, models.UploadWaiting, time.Now().UTC().Add(-models.UploadLifetime)).First(&u).Error
	if err != nil {
		return nil, translate(err)
	}
	return &u, nil
}

// PruneUploads drops the uploads past their lifetime: a file that was
// never confirmed may name people (partners' contacts) and is kept no
// longer than it can be used. A confirmed upload's lifetime runs from its
// confirmation, so an import running is never pruned, and its outcome
// stays readable for as long.
func (s *Store) PruneUploads(ctx context.Context) error {
	return s.Tx(ctx, func(tx *Store) error { return tx.pruneUploads(time.Now().UTC()) })
}

func (s *Store) pruneUploads(now time.Time) error {
	cutoff := now.Add(-models.UploadLifetime)
	return s.db.Where("created_at < ? AND (started_at IS NULL OR started_at < ?)", cutoff, cutoff).Delete(&models.Upload{}).Error
}
