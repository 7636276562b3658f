// Package importer reads spreadsheets (CSV or XLSX) and imports them:
// a city's events or partners, and the network's member cities (a
// cohort). Each import is planned first, writing nothing and naming
// every problem by line and column, then confirmed: planned again and,
// when nothing stands in its way, written all or nothing by the store.
package importer

import (
	"bytes"
	"context"
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
// (sheet_size, sheet_rows, sheet_columns, sheet_cells, sheet_strings,
// sheet_unpacked, sheet_slow, sheet_encoding, sheet_utf16, sheet_type,
// sheet_empty, sheet_corrupt, Busy; ReadCohort's file_* codes) and Param
// is the figure its message needs.
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

// budget counts, while a file is read, the cells it holds and the steps
// taken, and stops the reading once the cells pass the limit or the
// context ends.
type budget struct {
	ctx          context.Context
	steps, cellN int
}

// tick is one step of the reading: every thousand, the context is asked.
func (b *budget) tick() error {
	b.steps++
	if b.steps%1024 != 0 {
		return nil
	}
	if err := b.ctx.Err(); errors.Is(err, context.DeadlineExceeded) {
		return &SheetError{Code: "sheet_slow"}
	} else if err != nil {
		return err
	}
	return nil
}

// cells counts n more cells.
func (b *budget) cells(n int) error {
	b.cellN += n
	if b.cellN > models.MaxSheetCells {
		return &SheetError{Code: "sheet_cells", Param: strconv.Itoa(models.MaxSheetCells)}
	}
	return nil
}

// ReadSheet reads a CSV or XLSX file, told apart by content: an XLSX file
// is a zip archive. CSV may start with a byte-order mark, be UTF-16 with
// one, and use commas, semicolons or tabs; any other encoding than UTF-8
// is refused (sheet_encoding; sheet_utf16 for UTF-16 without its mark)
// rather than guessed. The file is read as a
// stream, its rows, columns and cells counted as they come
// (models.MaxSheetRows, MaxSheetColumns, MaxSheetCells; an XLSX file's
// parts are bounded too, MaxSheetPartMB and MaxSheetUnpackedMB), so that
// it is refused before it takes more memory than the largest legitimate
// file; it stops with sheet_slow when ctx's deadline passes. Gate.ReadSheet
// bounds how many files are read at once.
func ReadSheet(ctx context.Context, data []byte) (*Sheet, error) {
	if len(data) > models.MaxSheetBytes {
		return nil, &SheetError{Code: "sheet_size", Param: strconv.Itoa(models.MaxSheetBytes >> 20)}
	}
	b := &budget{ctx: ctx}
	var rows []xlsxRow
	var format models.SheetFormat
	var err error
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		format = models.SheetXLSX
		rows, err = readXLSX(b, data)
	} else {
		format = models.SheetCSV
		rows, err = readCSV(b, data)
	}
	if err != nil {
		return nil, err
	}
	s := &Sheet{Format: format}
	for _, r := range rows {
		if blankRow(r.cells) {
			continue
		}
		if s.Header == nil {
			s.HeaderLine, s.Header = r.line, r.cells
			continue
		}
		if len(s.Rows) == models.MaxSheetRows {
			return nil, &SheetError{Code: "sheet_rows", Param: strconv.Itoa(models.MaxSheetRows)}
		}
		s.Rows = append(s.Rows, SheetRow{Line: r.line, Cells: r.cells})
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
// starts on. The records' shape is checked first (csvShape), so that no
// record is built with more fields than a row may have.
func readCSV(b *budget, data []byte) ([]xlsxRow, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		// "Unicode text" as some spreadsheets save it: UTF-16 with a BOM.
		dec := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
		out, err := dec.Bytes(data)
		if err != nil {
			return nil, &SheetError{Code: "sheet_encoding"}
		}
		data = out
	}
	if utf16WithoutBOM(data) {
		// "Unicode text" saved without its mark: which byte order it is
		// in would be a guess, so the user is told how to save it.
		return nil, &SheetError{Code: "sheet_utf16"}
	}
	if bytes.IndexByte(data, 0) >= 0 {
		// No text has NUL bytes: an image, a PDF, an old .xls.
		return nil, &SheetError{Code: "sheet_type"}
	}
	if !utf8.Valid(data) {
		return nil, &SheetError{Code: "sheet_encoding"}
	}
	comma := sniffSeparator(data)
	if err := csvShape(b, data, byte(comma)); err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var rows []xlsxRow
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, &SheetError{Code: "sheet_corrupt"}
		}
		if err := b.tick(); err != nil {
			return nil, err
		}
		if len(rec) > models.MaxSheetColumns {
			return nil, &SheetError{Code: "sheet_columns", Param: strconv.Itoa(models.MaxSheetColumns)}
		}
		line, _ := r.FieldPos(0)
		rows = append(rows, xlsxRow{line: line, cells: rec})
		if len(rows) > models.MaxSheetRows+1000 {
			// Far past the limit even allowing for empty rows: stop reading.
			return nil, &SheetError{Code: "sheet_rows", Param: strconv.Itoa(models.MaxSheetRows)}
		}
	}
	return rows, nil
}

