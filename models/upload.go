package models

import (
	"errors"
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
