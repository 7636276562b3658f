package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report/rollup"
)

// receiptHash is what is stored of a code: its SHA-256, after the code is
// normalised so that case, spaces and dashes do not matter. A code is
// base32 (A–Z, 2–7), so the digits 0, 1 and 8 are read as the letters
// people mistake them for: O, I and B.
func receiptHash(code string) string {
	norm := strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == ' ' || r == '\t':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r == '0':
			return 'O'
		case r == '1':
			return 'I'
		case r == '8':
			return 'B'
		}
		return r
	}, code)
	sum := sha256.Sum256([]byte(norm))
	return hex.EncodeToString(sum[:])
}

// CreateStory stores a learner's story as pending, with its processed
// photo if any, and returns the receipt code. Nothing is written, no file
// left, when it refuses.
func (s *Store) CreateStory(ctx context.Context, st *models.Story, photo []byte) (string, error) {
	if err := st.Validate(); err != nil {
		return "", err
	}
	code, err := models.NewReceiptCode()
	if err != nil {
		return "", err
	}
	st.ReceiptHash = receiptHash(code)
	st.Status = models.StoryPending
	st.Featured = false
	st.SubmittedAt = time.Now().UTC()
	err = s.Tx(ctx, func(tx *Store) error {
		var n int64
		if err := tx.db.Model(&models.City{}).Where("id = ?", st.CityID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return models.FieldErrors{"city": {Code: "oneof"}}
		}
		if err := tx.db.Model(&models.Campaign{}).Where("id = ?", st.CampaignID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return models.FieldErrors{"campaign": {Code: "oneof"}}
		}
		if len(photo) > 0 {
			key, err := s.photos.save(photo)
			if err != nil {
				return fmt.Errorf("save photo: %w", err)
			}
			st.PhotoKey = key
		}
		if err := tx.db.Create(st).Error; err != nil {
			return fmt.Errorf("create story: %w", err)
		}
		if err := tx.saveStoryAreas(st); err != nil {
			return err
		}
		return tx.audit(models.Actor{Email: models.ActorLearner}, models.AuditSubmit, models.EntityStory, st.ID, &st.CityID, "status: "+string(models.StoryPending))
	})
	if err != nil {
		if st.PhotoKey != "" {
			s.photos.remove(st.PhotoKey)
			st.PhotoKey = ""
		}
		return "", err
	}
	return code, nil
}

// StoryDates are moments of a story's life set by hand; a zero time
// leaves its moment as it is.
type StoryDates struct {
	Submitted, Published, Decided time.Time
}

// BackdateStory sets the given moments of story id as they are, with no
// audit entry and no roll-up refresh: for the demo data, whose stories
// came in and were decided over past months. The roll-ups file a
// published story under the day it was sent, so Submitted is set while
// the story is still pending.
func (s *Store) BackdateStory(ctx context.Context, id uint, d StoryDates) error {
	updates := map[string]any{}
	if !d.Submitted.IsZero() {
		updates["submitted_at"] = d.Submitted
	}
	if !d.Published.IsZero() {
		updates["published_at"] = d.Published
	}
	if !d.Decided.IsZero() {
		updates["decided_at"] = d.Decided
	}
	if len(updates) == 0 {
		return nil
	}
	return s.db.WithContext(ctx).Model(&models.Story{}).Where("id = ?", id).Updates(updates).Error
}

func (s *Store) saveStoryAreas(st *models.Story) error {
	if err := s.db.Exec("DELETE FROM story_learning_areas WHERE story_id = ?", st.ID).Error; err != nil {
		return err
	}
	for _, a := range st.LearningAreas {
		if err := s.db.Exec("INSERT INTO story_learning_areas (story_id, area) VALUES (?, ?)", st.ID, a).Error; err != nil {
			return err
		}
	}
	return nil
}

// Story returns the story with id and its learning areas.
func (s *Store) Story(ctx context.Context, id uint) (*models.Story, error) {
	var st models.Story
	if err := s.db.WithContext(ctx).First(&st, id).Error; err != nil {
		return nil, translate(err)
	}
	stories := []models.Story{st}
	if err := s.loadStoryAreas(ctx, stories); err != nil {
		return nil, err
	}
	return &stories[0], nil
}

