package handlers

import (
	"crypto/rand"
	"encoding/hex"
	"sync"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// importRuns are the confirmed imports this server is running, by their
// upload's token, with how far each is. The progress lives here, in the
// process, because an import's transaction holds SQLite's write lock:
// nothing outside it could write the progress to the database meanwhile.
// The outcome is kept on the upload's row, by the import's own
// transaction or, when that rolled back, by FinishUpload, so every
// instance, and this one after a restart, can show it.
type importRuns struct {
	// instance names this server process on the uploads it runs.
	instance string
	mu       sync.Mutex
	runs     map[string]models.ImportProgress
}

// newImportRuns is an empty registry under a fresh instance name.
func newImportRuns() *importRuns {
	b := make([]byte, 8)
	rand.Read(b) // never fails (crypto/rand)
	return &importRuns{instance: hex.EncodeToString(b), runs: map[string]models.ImportProgress{}}
}

// report notes how far the import of token is.
func (r *importRuns) report(token string, p models.ImportProgress) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.runs[token] = p
}

// progress is how far the import of token is, and whether it runs here.
func (r *importRuns) progress(token string) (models.ImportProgress, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p, ok := r.runs[token]
	return p, ok
}

// end forgets the import of token, once its outcome is kept.
func (r *importRuns) end(token string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.runs, token)
}
