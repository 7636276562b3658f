package handlers

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// importBodyLimit bounds an import's request: the largest file and room
// for the form around it.
const importBodyLimit = "11M"

// importDeadline bounds the confirmed import of a large file: its one
// transaction refreshes the roll-ups of every day the file's events fall
// on, about 80 ms a day on the network-scale dataset. It stays under
// the server's write timeout (4 min, cmd/tracker/serve.go).
const importDeadline = 3 * time.Minute

// isImportConfirm tells the confirmed import, which may take longer than
// other requests.
func isImportConfirm(c echo.Context) bool {
	return c.Path() == "/manage/cities/:slug/import/confirm" && c.Request().Method == http.MethodPost
}

// isImportPost tells the import's upload, which may be larger than other forms.
func isImportPost(c echo.Context) bool {
	return c.Path() == "/manage/cities/:slug/import" && c.Request().Method == http.MethodPost
}

// showImport shows a city's import page: templates and the upload form.
func (h *Handler) showImport(c echo.Context) error {
	city, err := h.cityFor(c, c.Param("slug"))
	if err != nil {
		return err
	}
	kind := models.ImportKind(c.QueryParam("kind"))
	if !kind.Valid() {
		kind = models.ImportEvents
	}
	return h.render(c, http.StatusOK, views.ImportView(views.ImportPage{City: city, Kind: kind}))
}

// importTemplate sends the template of an import (?kind=events|partners),
// in the interface language, as CSV or XLSX (?format=csv|xlsx).
func (h *Handler) importTemplate(c echo.Context) error {
	city, err := h.cityFor(c, c.Param("slug"))
	if err != nil {
		return err
	}
	// Without a choice: the events template as CSV.
	kind, format := models.ImportEvents, models.SheetCSV
	if q := c.QueryParam("kind"); q != "" {
		kind = models.ImportKind(q)
	}
	if q := c.QueryParam("format"); q != "" {
		format = models.SheetFormat(q)
	}
	if !kind.Valid() || (format != models.SheetCSV && format != models.SheetXLSX) {
		return echo.NewHTTPError(http.StatusBadRequest, "bad kind or format")
	}
	ctx := c.Request().Context()
	campaigns, err := h.store.Campaigns(ctx)
	if err != nil {
		return err
	}
	hashtag := ""
	if len(campaigns) > 0 {
		hashtag = campaigns[0].Hashtag
	}
	var buf bytes.Buffer
	if err := models.WriteSheet(&buf, format, views.ImportTemplate(h.langContext(c), kind, hashtag)); err != nil {
		return err
	}
	contentType := "text/csv; charset=utf-8"
	if format == models.SheetXLSX {
		contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	name := fmt.Sprintf("%s-%s-%s.%s", kind, city.Slug, h.language(c), format)
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	return c.Blob(http.StatusOK, contentType, buf.Bytes())
}

// previewImport checks an uploaded file in full and shows what importing
// it would do; nothing is written but the file, kept for the confirmation
// when it has no problem.
func (h *Handler) previewImport(c echo.Context) error {
	city, err := h.cityFor(c, c.Param("slug"))
	if err != nil {
		return err
	}
	kind := models.ImportKind(c.FormValue("kind"))
	if !kind.Valid() {
		kind = models.ImportEvents
	}
	page := views.ImportPage{City: city, Kind: kind}
	refuse := func(code, param string) error {
		page.FileError = &models.RowProblem{Column: "file", Code: code, Param: param}
		return h.render(c, http.StatusUnprocessableEntity, views.ImportView(page))
	}
	fh, err := c.FormFile("file")
	if err != nil || fh.Size == 0 {
		return refuse("required", "")
	}
	page.FileName = fh.Filename
	if fh.Size > models.MaxSheetBytes {
		return refuse("sheet_size", fmt.Sprint(models.MaxSheetBytes>>20))
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, models.MaxSheetBytes+1))
	if err != nil {
		return err
	}
	sheet, err := models.ReadSheet(data)
	if se, ok := models.AsSheetError(err); ok {
		return refuse(se.Code, se.Param)
	}
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	page.Plan, err = h.store.PlanImport(ctx, kind, city, sheet, h.catalog.ImportVocabulary(), h.cfg.Now())
	if err != nil {
		return err
	}
	if len(page.Plan.Problems) > 0 {
		return h.render(c, http.StatusUnprocessableEntity, views.ImportView(page))
	}
	page.Token, err = h.store.SaveUpload(ctx, &models.Upload{
		UserID: currentUser(c).ID, CityID: city.ID, Kind: string(kind), Name: fh.Filename, Data: data,
	})
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, views.ImportView(page))
}

// confirmImport imports a checked file, all or nothing.
func (h *Handler) confirmImport(c echo.Context) error {
	city, err := h.cityFor(c, c.Param("slug"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	user := currentUser(c)
	token := c.FormValue("token")
	up, err := h.store.Upload(ctx, token, user.ID, city.ID)
	if errors.Is(err, models.ErrNotFound) {
		return h.render(c, http.StatusUnprocessableEntity, views.ImportView(views.ImportPage{
			City: city, Kind: models.ImportEvents, FileError: &models.RowProblem{Column: "file", Code: "upload_expired"},
		}))
	}
	if err != nil {
		return err
	}
	kind := models.ImportKind(up.Kind)
	sheet, err := models.ReadSheet(up.Data)
	if err != nil {
		return err
	}
	plan, err := h.store.Import(ctx, user.Actor(), kind, city, sheet, h.catalog.ImportVocabulary(), h.cfg.Now(), c.FormValue("create_partners") == "yes")
	if errors.Is(err, models.ErrImportRefused) {
		return h.render(c, http.StatusUnprocessableEntity, views.ImportView(views.ImportPage{
			City: city, Kind: kind, Plan: plan, Token: token, FileName: up.Name,
		}))
	}
	if err != nil {
		return err
	}
	if err := h.store.DeleteUpload(ctx, token); err != nil {
		return err
	}
	h.flash(c, h.t(c, "import.done", map[string]any{"Created": plan.Creates, "Updated": plan.Updates}))
	if kind == models.ImportPartners {
		return redirect(c, views.CityPartnersURL(city))
	}
	return redirect(c, views.CityManageURL(city))
}
