package views

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/unesco-gnlc/learnthroughlife/models"
)

// ImportPage is the data of a city's import page: the upload form and,
// once a file is checked, its preview.
type ImportPage struct {
	City *models.City
	Kind models.ImportKind
	// FileError is the problem with the file as a whole, if any.
	FileError *models.RowProblem
	// Plan is the checked file's preview; nil before an upload.
	Plan *models.ImportPlan
	// Token names the kept file the confirm form imports.
	Token    string
	FileName string
	// CreatePartners is the preview's choice to create the partners the
	// file names that the city lacks.
	CreatePartners bool
}

// ImportURL is the import page of a city.
func ImportURL(c *models.City) string { return "/manage/cities/" + c.Slug + "/import" }

// ImportStatusURL is the status page of the confirmed import of token.
func ImportStatusURL(c *models.City, token string) string { return ImportURL(c) + "/status/" + token }

// ImportStatusPage is the data of a confirmed import's status page.
type ImportStatusPage struct {
	City   *models.City
	Upload *models.Upload
	// Progress is how far the import is while it runs on this server;
	// nil once it has ended, or while another server runs it.
	Progress *models.ImportProgress
	// NoReload is the reader's choice that the page should not reload
	// itself (WCAG 2.2.1): it offers a reload link instead.
	NoReload bool
}

// Running reports whether the import has not ended yet: the page then
// refreshes itself.
func (p ImportStatusPage) Running() bool { return p.Upload.State == models.UploadRunning }

// meta makes the page reload itself while the import runs, and only then.
func (p ImportStatusPage) meta() Meta {
	if p.Running() && !p.NoReload {
		return Meta{Refresh: importStatusRefresh}
	}
	return Meta{}
}

// importStatusRefresh is how often, in seconds, a running import's
// status page reloads itself, without JavaScript.
const importStatusRefresh = 2

// importPhaseText says how far a running import is, in words: the same
// words as the progress bar's value, for those who cannot see it.
func importPhaseText(ctx context.Context, p *models.ImportProgress) string {
	switch {
	case p == nil:
		return T(ctx, "import.status.elsewhere")
	case p.Phase == models.ImportWriting:
		return Tf(ctx, "import.status.writing", map[string]any{"Done": Num(ctx, int64(p.Done)), "Total": Num(ctx, int64(p.Total))})
	case p.Phase == models.ImportRefreshing:
		return T(ctx, "import.status.refreshing")
	}
	return T(ctx, "import.status.checking")
}

// importProgressAttrs are the progress bar's value and maximum: the rows
// written, with the checking before them and the roll-ups after them
// counted as a tenth of the work each. None, a bar that says only that
// work goes on, while the file is checked or runs on another server.
func importProgressAttrs(p *models.ImportProgress) templ.Attributes {
	if p == nil || p.Phase == models.ImportChecking {
		return templ.Attributes{}
	}
	done := 90
	if p.Phase == models.ImportWriting && p.Total > 0 {
		done = 10 + 80*p.Done/p.Total
	}
	return templ.Attributes{"value": strconv.Itoa(done), "max": "100"}
}

// importStatusTitle is the status page's title: while the import runs,
// its phase first, which a screen reader reads as each reload loads the
// page (a live region's words are not read when a page loads).
func importStatusTitle(ctx context.Context, p ImportStatusPage) string {
	title := Tf(ctx, "import.status.title", map[string]any{"City": p.City.Name})
	if p.Running() {
		return importPhaseText(ctx, p.Progress) + " – " + title
	}
	return title
}

// importFailureText says why an import wrote nothing.
func importFailureText(ctx context.Context, f models.ImportFailure) string {
	switch f {
	case models.FailRefused:
		return T(ctx, "import.status.refused")
	case models.FailTimeout:
		return T(ctx, "import.status.timeout")
	case models.FailInterrupted:
		return T(ctx, "import.status.interrupted")
	}
	return T(ctx, "import.status.error")
}

// ImportColumnLabel is the heading of an import column in ctx's language.
func ImportColumnLabel(ctx context.Context, col string) string {
	switch col {
	case "external_ref":
		return T(ctx, "import.col.external_ref")
	case "title":
		return T(ctx, "import.col.title")
	case "description":
		return T(ctx, "import.col.description")
	case "starts_at":
		return T(ctx, "import.col.starts_at")
	case "ends_at":
		return T(ctx, "import.col.ends_at")
	case "venue":
		return T(ctx, "import.col.venue")
	case "format":
		return T(ctx, "import.col.format")
	case "status":
		return T(ctx, "import.col.status")
	case "participants":
		return T(ctx, "import.col.participants")
	case "learning_areas":
		return T(ctx, "import.col.learning_areas")
	case "age_groups":
		return T(ctx, "import.col.age_groups")
	case "partners":
		return T(ctx, "import.col.partners")
	case "campaign":
		return T(ctx, "import.col.campaign")
	case "lang":
		return T(ctx, "import.col.lang")
	case "name":
		return T(ctx, "import.col.name")
	case "sector":
		return T(ctx, "import.col.sector")
	case "contact_name":
		return T(ctx, "import.col.contact_name")
	case "contact_email":
		return T(ctx, "import.col.contact_email")
	case "website":
		return T(ctx, "import.col.website")
	case "active":
		return T(ctx, "import.col.active")
	case "age_participants":
		return T(ctx, "event.age_participants")
	}
	for _, g := range models.AgeGroups() {
		if col == g.ParticipantsField() {
			return Tf(ctx, "import.col.age_count", map[string]any{"Group": label(ctx, "age", g)})
		}
	}
	return col
}