// StoryByReceipt returns the story whose receipt code is code.
func (s *Store) StoryByReceipt(ctx context.Context, code string) (*models.Story, error) {
	if strings.TrimSpace(code) == "" {
		return nil, models.ErrNotFound
	}
	var st models.Story
	if err := s.db.WithContext(ctx).Where("receipt_hash = ?", receiptHash(code)).First(&st).Error; err != nil {
		return nil, translate(err)
	}
	return &st, nil
}

// WithdrawStory erases the content of the story with the receipt code:
// its title, text, name, contact email and photo are gone for good, from
// the database file and its log too; a tombstone with its city, campaign,
// age group and dates stays. The erasure is kept in the erasure ledger, so
// that a restore from an older backup does not bring the story back.
func (s *Store) WithdrawStory(ctx context.Context, code string) (*models.Story, error) {
	st, err := s.StoryByReceipt(ctx, code)
	if err != nil {
		return nil, err
	}
	if st.Erased() {
		return st, nil
	}
	if err := s.eraseStories(ctx, []models.Story{*st}, ErasedWithdrawn, models.Actor{Email: models.ActorLearner}, true); err != nil {
		return nil, fmt.Errorf("withdraw story: %w", err)
	}
	return s.Story(ctx, st.ID)
}

// Audit entries about stories name the record and the fields changed,
// never a learner's words: an erased story must leave its content nowhere.
const erasedSummary = "erased: title, body, display_name, contact_email, photo"

// decisionSummary names what a moderation decision changed.
func decisionSummary(updates map[string]any) string {
	if status, ok := updates["status"]; ok {
		return fmt.Sprintf("status: %v", status)
	}
	return fmt.Sprintf("featured: %v", updates["featured"])
}

// decision is what action changes in a story in its status at now, or
// ErrTransition (or a problem with the reason) when it may not.
func decision(st *models.Story, action models.StoryAction, reason string, now time.Time) (map[string]any, error) {
	updates := map[string]any{"updated_at": now}
	switch {
	case action == models.ActionPublish && (st.Status == models.StoryPending || st.Status == models.StoryRejected || st.Status == models.StoryHidden):
		updates["status"], updates["decided_at"], updates["reject_reason"] = models.StoryPublished, now, ""
		if st.Status != models.StoryHidden || st.PublishedAt == nil {
			// Shown again, a hidden story keeps its place among the published.
			updates["published_at"] = now
		}
	case action == models.ActionReject && (st.Status == models.StoryPending || st.Status == models.StoryPublished || st.Status == models.StoryHidden):
		if reason == "" {
			return nil, models.FieldErrors{"reason": {Code: "required"}}
		}
		if len([]rune(reason)) > 500 {
			return nil, models.FieldErrors{"reason": {Code: "max", Param: "500"}}
		}
		if models.HasControl(reason, true) {
			return nil, models.FieldErrors{"reason": {Code: "control_chars"}}
		}
		updates["status"], updates["reject_reason"], updates["featured"], updates["decided_at"] = models.StoryRejected, reason, false, now
	case action == models.ActionFeature && st.Status == models.StoryPublished && !st.Featured:
		updates["featured"] = true
	case action == models.ActionUnfeature && st.Featured:
		updates["featured"] = false
	case action == models.ActionUnpublish && st.Status == models.StoryPublished:
		// Hidden, not sent back to the queue: it is shown again with
		// Publish, and the queue keeps only what waits for a first look.
		updates["status"], updates["featured"] = models.StoryHidden, false
	default:
		return nil, models.ErrTransition
	}
	return updates, nil
}

// ModerateStory applies a decision to a story, checks that its status
// allows it, and records it in the audit log. A rejection needs a reason.
func (s *Store) ModerateStory(ctx context.Context, actor models.Actor, st *models.Story, action models.StoryAction, reason string) error {
	reason = models.TextLines(reason)
	updates, err := decision(st, action, reason, time.Now().UTC())
	if err != nil {
		return err
	}
	return s.Tx(ctx, func(tx *Store) error { return tx.decide(actor, st, action, updates) })
}

