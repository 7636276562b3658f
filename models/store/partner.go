package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// Partners lists one page of a city's partners.
func (s *Store) Partners(ctx context.Context, f models.PartnerFilter, p models.Page) (models.Paged[models.Partner], error) {
	p = p.Normalized()
	out := models.Paged[models.Partner]{Page: p}
	q := s.db.WithContext(ctx).Model(&models.Partner{}).Where("city_id = ?", f.CityID)
	if f.Sector != "" {
		q = q.Where("sector = ?", f.Sector)
	}
	switch f.Active {
	case "yes":
		q = q.Where("active = ?", true)
	case "no":
		q = q.Where("active = ?", false)
	}
	if query := strings.TrimSpace(f.Query); query != "" {
		q = q.Where("LOWER(name) LIKE ? ESCAPE '\\'", "%"+escapeLike(strings.ToLower(query))+"%")
	}
	if err := q.Count(&out.Total).Error; err != nil {
		return out, fmt.Errorf("count partners: %w", err)
	}
	order := map[string]string{
		"name": "name, id", "-name": "name DESC, id DESC",
		"sector": "sector, name, id", "-updated": "updated_at DESC, id DESC",
	}[f.Sort]
	if order == "" {
		order = "name, id"
	}
	err := q.Order(order).Limit(p.Size).Offset(p.Offset()).Find(&out.Items).Error
	return out, err
}

// CityPartners lists all of a city's partners by name, for pickers.
func (s *Store) CityPartners(ctx context.Context, cityID uint) ([]models.Partner, error) {
	var ps []models.Partner
	err := s.db.WithContext(ctx).Where("city_id = ?", cityID).Order("name, id").Find(&ps).Error
	return ps, err
}

// Partner returns the partner with id.
func (s *Store) Partner(ctx context.Context, id uint) (*models.Partner, error) {
	var p models.Partner
	if err := s.db.WithContext(ctx).First(&p, id).Error; err != nil {
		return nil, translate(err)
	}
	return &p, nil
}

// CreatePartner stores a new partner of p.CityID.
func (s *Store) CreatePartner(ctx context.Context, actor models.Actor, p *models.Partner) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.db.Create(p).Error; err != nil {
			return fmt.Errorf("create partner: %w", err)
		}
		return tx.audit(actor, models.AuditCreate, models.EntityPartner, p.ID, &p.CityID, p.Name)
	})
}

// UpdatePartner saves p's fields; its city never changes.
func (s *Store) UpdatePartner(ctx context.Context, actor models.Actor, p *models.Partner) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return s.Tx(ctx, func(tx *Store) error {
		var old models.Partner
		if err := tx.db.Select("sector").Where("id = ? AND city_id = ?", p.ID, p.CityID).First(&old).Error; err != nil {
			return translate(err)
		}
		res := tx.db.Model(&models.Partner{}).Where("id = ? AND city_id = ?", p.ID, p.CityID).
			Select("name", "sector", "contact_name", "contact_email", "website", "lang", "active", "updated_at").Updates(p)
		if res.Error != nil {
			return fmt.Errorf("update partner: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return models.ErrNotFound
		}
		// Of a partner, only the sector counts in the figures: in the
		// sector rows of its events' roll-ups and in its own.
		if old.Sector != p.Sector {
			if err := tx.rollups().MoveSector(p.ID, old.Sector, p.Sector); err != nil {
				return err
			}
		}
		return tx.audit(actor, models.AuditUpdate, models.EntityPartner, p.ID, &p.CityID, p.Name)
	})
}

// DeletePartner removes a partner that no event involves; a partner that
// took part in events is kept for the figures (ErrInUse): mark it inactive.
func (s *Store) DeletePartner(ctx context.Context, actor models.Actor, p *models.Partner) error {
	return s.Tx(ctx, func(tx *Store) error {
		var n int64
		if err := tx.db.Table("event_partners").Where("partner_id = ?", p.ID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return models.ErrInUse
		}
		res := tx.db.Delete(&models.Partner{}, p.ID)
		if res.Error != nil {
			return fmt.Errorf("delete partner: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return models.ErrNotFound
		}
		return tx.audit(actor, models.AuditDelete, models.EntityPartner, p.ID, &p.CityID, p.Name)
	})
}
