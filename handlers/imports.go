package handlers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/importer"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// importBodyLimit bounds an import's request: the largest file and room
// for the form around it.
const importBodyLimit = "11M"

// ImportDeadline bounds a confirmed import's background run; a server
// that stops waits that long at most for the imports it runs. Its one
// transaction takes seconds for the largest file on the network-scale
// dataset, most of it refreshing the roll-ups (docs/bulk-entry.md has the
// figures); the deadline leaves room for a loaded server. Whether an
// import that another server claimed still runs, its heartbeat says
// (models.UploadBeat).
const ImportDeadline = 2 * time.Minute

// sheetReadDeadline bounds the reading of an uploaded spreadsheet: the
// largest legitimate file reads in under a second.
const sheetReadDeadline = 10 * time.Second

// readSheet reads an uploaded file through the gate, within
// sheetReadDeadline; busy says the gate turned it away.
func (h *Handler) readSheet(c echo.Context, data []byte) (sheet *importer.Sheet, busy bool, err error) {
	ctx, cancel := context.WithTimeout(c.Request().Context(), sheetReadDeadline)
	defer cancel()
	sheet, err = h.sheets.ReadSheet(ctx, data)
	if se, ok := importer.AsSheetError(err); ok && se.Code == importer.Busy {
		// Too many files are being read: nothing is wrong with this one,
		// the user sends it again in a moment.
		c.Response().Header().Set("Retry-After", "10")
		return nil, true, err
	}
	return sheet, false, err
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
// in the interface language, as CSV or XLSX (?format=csv|xlsx): its
// example row is marked, for the import to skip it, and the XLSX file
// lists the values its columns take (the city's current partners, the
// campaigns' hashtags) and says how to fill it in.
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
	d := views.TemplateData{City: city}
	for _, cp := range campaigns {
		d.Hashtags = append(d.Hashtags, cp.Hashtag)
	}
	if kind == models.ImportEvents {
		partners, err := h.store.CityPartners(ctx, city.ID)
		if err != nil {
			return err
		}
		for _, p := range partners {
			if p.Active {
				d.Partners = append(d.Partners, p.Name)
			}
		}
	}
	var buf bytes.Buffer
	if err := importer.WriteTemplate(&buf, format, views.ImportTemplate(h.langContext(c), kind, d)); err != nil {
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
// when it has no problem, or only problems that the preview's choices can
// solve (values a column does not know, to be mapped).
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
	status := http.StatusUnprocessableEntity
	refuse := func(code, param string) error {
		page.FileError = &models.RowProblem{Column: "file", Code: code, Param: param}
		return h.render(c, status, views.ImportView(page))
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
	sheet, busy, err := h.readSheet(c, data)
	if busy {
		status = http.StatusServiceUnavailable
	}
	if se, ok := importer.AsSheetError(err); ok {
		return refuse(se.Code, se.Param)
	}
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	page.Plan, err = importer.Plan(ctx, h.store, kind, city, sheet, h.catalog.ImportVocabulary(), h.cfg.Now(), models.ImportChoices{})
	if err != nil {
		return err
	}
	if page.Plan.Examples > 0 && page.Plan.Examples == len(sheet.Rows) {
		// The template as it came: its example row, skipped, and nothing else.
		page.Plan = nil
		return refuse("sheet_only_example", "")
	}
	// A file with values a column does not know is kept too: the preview
	// asks what they stand for, and checks it again with the answers.
	if len(page.Plan.Problems) > 0 && len(page.Plan.Unknown) == 0 {
		return h.render(c, http.StatusUnprocessableEntity, views.ImportView(page))
	}
	page.Token, err = h.store.SaveUpload(ctx, &models.Upload{
		UserID: currentUser(c).ID, CityID: city.ID, Kind: string(kind), Name: fh.Filename, Data: data,
	})
	if err != nil {
		return err
	}
	if len(page.Plan.Problems) > 0 {
		status = http.StatusUnprocessableEntity
	} else {
		status = http.StatusOK
	}
	return h.render(c, status, views.ImportView(page))
}

// importChoicesOf reads the choices of an import's preview from its form:
// "map.<column>.<cell>" the value a cell the column does not know stands
// for ("" for none); "row" the lines the preview listed and "keep" those
// left ticked, the others being left out; "create_partners". A line that
// is not a number, or ticked but not listed, is ErrImportChoices.
func importChoicesOf(c echo.Context) (models.ImportChoices, error) {
	choices := models.ImportChoices{CreatePartners: c.FormValue("create_partners") == "yes"}
	form, err := c.FormParams()
	if err != nil {
		return choices, err
	}
	for name, values := range form {
		col, cell, ok := strings.Cut(strings.TrimPrefix(name, "map."), ".")
		if !strings.HasPrefix(name, "map.") || len(values) == 0 {
			continue
		}
		if !ok {
			return choices, models.ErrImportChoices
		}
		choices.Map(col, cell, values[0])
	}
	lines := func(field string) (map[int]bool, error) {
		out := map[int]bool{}
		for _, v := range form[field] {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return nil, models.ErrImportChoices
			}
			out[n] = true
		}
		return out, nil
	}
	listed, err := lines("row")
	if err != nil {
		return choices, err
	}
	kept, err := lines("keep")
	if err != nil {
		return choices, err
	}
	for n := range kept {
		if !listed[n] {
			return choices, models.ErrImportChoices
		}
	}
	for n := range listed {
		if !kept[n] {
			if choices.Skip == nil {
				choices.Skip = map[int]bool{}
			}
			choices.Skip[n] = true
		}
	}
	return choices, nil
}

// confirmImport starts the import of a checked file, all or nothing, in
// the background, with the choices of its preview (importChoicesOf), and
// sends the browser to its status page. The file is checked again first
// with them (a read, which stalls no one), so that a refusal, such as
// unknown partners not to be created, shows its reasons here; with
// action=check, the preview is only shown again with the choices applied.
// Choices the preview did not offer are refused (422) and nothing is
// written. The upload is claimed once: confirming it again only shows the
// status.
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
	if up.State != models.UploadWaiting {
		return redirect(c, views.ImportStatusURL(city, token))
	}
	kind := models.ImportKind(up.Kind)
	page := views.ImportPage{City: city, Kind: kind, Token: token, FileName: up.Name}
	choices, err := importChoicesOf(c)
	if errors.Is(err, models.ErrImportChoices) {
		page.FileError = &models.RowProblem{Column: "file", Code: "import_choices"}
		return h.render(c, http.StatusUnprocessableEntity, views.ImportView(page))
	}
	if err != nil {
		return err
	}
	page.CreatePartners = choices.CreatePartners
	sheet, err := importer.ReadSheet(ctx, up.Data)
	if err != nil {
		return err
	}
	plan, err := importer.Plan(ctx, h.store, kind, city, sheet, h.catalog.ImportVocabulary(), h.cfg.Now(), choices)
	if errors.Is(err, models.ErrImportChoices) {
		page.FileError = &models.RowProblem{Column: "file", Code: "import_choices"}
		return h.render(c, http.StatusUnprocessableEntity, views.ImportView(page))
	}
	if err != nil {
		return err
	}
	page.Plan = plan
	if c.FormValue("action") == "check" {
		status := http.StatusOK
		if len(plan.Problems) > 0 {
			status = http.StatusUnprocessableEntity
		}
		return h.render(c, status, views.ImportView(page))
	}
	if err := plan.Confirm(choices.CreatePartners); err != nil {
		return h.render(c, http.StatusUnprocessableEntity, views.ImportView(page))
	}
	err = h.store.ClaimUpload(ctx, up, h.imports.instance)
	if errors.Is(err, models.ErrUploadClaimed) {
		return redirect(c, views.ImportStatusURL(city, token))
	}
	if err != nil {
		return err
	}
	h.imports.report(token, models.ImportProgress{Phase: models.ImportChecking})
	if h.cfg.Background != nil {
		h.cfg.Background.Add(1)
	}
	go h.runImport(up, city, user.Actor(), choices)
	return redirect(c, views.ImportStatusURL(city, token))
}

