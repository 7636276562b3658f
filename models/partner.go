package models

import (
	"errors"
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

// Validate checks p's fields.
func (p *Partner) Validate() error {
	p.Name = strings.TrimSpace(p.Name)
	p.ContactName = strings.TrimSpace(p.ContactName)
	p.ContactEmail = NormalizeEmail(p.ContactEmail)
	p.Website = strings.TrimSpace(p.Website)
	fe := check(p)
	if _, bad := fe["sector"]; !bad && !p.Sector.Valid() {
		fe.Add("sector", "oneof", "")
	}
	if p.ContactEmail != "" {
		if a, err := mail.ParseAddress(p.ContactEmail); err != nil || a.Address != p.ContactEmail {
			fe.Add("contact_email", "email", "")
		}
	}
	fe.checkText("name", p.Name, false)
	fe.checkText("contact_name", p.ContactName, false)
	fe.checkText("contact_email", p.ContactEmail, false)
	fe.checkText("website", p.Website, false)
	fe.checkText("lang", p.Lang, false)
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
	return fe.Err()
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
