package importer_test

import (
	"bytes"
	"context"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/importer"
)

func TestReadSheetCSVVariants(t *testing.T) {
	utf16le := func(s string) []byte {
		out := []byte{0xFF, 0xFE}
		for _, u := range utf16.Encode([]rune(s)) {
			out = append(out, byte(u), byte(u>>8))
		}
		return out
	}
	for _, tc := range []struct {
		name string
		data []byte
		// want is the header's second cell and the data rows' lines.
		header string
		lines  []int
		cell   string // the first data row's second cell
	}{
		{"commas", []byte("a,b\n1,x\n"), "b", []int{2}, "x"},
		{"semicolons, quoted semicolon", []byte("a;b\n1;\"x; y\"\n"), "b", []int{2}, "x; y"},
		{"tabs", []byte("a\tb\n1\tx\n"), "b", []int{2}, "x"},
		{"BOM and CRLF", []byte("\xEF\xBB\xBFa,b\r\n1,x\r\n"), "b", []int{2}, "x"},
		{"UTF-16 with BOM", utf16le("a\tb\n1\tx\n"), "b", []int{2}, "x"},
		{"empty lines and a multi-line cell", []byte("\na,b\n\n1,\"x\ny\"\n,\n2,z\n"), "b", []int{4, 7}, "x\ny"},
		{"header after blank rows", []byte(",,\n\na,b\n1,x\n"), "b", []int{4}, "x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := importer.ReadSheet(context.Background(), tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if s.Format != models.SheetCSV || len(s.Header) < 2 || s.Header[1] != tc.header {
				t.Fatalf("header %q (%s)", s.Header, s.Format)
			}
			var lines []int
			for _, r := range s.Rows {
				lines = append(lines, r.Line)
			}
			if len(lines) != len(tc.lines) || !equalInts(lines, tc.lines) {
				t.Errorf("lines %v, want %v", lines, tc.lines)
			}
			if got := s.Rows[0].Cell(1); got != tc.cell {
				t.Errorf("cell %q, want %q", got, tc.cell)
			}
		})
	}
	for name, data := range map[string][]byte{
		"Latin-1":   []byte("a,b\ncaf\xe9,x\n"),
		"binary":    {0x89, 'P', 'N', 'G', 0, 0},
		"empty":     []byte(" \n,\n"),
		"not a zip": []byte("PK\x03\x04garbage"),
	} {
		if _, err := importer.ReadSheet(context.Background(), data); err == nil {
			t.Errorf("%s: read without error", name)
		} else if _, ok := importer.AsSheetError(err); !ok {
			t.Errorf("%s: %v is not a SheetError", name, err)
		}
	}
}

func equalInts(a, b []int) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

func TestParseSheetTime(t *testing.T) {
	loc, err := time.LoadLocation("Africa/Casablanca")
	if err != nil {
		t.Skip(err)
	}
	for in, want := range map[string]time.Time{
		"2025-05-14":          time.Date(2025, 5, 14, 0, 0, 0, 0, loc),
		"2025-05-14 10:30":    time.Date(2025, 5, 14, 10, 30, 0, 0, loc),
		"2025-05-14T10:30:00": time.Date(2025, 5, 14, 10, 30, 0, 0, loc),
		"45791":               time.Date(2025, 5, 14, 0, 0, 0, 0, loc), // a spreadsheet's date serial
		"45791.4375":          time.Date(2025, 5, 14, 10, 30, 0, 0, loc),
	} {
		got, ok := importer.ParseSheetTime(in, loc)
		if !ok || !got.Equal(want) {
			t.Errorf("%q: %v %v, want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "14/05/2025", "tomorrow", "-3", "NaN"} {
		if _, ok := importer.ParseSheetTime(in, loc); ok {
			t.Errorf("%q read as a time", in)
		}
	}
}

func TestWriteSheetReadsBack(t *testing.T) {
	rows := [][]string{{"Titre", "Début"}, {"Atelier, « lecture »", "2025-05-14 10:00"}}
	for _, f := range models.SheetFormats() {
		var buf bytes.Buffer
		if err := importer.WriteSheet(&buf, f, rows); err != nil {
			t.Fatal(err)
		}
		s, err := importer.ReadSheet(context.Background(), buf.Bytes())
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if s.Format != f || s.Header[0] != "Titre" || s.Rows[0].Cell(0) != rows[1][0] || s.Rows[0].Line != 2 {
			t.Errorf("%s: %+v", f, s)
		}
	}
}