// ImportVocabulary gathers the headings and value labels of every
// interface language, so that a file filled in any of them is understood.
func (c *Catalog) ImportVocabulary() models.ImportVocabulary {
	v := models.ImportVocabulary{Headers: map[string]string{}, Values: map[string]map[string]string{}, Examples: map[string]bool{}}
	add := func(col, text, value string) {
		if v.Values[col] == nil {
			v.Values[col] = map[string]string{}
		}
		v.Values[col][models.NormalizeHeader(text)] = value
	}
	// also adds the synonyms a language knows for a value (held: réalisé,
	// a eu lieu…), separated by semicolons in its catalog.
	also := func(ctx context.Context, col, value string) {
		add(col, value, value)
		id := "import.also." + col + "." + value
		if s := T(ctx, id); s != id {
			for _, w := range strings.Split(s, ";") {
				if strings.TrimSpace(w) != "" {
					add(col, w, value)
				}
			}
		}
	}
	for _, tag := range c.tags {
		ctx := c.WithRequest(context.Background(), Request{Lang: tag})
		v.Examples[models.NormalizeHeader(ExampleMark(ctx))] = true
		for _, kind := range models.ImportKinds() {
			for _, col := range kind.Columns() {
				v.Headers[models.NormalizeHeader(ImportColumnLabel(ctx, col))] = col
			}
		}
		for _, col := range importEnumColumns {
			for _, c := range importChoices(ctx, col) {
				add(col, c.Label, c.Value)
				also(ctx, col, c.Value)
			}
		}
	}
	return v
}

// problemMessage is the translated reason of an import problem.
func problemMessage(ctx context.Context, p models.RowProblem) string {
	if n, err := strconv.Atoi(p.Param); err == nil && p.Code == "sheet_rows" {
		p.Param = Num(ctx, int64(n))
	}
	if p.Code == models.UnknownValue {
		return Tf(ctx, "import.unknown_value", map[string]any{
			"Value": Isolate(ctx, p.Param), "Column": ImportColumnLabel(ctx, p.Column), "Values": orList(ctx, columnLabels(ctx, p.Column)),
		})
	}
	return fieldError(ctx, models.FieldErrors{"x": {Code: p.Code, Param: p.Param}}, "x")
}

// importEnumColumns are the columns of the imports whose cells take one
// of a list of values (or, for lists, several).
var importEnumColumns = []string{"format", "status", "learning_areas", "age_groups", "sector", "active"}

// importChoices are the values an enum column takes, with their labels
// in the language of ctx, as the templates' cells write them.
func importChoices(ctx context.Context, column string) []option {
	switch column {
	case "format":
		return enumOptions(ctx, "format", models.EventFormats())
	case "status":
		return enumOptions(ctx, "status", models.EventStatuses())
	case "learning_areas":
		return enumOptions(ctx, "area", models.LearningAreas())
	case "age_groups":
		return enumOptions(ctx, "age", models.AgeGroups())
	case "sector":
		return enumOptions(ctx, "sector", models.Sectors())
	case "active":
		return enumOptions(ctx, "import", []string{"yes", "no"})
	}
	return nil
}

// columnLabels are the labels of the values an enum column takes.
func columnLabels(ctx context.Context, column string) []string {
	var out []string
	for _, c := range importChoices(ctx, column) {
		out = append(out, c.Label)
	}
	return out
}

// orList joins choices as a sentence does: "A, B or C".
func orList(ctx context.Context, items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return Tf(ctx, "import.or", map[string]any{"Items": strings.Join(items[:len(items)-1], ", "), "Last": items[len(items)-1]})
}

// problemColumn names the column of a problem as the template heads it.
func problemColumn(ctx context.Context, p models.RowProblem) string {
	if p.Column == "" {
		return ""
	}
	return ImportColumnLabel(ctx, p.Column)
}

func importKindLabel(ctx context.Context, k models.ImportKind) string {
	if k == models.ImportPartners {
		return T(ctx, "import.kind_partners")
	}
	return T(ctx, "import.kind_events")
}

func importFormatLabel(ctx context.Context, f models.SheetFormat) string {
	if f == models.SheetXLSX {
		return T(ctx, "import.format_xlsx")
	}
	return T(ctx, "import.format_csv")
}

// maxShownProblems is how many problems a preview lists: a file wrong
// throughout needs fixing as a whole, not a page of 20,000 rows.
const maxShownProblems = 200

// shownProblems are the problems a preview lists, the first ones.
func shownProblems(ps []models.RowProblem) []models.RowProblem {
	return ps[:min(len(ps), maxShownProblems)]
}

