package handlers

import (
	"bytes"
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
	examples := file.SkipExamples(h.catalog.ImportVocabulary())
	if examples > 0 && len(file.Rows) == 0 && len(file.Problems) == 0 {
		// The template as it came: its example row, skipped, and nothing else.
		return refuse("sheet_only_example")
	}
	plan, err := importer.PlanCohort(c.Request().Context(), h.store, file)
	if err != nil {
		return err
	}
	plan.Examples = examples
	return h.renderCohortPreview(c, file.Rows, plan)
}

// cohortTemplate sends the template of a cohort file, CSV or XLSX
// (?format=csv|xlsx), its sheets and instructions in the interface
// language; its example row is marked, for the import to skip it.
func (h *Handler) cohortTemplate(c echo.Context) error {
	format := models.SheetFormat(c.QueryParam("format"))
	if format == "" {
		format = models.SheetCSV
	}
	if format != models.SheetCSV && format != models.SheetXLSX {
		return echo.NewHTTPError(http.StatusBadRequest, "bad format")
	}
	var buf bytes.Buffer
	if err := importer.WriteTemplate(&buf, format, views.CohortTemplate(h.langContext(c))); err != nil {
		return err
	}
	contentType := "text/csv; charset=utf-8"
	if format == models.SheetXLSX {
		contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="cohort-`+h.language(c).String()+"."+string(format)+`"`)
	return c.Blob(http.StatusOK, contentType, buf.Bytes())
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
