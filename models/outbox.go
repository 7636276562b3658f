package models

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
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
	MailReviewed   MailKind = "report_reviewed"
	MailDigest     MailKind = "digest"
	MailReminder   MailKind = "reminder"
)

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
	// claimTimeout is how long a claimed message may stay unconfirmed
	// before another sender takes it again (its sender died mid-way).
	claimTimeout = 10 * time.Minute
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

// enqueue writes m to the outbox. Call it on the transaction of the change
// that causes the mail, so that the mail exists exactly when the change
// does.
func (s *Store) enqueue(m Mail) error {
	if m.To == "" || m.Subject == "" {
		return fmt.Errorf("enqueue %s mail: no recipient or subject", m.Kind)
	}
	now := time.Now().UTC()
	return s.db.Create(&OutboxMessage{
		Recipient: m.To, Lang: m.Lang, Kind: m.Kind, Subject: m.Subject,
		TextBody: m.Text, HTMLBody: m.HTML, Status: OutboxPending,
		NextAttemptAt: now, CreatedAt: now,
	}).Error
}

// ClaimMail marks up to limit messages that are due as being sent by the
// caller and returns them. A message is claimed by one caller only, also
// across instances sharing a PostgreSQL database (FOR UPDATE SKIP LOCKED;
// SQLite has a single writer). A message claimed longer than claimTimeout
// ago, whose sender never confirmed it, is due again.
func (s *Store) ClaimMail(ctx context.Context, limit int) ([]OutboxMessage, error) {
	now := time.Now().UTC()
	lock := ""
	if s.dialect == "postgres" {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var out []OutboxMessage
	err := s.db.WithContext(ctx).Raw(`UPDATE outbox SET status = ?, claimed_at = ?, attempts = attempts + 1
		WHERE id IN (SELECT id FROM outbox
			WHERE (status = ? AND next_attempt_at <= ?) OR (status = ? AND claimed_at < ?)
			ORDER BY id LIMIT ?`+lock+`)
		RETURNING *`,
		OutboxSending, now, OutboxPending, now, OutboxSending, now.Add(-claimTimeout), limit).Scan(&out).Error
	return out, err
}

// MarkMailSent records that the message left. keepBody false erases its
// bodies, which may hold single-use links, once an SMTP server has them.
func (s *Store) MarkMailSent(ctx context.Context, id uint, keepBody bool) error {
	upd := map[string]any{"status": OutboxSent, "sent_at": time.Now().UTC(), "last_error": ""}
	if !keepBody {
		upd["text_body"], upd["html_body"] = "", ""
	}
	return s.db.WithContext(ctx).Table("outbox").Where("id = ? AND status = ?", id, OutboxSending).Updates(upd).Error
}

// MarkMailFailed records a failed attempt: the message is tried again
// after a back-off that doubles with each attempt (one minute, then two,
// four… up to six hours), and is given up after MaxMailAttempts.
func (s *Store) MarkMailFailed(ctx context.Context, m OutboxMessage, cause error) error {
	status := OutboxPending
	if m.Attempts >= MaxMailAttempts {
		status = OutboxFailed
	}
	return s.db.WithContext(ctx).Table("outbox").Where("id = ? AND status = ?", m.ID, OutboxSending).Updates(map[string]any{
		"status": status, "next_attempt_at": time.Now().UTC().Add(MailBackoff(m.Attempts)),
		"last_error": truncate(cause.Error(), 500),
	}).Error
}

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

// Outbox lists messages, newest first.
func (s *Store) Outbox(ctx context.Context, f OutboxFilter) ([]OutboxMessage, error) {
	q := s.db.WithContext(ctx).Omit("text_body", "html_body")
	if f.To != "" {
		q = q.Where("recipient LIKE ? ESCAPE '\\'", "%"+likeEscape(NormalizeEmail(f.To))+"%")
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Before > 0 {
		q = q.Where("id < ?", f.Before)
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	var out []OutboxMessage
	err := q.Order("id DESC").Limit(f.Limit).Find(&out).Error
	return out, err
}

// OutboxMessage returns one message with its bodies.
func (s *Store) OutboxMessage(ctx context.Context, id uint) (*OutboxMessage, error) {
	var m OutboxMessage
	if err := s.db.WithContext(ctx).First(&m, id).Error; err != nil {
		return nil, translate(err)
	}
	return &m, nil
}

// likeEscape escapes the wildcards of a LIKE pattern.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// OutboxRetention is how long a message that left, or was given up, stays
// in the outbox: it names a person's address, and the learner's too.
const OutboxRetention = 30 * 24 * time.Hour

// PruneOutbox deletes the messages sent or failed longer than
// OutboxRetention ago, and their .eml files under dir ("" for none).
func (s *Store) PruneOutbox(ctx context.Context, dir string) (int, error) {
	cutoff := time.Now().UTC().Add(-OutboxRetention)
	var old []OutboxMessage
	if err := s.db.WithContext(ctx).Select("id", "kind").Where("status IN ? AND created_at < ?", []OutboxStatus{OutboxSent, OutboxFailed}, cutoff).
		Find(&old).Error; err != nil {
		return 0, err
	}
	for _, m := range old {
		if dir != "" {
			os.Remove(filepath.Join(dir, fmt.Sprintf("%06d-%s.eml", m.ID, m.Kind)))
		}
		if err := s.db.WithContext(ctx).Delete(&OutboxMessage{}, m.ID).Error; err != nil {
			return 0, err
		}
	}
	return len(old), nil
}
