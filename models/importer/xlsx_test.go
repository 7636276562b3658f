package importer_test

import (
	"archive/zip"
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/importer"
)

// handXLSX is an XLSX file written by hand, as other spreadsheets than
// excelize write them: its parts by name.
func handXLSX(t *testing.T, parts map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// workbook is a workbook whose first sheet is sheet (sheetData's
// content, then what follows it) with the shared strings sst.
func workbook(t *testing.T, sheet, sst string) []byte {
	return handXLSX(t, map[string]string{
		"_rels/.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml": `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<sheets><sheet name="Events" sheetId="7" r:id="rId3"/><sheet name="Other" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/events.xml"/>` +
			`<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml": `<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>wrong sheet</t></is></c></row></sheetData></worksheet>`,
		"xl/worksheets/events.xml": `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` + sheet + `</worksheet>`,
		"xl/strings.xml":           `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + sst + `</sst>`,
	})
}

func TestReadXLSXAsOtherSpreadsheetsWriteIt(t *testing.T) {
	data := workbook(t,
		`<row r="2"><c r="A2" t="s"><v>0</v></c><c r="C2" t="s"><v>1</v></c></row>`+
			`<row r="4"><c t="inlineStr"><is><r><t>Line</t></r><r><t xml:space="preserve"> one_x000D_</t></r></is></c>`+
			`<c t="b"><v>1</v></c><c t="str"><f>A1</f><v>cached</v></c><c r="E4"><v>45791.5</v></c></row>`+
			`<row><c r="B5" t="s"><v>2</v></c></row>`+
			`</sheetData><mergeCells><mergeCell ref="C2:C3"/></mergeCells>`,
		`<si><t>Title</t></si><si><r><t>Ven</t></r><r><t>ue</t></r><rPh><t>ignored</t></rPh></si><si><t>a_x005F_b</t></si>`)
	s, err := importer.ReadSheet(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	if s.Format != models.SheetXLSX || s.HeaderLine != 2 || strings.Join(s.Header, "|") != "Title||Venue" {
		t.Fatalf("header %q at line %d", s.Header, s.HeaderLine)
	}
	want := []struct {
		line  int
		cells string
	}{
		{3, "||Venue"}, // the merged range reaches a row with nothing of its own
		{4, "Line one\r|1|cached||45791.5"},
		{5, "|a_b"},
	}
	if len(s.Rows) != len(want) {
		t.Fatalf("rows %+v", s.Rows)
	}
	for i, w := range want {
		if s.Rows[i].Line != w.line || strings.Join(s.Rows[i].Cells, "|") != w.cells {
			t.Errorf("row %d: line %d %q, want line %d %q", i, s.Rows[i].Line, strings.Join(s.Rows[i].Cells, "|"), w.line, w.cells)
		}
	}
}

func TestReadSheetBoundsWhatItReads(t *testing.T) {
	row := func(r int, cells string) string { return `<row r="` + strconv.Itoa(r) + `">` + cells + `</row>` }
	many := func(n int, s string) string { return strings.Repeat(s, n) }
	for _, tc := range []struct {
		name string
		data []byte
		code string
	}{
		{"a cell past the last column allowed", workbook(t, row(1, `<c r="GS1"><v>1</v></c>`)+`</sheetData>`, ""), "sheet_columns"},
		{"unnamed cells past it", workbook(t, row(1, many(201, `<c><v>1</v></c>`))+`</sheetData>`, ""), "sheet_columns"},
		{"a merged range past it", workbook(t, row(1, `<c r="A1"><v>1</v></c>`)+`</sheetData><mergeCells><mergeCell ref="A1:GS1"/></mergeCells>`, ""), "sheet_columns"},
		{"too many strings", workbook(t, `</sheetData>`, many(models.MaxSheetStrings+1, `<si/>`)), "sheet_strings"},
		{"a string out of the table", workbook(t, row(1, `<c r="A1" t="s"><v>3</v></c>`)+`</sheetData>`, `<si><t>x</t></si>`), "sheet_corrupt"},
		{"a row past the sheet's end", workbook(t, row(1048577, `<c r="A1048577"><v>1</v></c>`)+`</sheetData>`, ""), "sheet_corrupt"},
		{"a CSV record of 201 fields", []byte("a" + many(200, ",b") + "\n"), "sheet_columns"},
		{"a CSV of more cells than allowed", []byte(many(models.MaxSheetCells/100+1, "a"+many(99, ",")+"\n")), "sheet_cells"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := importer.ReadSheet(context.Background(), tc.data)
			if se, ok := importer.AsSheetError(err); !ok || se.Code != tc.code {
				t.Fatalf("error %v, want %s", err, tc.code)
			}
		})
	}
	// At the limits, files read.
	for name, data := range map[string][]byte{
		"200 columns":                        workbook(t, row(1, `<c r="A1"><v>1</v></c><c r="GR1"><v>1</v></c>`)+`</sheetData>`, ""),
		"200 CSV fields, commas in quotes":   []byte("a" + many(199, `,"b,c"`) + "\n"),
		"a quote inside a field is a letter": []byte(`a,5" screen` + many(197, ",x") + "\n"),
	} {
		if _, err := importer.ReadSheet(context.Background(), data); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestReadSheetStopsAtItsDeadline(t *testing.T) {
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	data := []byte("a,b\n" + strings.Repeat("1,2\n", 5000))
	_, err := importer.ReadSheet(ctx, data)
	if se, ok := importer.AsSheetError(err); !ok || se.Code != "sheet_slow" {
		t.Fatalf("error %v, want sheet_slow", err)
	}
}
