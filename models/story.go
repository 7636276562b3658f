package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"os"
	"slices"
	"strings"
	"time"
	"unicode"
)

// ErrTransition means a story cannot go from its status to the one asked.
var ErrTransition = errors.New("not allowed in the story's current status")

// StoryStatus is where a story is in moderation.
type StoryStatus string

// The story statuses.
const (
	StoryPending   StoryStatus = "pending"
	StoryPublished StoryStatus = "published"
	StoryRejected  StoryStatus = "rejected"
	StoryWithdrawn StoryStatus = "withdrawn"
	// StoryErased: rejected, then erased at the end of the retention period.
	StoryErased StoryStatus = "erased"
)

// StoryStatuses lists the statuses in moderation order.
func StoryStatuses() []StoryStatus {
	return []StoryStatus{StoryPending, StoryPublished, StoryRejected, StoryWithdrawn, StoryErased}
}

// Valid reports whether s is one of StoryStatuses.
func (s StoryStatus) Valid() bool { return slices.Contains(StoryStatuses(), s) }

// Story is a learner's account of their learning, submitted to a city.
// The contact email is private to the city's moderators; a withdrawn story
// keeps only what the figures need (city, campaign, age group, areas, dates).
type Story struct {
	ID          uint   `gorm:"primaryKey"`
	CityID      uint   `field:"city" validate:"required"`
	CampaignID  uint   `field:"campaign" validate:"required"`
	Title       string `field:"title" validate:"required,max=120"`
	Body        string `field:"body" validate:"required,min=20,max=5000"`
	DisplayName string `field:"display_name" validate:"max=60"`
	Anonymous   bool
	AgeGroup    AgeGroup `field:"age_group" validate:"required"`
	// Minor is true for a learner under 18: a guardian must consent and the
	// public sees at most their first name.
	Minor              bool
	PhotoKey           string
	PhotoAlt           string `field:"photo_alt" validate:"max=200"`
	PublicationConsent bool
	GuardianConsent    bool
	ContactEmail       string `field:"contact_email" validate:"max=254"`
	// NotifyPublished: the learner asked for one mail, to ContactEmail,
	// when the story is published.
	NotifyPublished bool
	// Lang is the language the story is written in (BCP 47, "" unknown).
	Lang         string `field:"lang" validate:"max=35"`
	Status       StoryStatus
	RejectReason string
	Featured     bool
	ReceiptHash  string
	SubmittedAt  time.Time
	DecidedAt    *time.Time
	PublishedAt  *time.Time
	WithdrawnAt  *time.Time
	UpdatedAt    time.Time

	LearningAreas []LearningArea `gorm:"-" field:"learning_areas"`
}

// Erased reports whether the story's content is gone for good: withdrawn
// by the learner, or erased after its rejection.
func (st *Story) Erased() bool { return st.Status == StoryWithdrawn || st.Status == StoryErased }

// MayBePublished reports whether the consents allow publishing the story:
// its author's, and for a learner under 18 (a child, or a youth who said
// so) a parent's or guardian's too. The database enforces the same rule
// (constraint stories_consent).
func (st *Story) MayBePublished() bool {
	minor := st.Minor || st.AgeGroup == AgeChildren
	return st.PublicationConsent && (!minor || st.GuardianConsent)
}

// HasPhoto reports whether the story has a stored photo.
func (st *Story) HasPhoto() bool { return st.PhotoKey != "" }

// PublicName is how the public sees the author: nothing when anonymous,
// the first name only for a learner under 18.
func (st *Story) PublicName() string {
	name := strings.TrimSpace(st.DisplayName)
	if st.Anonymous || name == "" {
		return ""
	}
	if st.Minor {
		// Any kind of space separates names, not only ASCII's.
		return strings.FieldsFunc(name, unicode.IsSpace)[0]
	}
	return name
}

// Waiting is how long the story has waited for a decision at now.
func (st *Story) Waiting(now time.Time) time.Duration { return now.Sub(st.SubmittedAt) }

