package store

import (
	"context"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// audit records a change; call it inside the transaction of the change so
// that the entry exists exactly when the change does.
func (s *Store) audit(actor models.Actor, action models.AuditAction, entity models.AuditEntity, entityID uint, cityID *uint, summary string) error {
	e := models.AuditEntry{
		UserEmail: actor.Email,
		Action:    action,
		Entity:    entity,
		EntityID:  entityID,
		CityID:    cityID,
		Summary:   truncate(summary, 200),
	}
	if actor.UserID != 0 {
		id := actor.UserID
		e.UserID = &id
	}
	return s.db.Create(&e).Error
}

// AuditEntries returns one page of the log, newest first, and the matches
// counted up to AuditCountLimit.
func (s *Store) AuditEntries(ctx context.Context, f models.AuditFilter, p models.Page) (models.Paged[models.AuditEntry], error) {
	p = p.Normalized()
	out := models.Paged[models.AuditEntry]{Page: p}
	q := s.db.WithContext(ctx).Model(&models.AuditEntry{})
	if !f.AllCities {
		if len(f.CityIDs) == 0 {
			return out, nil
		}
		q = q.Where("city_id IN ?", f.CityIDs)
	}
	if f.ChangesOnly {
		q = q.Where("action NOT IN ?", []models.AuditAction{models.AuditSignIn, models.AuditSignInFailed, models.AuditSignInThrottled})
	}
	if f.Who != "" {
		q = q.Where("user_email = ?", f.Who)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if !f.From.IsZero() {
		q = q.Where("created_at >= ?", f.From)
	}
	if !f.To.IsZero() {
		q = q.Where("created_at < ?", f.To)
	}
	if !p.NoTotal {
		limit := p.CountUpTo
		if limit <= 0 {
			limit = models.AuditCountLimit
		}
		if err := countUpTo(s.db.WithContext(ctx), q, limit, &out); err != nil {
			return out, err
		}
	}
	err := q.Order("created_at DESC, id DESC").Limit(p.Size).Offset(p.Offset()).Find(&out.Items).Error
	return out, err
}

// truncate cuts s to at most n runes.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
