// Package importer reads spreadsheets (CSV or XLSX) and imports them:
// a city's events or partners, and the network's member cities (a
// cohort). Each import is planned first, writing nothing and naming
// every problem by line and column, then confirmed: planned again and,
// when nothing stands in its way, written all or nothing by the store.
package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/unesco-gnlc/learnthroughlife/models"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/unicode"
)

// SheetError is a problem with an uploaded file as a whole; Code names it
// (sheet_size, sheet_rows, sheet_encoding, sheet_utf16, sheet_type,
// sheet_empty, sheet_corrupt; ReadCohort's file_* codes) and Param is the figure its
// message needs.
type SheetError struct {
	Code  string
	Param string
}

// Error names the problem and its figure, for logs.
func (e *SheetError) Error() string { return "sheet: " + e.Code + " " + e.Param }

// AsSheetError finds a SheetError in err's chain.
func AsSheetError(err error) (*SheetError, bool) {
	var se *SheetError
	ok := errors.As(err, &se)
	return se, ok
}

// SheetRow is one row that has something in it, with its line number as
// the spreadsheet shows it (1 is the first line of the file).
type SheetRow struct {
	Line  int
	Cells []string
}

// Cell is the trimmed value of column i, "" past the row's end.
func (r SheetRow) Cell(i int) string {
	if i < 0 || i >= len(r.Cells) {
		return ""
	}
	return strings.TrimSpace(r.Cells[i])
}

// Sheet is an uploaded table: its header (the first row with something in
// it) and its other non-empty rows. Formula cells hold the value the
// spreadsheet last computed; nothing is evaluated.
type Sheet struct {
	Format     models.SheetFormat
	HeaderLine int
	Header     []string
	Rows       []SheetRow
}

// ReadSheet reads a CSV or XLSX file, told apart by content: an XLSX file
// is a zip archive. CSV may start with a byte-order mark, be UTF-16 with
// one, and use commas, semicolons or tabs; any other encoding than UTF-8
// is refused (sheet_encoding; sheet_utf16 for UTF-16 without its mark)
// rather than guessed.
func ReadSheet(data []byte) (*Sheet, error) {
	if len(data) > models.MaxSheetBytes {
		return nil, &SheetError{Code: "sheet_size", Param: strconv.Itoa(models.MaxSheetBytes >> 20)}
	}
	var rows [][]string
	var lines []int
	var format models.SheetFormat
	var err error
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		format = models.SheetXLSX
		rows, err = readXLSX(data)
		lines = nil
	} else {
		format = models.SheetCSV
		rows, lines, err = readCSV(data)
	}
	if err != nil {
		return nil, err
	}
	s := &Sheet{Format: format}
	for i, cells := range rows {
		line := i + 1
		if lines != nil {
			line = lines[i]
		}
		if blankRow(cells) {
			continue
		}
		if s.Header == nil {
			s.HeaderLine, s.Header = line, cells
			continue
		}
		if len(s.Rows) == models.MaxSheetRows {
			return nil, &SheetError{Code: "sheet_rows", Param: strconv.Itoa(models.MaxSheetRows)}
		}
		s.Rows = append(s.Rows, SheetRow{Line: line, Cells: cells})
	}
	if s.Header == nil {
		return nil, &SheetError{Code: "sheet_empty"}
	}
	return s, nil
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// readCSV decodes a CSV file and reads its records, with the line each
// starts on.
func readCSV(data []byte) ([][]string, []int, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		// "Unicode text" as some spreadsheets save it: UTF-16 with a BOM.
		dec := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
		out, err := dec.Bytes(data)
		if err != nil {
			return nil, nil, &SheetError{Code: "sheet_encoding"}
		}
		data = out
	}
	if utf16WithoutBOM(data) {
		// "Unicode text" saved without its mark: which byte order it is
		// in would be a guess, so the user is told how to save it.
		return nil, nil, &SheetError{Code: "sheet_utf16"}
	}
	if bytes.IndexByte(data, 0) >= 0 {
		// No text has NUL bytes: an image, a PDF, an old .xls.
		return nil, nil, &SheetError{Code: "sheet_type"}
	}
	if !utf8.Valid(data) {
		return nil, nil, &SheetError{Code: "sheet_encoding"}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = sniffSeparator(data)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var rows [][]string
	var lines []int
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, &SheetError{Code: "sheet_corrupt"}
		}
		line, _ := r.FieldPos(0)
		rows = append(rows, rec)
		lines = append(lines, line)
		if len(rows) > models.MaxSheetRows+1000 {
			// Far past the limit even allowing for empty rows: stop reading.
			return nil, nil, &SheetError{Code: "sheet_rows", Param: strconv.Itoa(models.MaxSheetRows)}
		}
	}
	return rows, lines, nil
}