// ValidateStory checks, without writing, a learner's submission.
func (s *Store) ValidateStory(st *Story) error {
	st.Title = strings.TrimSpace(st.Title)
	st.Body = strings.TrimSpace(st.Body)
	st.DisplayName = strings.TrimSpace(st.DisplayName)
	st.ContactEmail = NormalizeEmail(st.ContactEmail)
	st.PhotoAlt = strings.TrimSpace(st.PhotoAlt)
	st.LearningAreas = uniq(st.LearningAreas)
	if st.AgeGroup == AgeChildren {
		st.Minor = true
	}
	if st.Anonymous {
		st.DisplayName = ""
	}
	fe := s.check(st)
	if _, bad := fe["title"]; !bad && len([]rune(st.Title)) > 120 {
		fe.Add("title", "max", "120")
	}
	if _, bad := fe["age_group"]; !bad && !st.AgeGroup.Valid() {
		fe.Add("age_group", "oneof", "")
	}
	if st.Minor && (st.AgeGroup == AgeAdults || st.AgeGroup == AgeOlderAdults) {
		fe.Add("minor", "age_conflict", "")
	}
	for _, a := range st.LearningAreas {
		if !a.Valid() {
			fe.Add("learning_areas", "oneof", "")
		}
	}
	if !st.Anonymous && st.DisplayName == "" {
		fe.Add("display_name", "name_or_anonymous", "")
	}
	if st.ContactEmail != "" {
		if a, err := mail.ParseAddress(st.ContactEmail); err != nil || a.Address != st.ContactEmail {
			fe.Add("contact_email", "email", "")
		}
	}
	if st.NotifyPublished && st.ContactEmail == "" {
		fe.Add("contact_email", "notify_needs_email", "")
	}
	if !st.PublicationConsent {
		fe.Add("publication_consent", "consent", "")
	}
	fe.checkLang(st.Lang)
	if st.Minor && !st.GuardianConsent {
		fe.Add("guardian_consent", "guardian", "")
	}
	return fe.orNil()
}

// NewReceiptCode makes a long random code a learner keeps: 120 random bits
// as six groups of base32 letters and digits.
func NewReceiptCode() (string, error) {
	b := make([]byte, 15)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	s := base32.StdEncoding.EncodeToString(b)
	var groups []string
	for i := 0; i < len(s); i += 4 {
		groups = append(groups, s[i:i+4])
	}
	return strings.Join(groups, "-"), nil
}

// receiptHash is what is stored of a code: its SHA-256, after the code is
// normalised so that case, spaces and dashes do not matter.
func receiptHash(code string) string {
	norm := strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == ' ' || r == '\t':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, code)
	sum := sha256.Sum256([]byte(norm))
	return hex.EncodeToString(sum[:])
}