// decide writes a decision's updates to st, in the caller's transaction.
func (s *Store) decide(actor models.Actor, st *models.Story, action models.StoryAction, updates map[string]any) error {
	if action == models.ActionPublish {
		// The consents are read from the database, never taken from the
		// caller: no path publishes a story without them.
		var stored models.Story
		if err := s.db.First(&stored, st.ID).Error; err != nil {
			return translate(err)
		}
		if !stored.MayBePublished() {
			return models.FieldErrors{"_": {Code: "no_consent"}}
		}
	}
	// The status in the WHERE makes a decision taken on a stale page fail
	// instead of overriding someone else's.
	res := s.db.Model(&models.Story{}).Where("id = ? AND status = ? AND featured = ?", st.ID, st.Status, st.Featured).Updates(updates)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return models.ErrTransition
	}
	if err := s.refreshRollups([]rollup.Key{rollup.StoryKey(st)}, nil); err != nil {
		return err
	}
	if err := s.audit(actor, models.AuditAction(action), models.EntityStory, st.ID, &st.CityID, decisionSummary(updates)); err != nil {
		return err
	}
	switch action {
	case models.ActionPublish:
		return s.notifyPublished(st.ID)
	case models.ActionReject:
		return s.notifyRejected(st.ID)
	}
	return nil
}

// PublishStories publishes several stories at once, as the queue's
// selection does: all of them or, when one may not be published (its
// status changed meanwhile, or its consents do not allow it), none.
// The error then names the story that stopped it (BulkError).
func (s *Store) PublishStories(ctx context.Context, actor models.Actor, stories []*models.Story) error {
	now := time.Now().UTC()
	return s.Tx(ctx, func(tx *Store) error {
		for _, st := range stories {
			updates, err := decision(st, models.ActionPublish, "", now)
			if err == nil {
				err = tx.decide(actor, st, models.ActionPublish, updates)
			}
			if err != nil {
				return &BulkError{Story: st, Err: err}
			}
		}
		return nil
	})
}

// BulkError says which story stopped a bulk decision, and why.
type BulkError struct {
	Story *models.Story
	Err   error
}

func (e *BulkError) Error() string { return fmt.Sprintf("story %d: %v", e.Story.ID, e.Err) }

func (e *BulkError) Unwrap() error { return e.Err }

// editedFields names the fields an edit changes, for the audit entry:
// never their words.
func editedFields(st *models.Story, e models.StoryEdit) []string {
	var out []string
	if st.Title != e.Title {
		out = append(out, "title")
	}
	if st.Body != e.Body {
		out = append(out, "body")
	}
	if st.DisplayName != e.DisplayName {
		out = append(out, "display_name")
	}
	return out
}

// reviseStory keeps the stored words of st as a revision replaced by by,
// and writes the edit's words in their place (an empty name makes the
// story anonymous), in the caller's transaction. extra are more columns
// to update; status is the status the story must still have.
func (s *Store) reviseStory(st *models.Story, e models.StoryEdit, by models.RevisionAuthor, now time.Time, extra map[string]any) error {
	// The version replaced was written by whoever made the last edit, or
	// by the learner when there was none.
	author := models.RevisionLearner
	var last []models.StoryRevision
	if err := s.db.Where("story_id = ?", st.ID).Order("id DESC").Limit(1).Find(&last).Error; err != nil {
		return err
	}
	if len(last) == 1 {
		author = last[0].ReplacedBy
	}
	rev := models.StoryRevision{StoryID: st.ID, Title: st.Title, Body: st.Body, DisplayName: st.DisplayName, Author: author, ReplacedBy: by, ReplacedAt: now}
	if err := s.db.Create(&rev).Error; err != nil {
		return fmt.Errorf("keep revision: %w", err)
	}
	updates := map[string]any{"title": e.Title, "body": e.Body, "display_name": e.DisplayName, "anonymous": e.DisplayName == "", "updated_at": now}
	for k, v := range extra {
		updates[k] = v
	}
	res := s.db.Model(&models.Story{}).Where("id = ? AND status = ?", st.ID, st.Status).Updates(updates)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return models.ErrTransition
	}
	return nil
}

