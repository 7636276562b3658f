package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
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
	// State is where its import is: waiting for the confirmation (""),
	// running, done or failed. A confirmed upload keeps the outcome, and
	// drops its file, until it is pruned.
	State UploadState
	// Runner is the server running the import, since StartedAt.
	Runner    string
	StartedAt *time.Time
	// CreatedRows and UpdatedRows are a done import's counts, Failure a
	// failed one's reason.
	CreatedRows int
	UpdatedRows int
	Failure     ImportFailure
}

// UploadState is where an upload's import is.
type UploadState string

// The states of an upload.
const (
	UploadWaiting UploadState = ""
	UploadRunning UploadState = "running"
	UploadDone    UploadState = "done"
	UploadFailed  UploadState = "failed"
)

// ImportFailure is why a confirmed import wrote nothing.
type ImportFailure string

// The reasons an import fails.
const (
	// FailRefused: the file no longer checks (the city's data changed
	// since the preview).
	FailRefused ImportFailure = "refused"
	// FailTimeout: the import ran past its deadline.
	FailTimeout ImportFailure = "timeout"
	// FailError: the server could not write it.
	FailError ImportFailure = "error"
	// FailInterrupted: the server stopped while it ran; its transaction
	// rolled back.
	FailInterrupted ImportFailure = "interrupted"
)

// ErrUploadClaimed means an upload's import was confirmed already.
var ErrUploadClaimed = errors.New("upload already confirmed")

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

// ClaimUpload marks u, an upload just read (Upload), as running on
// runner, once: the first confirmation claims it; any later one gets
// ErrUploadClaimed. The file, up to 10 MB, is not read again.
func (s *Store) ClaimUpload(ctx context.Context, u *Upload, runner string) error {
	now := time.Now().UTC()
	res := s.db.WithContext(ctx).Model(&Upload{}).Where("token = ? AND state = ?", u.Token, UploadWaiting).
		Updates(map[string]any{"state": UploadRunning, "runner": runner, "started_at": now})
	if res.Error != nil {
		return fmt.Errorf("claim upload: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrUploadClaimed
	}
	u.State, u.Runner, u.StartedAt = UploadRunning, runner, &now
	return nil
}

// FinishUpload keeps the outcome of a claimed upload's import (done with
// its counts, or failed with the reason) and drops its file.
func (s *Store) FinishUpload(ctx context.Context, token string, created, updated int, failure ImportFailure) error {
	return s.withCtx(ctx).finishUpload(token, created, updated, failure)
}

func (s *Store) finishUpload(token string, created, updated int, failure ImportFailure) error {
	state := UploadDone
	if failure != "" {
		state = UploadFailed
	}
	return s.db.Model(&Upload{}).Where("token = ?", token).Updates(map[string]any{
		"state": state, "created_rows": created, "updated_rows": updated, "failure": failure, "data": []byte{},
	}).Error
}

// ConfirmedUpload returns the live upload with token of cityID whose
// import was confirmed, without its file, or ErrNotFound. Whose it is
// the caller checks.
func (s *Store) ConfirmedUpload(ctx context.Context, token string, cityID uint) (*Upload, error) {
	var u Upload
	err := s.db.WithContext(ctx).Omit("data").Where("token = ? AND city_id = ? AND state <> ? AND started_at >= ?",
		token, cityID, UploadWaiting, time.Now().UTC().Add(-UploadLifetime)).First(&u).Error
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
	cutoff := now.Add(-UploadLifetime)
	return s.db.Where("created_at < ? AND (started_at IS NULL OR started_at < ?)", cutoff, cutoff).Delete(&Upload{}).Error
}