// csvShape counts the fields of each record of a CSV file, as
// encoding/csv splits them (LazyQuotes: a quote opens a quoted field only
// at the field's start), without building any: a record with more fields
// than a row may have, or more cells in all than a file may hold, is
// refused. Ten megabytes of commas would otherwise be one record of ten
// million fields.
func csvShape(b *budget, data []byte, comma byte) error {
	fields := 0   // the fields of the record so far, but its last
	blank := true // the line has nothing yet (encoding/csv skips empty lines)
	fieldStart := true
	endRecord := func() error {
		if blank {
			return nil
		}
		if err := b.cells(fields + 1); err != nil {
			return err
		}
		if fields+1 > models.MaxSheetColumns {
			return &SheetError{Code: "sheet_columns", Param: strconv.Itoa(models.MaxSheetColumns)}
		}
		return b.tick()
	}
	for i := 0; i < len(data); i++ {
		c := data[i]
		if fieldStart && c == '"' {
			// A quoted field ends at a quote followed by the separator, a
			// line's end or the file's; "" is a quote, and with LazyQuotes
			// any other quote is one too.
			for i++; i < len(data); i++ {
				if data[i] != '"' {
					continue
				}
				next := byte(0)
				if i+1 < len(data) {
					next = data[i+1]
				}
				if next == '"' {
					i++
					continue
				}
				if i+1 == len(data) || next == comma || next == '\n' || (next == '\r' && (i+2 == len(data) || data[i+2] == '\n')) {
					break
				}
			}
			fieldStart, blank = false, false
			continue
		}
		switch {
		case c == comma:
			fields++
			fieldStart, blank = true, false
			if fields >= models.MaxSheetColumns {
				return &SheetError{Code: "sheet_columns", Param: strconv.Itoa(models.MaxSheetColumns)}
			}
		case c == '\n':
			if err := endRecord(); err != nil {
				return err
			}
			fields, fieldStart, blank = 0, true, true
		case c == '\r' && i+1 < len(data) && data[i+1] == '\n':
		default:
			fieldStart, blank = false, false
		}
	}
	return endRecord()
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
	var commas, semicolons, tabs int
	quoted := false
	for _, c := range data {
		if c == '"' {
			quoted = !quoted
			continue
		}
		if quoted {
			continue
		}
		if c == '\n' {
			break
		}
		switch c {
		case ',':
			commas++
		case ';':
			semicolons++
		case '\t':
			tabs++
		}
	}
	switch {
	case semicolons > commas && semicolons >= tabs:
		return ';'
	case tabs > commas && tabs > semicolons:
		return '\t'
	}
	return ','
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