// EditStory corrects a story's words as its moderators do, from a page
// that showed the story at version (Story.Version), and publishes it
// afterwards when publish is set. The words replaced are kept as a
// revision that only moderators see, and that goes when the story is
// erased; the audit entry names the fields changed. An edit that changes
// nothing writes nothing but the publication asked for.
func (s *Store) EditStory(ctx context.Context, actor models.Actor, st *models.Story, e models.StoryEdit, version string, publish bool) error {
	if err := e.Validate(); err != nil {
		return err
	}
	if !st.Editable() {
		return models.ErrTransition
	}
	now := time.Now().UTC()
	return s.Tx(ctx, func(tx *Store) error {
		var stored models.Story
		if err := tx.db.First(&stored, st.ID).Error; err != nil {
			return translate(err)
		}
		if stored.Version() != version || stored.Erased() {
			return models.ErrTransition
		}
		if fields := editedFields(&stored, e); len(fields) > 0 {
			if err := tx.reviseStory(&stored, e, models.RevisionModerator, now, nil); err != nil {
				return err
			}
			if err := tx.audit(actor, models.AuditEdit, models.EntityStory, stored.ID, &stored.CityID, "edited: "+strings.Join(fields, ", ")); err != nil {
				return err
			}
			stored.Title, stored.Body, stored.DisplayName, stored.Anonymous = e.Title, e.Body, e.DisplayName, e.DisplayName == ""
		}
		if publish {
			updates, err := decision(&stored, models.ActionPublish, "", now)
			if err != nil {
				return err
			}
			if err := tx.decide(actor, &stored, models.ActionPublish, updates); err != nil {
				return err
			}
		}
		*st = stored
		return nil
	})
}

// ResubmitStory takes the learner's edit of the story with the receipt
// code, which the moderators sent back with a reason, and puts it back
// in the queue: pending, with the reason kept for the moderators to see
// until their next decision. The words replaced are kept as a revision.
// A story in any other status is refused (ErrTransition), and nothing is
// written.
func (s *Store) ResubmitStory(ctx context.Context, code string, e models.StoryEdit) (*models.Story, error) {
	st, err := s.StoryByReceipt(ctx, code)
	if err != nil {
		return nil, err
	}
	if !st.Resubmittable() {
		return nil, models.ErrTransition
	}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	err = s.Tx(ctx, func(tx *Store) error {
		if err := tx.reviseStory(st, e, models.RevisionLearner, now, map[string]any{"status": models.StoryPending}); err != nil {
			return err
		}
		summary := "status: " + string(models.StoryPending)
		if fields := editedFields(st, e); len(fields) > 0 {
			summary += "; edited: " + strings.Join(fields, ", ")
		}
		return tx.audit(models.Actor{Email: models.ActorLearner}, models.AuditResubmit, models.EntityStory, st.ID, &st.CityID, summary)
	})
	if err != nil {
		return nil, err
	}
	return s.Story(ctx, st.ID)
}

// StoryRevisions lists the versions of a story's words that edits
// replaced, the oldest (the learner's original) first.
func (s *Store) StoryRevisions(ctx context.Context, storyID uint) ([]models.StoryRevision, error) {
	var out []models.StoryRevision
	err := s.db.WithContext(ctx).Where("story_id = ?", storyID).Order("id").Find(&out).Error
	return out, err
}

