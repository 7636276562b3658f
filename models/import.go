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

// ErrImportChoices means the choices sent with an import's preview are
// not ones it offered: a value a column does not take, or a line the file
// does not have.
var ErrImportChoices = errors.New("import choices not offered")

// ImportPreviewRows is how many of a file's rows a plan keeps, as they
// will be stored, for its preview: its counts are always of every row.
const ImportPreviewRows = 200

// ImportPlan is what an import would do: how many rows it creates and
// updates, the rows it leaves as they are, the partners an events file
// names that the city lacks, and every problem. Only a plan without
// problems can be imported.
type ImportPlan struct {
	Kind    ImportKind
	Creates int
	Updates int
	// Unchanged counts the rows that match a stored record field for
	// field: they are not written, nor counted as updates.
	Unchanged int
	// Skipped counts the rows the user left out (ImportChoices.Skip).
	Skipped     int
	NewPartners []string
	Problems    []RowProblem
	// Unknown lists, once each and in the file's order, the cells of an
	// enumerated column that it does not know, with what the user mapped
	// them to, if anything: those not mapped are also problems.
	Unknown []ImportUnknown
	// Rows are the first ImportPreviewRows rows to be written or left
	// out, in the file's order, as they will be stored.
	Rows []ImportRow
	// Examples counts the template's example rows, skipped.
	Examples int
}

// Listed counts the rows a preview lists: those to be written and those
// left out. The plan keeps the first ImportPreviewRows of them (Rows).
func (p *ImportPlan) Listed() int { return p.Creates + p.Updates + p.Skipped }

// Importable reports whether the plan has no problem but, perhaps, the
// unknown partners that confirming it may create.
func (p *ImportPlan) Importable() bool {
	for _, pr := range p.Problems {
		if pr.Code != "partners_unknown" {
			return false
		}
	}
	return true
}

// ImportUnknown is a value a column does not know, as a file writes it.
type ImportUnknown struct {
	Column string
	// Value is the cell as compared (NormalizeHeader), which names it in
	// ImportChoices.Mapping; Typed is how the file first writes it.
	Value, Typed string
	// Rows counts the rows that have it.
	Rows int
	// To is the value the user mapped it to, "" while it is a problem.
	To string
}

// ImportRow is one row of a file as it will be stored: an events file's
// Event, or a partners file's Partner, and for an update the record as
// stored (Before, PartnerBefore) with the fields it changes.
type ImportRow struct {
	Line    int
	Skipped bool
	Event   *Event
	Before  *Event
	// Partners and PartnersBefore name Event's and Before's partners;
	// NewPartners are those of Partners that the city lacks.
	Partners, PartnersBefore, NewPartners []string
	// Ref is the row's reference, RefBefore the stored event's; Campaign
	// and CampaignBefore the hashtags of their campaigns.
	Ref, RefBefore           string
	Campaign, CampaignBefore string
	Partner                  *Partner
	PartnerBefore            *Partner
	// Changed lists the columns an update changes, in the file kind's order.
	Changed []string
}

// Update reports whether the row updates a stored record.
func (r ImportRow) Update() bool { return r.Before != nil || r.PartnerBefore != nil }

// ImportChoices are what the user chose in an import's preview, for that
// file alone: they travel with its form, and no other file sees them.
type ImportChoices struct {
	// Mapping maps a column, then a NormalizeHeader'd cell it does not
	// know, to the value the cell stands for.
	Mapping map[string]map[string]string
	// Skip holds the file's lines to leave out.
	Skip map[int]bool
	// CreatePartners creates the partners an events file names that the
	// city lacks.
	CreatePartners bool
}

// Map records that column's cell stands for value; "" leaves it unknown.
func (c *ImportChoices) Map(column, cell, value string) {
	if value == "" {
		return
	}
	if c.Mapping == nil {
		c.Mapping = map[string]map[string]string{}
	}
	if c.Mapping[column] == nil {
		c.Mapping[column] = map[string]string{}
	}
	c.Mapping[column][NormalizeHeader(cell)] = value
}

