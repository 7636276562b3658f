package models

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"
)

// ErrInUse means a record cannot be deleted because others refer to it.
var ErrInUse = errors.New("in use")

// Partner is an organisation a city works with. Its contact person and
// email are private to the city's coordinators and staff.
type Partner struct {
	ID           uint   `gorm:"primaryKey"`
	CityID       uint   `field:"city_id" validate:"required"`
	Name         string `field:"name" validate:"required,max=160"`
	Sector       Sector `field:"sector" validate:"required"`
	ContactName  string `field:"contact_name" validate:"max=120"`
	ContactEmail string `field:"contact_email" validate:"max=254"`
	Website      string `field:"website" validate:"max=300"`
	// Lang is the language of the partner's name.
	Lang      string `field:"lang" validate:"max=35"`
	Active    bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ValidatePartner checks p's fields.
func (s *Store) ValidatePartner(p *Partner) error {
	p.Name = strings.TrimSpace(p.Name)
	p.ContactName = strings.TrimSpace(p.ContactName)
	p.ContactEmail = NormalizeEmail(p.ContactEmail)
	p.Website = strings.TrimSpace(p.Website)
	fe := s.check(p)
	if _, bad := fe["sector"]; !bad && !p.Sector.Valid() {
		fe.Add("sector", "oneof", "")
	}
	if p.ContactEmail != "" {
		if a, err := mail.ParseAddress(p.ContactEmail); err != nil || a.Address != p.ContactEmail {
			fe.Add("contact_email", "email", "")
		}
	}
	fe.checkLang(p.Lang)
	if p.Website != "" && !strings.Contains(p.Website, ":") {
		// "library.example.org" is how people write a website: take it as
		// https. Anything with a scheme (or a colon) is checked as it is.
		p.Website = "https://" + p.Website
	}
	if p.Website != "" {
		u, err := url.Parse(p.Website)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			fe.Add("website", "url", "")
		}
	}
	return fe.orNil()
}

// PartnerFilter narrows a city's partners. Zero values match everything.
type PartnerFilter struct {
	CityID uint
	Query  string
	Sector Sector
	// Active is "yes", "no" or "" for both.
	Active string
	// Sort is "name" (default), "-name", "sector" or "-updated".
	Sort string
}

// Partners lists one page of a city's partners.
func (s *Store) Partners(ctx context.Context, f PartnerFilter, p Page) (Paged[Partner], error) {
	p = p.normalize()
	out := Paged[Partner]{Page: p}
	q := s.db.WithContext(ctx).Model(&Partner{}).Where("city_id = ?", f.CityID)
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
	err := q.Order(order).Limit(p.Size).Offset(p.offset()).Find(&out.Items).Error
	return out, err
}

// CityPartners lists all of a city's partners by name, for pickers.
func (s *Store) CityPartners(ctx context.Context, cityID uint) ([]Partner, error) {
	var ps []Partner
	err := s.db.WithContext(ctx).Where("city_id = ?", cityID).Order("name, id").Find(&ps).Error
	return ps, err
}

// Partner returns the partner with id.
func (s *Store) Partner(ctx context.Context, id uint) (*Partner, error) {
	var p Partner
	if err := s.db.WithContext(ctx).First(&p, id).Error; err != nil {
		return nil, translate(err)
	}
	return &p, nil
}

// CreatePartner stores a new partner of p.CityID.
func (s *Store) CreatePartner(ctx context.Context, actor Actor, p *Partner) error {
	if err := s.ValidatePartner(p); err != nil {
		return err
	}
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.db.Create(p).Error; err != nil {
			return fmt.Errorf("create partner: %w", err)
		}
		return tx.audit(actor, AuditCreate, EntityPartner, p.ID, &p.CityID, p.Name)
	})
}

// UpdatePartner saves p's fields; its city never changes.
func (s *Store) UpdatePartner(ctx context.Context, actor Actor, p *Partner) error {
	if err := s.ValidatePartner(p); err != nil {
		return err
	}
	return s.Tx(ctx, func(tx *Store) error {
		var old Partner
		if err := tx.db.Select("sector").Where("id = ? AND city_id = ?", p.ID, p.CityID).First(&old).Error; err != nil {
			return translate(err)
		}
		res := tx.db.Model(&Partner{}).Where("id = ? AND city_id = ?", p.ID, p.CityID).
			Select("name", "sector", "contact_name", "contact_email", "website", "lang", "active", "updated_at").Updates(p)
		if res.Error != nil {
			return fmt.Errorf("update partner: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		// Of a partner, only the sector counts in the figures: in the
		// sector rows of its events' roll-ups and in its own.
		if old.Sector != p.Sector {
			if err := tx.moveSector(p.ID, old.Sector, p.Sector); err != nil {
				return err
			}
		}
		return tx.audit(actor, AuditUpdate, EntityPartner, p.ID, &p.CityID, p.Name)
	})
}

// DeletePartner removes a partner that no event involves; a partner that
// took part in events is kept for the figures (ErrInUse): mark it inactive.
func (s *Store) DeletePartner(ctx context.Context, actor Actor, p *Partner) error {
	return s.Tx(ctx, func(tx *Store) error {
		var n int64
		if err := tx.db.Table("event_partners").Where("partner_id = ?", p.ID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return ErrInUse
		}
		res := tx.db.Delete(&Partner{}, p.ID)
		if res.Error != nil {
			return fmt.Errorf("delete partner: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return tx.audit(actor, AuditDelete, EntityPartner, p.ID, &p.CityID, p.Name)
	})
}
