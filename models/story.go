package models

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"net/mail"
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
	// StoryHidden: published, then hidden by its moderators; it may be
	// shown again (published) without going back to the queue.
	StoryHidden    StoryStatus = "hidden"
	StoryRejected  StoryStatus = "rejected"
	StoryWithdrawn StoryStatus = "withdrawn"
	// StoryErased: rejected, then erased at the end of the retention period.
	StoryErased StoryStatus = "erased"
)

// StoryStatuses lists the statuses in moderation order.
func StoryStatuses() []StoryStatus {
	return []StoryStatus{StoryPending, StoryPublished, StoryHidden, StoryRejected, StoryWithdrawn, StoryErased}
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

// Validate checks, without writing, a learner's submission.
func (st *Story) Validate() error {
	st.Title = strings.TrimSpace(st.Title)
	st.Body = TextLines(st.Body)
	st.DisplayName = strings.TrimSpace(st.DisplayName)
	st.ContactEmail = NormalizeEmail(st.ContactEmail)
	st.PhotoAlt = strings.TrimSpace(st.PhotoAlt)
	st.LearningAreas = Unique(st.LearningAreas)
	if st.AgeGroup == AgeChildren {
		st.Minor = true
	}
	if st.Anonymous {
		st.DisplayName = ""
	}
	fe := check(st)
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
	fe.checkText("title", st.Title, false)
	fe.checkText("body", st.Body, true)
	fe.checkText("display_name", st.DisplayName, false)
	fe.checkText("photo_alt", st.PhotoAlt, false)
	fe.checkText("contact_email", st.ContactEmail, false)
	fe.checkText("lang", st.Lang, false)
	fe.checkLang(st.Lang)
	if st.Minor && !st.GuardianConsent {
		fe.Add("guardian_consent", "guardian", "")
	}
	return fe.Err()
}

// StoryEdit is a correction of a story's words: its moderators' (a
// surname redacted, a typo fixed) or the learner's, sending back a story
// that was not published. The limits are the story form's.
type StoryEdit struct {
	Title       string `field:"title" validate:"required,max=120"`
	Body        string `field:"body" validate:"required,min=20,max=5000"`
	DisplayName string `field:"display_name" validate:"max=60"`
}

// Validate checks, without writing, an edit of a story's words, as the
// story form checks them.
func (e *StoryEdit) Validate() error {
	e.Title = strings.TrimSpace(e.Title)
	e.Body = TextLines(e.Body)
	e.DisplayName = strings.TrimSpace(e.DisplayName)
	fe := check(e)
	if _, bad := fe["title"]; !bad && len([]rune(e.Title)) > 120 {
		fe.Add("title", "max", "120")
	}
	fe.checkText("title", e.Title, false)
	fe.checkText("body", e.Body, true)
	fe.checkText("display_name", e.DisplayName, false)
	return fe.Err()
}

// Edit is the story's words as an edit would start from.
func (st *Story) Edit() StoryEdit {
	return StoryEdit{Title: st.Title, Body: st.Body, DisplayName: st.DisplayName}
}

// Editable reports whether the story's words may still be corrected by
// its moderators: not once it is erased.
func (st *Story) Editable() bool { return !st.Erased() }

// Resubmittable reports whether the learner may edit the story and send
// it again: only one the moderators sent back with a reason.
func (st *Story) Resubmittable() bool { return st.Status == StoryRejected }

// RevisionAuthor is who wrote a version of a story's words.
type RevisionAuthor string

// The authors of a story's versions.
const (
	RevisionLearner   RevisionAuthor = "learner"
	RevisionModerator RevisionAuthor = "moderator"
)

// StoryRevision is a version of a story's words that an edit replaced:
// kept for the story's moderators only, never shown publicly, and erased
// with the story.
type StoryRevision struct {
	ID          uint `gorm:"primaryKey"`
	StoryID     uint
	Title       string
	Body        string
	DisplayName string
	Author      RevisionAuthor
	// ReplacedBy made the edit that replaced this version, at ReplacedAt.
	ReplacedBy RevisionAuthor
	ReplacedAt time.Time
}

// Version names the story's words and status as a page showed them: an
// edit sent from an older page (the learner sent it again meanwhile, or
// another moderator edited it) is refused instead of overwriting.
func (st *Story) Version() string {
	sum := sha256.Sum256([]byte(string(st.Status) + "\x00" + st.Title + "\x00" + st.Body + "\x00" + st.DisplayName))
	return hex.EncodeToString(sum[:8])
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

// StoryFilter narrows a list of stories. Zero values match everything.
type StoryFilter struct {
	CityIDs  []uint
	Status   StoryStatus
	Featured bool
	// Sort is "waiting" (oldest submitted first, for the queue) or
	// "recent" (newest published first, the default).
	Sort string
}

// MaxPhotoBytes is the largest photo upload accepted: a phone's photo.
const MaxPhotoBytes = 15 << 20