// MoveStory moves a story to another city, as staff do when a learner
// chose the wrong one.
func (s *Store) MoveStory(ctx context.Context, actor models.Actor, st *models.Story, cityID uint) error {
	return s.Tx(ctx, func(tx *Store) error {
		var n int64
		if err := tx.db.Model(&models.City{}).Where("id = ?", cityID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return models.FieldErrors{"city": {Code: "oneof"}}
		}
		res := tx.db.Model(&models.Story{}).Where("id = ? AND city_id = ?", st.ID, st.CityID).Updates(map[string]any{"city_id": cityID, "updated_at": time.Now().UTC()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.ErrTransition
		}
		moved := *st
		moved.CityID = cityID
		if err := tx.refreshRollups([]rollup.Key{rollup.StoryKey(st), rollup.StoryKey(&moved)}, nil); err != nil {
			return err
		}
		st.CityID = cityID
		return tx.audit(actor, models.AuditMove, models.EntityStory, st.ID, &cityID, "city_id")
	})
}

// Stories lists one page of stories that match f.
func (s *Store) Stories(ctx context.Context, f models.StoryFilter, p models.Page) (models.Paged[models.Story], error) {
	p = p.Normalized()
	out := models.Paged[models.Story]{Page: p}
	q := s.db.WithContext(ctx).Model(&models.Story{})
	if len(f.CityIDs) > 0 {
		q = q.Where("city_id IN ?", f.CityIDs)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Featured {
		q = q.Where("featured = ?", true)
	}
	if !p.NoTotal {
		var err error
		if out.Total, err = s.storyTotal(ctx, f); err != nil {
			return out, fmt.Errorf("count stories: %w", err)
		}
	}
	// Orders that the indexes serve: published stories by publication,
	// others by submission.
	order := "submitted_at DESC, id DESC"
	switch {
	case f.Sort == "waiting":
		order = "submitted_at, id"
	case f.Status == models.StoryPublished:
		order = "published_at DESC, id DESC"
	}
	if err := q.Order(order).Limit(p.Size).Offset(p.Offset()).Find(&out.Items).Error; err != nil {
		return out, fmt.Errorf("list stories: %w", err)
	}
	return out, s.loadStoryAreas(ctx, out.Items)
}

// storyTotal counts the stories that match f: from the counts kept per
// city and status (migration 12), so that no list counts 2,000,000 rows;
// featured stories, a few per city, are counted directly.
func (s *Store) storyTotal(ctx context.Context, f models.StoryFilter) (int64, error) {
	var n int64
	if f.Featured {
		q := s.db.WithContext(ctx).Model(&models.Story{}).Where("featured = ?", true)
		if len(f.CityIDs) > 0 {
			q = q.Where("city_id IN ?", f.CityIDs)
		}
		if f.Status != "" {
			q = q.Where("status = ?", f.Status)
		}
		return n, q.Count(&n).Error
	}
	q := s.db.WithContext(ctx).Table("story_counts").Select("COALESCE(SUM(n), 0)")
	if len(f.CityIDs) > 0 {
		q = q.Where("city_id IN ?", f.CityIDs)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	return n, q.Scan(&n).Error
}

func (s *Store) loadStoryAreas(ctx context.Context, stories []models.Story) error {
	if len(stories) == 0 {
		return nil
	}
	ids := make([]uint, len(stories))
	byID := make(map[uint]*models.Story, len(stories))
	for i := range stories {
		ids[i] = stories[i].ID
		byID[stories[i].ID] = &stories[i]
	}
	var rows []struct {
		StoryID uint
		Area    models.LearningArea
	}
	if err := s.db.WithContext(ctx).Raw("SELECT story_id, area FROM story_learning_areas WHERE story_id IN ?", ids).Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		byID[r.StoryID].LearningAreas = append(byID[r.StoryID].LearningAreas, r.Area)
	}
	for i := range stories {
		sortByOrder(stories[i].LearningAreas, models.LearningAreas())
	}
	return nil
}

// PendingCounts is the moderation backlog: pending stories per city id.
func (s *Store) PendingCounts(ctx context.Context, cityIDs []uint) (map[uint]int64, error) {
	q := s.db.WithContext(ctx).Table("story_counts").Select("city_id, n").Where("status = ? AND n > 0", models.StoryPending)
	if cityIDs != nil {
		q = q.Where("city_id IN ?", cityIDs)
	}
	var rows []struct {
		CityID uint
		N      int64
	}
	if err := q.Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[uint]int64, len(rows))
	for _, r := range rows {
		out[r.CityID] = r.N
	}
	return out, nil
}

// StoryPhoto opens the story's stored photo.
func (s *Store) StoryPhoto(st *models.Story) (*os.File, error) {
	if st.PhotoKey == "" {
		return nil, models.ErrNotFound
	}
	return s.photos.open(st.PhotoKey)
}

// CurrentCampaign is the campaign running at now, else the latest one.
func (s *Store) CurrentCampaign(ctx context.Context, now time.Time) (*models.Campaign, error) {
	var c models.Campaign
	err := s.db.WithContext(ctx).Where("starts_on <= ? AND (ends_on IS NULL OR ends_on >= ?)", now.UTC(), now.UTC()).
		Order("starts_on DESC").First(&c).Error
	if errors.Is(translate(err), models.ErrNotFound) {
		err = s.db.WithContext(ctx).Order("starts_on DESC").First(&c).Error
	}
	if err != nil {
		return nil, translate(err)
	}
	return &c, nil
}

// PublishedStories lists all of a city's published stories, oldest first.
func (s *Store) PublishedStories(ctx context.Context, cityID uint) ([]models.Story, error) {
	var stories []models.Story
	if err := s.db.WithContext(ctx).Where("city_id = ? AND status = ?", cityID, models.StoryPublished).Order("published_at, id").Find(&stories).Error; err != nil {
		return nil, err
	}
	for lo := 0; lo < len(stories); lo += 500 {
		if err := s.loadStoryAreas(ctx, stories[lo:min(lo+500, len(stories))]); err != nil {
			return nil, err
		}
	}
	return stories, nil
}
