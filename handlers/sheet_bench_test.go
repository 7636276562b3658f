package handlers_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// hostileSheet is a spreadsheet built to exhaust the server's memory or
// time, and the words of the message beside the file field that must
// refuse it.
type hostileSheet struct {
	name, file string
	want       string
	data       []byte
}

// hostileSheets are the files of the security review (issue 25, item 2),
// each about as small as it can be made, built once.
var hostileSheets = sync.OnceValue(func() []hostileSheet {
	cell := func(n int) string { // one cell, in the last column
		return fmt.Sprintf(`<row r="%d"><c r="XFD%d"><v>1</v></c></row>`, n, n)
	}
	return []hostileSheet{
		// excelize's GetRows padded every row to its last column:
		// 1,000 such rows took 3.5 GB.
		{"one cell in the last column of 20,000 rows", "lastcol.xlsx", "longer than 200 columns",
			xlsxOf(sheetRows(20_000, cell), nil)},
		// Rows as wide as allowed, so many that their cells pass the limit.
		{"20,000 rows 200 columns wide", "wide.xlsx", "more than 1000000 cells",
			xlsxOf(sheetRows(20_000, func(n int) string {
				return fmt.Sprintf(`<row r="%d"><c r="A%d"><v>1</v></c><c r="GR%d"><v>1</v></c></row>`, n, n, n)
			}), nil)},
		// Cells without references: each is the next column.
		{"3 million cells in one row, unnamed", "unnamed.xlsx", "longer than 200 columns",
			xlsxOf(func(w io.Writer) {
				io.WriteString(w, `<row r="1">`)
				repeat(w, `<c><v>1</v></c>`, 3_000_000)
				io.WriteString(w, `</row>`)
			}, nil)},
		// 5 million empty shared strings in 37 KB took 19 s.
		{"5 million empty shared strings", "strings.xlsx", "more than 200000 different texts",
			xlsxOf(sheetRows(1, cell), func(w io.Writer) {
				repeat(w, `<si/>`, 5_000_000)
			})},
		// 20 million took 44 s and 2.6 GB.
		{"20 million shared strings", "strings20.xlsx", "larger than 48 MB",
			xlsxOf(sheetRows(1, cell), func(w io.Writer) {
				repeat(w, `<si><t>a</t></si>`, 20_000_000)
			})},
		// A part of 190 MB of zeros, in a 190 KB file: 648 MB each.
		{"a 190 MB part of zeros", "zeros.xlsx", "larger than 48 MB",
			xlsxOf(sheetRows(2, func(n int) string { return fmt.Sprintf(`<row r="%d"><c r="A%d"><v>1</v></c></row>`, n, n) }), nil,
				zipPart{name: "xl/media/image1.png", size: 190 << 20})},
		// The same worksheet of 100 MB declared as 1 KB.
		{"a worksheet that unpacks to more than it declares", "lying.xlsx", "could not be read",
			lyingXLSX(100 << 20)},
		// One merged range over every row and 200 columns, its last row far below.
		{"a merged range over a million rows", "merged.xlsx", "more than 1000000 cells",
			xlsxOf(func(w io.Writer) {
				io.WriteString(w, `<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>`)
				io.WriteString(w, `<row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData>`)
				io.WriteString(w, `<mergeCells count="1"><mergeCell ref="A1:GR1048576"/></mergeCells><sheetData>`)
			}, nil)},
		// 10 MB of commas took 559 MB.
		{"10 MB of commas", "commas.csv", "longer than 200 columns",
			bytes.Repeat([]byte(","), 10<<20-16)},
	}
})

// sheetRows writes n rows, row(1) to row(n).
func sheetRows(n int, row func(int) string) func(io.Writer) {
	return func(w io.Writer) {
		for i := 1; i <= n; i++ {
			io.WriteString(w, row(i))
		}
	}
}

// repeat writes s n times, in large chunks.
func repeat(w io.Writer, s string, n int) {
	chunk := []byte(strings.Repeat(s, min(n, 1<<16)))
	for n > 0 {
		k := min(n, 1<<16)
		w.Write(chunk[:k*len(s)])
		n -= k
	}
}

// zipPart is a part of zeros of the given size.
type zipPart struct {
	name string
	size int
}