// Check returns ErrImportChoices unless every mapping is of one of kind's
// enumerated columns, from a cell, to one of the column's values.
func (c ImportChoices) Check(kind ImportKind) error {
	for col, m := range c.Mapping {
		values := kind.Choices(col)
		for from, to := range m {
			if values == nil || from == "" || !slices.Contains(values, to) {
				return ErrImportChoices
			}
		}
	}
	return nil
}

// Choices lists the values an enumerated column of kind's files takes
// (for a list column, each item); nil for a column that is not one.
func (k ImportKind) Choices(column string) []string {
	var out []string
	switch {
	case k == ImportEvents && column == "format":
		out = asStrings(EventFormats())
	case k == ImportEvents && column == "status":
		out = asStrings(EventStatuses())
	case k == ImportEvents && column == "learning_areas":
		out = asStrings(LearningAreas())
	case k == ImportEvents && column == "age_groups":
		out = asStrings(AgeGroups())
	case k == ImportPartners && column == "sector":
		out = asStrings(Sectors())
	case k == ImportPartners && column == "active":
		out = []string{"yes", "no"}
	}
	return out
}

func asStrings[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// EventChanges lists the columns of an events file in which after, a row
// read and checked (Event.Validate), differs from before, as stored; none
// when the row would leave the event as it is. newPartners counts the
// partners the row names that the city lacks, which after cannot hold.
func EventChanges(before, after *Event, newPartners int) []string {
	var out []string
	add := func(col string, differs bool) {
		if differs {
			out = append(out, col)
		}
	}
	add("title", before.Title != after.Title)
	add("description", before.Description != after.Description)
	add("starts_at", !before.StartsAt.Equal(after.StartsAt))
	add("ends_at", !before.EndsAt.Equal(after.EndsAt))
	add("venue", before.Venue != after.Venue)
	add("format", before.Format != after.Format)
	add("status", before.Status != after.Status)
	add("participants", (before.Participants == nil) != (after.Participants == nil) ||
		before.Participants != nil && *before.Participants != *after.Participants)
	add("learning_areas", !sameItems(before.LearningAreas, after.LearningAreas))
	add("age_groups", !sameItems(before.AgeGroups, after.AgeGroups))
	ages := false
	for _, g := range AgeGroups() {
		b, a := before.AgeCount(g), after.AgeCount(g)
		ages = ages || (b == nil) != (a == nil) || b != nil && *b != *a
	}
	add("age_participants", ages)
	add("partners", newPartners > 0 || !sameItems(before.PartnerIDs, after.PartnerIDs))
	add("campaign", before.CampaignID != after.CampaignID)
	add("lang", before.Lang != after.Lang)
	return out
}

// PartnerChanges lists the columns of a partners file in which after, a
// row read and checked (Partner.Validate), differs from before, as stored.
func PartnerChanges(before, after *Partner) []string {
	var out []string
	for _, f := range []struct {
		col     string
		differs bool
	}{
		{"name", before.Name != after.Name}, {"sector", before.Sector != after.Sector},
		{"contact_name", before.ContactName != after.ContactName}, {"contact_email", before.ContactEmail != after.ContactEmail},
		{"website", before.Website != after.Website}, {"lang", before.Lang != after.Lang}, {"active", before.Active != after.Active},
	} {
		if f.differs {
			out = append(out, f.col)
		}
	}
	return out
}

// sameItems reports whether a and b hold the same values, order and
// repeats aside.
func sameItems[T comparable](a, b []T) bool {
	ua, ub := Unique(a), Unique(b)
	if len(ua) != len(ub) {
		return false
	}
	for _, x := range ua {
		if !slices.Contains(ub, x) {
			return false
		}
	}
	return true
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
