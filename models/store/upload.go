package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// SaveUpload keeps a file for userID and cityID and returns its token,
// of which only the hash is kept. It replaces the user's file waiting
// for that city, and keeps at most models.MaxWaitingUploads of theirs
// waiting in all (the newest), so previews, up to 10 MB each, cannot
// fill the database; files past their lifetime, and imports whose server
// stopped beating, are settled on the way.
func (s *Store) SaveUpload(ctx context.Context, u *models.Upload) (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	u.Token = hex.EncodeToString(b)
	u.TokenHash = hashToken(u.Token)
	u.CreatedAt = time.Now().UTC()
	err := s.Tx(ctx, func(tx *Store) error {
		if err := tx.pruneUploads(u.CreatedAt); err != nil {
			return err
		}
		waiting := tx.db.Where("user_id = ? AND state = ?", u.UserID, models.UploadWaiting)
		if err := waiting.Where("city_id = ?", u.CityID).Delete(&models.Upload{}).Error; err != nil {
			return err
		}
		var keep []string
		err := tx.db.Model(&models.Upload{}).Where("user_id = ? AND state = ?", u.UserID, models.UploadWaiting).
			Order("created_at DESC").Limit(models.MaxWaitingUploads-1).Pluck("token_hash", &keep).Error
		if err != nil {
			return err
		}
		older := tx.db.Where("user_id = ? AND state = ?", u.UserID, models.UploadWaiting)
		if len(keep) > 0 {
			older = older.Where("token_hash NOT IN ?", keep)
		}
		if err := older.Delete(&models.Upload{}).Error; err != nil {
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
	err := s.db.WithContext(ctx).Where("token_hash = ? AND user_id = ? AND city_id = ? AND created_at >= ?",
		hashToken(token), userID, cityID, time.Now().UTC().Add(-models.UploadLifetime)).First(&u).Error
	if err != nil {
		return nil, translate(err)
	}
	u.Token = token
	return &u, nil
}

// ClaimUpload marks u, an upload just read (Upload), as running on
// runner, once: the first confirmation claims it; any later one gets
// ErrUploadClaimed. The file, up to 10 MB, is not read again. Its first
// beat is now.
func (s *Store) ClaimUpload(ctx context.Context, u *models.Upload, runner string) error {
	now := time.Now().UTC()
	res := s.db.WithContext(ctx).Model(&models.Upload{}).Where("token_hash = ? AND state = ?", u.TokenHash, models.UploadWaiting).
		Updates(map[string]any{"state": models.UploadRunning, "runner": runner, "started_at": now, "beat_at": now})
	if res.Error != nil {
		return fmt.Errorf("claim upload: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return models.ErrUploadClaimed
	}
	u.State, u.Runner, u.StartedAt, u.BeatAt = models.UploadRunning, runner, &now, &now
	return nil
}

// BeatUpload notes that the import of token still runs: its server calls
// it every models.UploadBeat.
func (s *Store) BeatUpload(ctx context.Context, token string) error {
	err := s.db.WithContext(ctx).Model(&models.Upload{}).Where("token_hash = ? AND state = ?", hashToken(token), models.UploadRunning).
		Update("beat_at", time.Now().UTC()).Error
	if err != nil {
		return fmt.Errorf("beat upload: %w", err)
	}
	return nil
}

// SettleUpload fails the import of token (FailInterrupted) if it is still
// marked running with no beat since staleBefore: its server stopped, and
// its transaction, all or nothing, rolled back. It says whether it did.
// An import that ends meanwhile keeps its outcome: the update waits for
// the import's transaction and then finds it done.
func (s *Store) SettleUpload(ctx context.Context, token string, staleBefore time.Time) (bool, error) {
	res := s.db.WithContext(ctx).Model(&models.Upload{}).Scopes(stale(staleBefore)).Where("token_hash = ?", hashToken(token)).
		Updates(interrupted())
	if res.Error != nil {
		return false, fmt.Errorf("settle upload: %w", res.Error)
	}
	return res.RowsAffected > 0, nil
}

// stale are the uploads running with no beat since before.
func stale(before time.Time) func(*gorm.DB) *gorm.DB {
	return func(db *gorm.DB) *gorm.DB {
		return db.Where("state = ? AND COALESCE(beat_at, started_at) < ?", models.UploadRunning, before.UTC())
	}
}

// interrupted is the outcome of an import whose server stopped.
func interrupted() map[string]any {
	return map[string]any{"state": models.UploadFailed, "failure": models.FailInterrupted, "data": []byte{}}
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
	return s.db.Model(&models.Upload{}).Where("token_hash = ?", hashToken(token)).Updates(map[string]any{
		"state": state, "created_rows": created, "updated_rows": updated, "failure": failure, "data": []byte{},
	}).Error
}

// ConfirmedUpload returns the live upload with token of cityID whose
// import was confirmed, without its file, or ErrNotFound. Whose it is
// the caller checks.
func (s *Store) ConfirmedUpload(ctx context.Context, token string, cityID uint) (*models.Upload, error) {
	var u models.Upload
	err := s.db.WithContext(ctx).Omit("data").Where("token_hash = ? AND city_id = ? AND state <> ? AND started_at >= ?",
		hashToken(token), cityID, models.UploadWaiting, time.Now().UTC().Add(-models.UploadLifetime)).First(&u).Error
	if err != nil {
		return nil, translate(err)
	}
	u.Token = token
	return &u, nil
}

// PruneUploads drops the uploads past their lifetime: a file that was
// never confirmed may name people (partners' contacts) and is kept no
// longer than it can be used. A confirmed upload's lifetime runs from its
// confirmation, so an import running is never pruned, and its outcome
// stays readable for as long. Imports whose server stopped beating are
// settled failed.
func (s *Store) PruneUploads(ctx context.Context) error {
	return s.Tx(ctx, func(tx *Store) error { return tx.pruneUploads(time.Now().UTC()) })
}

func (s *Store) pruneUploads(now time.Time) error {
	if err := s.db.Model(&models.Upload{}).Scopes(stale(now.Add(-models.UploadStale))).Updates(interrupted()).Error; err != nil {
		return err
	}
	cutoff := now.Add(-models.UploadLifetime)
	return s.db.Where("created_at < ? AND (started_at IS NULL OR started_at < ?)", cutoff, cutoff).Delete(&models.Upload{}).Error
}
