package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// listPartners lists a city's partners with their private contacts.
func (h *Handler) listPartners(c echo.Context) error {
	city, err := h.cityFor(c, c.Param("slug"))
	if err != nil {
		return err
	}
	q := c.QueryParams()
	f := models.PartnerFilter{CityID: city.ID, Query: q.Get("q"), Sector: models.Sector(q.Get("sector")), Active: q.Get("active"), Sort: q.Get("sort")}
	page, err := parsePage(q.Get("page"))
	if err != nil || (f.Sector != "" && !f.Sector.Valid()) || len(f.Query) > 200 ||
		(f.Active != "" && f.Active != "yes" && f.Active != "no") {
		return echo.NewHTTPError(http.StatusBadRequest, "bad filter")
	}
	partners, err := h.store.Partners(c.Request().Context(), f, models.Page{Number: page, Size: 20})
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, views.PartnersView(views.PartnersPage{City: city, Partners: partners, Query: cleanQuery(q)}))
}

// newPartner shows an empty partner form.
func (h *Handler) newPartner(c echo.Context) error {
	city, err := h.cityFor(c, c.Param("slug"))
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, views.PartnerFormView(views.PartnerFormPage{City: city, Form: views.PartnerForm{Active: true, Lang: h.language(c).String()}}))
}

// createPartner stores a new partner of the city.
func (h *Handler) createPartner(c echo.Context) error {
	city, err := h.cityFor(c, c.Param("slug"))
	if err != nil {
		return err
	}
	var f views.PartnerForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	p := partnerFromForm(f)
	p.CityID = city.ID
	err = h.store.CreatePartner(c.Request().Context(), currentUser(c).Actor(), p)
	if fe, ok := models.AsFieldErrors(err); ok {
		return h.render(c, http.StatusUnprocessableEntity, views.PartnerFormView(views.PartnerFormPage{City: city, Form: f, Errors: fe}))
	}
	if err != nil {
		return err
	}
	h.flash(c, h.t(c, "partners.created", nil))
	return redirect(c, views.CityPartnersURL(city))
}

// editPartner shows the form of an existing partner.
func (h *Handler) editPartner(c echo.Context) error {
	p, city, err := h.partnerFor(c)
	if err != nil {
		return err
	}
	f := views.PartnerForm{Name: p.Name, Sector: string(p.Sector), ContactName: p.ContactName, ContactEmail: p.ContactEmail, Website: p.Website, Active: p.Active, Lang: p.Lang}
	return h.render(c, http.StatusOK, views.PartnerFormView(views.PartnerFormPage{City: city, PartnerID: p.ID, Form: f}))
}

// updatePartner saves a partner.
func (h *Handler) updatePartner(c echo.Context) error {
	current, city, err := h.partnerFor(c)
	if err != nil {
		return err
	}
	var f views.PartnerForm
	if err := c.Bind(&f); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest).SetInternal(err)
	}
	p := partnerFromForm(f)
	p.ID, p.CityID = current.ID, current.CityID
	err = h.store.UpdatePartner(c.Request().Context(), currentUser(c).Actor(), p)
	if fe, ok := models.AsFieldErrors(err); ok {
		return h.render(c, http.StatusUnprocessableEntity, views.PartnerFormView(views.PartnerFormPage{City: city, PartnerID: current.ID, Form: f, Errors: fe}))
	}
	if err != nil {
		return err
	}
	h.flash(c, h.t(c, "partners.updated", nil))
	return redirect(c, views.CityPartnersURL(city))
}

// confirmDeletePartner asks before deleting.
func (h *Handler) confirmDeletePartner(c echo.Context) error {
	p, city, err := h.partnerFor(c)
	if err != nil {
		return err
	}
	ctx := h.viewContext(c)
	return h.renderCtx(c, ctx, http.StatusOK, views.ConfirmDeleteView(
		views.T(ctx, "partners.delete"),
		views.Tf(ctx, "partners.delete_question", map[string]any{"Name": p.Name}),
		c.Request().URL.Path, views.CityPartnersURL(city)))
}

// deletePartner removes a partner that took part in no event.
func (h *Handler) deletePartner(c echo.Context) error {
	p, city, err := h.partnerFor(c)
	if err != nil {
		return err
	}
	if err := h.store.DeletePartner(c.Request().Context(), currentUser(c).Actor(), p); err != nil {
		return err
	}
	h.flash(c, h.t(c, "partners.deleted", nil))
	return redirect(c, views.CityPartnersURL(city))
}

// partnerFromForm turns the form into a partner (city not set).
func partnerFromForm(f views.PartnerForm) *models.Partner {
	return &models.Partner{
		Name: f.Name, Sector: models.Sector(f.Sector), ContactName: f.ContactName,
		ContactEmail: f.ContactEmail, Website: f.Website, Active: f.Active, Lang: f.Lang,
	}
}