// runImport imports a claimed upload, with a context of its own (the
// request that confirmed it is over by then) bounded by ImportDeadline.
// The import keeps its outcome on the upload in its own transaction; a
// failure, the transaction rolled back, is kept here. Until the outcome
// is kept, the run beats on the upload (beat), so that every server can
// tell it from one whose server stopped.
func (h *Handler) runImport(up *models.Upload, city *models.City, actor models.Actor, choices models.ImportChoices) {
	if h.cfg.Background != nil {
		defer h.cfg.Background.Done() // last: once the outcome is kept
	}
	defer h.imports.end(up.Token)
	beating, stopBeats := context.WithCancel(context.Background())
	defer stopBeats() // once the outcome is kept
	go h.beat(beating, up)
	var failure models.ImportFailure
	defer func() {
		if v := recover(); v != nil {
			h.log.Error("import", "upload", up.TokenHash[:8], "panic", v)
			failure = models.FailError
		}
		if failure == "" {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := h.store.FinishUpload(ctx, up.Token, 0, 0, failure); err != nil {
			h.log.Error("import: keep the outcome", "upload", up.TokenHash[:8], "err", err)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), ImportDeadline)
	defer cancel()
	if h.cfg.ImportHold != nil {
		h.cfg.ImportHold()
	}
	_, err := importer.Import(ctx, h.store, actor, up, city, h.catalog.ImportVocabulary(), h.cfg.Now(), choices,
		func(p models.ImportProgress) { h.imports.report(up.Token, p) })
	switch {
	case err == nil:
	case errors.Is(err, models.ErrImportRefused):
		failure = models.FailRefused
	case errors.Is(err, context.DeadlineExceeded):
		failure = models.FailTimeout
	default:
		h.log.Error("import", "upload", up.TokenHash[:8], "err", err)
		failure = models.FailError
	}
}

// beat writes on up, every models.UploadBeat until ctx
// ends, that its import still runs. On SQLite a beat waits while the
// import's transaction holds the write lock.
func (h *Handler) beat(ctx context.Context, up *models.Upload) {
	tick := time.NewTicker(models.UploadBeat)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			bctx, cancel := context.WithTimeout(ctx, models.UploadStale)
			if err := h.store.BeatUpload(bctx, up.Token); err != nil && ctx.Err() == nil {
				h.log.Warn("import: beat", "upload", up.TokenHash[:8], "err", err)
			}
			cancel()
		}
	}
}

