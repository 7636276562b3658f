package importer

// Writing an import's template: as CSV, its headings and example row; as
// XLSX, the same on a data sheet named in the reader's language (its
// headings bold and frozen, its columns as wide as their content, right
// to left for Arabic), with lists to choose from and a sheet of
// instructions. The data sheet comes first: it is the sheet an import
// reads.

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/unesco-gnlc/learnthroughlife/models"

	"github.com/xuri/excelize/v2"
)

// The widths of a template's columns, in characters: as wide as the
// longest of their heading, example and list values, within these.
const (
	minTemplateWidth = 12
	maxTemplateWidth = 48
)

// WriteTemplate writes an import's template as a file of format.
func WriteTemplate(w io.Writer, format models.SheetFormat, t *models.SheetTemplate) error {
	if format != models.SheetXLSX {
		return WriteSheet(w, format, t.Rows)
	}
	f := excelize.NewFile()
	defer f.Close()
	data := sheetName(t.Name, "Data")
	if err := f.SetSheetName(f.GetSheetName(0), data); err != nil {
		return err
	}
	rtl := t.RightToLeft
	if err := writeDataSheet(f, data, t); err != nil {
		return err
	}
	if len(t.Lists) > 0 {
		if err := writeListsSheet(f, data, t); err != nil {
			return err
		}
	}
	if len(t.Instructions) > 0 {
		if err := writeInstructions(f, t); err != nil {
			return err
		}
	}
	for _, name := range f.GetSheetList() {
		if err := f.SetSheetView(name, 0, &excelize.ViewOptions{RightToLeft: &rtl}); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

// sheetName makes name a valid sheet name: none of the characters Excel
// refuses, at most 31 characters, not empty.
func sheetName(name, fallback string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]'`, r) {
			return ' '
		}
		return r
	}, strings.TrimSpace(name))
	if r := []rune(name); len(r) > excelize.MaxSheetNameLength {
		name = string(r[:excelize.MaxSheetNameLength])
	}
	if strings.TrimSpace(name) == "" {
		return fallback
	}
	return name
}

// writeRows writes rows from the sheet's first cell.
func writeRows(f *excelize.File, sheet string, rows [][]string) error {
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
	return nil
}

// writeDataSheet writes the headings, bold and frozen, and the example
// row, in grey italics; sizes the columns; and gives the columns with a
// list their validation.
func writeDataSheet(f *excelize.File, sheet string, t *models.SheetTemplate) error {
	if err := writeRows(f, sheet, t.Rows); err != nil {
		return err
	}
	if len(t.Rows) == 0 {
		return nil
	}
	cols := len(t.Rows[0])
	last, err := excelize.ColumnNumberToName(cols)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EEF4"}},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
	})
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A1", last+"1", bold); err != nil {
		return err
	}
	if len(t.Rows) > 1 {
		example, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Italic: true, Color: "595959"}})
		if err != nil {
			return err
		}
		end := fmt.Sprintf("%s%d", last, len(t.Rows))
		if err := f.SetCellStyle(sheet, "A2", end, example); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return err
	}
	widths := make([]int, cols)
	for _, row := range t.Rows {
		for j, v := range row {
			if j < cols {
				widths[j] = max(widths[j], textWidth(v))
			}
		}
	}
	for _, l := range t.Lists {
		if l.Column < cols {
			for _, v := range l.Values {
				widths[l.Column] = max(widths[l.Column], textWidth(v))
			}
		}
	}
	for j, w := range widths {
		if err := setWidth(f, sheet, j, w); err != nil {
			return err
		}
	}
	return nil
}

// setWidth sizes column j (0 for A) to w characters and a margin, within
// the template's widths.
func setWidth(f *excelize.File, sheet string, j, w int) error {
	name, err := excelize.ColumnNumberToName(j + 1)
	if err != nil {
		return err
	}
	return f.SetColWidth(sheet, name, name, float64(min(max(w+2, minTemplateWidth), maxTemplateWidth)))
}