// largeImport is the number of rows from which the preview warns that
// the import takes a while.
const largeImport = 1000

// importRowColumns are the columns a preview's table shows of each row of
// kind, beside its line and what the import does with it.
func importRowColumns(kind models.ImportKind) []string {
	if kind == models.ImportPartners {
		return []string{"name", "sector", "active"}
	}
	return []string{"title", "starts_at", "status", "partners"}
}

// importRowHeading heads a column of the preview's table: the start says
// on which clock it is read.
func importRowHeading(ctx context.Context, city *models.City, col string) string {
	if col == "starts_at" {
		return Tf(ctx, "import.rows.starts", map[string]any{"City": Isolate(ctx, city.Name)})
	}
	return ImportColumnLabel(ctx, col)
}

// importValue writes column col of a preview's row in ctx's language: as
// the import will store it, or as stored before it (before). An empty
// value is said so.
func importValue(ctx context.Context, city *models.City, r models.ImportRow, col string, before bool) string {
	v := importRawValue(ctx, city, r, col, before)
	if strings.TrimSpace(v) == "" {
		return T(ctx, "import.empty")
	}
	return v
}

func importRawValue(ctx context.Context, city *models.City, r models.ImportRow, col string, before bool) string {
	if r.Partner != nil {
		p := r.Partner
		if before {
			p = r.PartnerBefore
		}
		switch col {
		case "name":
			return p.Name
		case "sector":
			return enumLabel(ctx, "sector", p.Sector, p.Sector.Valid())
		case "contact_name":
			return p.ContactName
		case "contact_email":
			return p.ContactEmail
		case "website":
			return p.Website
		case "lang":
			return p.Lang
		case "active":
			if p.Active {
				return T(ctx, "import.yes")
			}
			return T(ctx, "import.no")
		}
		return ""
	}
	e, partners, ref, campaign := r.Event, r.Partners, cmp.Or(r.Ref, r.RefBefore), r.Campaign
	if before {
		e, partners, ref, campaign = r.Before, r.PartnersBefore, r.RefBefore, r.CampaignBefore
	}
	switch col {
	case "external_ref":
		return ref
	case "title":
		return e.Title
	case "description":
		return e.Description
	case "starts_at", "ends_at":
		t := e.StartsAt
		if col == "ends_at" {
			t = e.EndsAt
		}
		if t.IsZero() {
			return ""
		}
		return inWords(ctx, t, city)
	case "venue":
		return e.Venue
	case "format":
		return enumLabel(ctx, "format", e.Format, e.Format.Valid())
	case "status":
		return enumLabel(ctx, "status", e.Status, e.Status.Valid())
	case "participants":
		if e.Participants == nil {
			return ""
		}
		return Num(ctx, int64(*e.Participants))
	case "learning_areas":
		var out []string
		for _, a := range e.LearningAreas {
			out = append(out, enumLabel(ctx, "area", a, a.Valid()))
		}
		return strings.Join(out, "; ")
	case "age_groups":
		var out []string
		for _, g := range e.AgeGroups {
			out = append(out, enumLabel(ctx, "age", g, g.Valid()))
		}
		return strings.Join(out, "; ")
	case "age_participants":
		var out []string
		for _, g := range models.AgeGroups() {
			if n := e.AgeCount(g); n != nil {
				out = append(out, label(ctx, "age", g)+": "+Num(ctx, int64(*n)))
			}
		}
		return strings.Join(out, "; ")
	case "partners":
		return strings.Join(partners, "; ")
	case "campaign":
		if campaign == "" {
			return ""
		}
		return hashtag(campaign)
	case "lang":
		return e.Lang
	}
	return ""
}

// enumLabel is v's label, or v as written when it is none of its values
// (a row left out keeps the values it was not understood with).
func enumLabel[V ~string](ctx context.Context, kind string, v V, valid bool) string {
	if !valid {
		return string(v)
	}
	return label(ctx, kind, v)
}

// changed reports whether a preview's row changes column col.
func changed(r models.ImportRow, col string) bool { return slices.Contains(r.Changed, col) }

// importAction says what the import does with a preview's row.
func importAction(ctx context.Context, r models.ImportRow) string {
	switch {
	case r.Skipped:
		return T(ctx, "import.rows.skipped")
	case r.Update():
		return T(ctx, "import.rows.update")
	}
	return T(ctx, "import.rows.create")
}

// arrow points from a value before to the value after, in the reading
// direction.
func arrow(ctx context.Context) string {
	if Dir(ctx) == "rtl" {
		return "←"
	}
	return "→"
}

// mapField names the select of a value a column does not know: the
// confirmation reads the column and the value back from it.
func mapField(u models.ImportUnknown) string { return "map." + u.Column + "." + u.Value }

// canConfirm reports whether a preview offers to import: nothing stops it
// but, perhaps, partners to create, and it has rows to write.
func canConfirm(p *models.ImportPlan) bool {
	return p.Importable() && p.Creates+p.Updates > 0
}
