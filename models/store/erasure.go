package store

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report/rollup"
)

// ErasureReason says why a story's content was erased.
type ErasureReason string

// The reasons a story's content is erased.
const (
	// ErasedWithdrawn: the learner withdrew the story.
	ErasedWithdrawn ErasureReason = "withdrawn"
	// ErasedRetention: the story was rejected longer ago than the
	// retention period.
	ErasedRetention ErasureReason = "retention"
)

// Erasure records that a story's content was erased: identifiers and a
// date, never content. Erasures are kept twice: in the database (table
// story_erasures, written in the transaction of the erasure) and in an
// append-only file in the data directory, which a restore of the database
// from an older backup does not roll back.
type Erasure struct {
	StoryID uint `json:"story"`
	// Receipt is the start of the story's receipt hash: it tells the story
	// apart from a later one that a restored database gives the same id.
	Receipt string `json:"receipt"`
	// PhotoKey names the erased photo file, so that a restored photo
	// directory loses it again.
	PhotoKey string        `json:"photo,omitempty"`
	Reason   ErasureReason `json:"reason"`
	At       time.Time     `json:"at"`
}

// receiptLen is how much of the receipt hash an erasure keeps: 64 bits
// tell stories apart and reveal nothing of the code.
const receiptLen = 16

func (e Erasure) key() [2]string { return [2]string{fmt.Sprint(e.StoryID), e.Receipt} }

func receiptPrefix(hash string) string { return hash[:min(len(hash), receiptLen)] }

// WithErasureLedger returns a Store on the same database that also appends
// every erasure to the file at path (created with mode 0600), and replays
// that file in ReplayErasures. Put the file where a restore of the
// database does not reach: the data directory, not the backups.
func (s *Store) WithErasureLedger(path string) *Store {
	c := *s
	c.ledger = path
	return &c
}

// eraseStories erases the content of stories — title, text, name, contact
// email, photo, rejection reason, and the versions edits replaced — keeping what the figures need, and
// records each erasure in the ledger file first (an entry whose erasure
// then fails is replayed at the next start: a withdrawal errs towards
// erasure), then in the database with an audit entry that holds no
// content. Withdrawn stories become StoryWithdrawn, others StoryErased.
func (s *Store) eraseStories(ctx context.Context, stories []models.Story, reason ErasureReason, actor models.Actor, ledger bool) error {
	if len(stories) == 0 {
		return nil
	}
	now := time.Now().UTC()
	erasures := make([]Erasure, len(stories))
	for i, st := range stories {
		erasures[i] = Erasure{StoryID: st.ID, Receipt: receiptPrefix(st.ReceiptHash), PhotoKey: st.PhotoKey, Reason: reason, At: now}
	}
	if ledger {
		if err := s.appendLedger(erasures); err != nil {
			return fmt.Errorf("erasure ledger: %w", err)
		}
	}
	status, action := models.StoryErased, models.AuditErase
	if reason == ErasedWithdrawn {
		status, action = models.StoryWithdrawn, models.AuditWithdraw
	}
	err := s.Tx(ctx, func(tx *Store) error {
		var keys []rollup.Key
		for i, st := range stories {
			updates := map[string]any{
				"title": "", "body": "", "display_name": "", "contact_email": "", "photo_key": "", "photo_alt": "",
				"reject_reason": "", "featured": false, "status": status, "updated_at": now,
			}
			if status == models.StoryWithdrawn {
				updates["withdrawn_at"] = now
			}
			res := tx.db.Model(&models.Story{}).Where("id = ? AND receipt_hash = ? AND status NOT IN ?", st.ID, st.ReceiptHash,
				[]models.StoryStatus{models.StoryWithdrawn, models.StoryErased}).Updates(updates)
			if res.Error != nil {
				return res.Error
			}
			// The versions an edit replaced go with the words they held,
			// also for a story whose erasure a replay finds done.
			if err := tx.db.Exec("DELETE FROM story_revisions WHERE story_id IN (SELECT id FROM stories WHERE id = ? AND receipt_hash = ?)", st.ID, st.ReceiptHash).Error; err != nil {
				return err
			}
			if err := tx.recordErasure(erasures[i]); err != nil {
				return err
			}
			if res.RowsAffected == 0 {
				continue
			}
			if st.Status == models.StoryPublished {
				keys = append(keys, rollup.StoryKey(&st))
			}
			if err := tx.audit(actor, action, models.EntityStory, st.ID, &st.CityID, erasedSummary); err != nil {
				return err
			}
		}
		if len(keys) == 0 {
			return nil
		}
		return tx.refreshRollups(keys, nil)
	})
	if err != nil {
		return err
	}
	for _, e := range erasures {
		if err := s.photos.remove(e.PhotoKey); err != nil {
			return fmt.Errorf("erase photo: %w", err)
		}
	}
	// The erased text must not linger in older frames of the SQLite log.
	return s.Checkpoint(ctx)
}

// recordErasure keeps e in the database's ledger; recording it twice is
// harmless.
func (s *Store) recordErasure(e Erasure) error {
	return s.db.Exec(`INSERT INTO story_erasures (story_id, receipt, photo_key, reason, erased_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (story_id, receipt) DO NOTHING`, e.StoryID, e.Receipt, e.PhotoKey, e.Reason, e.At).Error
}

