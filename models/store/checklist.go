package store

import (
	"context"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// GettingStarted reads, for each of the cities, which first steps of the
// checklist are done, for the user userID (whose own account is not a
// colleague). One query for all the cities: the partners, events and
// colleagues are each an EXISTS on an index led by the city, which stops
// at the first row; the pages checked are read once through the index of
// audit actions (at most one entry a city), not through the city's whole
// audit history, which a busy city's would be.
func (s *Store) GettingStarted(ctx context.Context, userID uint, cityIDs []uint) ([]models.GettingStarted, error) {
	if len(cityIDs) == 0 {
		return nil, nil
	}
	var rows []models.GettingStarted
	err := s.db.WithContext(ctx).Raw(`SELECT c.id AS city_id,
		c.id IN (SELECT a.city_id FROM audit_entries a WHERE a.action = ? AND a.entity = ? AND a.city_id IS NOT NULL) AS page_checked,
		EXISTS (SELECT 1 FROM partners p WHERE p.city_id = c.id) AS has_partner,
		EXISTS (SELECT 1 FROM events e WHERE e.city_id = c.id) AS has_event,
		EXISTS (SELECT 1 FROM user_cities uc JOIN users u ON u.id = uc.user_id
			WHERE uc.city_id = c.id AND uc.user_id <> ? AND u.disabled = ?) AS has_colleague
		FROM cities c WHERE c.id IN ? ORDER BY c.id`,
		models.AuditCheck, models.EntityCity, userID, false, models.Unique(cityIDs)).Scan(&rows).Error
	return rows, err
}

// CheckCityPage records that actor looked at the city's public page and
// found it right: an audit entry, written once.
func (s *Store) CheckCityPage(ctx context.Context, actor models.Actor, city *models.City) error {
	return s.Tx(ctx, func(tx *Store) error {
		var n int64
		if err := tx.db.Model(&models.AuditEntry{}).Where("city_id = ? AND action = ? AND entity = ?", city.ID, models.AuditCheck, models.EntityCity).
			Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		return tx.audit(actor, models.AuditCheck, models.EntityCity, city.ID, &city.ID, city.Name)
	})
}
