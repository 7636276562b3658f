package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// listAudit shows the audit log to staff, newest first.
func (h *Handler) listAudit(c echo.Context) error {
	ctx := c.Request().Context()
	n, err := parsePage(c.QueryParam("page"))
	if err != nil {
		return err
	}
	entries, err := h.store.AuditEntries(ctx, models.AuditFilter{AllCities: true}, models.Page{Number: n, Size: 50})
	if err != nil {
		return err
	}
	cities, err := h.store.Cities(ctx, models.CityFilter{})
	if err != nil {
		return err
	}
	_, names := cityIndex(cities)
	return h.render(c, http.StatusOK, views.AuditView(views.AuditPage{Entries: entries, CityNames: names}))
}