// CreateStory stores a learner's story as pending, with its processed
// photo if any, and returns the receipt code. Nothing is written, no file
// left, when it refuses.
func (s *Store) CreateStory(ctx context.Context, st *Story, photo []byte) (string, error) {
	if err := s.ValidateStory(st); err != nil {
		return "", err
	}
	code, err := NewReceiptCode()
	if err != nil {
		return "", err
	}
	st.ReceiptHash = receiptHash(code)
	st.Status = StoryPending
	st.Featured = false
	st.SubmittedAt = time.Now().UTC()
	err = s.Tx(ctx, func(tx *Store) error {
		var n int64
		if err := tx.db.Model(&City{}).Where("id = ?", st.CityID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return FieldErrors{"city": {Code: "oneof"}}
		}
		if err := tx.db.Model(&Campaign{}).Where("id = ?", st.CampaignID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return FieldErrors{"campaign": {Code: "oneof"}}
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
		return tx.audit(Actor{Email: ActorLearner}, AuditSubmit, EntityStory, st.ID, &st.CityID, "status: "+string(StoryPending))
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

func (s *Store) saveStoryAreas(st *Story) error {
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
func (s *Store) Story(ctx context.Context, id uint) (*Story, error) {
	var st Story
	if err := s.db.WithContext(ctx).First(&st, id).Error; err != nil {
		return nil, translate(err)
	}
	stories := []Story{st}
	if err := s.loadStoryAreas(ctx, stories); err != nil {
		return nil, err
	}
	return &stories[0], nil
}

// StoryByReceipt returns the story whose receipt code is code.
func (s *Store) StoryByReceipt(ctx context.Context, code string) (*Story, error) {
	if strings.TrimSpace(code) == "" {
		return nil, ErrNotFound
	}
	var st Story
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
func (s *Store) WithdrawStory(ctx context.Context, code string) (*Story, error) {
	st, err := s.StoryByReceipt(ctx, code)
	if err != nil {
		return nil, err
	}
	if st.Erased() {
		return st, nil
	}
	if err := s.eraseStories(ctx, []Story{*st}, ErasedWithdrawn, Actor{Email: ActorLearner}, true); err != nil {
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

// StoryAction is a moderation decision.
type StoryAction string

// The moderation decisions.
const (
	ActionPublish   StoryAction = "publish"
	ActionReject    StoryAction = "reject"
	ActionFeature   StoryAction = "feature"
	ActionUnfeature StoryAction = "unfeature"
	ActionUnpublish StoryAction = "unpublish"
)

// StoryActions lists the moderation decisions.
func StoryActions() []StoryAction {
	return []StoryAction{ActionPublish, ActionReject, ActionFeature, ActionUnfeature, ActionUnpublish}
}

// Valid reports whether a is one of StoryActions.
func (a StoryAction) Valid() bool { return slices.Contains(StoryActions(), a) }

// ModerateStory applies a decision to a story, checks that its status
// allows it, and records it in the audit log. A rejection needs a reason.
func (s *Store) ModerateStory(ctx context.Context, actor Actor, st *Story, action StoryAction, reason string) error {
	now := time.Now().UTC()
	reason = strings.TrimSpace(reason)
	updates := map[string]any{"updated_at": now}
	switch {
	case action == ActionPublish && (st.Status == StoryPending || st.Status == StoryRejected):
		updates["status"], updates["published_at"], updates["decided_at"], updates["reject_reason"] = StoryPublished, now, now, ""
	case action == ActionReject && (st.Status == StoryPending || st.Status == StoryPublished):
		if reason == "" {
			return FieldErrors{"reason": {Code: "required"}}
		}
		if len([]rune(reason)) > 500 {
			return FieldErrors{"reason": {Code: "max", Param: "500"}}
		}
		updates["status"], updates["reject_reason"], updates["featured"], updates["decided_at"] = StoryRejected, reason, false, now
	case action == ActionFeature && st.Status == StoryPublished && !st.Featured:
		updates["featured"] = true
	case action == ActionUnfeature && st.Featured:
		updates["featured"] = false
	case action == ActionUnpublish && st.Status == StoryPublished:
		updates["status"], updates["featured"], updates["published_at"] = StoryPending, false, nil
	default:
		return ErrTransition
	}
	return s.Tx(ctx, func(tx *Store) error {
		if action == ActionPublish {
			// The consents are read from the database, never taken from the
			// caller: no path publishes a story without them.
			var stored Story
			if err := tx.db.First(&stored, st.ID).Error; err != nil {
				return translate(err)
			}
			if !stored.MayBePublished() {
				return FieldErrors{"_": {Code: "no_consent"}}
			}
		}
		// The status in the WHERE makes a decision taken on a stale page fail
		// instead of overriding someone else's.
		res := tx.db.Model(&Story{}).Where("id = ? AND status = ? AND featured = ?", st.ID, st.Status, st.Featured).Updates(updates)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrTransition
		}
		if err := tx.refreshRollups([]rollupKey{storyKey(st)}, nil); err != nil {
			return err
		}
		if err := tx.audit(actor, AuditAction(action), EntityStory, st.ID, &st.CityID, decisionSummary(updates)); err != nil {
			return err
		}
		if action == ActionPublish {
			return tx.notifyPublished(st.ID)
		}
		return nil
	})
}

// MoveStory moves a story to another city, as staff do when a learner
// chose the wrong one.
func (s *Store) MoveStory(ctx context.Context, actor Actor, st *Story, cityID uint) error {
	return s.Tx(ctx, func(tx *Store) error {
		var n int64
		if err := tx.db.Model(&City{}).Where("id = ?", cityID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return FieldErrors{"city": {Code: "oneof"}}
		}
		res := tx.db.Model(&Story{}).Where("id = ? AND city_id = ?", st.ID, st.CityID).Updates(map[string]any{"city_id": cityID, "updated_at": time.Now().UTC()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrTransition
		}
		moved := *st
		moved.CityID = cityID
		if err := tx.refreshRollups([]rollupKey{storyKey(st), storyKey(&moved)}, nil); err != nil {
			return err
		}
		st.CityID = cityID
		return tx.audit(actor, AuditMove, EntityStory, st.ID, &cityID, "city_id")
	})
}

// StoryFilter narrows a list of stories. Zero values match everything.
type StoryFilter struct {
	CityIDs  []uint
	Status   StoryStatus
	Featured bool
	// Sort is "waiting" (oldest submitted first, for the queue) or
	// "recent" (newest published first, the default).
	Sort string
}

// Stories lists one page of stories that match f.
func (s *Store) Stories(ctx context.Context, f StoryFilter, p Page) (Paged[Story], error) {
	p = p.normalize()
	out := Paged[Story]{Page: p}
	q := s.db.WithContext(ctx).Model(&Story{})
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
	case f.Status == StoryPublished:
		order = "published_at DESC, id DESC"
	}
	if err := q.Order(order).Limit(p.Size).Offset(p.offset()).Find(&out.Items).Error; err != nil {
		return out, fmt.Errorf("list stories: %w", err)
	}
	return out, s.loadStoryAreas(ctx, out.Items)
}

// storyTotal counts the stories that match f: from the counts kept per
// city and status (migration 12), so that no list counts 2,000,000 rows;
// featured stories, a few per city, are counted directly.
func (s *Store) storyTotal(ctx context.Context, f StoryFilter) (int64, error) {
	var n int64
	if f.Featured {
		q := s.db.WithContext(ctx).Model(&Story{}).Where("featured = ?", true)
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

func (s *Store) loadStoryAreas(ctx context.Context, stories []Story) error {
	if len(stories) == 0 {
		return nil
	}
	ids := make([]uint, len(stories))
	byID := make(map[uint]*Story, len(stories))
	for i := range stories {
		ids[i] = stories[i].ID
		byID[stories[i].ID] = &stories[i]
	}
	var rows []struct {
		StoryID uint
		Area    LearningArea
	}
	if err := s.db.WithContext(ctx).Raw("SELECT story_id, area FROM story_learning_areas WHERE story_id IN ?", ids).Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		byID[r.StoryID].LearningAreas = append(byID[r.StoryID].LearningAreas, r.Area)
	}
	for i := range stories {
		sortByOrder(stories[i].LearningAreas, LearningAreas())
	}
	return nil
}

// PendingCounts is the moderation backlog: pending stories per city id.
func (s *Store) PendingCounts(ctx context.Context, cityIDs []uint) (map[uint]int64, error) {
	q := s.db.WithContext(ctx).Table("story_counts").Select("city_id, n").Where("status = ? AND n > 0", StoryPending)
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
func (s *Store) StoryPhoto(st *Story) (*os.File, error) {
	if st.PhotoKey == "" {
		return nil, ErrNotFound
	}
	return s.photos.open(st.PhotoKey)
}

// CurrentCampaign is the campaign running at now, else the latest one.
func (s *Store) CurrentCampaign(ctx context.Context, now time.Time) (*Campaign, error) {
	var c Campaign
	err := s.db.WithContext(ctx).Where("starts_on <= ? AND (ends_on IS NULL OR ends_on >= ?)", now.UTC(), now.UTC()).
		Order("starts_on DESC").First(&c).Error
	if errors.Is(translate(err), ErrNotFound) {
		err = s.db.WithContext(ctx).Order("starts_on DESC").First(&c).Error
	}
	if err != nil {
		return nil, translate(err)
	}
	return &c, nil
}

// PublishedStories lists all of a city's published stories, oldest first.
func (s *Store) PublishedStories(ctx context.Context, cityID uint) ([]Story, error) {
	var stories []Story
	if err := s.db.WithContext(ctx).Where("city_id = ? AND status = ?", cityID, StoryPublished).Order("published_at, id").Find(&stories).Error; err != nil {
		return nil, err
	}
	for lo := 0; lo < len(stories); lo += 500 {
		if err := s.loadStoryAreas(ctx, stories[lo:min(lo+500, len(stories))]); err != nil {
			return nil, err
		}
	}
	return stories, nil
}
