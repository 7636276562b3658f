package importer_test

import (
	"bytes"
	"context"
	"strings"
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

// utf16Bytes is s in UTF-16, little- or big-endian, with or without a
// byte-order mark.
func utf16Bytes(s string, bigEndian, bom bool) []byte {
	var out []byte
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xFEFF}, units...)
	}
	for _, u := range units {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

// TestReadSheetUTF16: UTF-16 with a byte-order mark is read, in either
// byte order; without one it is named for what it is (sheet_utf16), in
// Latin or Arabic script, while binary files stay sheet_type.
func TestReadSheetUTF16(t *testing.T) {
	const latin = "Title,Starts\r\nAtelier café,2025-05-14 10:00\r\n"
	const arabic = "العنوان,البداية\r\nقراءة مع العائلة في المكتبة,2025-05-14 10:00\r\n"
	for _, bigEndian := range []bool{false, true} {
		for _, text := range []string{latin, arabic} {
			s, err := importer.ReadSheet(context.Background(), utf16Bytes(text, bigEndian, true))
			if err != nil {
				t.Fatalf("with a BOM (big-endian %v): %v", bigEndian, err)
			}
			if want := strings.Split(strings.Split(text, "\r\n")[1], ",")[0]; s.Rows[0].Cell(0) != want {
				t.Errorf("with a BOM (big-endian %v): cell %q, want %q", bigEndian, s.Rows[0].Cell(0), want)
			}
			_, err = importer.ReadSheet(context.Background(), utf16Bytes(text, bigEndian, false))
			if se, ok := importer.AsSheetError(err); !ok || se.Code != "sheet_utf16" {
				t.Errorf("without a BOM (big-endian %v, %.10q): %v, want sheet_utf16", bigEndian, text, err)
			}
		}
	}
	png := append([]byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0x0d, 'I', 'H', 'D', 'R', 0, 0, 1, 0, 0, 0, 1, 0, 8, 2}, make([]byte, 64)...)
	for name, data := range map[string][]byte{"PNG": png, "one NUL": []byte("a,b\n1,\x00x\n")} {
		_, err := importer.ReadSheet(context.Background(), data)
		if se, ok := importer.AsSheetError(err); !ok || se.Code != "sheet_type" {
			t.Errorf("%s: %v, want sheet_type", name, err)
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
		"14/05/2025":          time.Date(2025, 5, 14, 0, 0, 0, 0, loc), // the event form's way
		"14/05/2025 10h30":    time.Date(2025, 5, 14, 10, 30, 0, 0, loc),
		"١٤/٠٥/٢٠٢٥ ١٠:٣٠":    time.Date(2025, 5, 14, 10, 30, 0, 0, loc),
	} {
		got, err := importer.ParseSheetTime(in, loc)
		if err != nil || !got.Equal(want) {
			t.Errorf("%q: %v %v, want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "31/02/2025", "tomorrow", "-3", "NaN", "14/05/2025 25:00"} {
		if _, err := importer.ParseSheetTime(in, loc); err == nil {
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
