package models

import (
	"errors"
	"time"
)

// UploadLifetime is how long an uploaded file waits for its import to be
// confirmed.
const UploadLifetime = time.Hour

// A running import's heartbeat: its server writes the time on its upload
// every UploadBeat; an upload still running with no beat for UploadStale
// had its server stop, and is settled failed (FailInterrupted). On
// SQLite a beat waits while the import's own transaction holds the write
// lock (seconds), and so does the settling: an import that ends meanwhile
// is found done, not settled.
const (
	UploadBeat  = 3 * time.Second
	UploadStale = 15 * time.Second
)

// MaxWaitingUploads is how many files a user may keep waiting for their
// confirmation, one per city: an older one is dropped for a new one.
const MaxWaitingUploads = 3

// Upload is a file a user has sent and must confirm before it is acted
// on: it is kept in the database (so every instance sees it), tied to its
// user and city, under the hash of a random token, for UploadLifetime. A
// user keeps one file waiting per city: a new preview replaces the last.
type Upload struct {
	// TokenHash is what the database keeps of the token (sha256, hex);
	// the token itself is only in its links, and in Token once known.
	TokenHash string `gorm:"primaryKey"`
	Token     string `gorm:"-"`
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
	// Runner is the server running the import, since StartedAt; it beats
	// (BeatAt) every UploadBeat while it runs.
	Runner    string
	StartedAt *time.Time
	BeatAt    *time.Time
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
	// FailInterrupted: the server stopped while it ran (it no longer
	// beats); its transaction rolled back.
	FailInterrupted ImportFailure = "interrupted"
)

// ErrUploadClaimed means an upload's import was confirmed already.
var ErrUploadClaimed = errors.New("upload already confirmed")
