package importer

// Reading an XLSX file as a stream, with every bound checked while it is
// read: the zip archive's parts by their declared sizes first (and as
// they unpack), then the shared strings and the first worksheet token by
// token, counting rows, columns and cells. Nothing of the archive is read
// but the few parts the first sheet needs, so a part that unpacks to
// hundreds of megabytes costs nothing unless it is one of them, and then
// it is refused before it is unpacked.

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// The most rows and columns a worksheet may name (Excel's own limits).
const (
	xlsxRows    = 1_048_576
	xlsxColumns = 16_384
)

// errUnpacked refuses an archive whose parts unpack to too much.
func errUnpacked() error {
	return &SheetError{Code: "sheet_unpacked", Param: strconv.Itoa(models.MaxSheetPartMB)}
}

func errCorrupt() error { return &SheetError{Code: "sheet_corrupt"} }

// xlsxParts are an archive's parts by their lower-case names.
type xlsxParts map[string]*zip.File

// openParts reads the archive's directory and refuses it when a part, or
// all of them together, would unpack to more than the limits. The sizes
// are those the archive declares; a part that unpacks to more than it
// declared fails as it is read (archive/zip checks it, and limitedPart).
func openParts(data []byte) (xlsxParts, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, errCorrupt()
	}
	parts := xlsxParts{}
	var total uint64
	for _, f := range zr.File {
		size := f.UncompressedSize64
		total += size
		if size > models.MaxSheetPartMB<<20 || total > models.MaxSheetUnpackedMB<<20 {
			return nil, errUnpacked()
		}
		name := strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(f.Name, `\`, "/"), "/"))
		parts[name] = f
	}
	return parts, nil
}

// limitedPart reads a part and fails once it has given more than the
// part limit, whatever the archive declared.
type limitedPart struct {
	r    io.Reader
	left int64
}

func (l *limitedPart) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, errUnpacked()
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// decode calls fn on every token of the part name, read as a stream
// (RawToken: no stack of open elements is kept, however deep the XML),
// until fn says stop. A missing part is no error: fn is not called.
func (p xlsxParts) decode(b *budget, name string, fn func(xml.Token) (stop bool, err error)) error {
	f := p[name]
	if f == nil {
		return nil
	}
	rc, err := f.Open()
	if err != nil {
		return errCorrupt()
	}
	defer rc.Close()
	dec := xml.NewDecoder(bufio.NewReaderSize(&limitedPart{r: rc, left: models.MaxSheetPartMB << 20}, 64<<10))
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var se *SheetError
			if errors.As(err, &se) {
				return se
			}
			return errCorrupt()
		}
		if err := b.tick(); err != nil {
			return err
		}
		stop, err := fn(tok)
		if err != nil || stop {
			return err
		}
	}
}

func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// relsOf is the relationships part of the part name.
func relsOf(name string) string {
	dir, file := path.Split(name)
	return dir + "_rels/" + file + ".rels"
}

// rel is one relationship: its type and the part it points to.
type rel struct{ typ, target string }

// relationships reads the relationships of the part name, their targets
// resolved to part names.
func (p xlsxParts) relationships(b *budget, name string) (map[string]rel, error) {
	rels := map[string]rel{}
	err := p.decode(b, relsOf(name), func(tok xml.Token) (bool, error) {
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "Relationship" {
			return false, nil
		}
		if len(rels) >= 1000 {
			return false, errCorrupt()
		}
		target := strings.ReplaceAll(attr(se, "Target"), `\`, "/")
		if strings.HasPrefix(target, "/") {
			target = target[1:]
		} else {
			target = path.Join(path.Dir(name), target)
		}
		rels[attr(se, "Id")] = rel{typ: attr(se, "Type"), target: strings.ToLower(target)}
		return false, nil
	})
	return rels, err
}

// xlsxRow is a row of the worksheet as read: its line and its cells, up
// to its last non-empty one.
type xlsxRow struct {
	line  int
	cells []string
}

// readXLSX reads the first worksheet of an XLSX file as raw values (a
// date cell as its serial number, a formula cell as its cached value),
// and gives every cell of a merged range the value of its top-left cell.
// It returns the rows that have something in them, in line order.
func readXLSX(b *budget, data []byte) ([]xlsxRow, error) {
	parts, err := openParts(data)
	if err != nil {
		return nil, err
	}
	workbook := "xl/workbook.xml"
	root, err := parts.relationships(b, "")
	if err != nil {
		return nil, err
	}
	for _, r := range root {
		if strings.HasSuffix(r.typ, "/officeDocument") {
			workbook = r.target
		}
	}
	if parts[workbook] == nil {
		return nil, errCorrupt()
	}
	rels, err := parts.relationships(b, workbook)
	if err != nil {
		return nil, err
	}
	sheetID := ""
	err = parts.decode(b, workbook, func(tok xml.Token) (bool, error) {
		se, ok := tok.(xml.StartElement)
		if ok && se.Name.Local == "sheet" {
			sheetID = attr(se, "id")
			return true, nil
		}
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	sheet := rels[sheetID].target
	if sheet == "" {
		return nil, &SheetError{Code: "sheet_empty"}
	}
	if parts[sheet] == nil {
		return nil, errCorrupt()
	}
	strs := path.Join(path.Dir(workbook), "sharedstrings.xml")
	for _, r := range rels {
		if strings.HasSuffix(r.typ, "/sharedStrings") {
			strs = r.target
		}
	}
	sst, err := readSharedStrings(b, parts, strs)
	if err != nil {
		return nil, err
	}
	return readWorksheet(b, parts, sheet, sst)
}

// readSharedStrings reads the workbook's table of strings, no more of them
// than models.MaxSheetStrings. A string is the text of its runs, without
// its phonetic guide.
func readSharedStrings(b *budget, parts xlsxParts, name string) ([]string, error) {
	var (
		sst       []string
		text      strings.Builder
		inT, inPh bool
	)
	err := parts.decode(b, name, func(tok xml.Token) (bool, error) {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				if len(sst) >= models.MaxSheetStrings {
					return false, &SheetError{Code: "sheet_strings", Param: strconv.Itoa(models.MaxSheetStrings)}
				}
				text.Reset()
			case "t":
				inT = !inPh
			case "rPh":
				inPh = true
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				sst = append(sst, unescapeXLSX(text.String()))
			case "t":
				inT = false
			case "rPh":
				inPh = false
			}
		case xml.CharData:
			if inT {
				text.Write(t)
			}
		}
		return false, nil
	})
	return sst, err
}

// unescapeXLSX reads the _xHHHH_ escapes that XLSX writes for characters
// XML cannot hold (_x000D_ for a carriage return; _x005F_ for "_").
func unescapeXLSX(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var out strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '_' && i+6 < len(s) && s[i+1] == 'x' && s[i+6] == '_' {
			if r, err := strconv.ParseUint(s[i+2:i+6], 16, 16); err == nil {
				out.WriteRune(rune(r))
				i += 6
				continue
			}
		}
		out.WriteByte(s[i])
	}
	return out.String()
}

// cellColumn is the column (1 for A) of a cell reference such as "AB12".
func cellColumn(ref string) (int, bool) {
	col, i := 0, 0
	for ; i < len(ref) && i < 4; i++ {
		c := ref[i] | 0x20 // lower case
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a') + 1
	}
	return col, i > 0 && col <= xlsxColumns
}

// cellRef is the column and row of a cell reference.
func cellRef(ref string) (col, row int, ok bool) {
	col, ok = cellColumn(ref)
	if !ok {
		return 0, 0, false
	}
	row, err := strconv.Atoi(strings.TrimLeft(ref, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))
	return col, row, err == nil && row >= 1 && row <= xlsxRows
}

// merge is a merged range: columns c1 to c2 of rows r1 to r2.
type merge struct{ c1, r1, c2, r2 int }

// readWorksheet reads a worksheet's rows, checking the rows, the columns
// and the cells as each comes, then fills its merged ranges.
func readWorksheet(b *budget, parts xlsxParts, name string, sst []string) ([]xlsxRow, error) {
	var (
		rows    []xlsxRow
		merges  []merge
		line    int      // the row being read
		cells   []string // its cells
		col     int      // the cell being read
		typ     string   // its type
		value   strings.Builder
		inV     bool // in a cell's value
		inT     bool // in an inline string's text
		inPh    bool // in a phonetic guide
		inCell  bool
		nonBlnk int // rows with something in them
	)
	endCell := func() error {
		v := value.String()
		switch typ {
		case "s":
			i, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || i < 0 || i >= len(sst) {
				return errCorrupt()
			}
			v = sst[i]
		case "inlineStr":
			v = unescapeXLSX(v)
		}
		if v == "" {
			return nil
		}
		if col > models.MaxSheetColumns {
			return &SheetError{Code: "sheet_columns", Param: strconv.Itoa(models.MaxSheetColumns)}
		}
		if col <= len(cells) {
			cells[col-1] = v // a cell named twice: the last wins
			return nil
		}
		if err := b.cells(col - len(cells)); err != nil {
			return err
		}
		for len(cells) < col-1 {
			cells = append(cells, "")
		}
		cells = append(cells, v)
		return nil
	}
	err := parts.decode(b, name, func(tok xml.Token) (bool, error) {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "row":
				line++
				if r := attr(t, "r"); r != "" {
					n, err := strconv.Atoi(r)
					if err != nil {
						return false, errCorrupt()
					}
					line = n
				}
				if line < 1 || line > xlsxRows {
					return false, errCorrupt()
				}
				cells, col = nil, 0
			case "c":
				col++
				if r := attr(t, "r"); r != "" {
					c, ok := cellColumn(r)
					if !ok {
						return false, errCorrupt()
					}
					col = c
				}
				if col > xlsxColumns {
					return false, errCorrupt()
				}
				typ, inCell = attr(t, "t"), true
				value.Reset()
			case "v":
				inV = inCell
			case "t":
				inT = inCell && typ == "inlineStr" && !inPh
			case "rPh":
				inPh = true
			case "mergeCell":
				c1, r1, ok1 := cellRef(strings.Split(attr(t, "ref"), ":")[0])
				c2, r2, ok2 := cellRef(attr(t, "ref")[strings.LastIndex(attr(t, "ref"), ":")+1:])
				if !ok1 || !ok2 {
					return false, nil // as excelize did: an unreadable range is ignored
				}
				if err := b.cells(1); err != nil {
					return false, err
				}
				merges = append(merges, merge{min(c1, c2), min(r1, r2), max(c1, c2), max(r1, r2)})
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v":
				inV = false
			case "t":
				inT = false
			case "rPh":
				inPh = false
			case "c":
				inCell, inV, inT = false, false, false
				if err := endCell(); err != nil {
					return false, err
				}
			case "row":
				if !blankRow(cells) {
					nonBlnk++
					if nonBlnk > models.MaxSheetRows+1 {
						return false, &SheetError{Code: "sheet_rows", Param: strconv.Itoa(models.MaxSheetRows)}
					}
				}
				if len(cells) > 0 {
					rows = append(rows, xlsxRow{line: line, cells: cells})
				}
				cells = nil
			}
		case xml.CharData:
			if inV || inT {
				value.Write(t)
			}
		}
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(rows, func(a, b xlsxRow) int { return a.line - b.line })
	return fillMerges(b, rows, merges)
}

// fillMerges gives every cell of each merged range the value of its
// top-left cell, down to the sheet's last row: a range may make a row
// with nothing of its own non-empty, and its cells count.
func fillMerges(b *budget, rows []xlsxRow, merges []merge) ([]xlsxRow, error) {
	if len(merges) == 0 || len(rows) == 0 {
		return rows, nil
	}
	byLine := map[int]int{}
	for i, r := range rows {
		byLine[r.line] = i
	}
	last := rows[len(rows)-1].line
	added := false
	for _, m := range merges {
		i, ok := byLine[m.r1]
		if !ok || m.c1 > len(rows[i].cells) || rows[i].cells[m.c1-1] == "" {
			continue
		}
		value := rows[i].cells[m.c1-1]
		if m.c2 > models.MaxSheetColumns {
			return nil, &SheetError{Code: "sheet_columns", Param: strconv.Itoa(models.MaxSheetColumns)}
		}
		for line := m.r1; line <= min(m.r2, last); line++ {
			if err := b.tick(); err != nil {
				return nil, err
			}
			j, ok := byLine[line]
			if !ok {
				j = len(rows)
				rows = append(rows, xlsxRow{line: line})
				byLine[line] = j
				added = true
			}
			r := &rows[j]
			if grow := m.c2 - len(r.cells); grow > 0 {
				if err := b.cells(grow); err != nil {
					return nil, err
				}
				r.cells = append(r.cells, make([]string, grow)...)
			}
			for c := m.c1; c <= m.c2; c++ {
				r.cells[c-1] = value
			}
		}
	}
	if added {
		slices.SortStableFunc(rows, func(a, b xlsxRow) int { return a.line - b.line })
	}
	return rows, nil
}
