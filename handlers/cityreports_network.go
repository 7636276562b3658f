package handlers

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// networkReports reads the selection the query names (a period, else
// defaultPeriod; statuses, else models.NetworkReportStatuses) and lists
// the period's reports in those statuses with their cities. A period
// that cannot be read, of no campaign the tracker knows, or a status
// that is none is a 400.
func (h *Handler) networkReports(c echo.Context) (views.NetworkSelection, []models.CityWithReport, error) {
	ctx := c.Request().Context()
	var sel views.NetworkSelection
	var err error
	if sel.Periods, err = h.reportPeriods(c); err != nil {
		return sel, nil, err
	}
	sel.Period = c.QueryParam("period")
	if sel.Period == "" {
		if sel.Period, err = h.defaultPeriod(c, sel.Periods); err != nil {
			return sel, nil, err
		}
	}
	p, err := models.ParsePeriod(sel.Period)
	if err != nil {
		return sel, nil, echo.NewHTTPError(http.StatusBadRequest, "period: use year:2026, quarter:2026-Q1 or campaign:<hashtag>")
	}
	if _, err := h.store.PeriodCampaign(ctx, p); err != nil {
		if _, ok := models.AsFieldErrors(err); ok {
			return sel, nil, echo.NewHTTPError(http.StatusBadRequest, "period: no such campaign")
		}
		return sel, nil, err
	}
	for _, s := range models.Unique(c.QueryParams()["status"]) {
		st := models.CityReportStatus(s)
		if !slices.Contains(models.CityReportStatuses(), st) {
			return sel, nil, echo.NewHTTPError(http.StatusBadRequest, "status: use draft, submitted, changes_requested or approved")
		}
		sel.Statuses = append(sel.Statuses, st)
	}
	if len(sel.Statuses) == 0 {
		sel.Statuses = models.NetworkReportStatuses()
	}
	reports, err := h.store.PeriodCityReports(ctx, p, sel.Statuses)
	return sel, reports, err
}

// networkNarrativesDocument is every chosen report of a period, each
// city's narrative and self-assessment, as one document to print.
func (h *Handler) networkNarrativesDocument(c echo.Context) error {
	sel, reports, err := h.networkReports(c)
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, views.NetworkNarrativesView(views.NetworkNarrativesPage{Selection: sel, Reports: reports, Generated: h.cfg.Now()}))
}

// countryCode is a country filter: two letters.
var countryCode = regexp.MustCompile(`^[A-Z]{2}$`)

// networkSelfAssessment shows the chosen reports' self-assessments side
// by side, filtered by region or country and sorted by a building block.
func (h *Handler) networkSelfAssessment(c echo.Context) error {
	page := views.SelfAssessmentPage{
		Region:  models.Region(c.QueryParam("region")),
		Country: strings.ToUpper(c.QueryParam("country")),
		Sort:    models.LearningArea(c.QueryParam("sort")),
		Asc:     c.QueryParam("dir") == "asc",
	}
	switch {
	case page.Region != "" && !slices.Contains(models.Regions(), page.Region):
		return echo.NewHTTPError(http.StatusBadRequest, "region: use one of the UNESCO regions")
	case page.Country != "" && !countryCode.MatchString(page.Country):
		return echo.NewHTTPError(http.StatusBadRequest, "country: use a two-letter country code")
	case page.Sort != "" && !page.Sort.Valid():
		return echo.NewHTTPError(http.StatusBadRequest, "sort: use one of the building blocks")
	case !slices.Contains([]string{"", "asc", "desc"}, c.QueryParam("dir")):
		return echo.NewHTTPError(http.StatusBadRequest, "dir: use asc or desc")
	}
	var reports []models.CityWithReport
	var err error
	if page.Selection, reports, err = h.networkReports(c); err != nil {
		return err
	}
	for _, r := range reports {
		page.Cities = append(page.Cities, r.City)
	}
	page.Assessment = models.NewSelfAssessment(reports, func(city models.City) bool {
		return (page.Region == "" || city.Region == page.Region) && (page.Country == "" || city.Country == page.Country)
	})
	page.Assessment.SortBy(page.Sort, page.Asc)
	return h.render(c, http.StatusOK, views.SelfAssessmentView(page))
}

// The sheets of the network's workbook.
const (
	sheetNarratives     = "Narratives"
	sheetSelfAssessment = "Self-assessment"
)

// networkWorkbook is every chosen report of a period in one XLSX
// workbook: a sheet of the narratives, a row per report, and a sheet of
// the self-assessment scores, a row per city (an empty cell where the
// city did not rate a building block). Every text cell a spreadsheet
// would read as a formula is made inert.
func (h *Handler) networkWorkbook(c echo.Context) error {
	sel, reports, err := h.networkReports(c)
	if err != nil {
		return err
	}
	narratives := [][]any{{"city", "slug", "country", "region", "status", "submitted_at", "approved_at", "worked", "hard", "plans"}}
	scores := [][]any{{"city", "slug", "country", "region", "status"}}
	for _, a := range models.LearningAreas() {
		scores[0] = append(scores[0], string(a))
	}
	for _, a := range models.LearningAreas() {
		scores[0] = append(scores[0], string(a)+" comment")
	}
	for _, r := range reports {
		city := []any{r.City.Name, r.City.Slug, r.City.Country, string(r.City.Region), string(r.Report.Status)}
		narratives = append(narratives, append(slices.Clone(city),
			day(r.Report.SubmittedAt), day(r.Report.ApprovedAt), r.Report.Worked, r.Report.Hard, r.Report.Plans))
		row := slices.Clone(city)
		ratings := r.Report.Ratings()
		for _, rt := range ratings {
			if rt.Score == models.NotRated {
				row = append(row, "")
			} else {
				row = append(row, rt.Score)
			}
		}
		for _, rt := range ratings {
			row = append(row, rt.Comment)
		}
		scores = append(scores, row)
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheetNarratives); err != nil {
		return err
	}
	if _, err := f.NewSheet(sheetSelfAssessment); err != nil {
		return err
	}
	for sheet, rows := range map[string][][]any{sheetNarratives: narratives, sheetSelfAssessment: scores} {
		if err := writeInertRows(f, sheet, rows); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return err
	}
	name := "city-narratives-" + strings.ReplaceAll(sel.Period, ":", "-") + ".xlsx"
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf("attachment; filename=%q", name))
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}

// writeInertRows writes rows into a sheet from its first cell, numbers
// as numbers and text through inertCell.
func writeInertRows(f *excelize.File, sheet string, rows [][]any) error {
	for _, row := range rows {
		for j, v := range row {
			if s, ok := v.(string); ok {
				row[j] = inertCell(s)
			}
		}
	}
	return setRows(f, sheet, rows)
}
