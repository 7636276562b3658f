package views

import (
	"context"
	"fmt"
	"net/url"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// PartnerForm is what the partner form posts.
type PartnerForm struct {
	Name         string `form:"name"`
	Sector       string `form:"sector"`
	ContactName  string `form:"contact_name"`
	ContactEmail string `form:"contact_email"`
	Website      string `form:"website"`
	Active       bool   `form:"active"`
	Lang         string `form:"lang"`
}

// PartnerFormPage is the data of the new and edit partner pages.
type PartnerFormPage struct {
	City      *models.City
	PartnerID uint
	Form      PartnerForm
	Errors    models.FieldErrors
}

// PartnersPage is the data of a city's partner list.
type PartnersPage struct {
	City     *models.City
	Partners models.Paged[models.Partner]
	Query    url.Values
}

func partnerURL(id uint) string { return fmt.Sprintf("/manage/partners/%d", id) }

func partnerFormTitle(ctx context.Context, p PartnerFormPage) string {
	if p.PartnerID == 0 {
		return T(ctx, "partners.new")
	}
	return T(ctx, "partners.edit")
}

func partnerFormAction(p PartnerFormPage) string {
	if p.PartnerID == 0 {
		return CityPartnersURL(p.City)
	}
	return partnerURL(p.PartnerID)
}

// partnerLabels names the partner form's fields for its error summary.
func partnerLabels(ctx context.Context) fieldLabels {
	return fieldLabels{
		{"name", T(ctx, "partner.name")}, {"sector", T(ctx, "partner.sector")}, {"lang", T(ctx, "form.content_lang")},
		{"contact_name", T(ctx, "partner.contact_name")}, {"contact_email", T(ctx, "partner.contact_email")}, {"website", T(ctx, "partner.website")},
	}
}
