package handlers

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/importer"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// maxCohortRows bounds a cohort file: the network admits tens of cities a
// year, not thousands.
const maxCohortRows = 2000

// cohortColumns maps the header names a cohort file may use to its fields.
var cohortColumns = map[string]string{
	"name": "name", "city": "name",
	"slug":    "slug",
	"country": "country", "country_code": "country",
	"joined_year": "joined_year", "joined": "joined_year", "year_joined": "joined_year",
	"co_lead": "co_lead", "colead": "co_lead",
	"latitude": "latitude", "lat": "latitude",
	"longitude": "longitude", "lon": "longitude", "lng": "longitude",
	"coordinates": "coordinates",
	"time_zone":   "time_zone", "timezone": "time_zone", "tz": "time_zone",
}

// newCohortImport shows the cohort import form.
func (h *Handler) newCohortImport(c echo.Context) error {
	return h.render(c, http.StatusOK, views.CohortImportView(views.CohortImportPage{}))
}

// previewCohortImport reads an uploaded CSV or XLSX file of member cities
// and shows what importing it would do, writing nothing: the lines with
// problems (then 422), or the cities it creates and updates, with a form
// to confirm.
func (h *Handler) previewCohortImport(c echo.Context) error {
	ctx := c.Request().Context()
	fh, err := c.FormFile("file")
	if err != nil {
		return h.render(c, http.StatusUnprocessableEntity, views.CohortImportView(views.CohortImportPage{FileError: "required"}))
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 1<<20))
	if err != nil {
		return err
	}
	rows, problems, fileErr := readCohort(data)
	if fileErr != "" {
		return h.render(c, http.StatusUnprocessableEntity, views.CohortImportView(views.CohortImportPage{FileError: fileErr}))
	}
	plan, err := h.store.PlanCohort(ctx, rows)
	if err != nil {
		return err
	}
	return h.renderCohortPreview(c, rows, problems, plan)
}

// confirmCohortImport imports the previewed rows, planned again: a line
// that became a problem meanwhile stops it all, and nothing is written.
func (h *Handler) confirmCohortImport(c echo.Context) error {
	var rows []models.CohortRow
	if err := json.Unmarshal([]byte(c.FormValue("rows")), &rows); err != nil || len(rows) == 0 || len(rows) > maxCohortRows {
		return echo.NewHTTPError(http.StatusBadRequest, "no rows to import")
	}
	plan, err := h.store.ImportCohort(c.Request().Context(), currentUser(c).Actor(), rows)
	if err != nil {
		return err
	}
	if len(plan.Problems) > 0 {
		return h.renderCohortPreview(c, rows, nil, plan)
	}
	h.flash(c, h.t(c, "cohort.imported", map[string]any{"Created": len(plan.Create), "Updated": len(plan.Update)})+" "+h.t(c, "cohort.invite_next", nil))
	return redirect(c, "/manage/cities")
}

func (h *Handler) renderCohortPreview(c echo.Context, rows []models.CohortRow, parseProblems []models.CohortProblem, plan models.CohortPlan) error {
	page := views.CohortImportPage{Plan: &plan}
	page.Plan.Problems = append(parseProblems, plan.Problems...)
	status := http.StatusOK
	if len(page.Plan.Problems) > 0 {
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

// readCohort reads the rows of a cohort file, CSV or XLSX (importer.ReadSheet:
// a byte-order mark, semicolons, merged cells and formulas as in the
// event import), with the problems of lines whose values cannot be read;
// a problem with the file itself is a validation code in fileErr.
func readCohort(data []byte) (rows []models.CohortRow, problems []models.CohortProblem, fileErr string) {
	sheet, err := importer.ReadSheet(data)
	if err != nil {
		se, _ := importer.AsSheetError(err)
		switch {
		case se != nil && se.Code == "sheet_encoding":
			return nil, nil, se.Code
		case se != nil && se.Code == "sheet_empty":
			return nil, nil, "file_empty"
		case se != nil && (se.Code == "sheet_rows" || se.Code == "sheet_size"):
			return nil, nil, "file_rows"
		}
		return nil, nil, "file_format"
	}
	cols := map[string]int{}
	for i, h := range sheet.Header {
		key := strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(strings.TrimSpace(h)))
		field, ok := cohortColumns[key]
		if !ok {
			if key == "" {
				continue
			}
			return nil, nil, "file_columns"
		}
		cols[field] = i
	}
	for _, need := range []string{"name", "country", "joined_year"} {
		if _, ok := cols[need]; !ok {
			return nil, nil, "file_columns"
		}
	}
	if len(sheet.Rows) > maxCohortRows {
		return nil, nil, "file_rows"
	}
	for _, rec := range sheet.Rows {
		line := rec.Line
		get := func(field string) string {
			if j, ok := cols[field]; ok {
				return rec.Cell(j)
			}
			return ""
		}
		bad := func(field, code string) {
			problems = append(problems, models.CohortProblem{Line: line, Field: field, Code: code})
		}
		city := models.City{Name: get("name"), Slug: get("slug"), Country: get("country"), TimeZone: get("time_zone")}
		ok := true
		if y := get("joined_year"); y != "" {
			n, err := strconv.Atoi(y)
			if err != nil {
				bad("joined_year", "number")
				ok = false
			}
			city.JoinedYear = n
		}
		switch strings.ToLower(get("co_lead")) {
		case "", "no", "n", "false", "0", "non", "لا":
		case "yes", "y", "true", "1", "x", "oui", "sí", "si", "نعم":
			city.CoLead = true
		default:
			bad("co_lead", "boolean")
			ok = false
		}
		lat, lon := get("latitude"), get("longitude")
		if both := get("coordinates"); both != "" {
			lat, lon, _ = strings.Cut(both, ",")
		}
		if strings.TrimSpace(lat) != "" || strings.TrimSpace(lon) != "" {
			la, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
			lo, err2 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
			if err1 != nil || err2 != nil {
				bad("coordinates", "coordinates")
				ok = false
			} else {
				city.Latitude, city.Longitude = &la, &lo
			}
		}
		if ok {
			rows = append(rows, models.CohortRow{Line: line, City: city})
		}
	}
	if len(rows) == 0 && len(problems) == 0 {
		return nil, nil, "file_empty"
	}
	return rows, problems, ""
}
