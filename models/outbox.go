package models

import (
	"slices"
	"time"
)

// Mail is a message ready to go: one recipient, in their language, with a
// plain-text and an HTML body.
type Mail struct {
	To      string
	Lang    string
	Kind    MailKind
	Subject string
	Text    string
	HTML    string
}

// MailKind says why a mail was written.
type MailKind string

// The kinds of mail the tracker writes.
const (
	MailInvitation MailKind = "invitation"
	MailReset      MailKind = "password_reset"
	MailPublished  MailKind = "story_published"
	MailRejected   MailKind = "story_rejected"
	MailReviewed   MailKind = "report_reviewed"
	MailDigest     MailKind = "digest"
	MailReminder   MailKind = "reminder"
)

// CarriesLink reports whether mails of kind k hold a single-use link (an
// invitation or a password reset) that only their recipient may read.
func (k MailKind) CarriesLink() bool { return k == MailInvitation || k == MailReset }

// OutboxStatus is where a message is on its way out.
type OutboxStatus string

// The statuses of an outbox message: pending (waiting for its next
// attempt), sending (claimed by one sender), sent, or failed (given up
// after MaxMailAttempts).
const (
	OutboxPending OutboxStatus = "pending"
	OutboxSending OutboxStatus = "sending"
	OutboxSent    OutboxStatus = "sent"
	OutboxFailed  OutboxStatus = "failed"
)

// OutboxStatuses lists the statuses, in the order of a message's life.
func OutboxStatuses() []OutboxStatus {
	return []OutboxStatus{OutboxPending, OutboxSending, OutboxSent, OutboxFailed}
}

// Valid reports whether st is one of OutboxStatuses.
func (st OutboxStatus) Valid() bool { return slices.Contains(OutboxStatuses(), st) }

// Mail delivery limits.
const (
	// MaxMailAttempts is how many times a message is tried before it is
	// marked failed.
	MaxMailAttempts = 8
)

// OutboxMessage is a mail in the outbox.
type OutboxMessage struct {
	ID            uint `gorm:"primaryKey"`
	Recipient     string
	Lang          string
	Kind          MailKind
	Subject       string
	TextBody      string
	HTMLBody      string
	Status        OutboxStatus
	Attempts      int
	NextAttemptAt time.Time
	ClaimedAt     *time.Time
	SentAt        *time.Time
	LastError     string
	CreatedAt     time.Time
}

// TableName is the outbox table.
func (OutboxMessage) TableName() string { return "outbox" }

// MailBackoff is the wait after the given number of failed attempts.
func MailBackoff(attempts int) time.Duration {
	d := time.Minute
	for i := 1; i < attempts && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}

// OutboxFilter narrows the outbox list.
type OutboxFilter struct {
	// To matches a part of the recipient's address.
	To     string
	Status OutboxStatus
	// Before pages back: messages with a smaller id.
	Before uint
	Limit  int
}

// OutboxRetention is how long a message that left, or was given up, stays
// in the outbox: it names a person's address, and the learner's too.
const OutboxRetention = 30 * 24 * time.Hour