// appendLedger appends erasures to the ledger file, one JSON object a
// line, in a single write, and syncs the file before returning.
func (s *Store) appendLedger(erasures []Erasure) error {
	if s.ledger == "" || len(erasures) == 0 {
		return nil
	}
	var buf []byte
	for _, e := range erasures {
		line, err := json.Marshal(e)
		if err != nil {
			return err
		}
		buf = append(append(buf, line...), '\n')
	}
	if err := os.MkdirAll(filepath.Dir(s.ledger), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(s.ledger, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(buf); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// readLedger reads the ledger file; a missing file is an empty ledger and
// a line cut short by a crash is skipped (its erasure never committed).
func (s *Store) readLedger() ([]Erasure, error) {
	if s.ledger == "" {
		return nil, nil
	}
	f, err := os.Open(s.ledger)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Erasure
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e Erasure
		if json.Unmarshal(sc.Bytes(), &e) == nil && e.StoryID != 0 {
			out = append(out, e)
		}
	}
	return out, sc.Err()
}

// ReplayErasures erases again every story the ledger file lists whose
// content is back, as after a restore from an older backup, and deletes
// the photo files of erased stories that a restored photo directory
// brought back. It also copies into the file the erasures only the
// database knows (older withdrawals, or a lost file). It returns how many
// stories it erased again. Run it at every start, after Migrate.
func (s *Store) ReplayErasures(ctx context.Context) (int, error) {
	inFile, err := s.readLedger()
	if err != nil {
		return 0, fmt.Errorf("read erasure ledger: %w", err)
	}
	var inDB []Erasure
	if err := s.db.WithContext(ctx).Raw("SELECT story_id, receipt, photo_key, reason, erased_at AS at FROM story_erasures").Scan(&inDB).Error; err != nil {
		return 0, err
	}
	known := make(map[[2]string]bool, len(inDB))
	for _, e := range inDB {
		known[e.key()] = true
	}
	filed := make(map[[2]string]bool, len(inFile))
	var missing []Erasure
	for _, e := range inFile {
		filed[e.key()] = true
		if !known[e.key()] {
			missing = append(missing, e)
			known[e.key()] = true
		}
	}
	var unfiled []Erasure
	for _, e := range inDB {
		if !filed[e.key()] {
			unfiled = append(unfiled, e)
		}
	}
	if err := s.appendLedger(unfiled); err != nil {
		return 0, fmt.Errorf("erasure ledger: %w", err)
	}
	erased := 0
	for lo := 0; lo < len(missing); lo += 500 {
		n, err := s.replay(ctx, missing[lo:min(lo+500, len(missing))])
		if err != nil {
			return erased, err
		}
		erased += n
	}
	for _, e := range inFile {
		if err := s.photos.remove(e.PhotoKey); err != nil {
			return erased, fmt.Errorf("erase photo: %w", err)
		}
	}
	return erased, nil
}

// replay erases the stories of erasures that still have their content and
// records all of them in the database.
func (s *Store) replay(ctx context.Context, erasures []Erasure) (int, error) {
	ids := make([]uint, len(erasures))
	for i, e := range erasures {
		ids[i] = e.StoryID
	}
	var stories []models.Story
	if err := s.db.WithContext(ctx).Where("id IN ? AND status NOT IN ?", ids, []models.StoryStatus{models.StoryWithdrawn, models.StoryErased}).Find(&stories).Error; err != nil {
		return 0, err
	}
	byID := make(map[uint]models.Story, len(stories))
	for _, st := range stories {
		byID[st.ID] = st
	}
	erased := 0
	for _, e := range erasures {
		st, ok := byID[e.StoryID]
		if ok && receiptPrefix(st.ReceiptHash) == e.Receipt {
			if err := s.eraseStories(ctx, []models.Story{st}, e.Reason, models.Actor{Email: models.ActorLedger}, false); err != nil {
				return erased, err
			}
			erased++
			continue
		}
		if err := s.Tx(ctx, func(tx *Store) error { return tx.recordErasure(e) }); err != nil {
			return erased, err
		}
	}
	return erased, nil
}

// EraseRejectedStories erases the content of the stories rejected before
// cutoff, as a withdrawal does, and returns how many it erased.
func (s *Store) EraseRejectedStories(ctx context.Context, cutoff time.Time) (int, error) {
	erased := 0
	for {
		var batch []models.Story
		err := s.db.WithContext(ctx).Where("status = ? AND COALESCE(decided_at, updated_at) < ?", models.StoryRejected, cutoff.UTC()).
			Order("id").Limit(200).Find(&batch).Error
		if err != nil {
			return erased, err
		}
		if err := s.eraseStories(ctx, batch, ErasedRetention, models.Actor{Email: models.ActorRetention}, true); err != nil {
			return erased, fmt.Errorf("erase rejected stories: %w", err)
		}
		erased += len(batch)
		if len(batch) < 200 {
			return erased, nil
		}
	}
}