// textWidth is how many characters wide s shows, its longest line.
func textWidth(s string) int {
	w := 0
	for _, line := range strings.Split(s, "\n") {
		w = max(w, utf8.RuneCountInString(line))
	}
	return w
}

// quoteSheet is a sheet's name as a formula names it.
func quoteSheet(name string) string {
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}

// writeListsSheet writes each list in a column of its own, under its
// heading, and gives the data column that takes it a drop-down list: a
// single-valued column warns of a value not in its list (without refusing
// it); a column of several values offers the list and says how to write
// several.
func writeListsSheet(f *excelize.File, data string, t *models.SheetTemplate) error {
	lists := sheetName(t.ListsName, "Lists")
	if _, err := f.NewSheet(lists); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	lastRow := strconv.Itoa(models.MaxSheetRows + 1)
	for i, l := range t.Lists {
		col, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		if err := f.SetCellStr(lists, col+"1", l.Heading); err != nil {
			return err
		}
		if err := f.SetCellStyle(lists, col+"1", col+"1", bold); err != nil {
			return err
		}
		cells := make([]any, len(l.Values))
		w := textWidth(l.Heading)
		for j, v := range l.Values {
			cells[j] = v
			w = max(w, textWidth(v))
		}
		if err := f.SetSheetCol(lists, col+"2", &cells); err != nil {
			return err
		}
		if err := setWidth(f, lists, i, w); err != nil {
			return err
		}
		target, err := excelize.ColumnNumberToName(l.Column + 1)
		if err != nil {
			return err
		}
		dv := excelize.NewDataValidation(true)
		dv.Sqref = target + "2:" + target + lastRow
		if len(l.Values) > 0 {
			dv.SetSqrefDropList(fmt.Sprintf("%s!$%s$2:$%s$%d", quoteSheet(lists), col, col, len(l.Values)+1))
		}
		if l.Several {
			dv.SetInput(limitUTF16(l.Heading, 32), limitUTF16(l.Prompt, 255))
		} else if len(l.Values) > 0 {
			dv.SetError(excelize.DataValidationErrorStyleWarning, limitUTF16(t.ListWarningTitle, 32), limitUTF16(t.ListWarning, 255))
		} else {
			continue
		}
		if err := f.AddDataValidation(data, dv); err != nil {
			return err
		}
	}
	return f.SetPanes(lists, &excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	})
}

// limitUTF16 cuts s to n UTF-16 units, the measure of Excel's limits on a
// validation's title (32) and message (255).
func limitUTF16(s string, n int) string {
	units := 0
	for i, r := range s {
		units += len(utf16.Encode([]rune{r}))
		if units > n {
			return s[:i]
		}
	}
	return s
}

// writeInstructions writes the instructions: the title in bold, the notes
// and the table of columns, its text wrapped in a wide third column.
func writeInstructions(f *excelize.File, t *models.SheetTemplate) error {
	sheet := sheetName(t.InstructionsName, "Instructions")
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	if err := writeRows(f, sheet, t.Instructions); err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return err
	}
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return err
	}
	n := len(t.Instructions)
	if err := f.SetCellStyle(sheet, "A1", fmt.Sprintf("C%d", n), wrap); err != nil {
		return err
	}
	// The notes' topics and the columns' headings in bold.
	if err := f.SetCellStyle(sheet, "A2", fmt.Sprintf("A%d", n), bold); err != nil {
		return err
	}
	if t.ColumnsAt > 0 && t.ColumnsAt < n {
		row := strconv.Itoa(t.ColumnsAt + 1)
		if err := f.SetCellStyle(sheet, "A"+row, "C"+row, bold); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(sheet, "A1", "A1", title); err != nil {
		return err
	}
	for col, w := range map[string]float64{"A": 26, "B": 12, "C": 90} {
		if err := f.SetColWidth(sheet, col, col, w); err != nil {
			return err
		}
	}
	return nil
}