// utf16WithoutBOM reports whether data looks like UTF-16 text without a
// byte-order mark: in its first 4 KB, NUL bytes (the high bytes of the
// letters, digits, spaces and separators of the Latin range) in one pair
// of bytes in eight or more, four at least, always on the same side of
// the pair. Images, PDFs and old .xls files have NULs on both sides.
func utf16WithoutBOM(data []byte) bool {
	n := min(len(data), 4096) &^ 1
	var even, odd int
	for i := 0; i < n; i += 2 {
		if data[i] == 0 {
			even++
		}
		if data[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	hi, lo := max(even, odd), min(even, odd)
	return hi >= 4 && hi*8 >= pairs && lo*50 <= hi
}

// sniffSeparator picks the separator that the first line uses most
// outside quotes: a comma, a semicolon (spreadsheets where the comma is the
// decimal mark) or a tab.
func sniffSeparator(data []byte) rune {
	counts := map[rune]int{}
	quoted := false
	for _, r := range string(data) {
		if r == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		if r == '\n' {
			break
		}
		if r == ',' || r == ';' || r == '\t' {
			counts[r]++
		}
	}
	best := ','
	for _, r := range []rune{';', '\t'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

// readXLSX reads the first worksheet of an XLSX file as raw values (a date
// cell as its serial number, a formula cell as its cached value), and
// gives every cell of a merged range the value of its top-left cell.
func readXLSX(data []byte) ([][]string, error) {
	// A zip bomb stops at 200 MB unpacked; worksheets over excelize's
	// 16 MB default wait in a temporary file rather than in memory.
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 200 << 20})
	if err != nil {
		return nil, &SheetError{Code: "sheet_corrupt"}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, &SheetError{Code: "sheet_empty"}
	}
	rows, err := f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, &SheetError{Code: "sheet_corrupt"}
	}
	if len(rows) > models.MaxSheetRows+1000 {
		return nil, &SheetError{Code: "sheet_rows", Param: strconv.Itoa(models.MaxSheetRows)}
	}
	merged, err := f.GetMergeCells(sheets[0])
	if err != nil {
		return nil, &SheetError{Code: "sheet_corrupt"}
	}
	for _, m := range merged {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil || r1 > len(rows) {
			continue
		}
		value := ""
		if c1-1 < len(rows[r1-1]) {
			value = rows[r1-1][c1-1]
		}
		for r := r1; r <= min(r2, len(rows)); r++ {
			for c := c1; c <= c2; c++ {
				for len(rows[r-1]) < c {
					rows[r-1] = append(rows[r-1], "")
				}
				rows[r-1][c-1] = value
			}
		}
	}
	return rows, nil
}

// Columns finds which column of the sheet holds each known field: aliases
// maps a normalized heading (any language's, or the field's own key) to
// the field. It returns the fields' positions and the headings it does not
// know.
func (s *Sheet) Columns(aliases map[string]string) (map[string]int, []string) {
	pos := map[string]int{}
	var unknown []string
	for i, h := range s.Header {
		n := models.NormalizeHeader(h)
		if n == "" {
			continue
		}
		field, ok := aliases[n]
		if !ok {
			unknown = append(unknown, strings.TrimSpace(h))
			continue
		}
		if _, dup := pos[field]; !dup {
			pos[field] = i
		}
	}
	return pos, unknown
}

// ParseSheetTime reads a date and time as the event form does
// (models.ParseDateTime: 14/05/2026 10h30, 2026-05-14T10:00…), a date alone
// as its midnight (a column of days), or a spreadsheet's date serial
// number, as a wall-clock time in loc. Its error is a *models.DateError.
func ParseSheetTime(s string, loc *time.Location) (time.Time, error) {
	t, err := models.ParseDateTime(s, loc)
	var de *models.DateError
	if !errors.As(err, &de) {
		return t, err
	}
	if de.Code == "time_missing" {
		d, _ := models.ParseDate(s)
		return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc), nil
	}
	f, ferr := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if ferr != nil || math.IsNaN(f) || f < 1 || f > 100000 {
		return time.Time{}, err
	}
	t, ferr = excelize.ExcelDateToTime(f, false)
	if ferr != nil {
		return time.Time{}, err
	}
	t = t.Round(time.Minute)
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, loc), nil
}

// unknownValue records typed, a cell (or a list's item) that is none of
// column's values, as its problem: the message quotes it and lists the
// values the column takes.
func unknownValue(problems models.FieldErrors, column, typed string, valid bool) {
	if !valid {
		problems.Add(column, models.UnknownValue, strings.TrimSpace(typed))
	}
}

// addDateProblem records a cell that could not be read as a date as
// field's problem, quoting it.
func addDateProblem(problems models.FieldErrors, field string, err error) {
	var de *models.DateError
	if errors.As(err, &de) {
		problems.Add(field, de.Code, de.Value)
		return
	}
	problems.Add(field, "date_unreadable", "")
}

// WriteSheet writes rows as a file of format: CSV in UTF-8 with a
// byte-order mark (so that spreadsheets open it as UTF-8), or XLSX.
func WriteSheet(w io.Writer, format models.SheetFormat, rows [][]string) error {
	switch format {
	case models.SheetCSV:
		if _, err := w.Write([]byte{0xEF, 0xBB, 0xBF}); err != nil {
			return err
		}
		cw := csv.NewWriter(w)
		if err := cw.WriteAll(rows); err != nil {
			return err
		}
		return cw.Error()
	case models.SheetXLSX:
		f := excelize.NewFile()
		defer f.Close()
		sheet := f.GetSheetName(0)
		for i, row := range rows {
			cells := make([]any, len(row))
			for j, v := range row {
				cells[j] = v
			}
			cell, err := excelize.CoordinatesToCellName(1, i+1)
			if err != nil {
				return err
			}
			if err := f.SetSheetRow(sheet, cell, &cells); err != nil {
				return err
			}
		}
		return f.Write(w)
	}
	return fmt.Errorf("write sheet: unknown format %q", format)
}
