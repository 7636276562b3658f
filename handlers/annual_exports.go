package handlers

import (
	"bytes"
	"context"
	"crypto/sha256"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"unicode"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/views"
)

// breakdownTable is a breakdown's header and rows as text cells: its key,
// its label and the figures its rows have; compared with another period
// (cmp not nil), then the compared period's figures of the row it is
// compared with (comparedColumns), empty when it has none.
func breakdownTable(bd models.Breakdown, r *models.Report, cmp *models.Comparison) [][]string {
	header := []string{"key", "label"}
	for _, f := range bd.Figures {
		header = append(header, string(f))
	}
	rows := *bd.Rows(&r.Breakdowns)
	var earlier map[string]models.Row
	if cmp != nil {
		header = append(header, comparedColumns(bd)...)
		earlier = cmp.Earlier(bd, rows)
	}
	value := func(row models.Row, f models.Figure) string {
		v := int64(0)
		if p := row.Value(f); p != nil {
			v = *p
		}
		return strconv.FormatInt(v, 10)
	}
	out := [][]string{header}
	for _, row := range rows {
		cells := []string{row.Key, row.Label}
		for _, f := range bd.Figures {
			cells = append(cells, value(row, f))
		}
		if cmp != nil {
			prev, ok := earlier[row.Key]
			if bd.From == models.FromMonths {
				cells = append(cells, prev.Key)
			}
			for _, f := range bd.Figures {
				if ok {
					cells = append(cells, value(prev, f))
				} else {
					cells = append(cells, "")
				}
			}
		}
		out = append(out, cells)
	}
	return out
}

// comparedColumns are the columns a breakdown's download gains when the
// report is compared: "compared_" and each figure, after the month it is
// compared with for the months ("compared_key").
func comparedColumns(bd models.Breakdown) []string {
	var out []string
	if bd.From == models.FromMonths {
		out = append(out, "compared_key")
	}
	for _, f := range bd.Figures {
		out = append(out, "compared_"+string(f))
	}
	return out
}

// keyDescription says in English what the keys of a breakdown's rows are,
// for the data dictionary.
func keyDescription(bd models.Breakdown) string {
	switch bd.From {
	case models.FromRegions:
		return "UNESCO region"
	case models.FromCountries:
		return "ISO 3166-1 alpha-2 country code"
	case models.FromCities:
		return "city slug (a city's active_cities is 1 when it was active)"
	case models.FromMonths:
		return "month, YYYY-MM (active_cities: cities active that month; partners_engaged: distinct within the month)"
	}
	switch bd.Dim {
	case models.DimArea:
		return "Key Features building block"
	case models.DimAge:
		return "age group reached (participants: those an event recorded in that age group; all of an event's when it reached one group)"
	case models.DimSector:
		return "partner sector"
	case models.DimFormat:
		return "event format"
	}
	return ""
}

// dictionary describes every figure and every column of every export.
type dictionary struct {
	Figures []dictionaryEntry  `json:"figures"`
	Exports []dictionaryExport `json:"exports"`
}

type dictionaryEntry struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

type dictionaryExport struct {
	File        string            `json:"file"`
	Description string            `json:"description"`
	Columns     []dictionaryEntry `json:"columns"`
}

// dataDictionary is the data dictionary, in English like the API.
func dataDictionary() dictionary {
	var d dictionary
	for _, f := range models.Figures() {
		d.Figures = append(d.Figures, dictionaryEntry{string(f), figureDefinition(f)})
	}
	cityCols := []dictionaryEntry{{"city", "city name"}, {"slug", "city slug"}, {"country", "ISO 3166-1 alpha-2 country code"},
		{"region", "UNESCO region"}, {"joined_year", "year the city joined the network"}, {"active", "1 when the city had a held event or a published story in the period"}}
	for _, f := range cityFigures() {
		if f != models.FigureActiveCities {
			cityCols = append(cityCols, dictionaryEntry{string(f), figureDefinition(f)})
		}
	}
	d.Exports = append(d.Exports, dictionaryExport{"/reports/export.csv", "every city in the query's scope, one row each", cityCols})
	for _, bd := range models.AllBreakdowns() {
		cols := []dictionaryEntry{{"key", keyDescription(bd)}, {"label", "name of the key, in the language of the request"}}
		for _, f := range bd.Figures {
			cols = append(cols, dictionaryEntry{string(f), figureDefinition(f)})
		}
		for _, name := range comparedColumns(bd) {
			desc := "only when the query asks for a comparison (compare, compare_from and compare_to): "
			if f := models.Figure(strings.TrimPrefix(name, "compared_")); f.Valid() {
				desc += "the figure " + string(f) + " of the compared period's row this row is compared with (the same key; for months, the month in the same place of the compared period), empty when it has none"
			} else {
				desc += "the month of the compared period this row's month is compared with, YYYY-MM"
			}
			cols = append(cols, dictionaryEntry{name, desc})
		}
		d.Exports = append(d.Exports, dictionaryExport{"/reports/" + bd.Key + ".csv", "the report's breakdown " + bd.Key + "; also a sheet of /reports/export.xlsx", cols})
	}
	return d
}

// apiDictionary answers GET /api/v1/dictionary.
func (h *Handler) apiDictionary(c echo.Context) error {
	c.Response().Header().Set("Access-Control-Allow-Origin", "*")
	return c.JSON(http.StatusOK, dataDictionary())
}

// describedBy points a download at the data dictionary.
func describedBy(c echo.Context) {
	c.Response().Header().Set("Link", `</api/v1/dictionary>; rel="describedby"`)
}

