package models

import (
	"errors"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// ErrImportRefused means an import was not written: its plan has problems.
var ErrImportRefused = errors.New("import refused")

// ImportKind is what a file imports.
type ImportKind string

// The kinds of import.
const (
	ImportEvents   ImportKind = "events"
	ImportPartners ImportKind = "partners"
	// ImportCohort is the network's member cities, imported by staff:
	// not one of a city's ImportKinds.
	ImportCohort ImportKind = "cohort"
)

// ImportKinds lists the kinds of a city's import.
func ImportKinds() []ImportKind { return []ImportKind{ImportEvents, ImportPartners} }

// Valid reports whether k is one of ImportKinds.
func (k ImportKind) Valid() bool { return slices.Contains(ImportKinds(), k) }

// Columns lists the columns of k's files in the template's order; their
// names are the fields' names in DESIGN.md and in the forms.
func (k ImportKind) Columns() []string {
	switch k {
	case ImportPartners:
		return []string{"name", "sector", "contact_name", "contact_email", "website", "lang", "active"}
	case ImportCohort:
		return []string{"name", "slug", "country", "joined_year", "co_lead", "latitude", "longitude", "coordinates", "time_zone"}
	}
	cols := []string{"external_ref", "title", "description", "starts_at", "ends_at", "venue", "format", "status",
		"participants", "learning_areas", "age_groups"}
	for _, g := range AgeGroups() {
		cols = append(cols, g.ParticipantsField())
	}
	return append(cols, "partners", "campaign", "lang")
}

// Required lists the columns a file of kind k must have.
func (k ImportKind) Required() []string {
	switch k {
	case ImportPartners:
		return []string{"name"}
	case ImportCohort:
		return []string{"name", "country", "joined_year"}
	}
	return []string{"title", "starts_at", "learning_areas"}
}

// ImportVocabulary holds the words a file may use beside the columns' and
// values' own keys: the headings and labels of every interface language.
type ImportVocabulary struct {
	// Headers maps a NormalizeHeader'd heading to its column.
	Headers map[string]string
	// Values maps a column, then a NormalizeHeader'd label, to the value.
	Values map[string]map[string]string
	// Examples are the NormalizeHeader'd marks of a template's example
	// row, in every language ("EXAMPLE – this row is skipped").
	Examples map[string]bool
}

// IsExample reports whether a row is a template's example row: one of
// its cells is the example mark, in any language. The import skips it.
func (v ImportVocabulary) IsExample(cells []string) bool {
	if len(v.Examples) == 0 {
		return false
	}
	for _, c := range cells {
		if c != "" && v.Examples[NormalizeHeader(c)] {
			return true
		}
	}
	return false
}

// Value reads an enum cell: its key, a translated label or one of their
// synonyms. A cell it does not know is returned trimmed and in lower case,
// for the enum's check to refuse (and the problem to quote it).
func (v ImportVocabulary) Value(column, cell string) string {
	if key, ok := v.Values[column][NormalizeHeader(cell)]; ok {
		return key
	}
	return strings.ToLower(strings.TrimSpace(cell))
}

// List reads a list cell, its items separated by semicolons or new
// lines (or by commas, when the labels themselves have none).
// Each key comes with the item as it was typed, for a problem to quote.
func (v ImportVocabulary) List(column, cell string) (keys, typed []string) {
	for _, item := range strings.FieldsFunc(cell, func(r rune) bool { return r == ';' || r == '\n' || r == '|' }) {
		if strings.TrimSpace(item) == "" {
			continue
		}
		if _, ok := v.Values[column][NormalizeHeader(item)]; !ok && strings.Contains(item, ",") {
			for _, part := range strings.Split(item, ",") {
				if strings.TrimSpace(part) != "" {
					keys, typed = append(keys, v.Value(column, part)), append(typed, strings.TrimSpace(part))
				}
			}
			continue
		}
		keys, typed = append(keys, v.Value(column, item)), append(typed, strings.TrimSpace(item))
	}
	return keys, typed
}

// UnknownValue is the problem of a cell that is none of its column's
// values; its parameter is the cell as typed.
const UnknownValue = "unknown_value"

// RowProblem is one problem of a file: its line (0 for the file as a
// whole), its column, and a validation code with its parameter.
type RowProblem struct {
	Line   int
	Column string
	Code   string
	Param  string
}

// ImportPlan is what an import would do: how many rows it creates and
// updates, the partners an events file names that the city lacks, and
// every problem. Only a plan without problems can be imported.
type ImportPlan struct {
	Kind        ImportKind
	Creates     int
	Updates     int
	NewPartners []string
	Problems    []RowProblem

	// Examples counts the template's example rows, skipped.
	Examples int
}

// Confirm checks that the plan may be imported: it has no problem, and
// the unknown partners an events file names are to be created
// (createPartners); otherwise it notes why and returns ErrImportRefused.
func (p *ImportPlan) Confirm(createPartners bool) error {
	if len(p.NewPartners) > 0 && !createPartners {
		p.Problems = append(p.Problems, RowProblem{Column: "partners", Code: "partners_unknown"})
	}
	if len(p.Problems) > 0 {
		return ErrImportRefused
	}
	return nil
}

// ImportPhase is what a running import is doing.
type ImportPhase string

// The phases of an import, in order.
const (
	ImportChecking   ImportPhase = "checking"
	ImportWriting    ImportPhase = "writing"
	ImportRefreshing ImportPhase = "refreshing"
)

// ImportProgress is how far a running import is: its phase and, while
// writing, the rows written of the file's.
type ImportProgress struct {
	Phase       ImportPhase
	Done, Total int
}

// The limits of an uploaded table.
const (
	// MaxSheetBytes is the largest file accepted.
	MaxSheetBytes = 10 << 20
	// MaxSheetRows is the most data rows (the header aside) accepted.
	MaxSheetRows = 20_000
	// MaxSheetColumns is the most columns a row may reach (an import has
	// at most 20-odd); MaxSheetCells the most cells a file may hold,
	// counted up to each row's last, blank rows aside (20,000 rows of 50).
	// Both are checked while the file is read, so a small file that
	// declares a huge table is refused before it takes memory.
	MaxSheetColumns = 200
	MaxSheetCells   = 1_000_000
	// MaxSheetStrings is the most different texts an XLSX file's table of
	// strings may hold: a 20,000-row file has a few tens of thousands.
	MaxSheetStrings = 200_000
	// MaxSheetPartMB and MaxSheetUnpackedMB bound what an XLSX file (a
	// zip archive) may unpack to: each part, and all of them together. A legitimate
	// 20,000-row file unpacks to about 20 MB.
	MaxSheetPartMB     = 48
	MaxSheetUnpackedMB = 128
)

// SheetFormat is the kind of file a table came in.
type SheetFormat string

// The table formats.
const (
	SheetCSV  SheetFormat = "csv"
	SheetXLSX SheetFormat = "xlsx"
)

// SheetFormats lists the accepted formats.
func SheetFormats() []SheetFormat { return []SheetFormat{SheetCSV, SheetXLSX} }

// NormalizeHeader is a column heading, a cell's label or a partner's name
// as it is compared: what people type differently for the same word is
// folded away. A trailing "*" (required mark) is dropped; case, accents
// and Arabic marks (Réalisé, realise; أقيمت, اقيمت), apostrophe and quote
// styles (l’individu, l'individu) and hyphens or spacing (in-person,
// in person) do not count.
func NormalizeHeader(s string) string {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "*"))
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r) || strings.ContainsRune(quoteMarks, r):
		case r == '-' || r == '_' || r == '‐' || r == '‑' || r == '–':
			b.WriteByte(' ')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// quoteMarks are the apostrophes and quotes that keyboards, spreadsheets
// and word processors write for one another.
const quoteMarks = "'’‘`´ʼ′\"“”„«»‹›"