// showImportStatus shows how far a confirmed import is, to whoever
// confirmed it and to staff: its progress while it runs on this server,
// then its outcome. An import still marked running that no server runs
// (this one no longer, or another that stopped beating) did not finish:
// its transaction rolled back, and the upload is settled failed.
func (h *Handler) showImportStatus(c echo.Context) error {
	city, err := h.cityFor(c, c.Param("slug"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	token := c.Param("token")
	// The registry first: a run ends there only once its outcome is kept,
	// so an upload still marked running that this server no longer runs
	// never ran to its end.
	p, running := h.imports.progress(token)
	up, err := h.store.ConfirmedUpload(ctx, token, city.ID)
	if err != nil {
		return err
	}
	if user := currentUser(c); up.UserID != user.ID && !user.IsStaff() {
		return models.ErrNotFound
	}
	page := views.ImportStatusPage{City: city, Upload: up, NoReload: c.QueryParam("reload") == "off"}
	if running && up.State == models.UploadRunning {
		page.Progress = &p
	} else if up.State == models.UploadRunning {
		// Stale since: any beat, for a run of this server's that is over;
		// else a beat older than UploadStale.
		staleBefore := h.cfg.Now().Add(-models.UploadStale)
		if up.Runner == h.imports.instance {
			staleBefore = h.cfg.Now().Add(time.Hour)
		}
		settled, err := h.store.SettleUpload(ctx, token, staleBefore)
		if err != nil {
			return err
		}
		if settled {
			h.log.Warn("import: its server stopped", "upload", up.TokenHash[:8], "runner", up.Runner)
		}
		if up, err = h.store.ConfirmedUpload(ctx, token, city.ID); err != nil {
			return err
		}
		page.Upload = up
	}
	return h.render(c, http.StatusOK, views.ImportStatusView(page))
}
