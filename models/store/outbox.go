package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report/rollup"
)

// claimTimeout is how long a claimed message may stay unconfirmed before
// another sender takes it again (its sender died mid-way).
const claimTimeout = 10 * time.Minute

// enqueue writes m to the outbox. Call it on the transaction of the change
// that causes the mail, so that the mail exists exactly when the change
// does.
func (s *Store) enqueue(m models.Mail) error {
	if m.To == "" || m.Subject == "" {
		return fmt.Errorf("enqueue %s mail: no recipient or subject", m.Kind)
	}
	now := time.Now().UTC()
	return s.db.Create(&models.OutboxMessage{
		Recipient: m.To, Lang: m.Lang, Kind: m.Kind, Subject: m.Subject,
		TextBody: m.Text, HTMLBody: m.HTML, Status: models.OutboxPending,
		NextAttemptAt: now, CreatedAt: now,
	}).Error
}

// ClaimMail marks up to limit messages that are due as being sent by the
// caller and returns them. A message is claimed by one caller only, also
// across instances sharing a PostgreSQL database (FOR UPDATE SKIP LOCKED;
// SQLite has a single writer). A message claimed longer than claimTimeout
// ago, whose sender never confirmed it, is due again.
func (s *Store) ClaimMail(ctx context.Context, limit int) ([]models.OutboxMessage, error) {
	now := time.Now().UTC()
	lock := ""
	if s.dialect == rollup.Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var out []models.OutboxMessage
	err := s.db.WithContext(ctx).Raw(`UPDATE outbox SET status = ?, claimed_at = ?, attempts = attempts + 1
		WHERE id IN (SELECT id FROM outbox
			WHERE (status = ? AND next_attempt_at <= ?) OR (status = ? AND claimed_at < ?)
			ORDER BY id LIMIT ?`+lock+`)
		RETURNING *`,
		models.OutboxSending, now, models.OutboxPending, now, models.OutboxSending, now.Add(-claimTimeout), limit).Scan(&out).Error
	return out, err
}

// MarkMailSent records that the message left. keepBody false erases its
// bodies, which may hold single-use links, once an SMTP server has them.
func (s *Store) MarkMailSent(ctx context.Context, id uint, keepBody bool) error {
	upd := map[string]any{"status": models.OutboxSent, "sent_at": time.Now().UTC(), "last_error": ""}
	if !keepBody {
		upd["text_body"], upd["html_body"] = "", ""
	}
	return s.db.WithContext(ctx).Table("outbox").Where("id = ? AND status = ?", id, models.OutboxSending).Updates(upd).Error
}

// MarkMailFailed records a failed attempt: the message is tried again
// after a back-off that doubles with each attempt (one minute, then two,
// four… up to six hours), and is given up after MaxMailAttempts.
func (s *Store) MarkMailFailed(ctx context.Context, m models.OutboxMessage, cause error) error {
	status := models.OutboxPending
	if m.Attempts >= models.MaxMailAttempts {
		status = models.OutboxFailed
	}
	return s.db.WithContext(ctx).Table("outbox").Where("id = ? AND status = ?", m.ID, models.OutboxSending).Updates(map[string]any{
		"status": status, "next_attempt_at": time.Now().UTC().Add(models.MailBackoff(m.Attempts)),
		"last_error": truncate(cause.Error(), 500),
	}).Error
}

// Outbox lists messages, newest first.
func (s *Store) Outbox(ctx context.Context, f models.OutboxFilter) ([]models.OutboxMessage, error) {
	q := s.db.WithContext(ctx).Omit("text_body", "html_body")
	if f.To != "" {
		q = q.Where("recipient LIKE ? ESCAPE '\\'", "%"+likeEscape(models.NormalizeEmail(f.To))+"%")
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
	var out []models.OutboxMessage
	err := q.Order("id DESC").Limit(f.Limit).Find(&out).Error
	return out, err
}

// OutboxMessage returns one message with its bodies.
func (s *Store) OutboxMessage(ctx context.Context, id uint) (*models.OutboxMessage, error) {
	var m models.OutboxMessage
	if err := s.db.WithContext(ctx).First(&m, id).Error; err != nil {
		return nil, translate(err)
	}
	return &m, nil
}

// likeEscape escapes the wildcards of a LIKE pattern.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// PruneOutbox deletes the messages sent or failed longer than
// OutboxRetention ago, and their .eml files under dir ("" for none).
func (s *Store) PruneOutbox(ctx context.Context, dir string) (int, error) {
	cutoff := time.Now().UTC().Add(-models.OutboxRetention)
	var old []models.OutboxMessage
	if err := s.db.WithContext(ctx).Select("id", "kind").Where("status IN ? AND created_at < ?", []models.OutboxStatus{models.OutboxSent, models.OutboxFailed}, cutoff).
		Find(&old).Error; err != nil {
		return 0, err
	}
	for _, m := range old {
		if dir != "" {
			os.Remove(filepath.Join(dir, fmt.Sprintf("%06d-%s.eml", m.ID, m.Kind)))
		}
		if err := s.db.WithContext(ctx).Delete(&models.OutboxMessage{}, m.ID).Error; err != nil {
			return 0, err
		}
	}
	return len(old), nil
}