// exportBreakdown is one breakdown of the report's query as CSV; its name
// is the route's file name.
func (h *Handler) exportBreakdown(c echo.Context) error {
	name := strings.TrimSuffix(path.Base(c.Path()), ".csv")
	for _, bd := range models.AllBreakdowns() {
		if bd.Key != name {
			continue
		}
		_, r, cmp, err := h.pageComparedReport(c)
		if err != nil {
			return err
		}
		describedBy(c)
		return writeCSV(c, "learnthroughlife-"+name+".csv", breakdownTable(bd, labelled(h.viewContext(c), r), cmp))
	}
	return echo.ErrNotFound
}

// exportWorkbook is every breakdown of the report's query in one XLSX
// workbook, a sheet each, and a sheet of the data dictionary.
func (h *Handler) exportWorkbook(c echo.Context) error {
	_, r, cmp, err := h.pageComparedReport(c)
	if err != nil {
		return err
	}
	labelled(h.viewContext(c), r)
	f := excelize.NewFile()
	defer f.Close()
	first := true
	for _, bd := range models.AllBreakdowns() {
		if err := writeSheet(f, bd.Key, breakdownTable(bd, r, cmp), first); err != nil {
			return err
		}
		first = false
	}
	d := dataDictionary()
	rows := [][]string{{"figure or column", "export", "definition"}}
	for _, e := range d.Figures {
		rows = append(rows, []string{e.Name, "", e.Description})
	}
	for _, x := range d.Exports {
		for _, col := range x.Columns {
			rows = append(rows, []string{col.Name, x.File, col.Description})
		}
	}
	if err := writeSheet(f, "definitions", rows, false); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return err
	}
	describedBy(c)
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="learnthroughlife-report.xlsx"`)
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}

// writeSheet writes rows into a sheet, numbers as numbers; the first
// sheet renames the workbook's default one.
func writeSheet(f *excelize.File, name string, rows [][]string, first bool) error {
	if first {
		if err := f.SetSheetName("Sheet1", name); err != nil {
			return err
		}
	} else if _, err := f.NewSheet(name); err != nil {
		return err
	}
	cells := make([][]any, len(rows))
	for i, row := range rows {
		cells[i] = make([]any, len(row))
		for j, s := range row {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil && i > 0 && j > 1 {
				cells[i][j] = n
			} else {
				cells[i][j] = s
			}
		}
	}
	return setRows(f, name, cells)
}

// setRows writes rows into a sheet from its first cell, a row each.
func setRows(f *excelize.File, sheet string, rows [][]any) error {
	for i, row := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return err
		}
	}
	return nil
}

// chart lays out the chart named by the route for the report's query.
func (h *Handler) chart(c echo.Context, vctx context.Context, ext string) (views.ReportChart, error) {
	name := strings.TrimSuffix(path.Base(c.Path()), ext)
	q := c.QueryParams()
	figure, ok := views.MapFigure(q.Get("map"))
	if !ok {
		return views.ReportChart{}, echo.NewHTTPError(http.StatusBadRequest, "map: use one of the cities' figures")
	}
	rq, r, cmp, err := h.pageComparedReport(c)
	if err != nil {
		return views.ReportChart{}, err
	}
	labelled(vctx, r)
	if cmp != nil {
		labelled(vctx, &cmp.Report)
	}
	cities, err := h.store.Cities(c.Request().Context(), models.CityFilter{})
	if err != nil {
		return views.ReportChart{}, err
	}
	rc, ok := views.NewReportChart(vctx, name, r, cmp, cities, figure)
	if !ok {
		return rc, echo.ErrNotFound
	}
	page := views.ReportPage{Query: reportParams(q), Comparison: cmp}
	for i := range cities {
		if rq.CityID != 0 && cities[i].ID == rq.CityID {
			page.City = &cities[i]
		}
	}
	return rc.WithFooter(vctx, page), nil
}

// attachment is the Content-Disposition of a download named name: an
// ASCII name for every client (other letters and anything a file name
// should not hold become "-"), and the name itself in RFC 5987's
// filename* when it has other letters.
func attachment(name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x80 && (r == '-' || r == '_' || r == '.' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return r
		}
		return '-'
	}, name)
	v := `attachment; filename="` + ascii + `"`
	if ascii != name {
		v += "; filename*=UTF-8''" + url.PathEscape(name)
	}
	return v
}

// chartSVG is one of the report's charts as a standalone SVG file.
func (h *Handler) chartSVG(c echo.Context) error {
	vctx := h.viewContext(c)
	rc, err := h.chart(c, vctx, ".svg")
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	if err := rc.SVG().Render(vctx, &buf); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, attachment(rc.FileName(c.QueryParams())+".svg"))
	return c.Blob(http.StatusOK, "image/svg+xml", buf.Bytes())
}

// chartPNG is one of the report's charts as a PNG image, drawn on the
// server, in the request's language.
func (h *Handler) chartPNG(c echo.Context) error {
	vctx := h.viewContext(c)
	rc, err := h.chart(c, vctx, ".png")
	if err != nil {
		return err
	}
	// The same drawing makes the same picture: the PNG (a map takes 0.2 s
	// to draw and encode) is kept under the hash of the chart's SVG, which
	// takes a millisecond to lay out.
	var svg bytes.Buffer
	svg.WriteString(rc.Name + "\x00")
	if err := rc.SVG().Render(vctx, &svg); err != nil {
		return err
	}
	key := sha256.Sum256(svg.Bytes())
	img, ok := h.charts.Get(key)
	if !ok {
		var buf bytes.Buffer
		if err := rc.PNG(&buf); err != nil {
			return err
		}
		img = buf.Bytes()
		h.charts.Add(key, img)
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, attachment(rc.FileName(c.QueryParams())+".png"))
	return c.Blob(http.StatusOK, "image/png", img)
}