// xlsxOf builds an XLSX file by hand (archive/zip): a workbook of one
// worksheet whose sheetData rows writes, shared strings when sst is not
// nil, and parts of zeros.
func xlsxOf(rows, sst func(io.Writer), extra ...zipPart) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestCompression) })
	put := func(name string, write func(io.Writer)) {
		w, err := zw.Create(name)
		if err != nil {
			panic(err)
		}
		write(w)
	}
	text := func(s string) func(io.Writer) { return func(w io.Writer) { io.WriteString(w, s) } }
	put("[Content_Types].xml", text(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`+
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>`+
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`+
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`))
	put("_rels/.rels", text(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`))
	put("xl/workbook.xml", text(`<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" `+
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`))
	rels := `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>`
	if sst != nil {
		rels += `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`
	}
	put("xl/_rels/workbook.xml.rels", text(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+rels+`</Relationships>`))
	put("xl/worksheets/sheet1.xml", func(w io.Writer) {
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
		rows(w)
		io.WriteString(w, `</sheetData></worksheet>`)
	})
	if sst != nil {
		put("xl/sharedStrings.xml", func(w io.Writer) {
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
			sst(w)
			io.WriteString(w, `</sst>`)
		})
	}
	zeros := make([]byte, 1<<20)
	for _, p := range extra {
		put(p.name, func(w io.Writer) {
			for left := p.size; left > 0; left -= len(zeros) {
				w.Write(zeros[:min(left, len(zeros))])
			}
		})
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// lyingXLSX is a workbook whose worksheet, size bytes of empty rows,
// declares in the archive's directory that it unpacks to 1 KB.
func lyingXLSX(size int) []byte {
	honest := xlsxOf(func(w io.Writer) {
		repeat(w, `<row/>`, size/6)
	}, nil)
	zr, err := zip.NewReader(bytes.NewReader(honest), int64(len(honest)))
	if err != nil {
		panic(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		h := f.FileHeader
		if f.Name == "xl/worksheets/sheet1.xml" {
			h.UncompressedSize64 = 1 << 10
		}
		raw, err := f.OpenRaw()
		if err != nil {
			panic(err)
		}
		w, err := zw.CreateRaw(&h)
		if err != nil {
			panic(err)
		}
		if _, err := io.Copy(w, raw); err != nil {
			panic(err)
		}
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// BenchmarkHostileSheets starts the real server (BENCH_BIN) on a fresh
// demo database and, as Agadir's coordinator, sends it each hostile
// spreadsheet 8 times at once (hostileSheets). It prints, for each, how
// long the 8 answers took, what they were, and the server's peak resident
// memory meanwhile, which must stay under 300 MB; every answer must come
// within 5 s, a refusal beside the file field (422) or, when too many
// files are being read, a request to send it again (503).
func BenchmarkHostileSheets(b *testing.B) {
	bin := os.Getenv("BENCH_BIN")
	if bin == "" {
		b.Skip("BENCH_BIN not set: run make bench")
	}
	dir := b.TempDir()
	base, cmd := startServing(b, bin, nil, "--demo", "--database-url", filepath.Join(dir, "sheets.db"), "--data-dir", dir)
	files := hostileSheets()
	clients := make([]*benchClient, 8)
	for i := range clients {
		clients[i] = newBenchClient(b, base).signInWith("agadir@example.org", "learnthroughlife")
		clients[i].get("/manage/cities/agadir/import")
	}
	for _, f := range files {
		fmt.Printf("sheets: %-52s %6d KB\n", f.name, len(f.data)>>10)
	}
	idle := peakRSS(cmd.Process.Pid)
	for range b.N {
		for _, f := range files {
			// Start each file's peak afresh (clear_refs 5 resets VmHWM).
			os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", cmd.Process.Pid), []byte("5"), 0)
			var mu sync.Mutex
			statuses := map[int]int{}
			var slowest time.Duration
			var wg sync.WaitGroup
			t0 := time.Now()
			for _, c := range clients {
				wg.Add(1)
				go func() {
					defer wg.Done()
					status, body := c.postFile("/manage/cities/agadir/import", url.Values{"kind": {"events"}}, f.file, f.data)
					took := time.Since(t0)
					mu.Lock()
					defer mu.Unlock()
					statuses[status]++
					slowest = max(slowest, took)
					switch {
					case status == http.StatusUnprocessableEntity && !strings.Contains(body, f.want):
						b.Errorf("%s: refused without %q", f.name, f.want)
					case status != http.StatusUnprocessableEntity && status != http.StatusServiceUnavailable:
						b.Errorf("%s: status %d", f.name, status)
					}
				}()
			}
			wg.Wait()
			var answers []string
			for status, n := range statuses {
				answers = append(answers, fmt.Sprintf("%d× %d", n, status))
			}
			sort.Strings(answers)
			rss := peakRSS(cmd.Process.Pid)
			fmt.Printf("sheets %-52s 8 at once: %4.1f s  answers %s  server peak RSS %d MB (idle %d MB)\n",
				f.name, slowest.Seconds(), strings.Join(answers, ", "), rss>>20, idle>>20)
			if rss > 300<<20 {
				b.Errorf("%s: peak RSS %d MB, over 300 MB", f.name, rss>>20)
			}
			if slowest > 5*time.Second {
				b.Errorf("%s: the last answer took %.1f s, over 5 s", f.name, slowest.Seconds())
			}
		}
	}
}
