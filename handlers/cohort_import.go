package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/importer"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// newCohortImport shows the cohort import form.
func (h *Handler) newCohortImport(c echo.Context) error {
	return h.render(c, http.StatusOK, views.CohortImportView(views.CohortImportPage{}))
}

// previewCohortImport reads an uploaded CSV or XLSX file of member cities
// and shows what importing it would do, writing nothing: the lines with
// problems (then 422), or the cities it creates and updates, with a form
// to confirm.
func (h *Handler) previewCohortImport(c echo.Context) error {
	status := http.StatusUnprocessableEntity
	refuse := func(code string) error {
		return h.render(c, status, views.CohortImportView(views.CohortImportPage{FileError: code}))
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return refuse("required")
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, importer.MaxCohortBytes))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), sheetReadDeadline)
	defer cancel()
	file, err := h.sheets.ReadCohort(ctx, data)
	if se, ok := importer.AsSheetError(err); ok {
		if se.Code == importer.Busy {
			status = http.StatusServiceUnavailable
			c.Response().Header().Set("Retry-After", "10")
		}
		return refuse(se.Code)
	}
	if err != nil {
		return err
	}
	plan, err := importer.PlanCohort(c.Request().Context(), h.store, file)
	if err != nil {
		return err
	}
	return h.renderCohortPreview(c, file.Rows, plan)
}

// confirmCohortImport imports the previewed rows, planned again: a line
// that became a problem meanwhile stops it all, and nothing is written.
func (h *Handler) confirmCohortImport(c echo.Context) error {
	var rows []models.CohortRow
	if err := json.Unmarshal([]byte(c.FormValue("rows")), &rows); err != nil || len(rows) == 0 || len(rows) > importer.MaxCohortRows {
		return echo.NewHTTPError(http.StatusBadRequest, "no rows to import")
	}
	plan, err := importer.ImportCohort(c.Request().Context(), h.store, currentUser(c).Actor(), rows)
	if errors.Is(err, models.ErrImportRefused) {
		return h.renderCohortPreview(c, rows, plan)
	}
	if err != nil {
		return err
	}
	h.flash(c, h.t(c, "cohort.imported", map[string]any{"Created": plan.Creates, "Updated": plan.Updates})+" "+h.t(c, "cohort.invite_next", nil))
	return redirect(c, "/manage/cities")
}

// renderCohortPreview shows a cohort's plan: its problems (422), or the
// cities it creates and updates with rows, as read, to confirm.
func (h *Handler) renderCohortPreview(c echo.Context, rows []models.CohortRow, plan *models.CohortPlan) error {
	page := views.CohortImportPage{Plan: plan}
	status := http.StatusOK
	if len(plan.Problems) > 0 {
		status = http.StatusUnprocessableEntity
	} else {
		b, err := json.Marshal(rows)
		if err != nil {
			return err
		}
		page.Rows = string(b)
	}
	return h.render(c, status, views.CohortImportView(page))
}
