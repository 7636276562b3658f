package views

import (
	"context"
	"slices"
	"strings"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// TemplateData is what an import's template lists beyond its columns'
// own values.
type TemplateData struct {
	City *models.City
	// Hashtags are the campaigns', newest first.
	Hashtags []string
	// Partners are the names of the city's current partners.
	Partners []string
}

// templateDateExamples are date forms the instructions cite beside the
// form's own; each is read by the import (a test checks it).
var templateDateExamples = []string{"14/05/2026 10h30", "14.05.2026 14.30", "2026-05-14 10:00"}

// templateLanguages are the language codes a template's list offers:
// the interface's. Any other BCP 47 code is accepted too.
func templateLanguages() []string { return models.CampaignLanguages() }

// ExampleMark is what marks a template's example row, in ctx's language:
// a row with it in a cell is skipped by the import, in any language.
func ExampleMark(ctx context.Context) string { return T(ctx, "import.example.mark") }

// ImportTemplate is the template of kind in ctx's language: the headings
// and an example row (marked, so that the import skips it), with labels
// in that language and ISO dates; the lists its columns take their values
// from; and its instructions.
func ImportTemplate(ctx context.Context, kind models.ImportKind, d TemplateData) *models.SheetTemplate {
	cols := kind.Columns()
	header := make([]string, len(cols))
	for i, col := range cols {
		header[i] = ImportColumnLabel(ctx, col)
	}
	hashtag := ""
	if len(d.Hashtags) > 0 {
		hashtag = d.Hashtags[0]
	}
	partner := T(ctx, "import.example.partner")
	if len(d.Partners) > 0 {
		partner = d.Partners[0]
	}
	var example map[string]string
	if kind == models.ImportPartners {
		example = map[string]string{
			"name": ExampleMark(ctx), "sector": label(ctx, "sector", models.SectorCultural),
			"contact_name": T(ctx, "import.example.contact"), "contact_email": "contact@example.org",
			"website": "https://library.example.org", "lang": req(ctx).Lang.String(), "active": T(ctx, "import.yes"),
		}
	} else {
		example = map[string]string{
			"external_ref": ExampleMark(ctx), "title": T(ctx, "import.example.title"), "description": T(ctx, "import.example.description"),
			"starts_at": "2026-05-14 10:00", "ends_at": "2026-05-14 12:00", "venue": T(ctx, "import.example.venue"),
			"format": label(ctx, "format", models.FormatInPerson), "status": label(ctx, "status", models.StatusPlanned),
			"learning_areas": strings.Join([]string{label(ctx, "area", models.AreaCulture), label(ctx, "area", models.AreaFamilies)}, "; "),
			"age_groups":     strings.Join([]string{label(ctx, "age", models.AgeAdults), label(ctx, "age", models.AgeOlderAdults)}, "; "),
			"partners":       partner, "campaign": hashtag, "lang": req(ctx).Lang.String(),
		}
	}
	row := make([]string, len(cols))
	for i, col := range cols {
		row[i] = example[col]
	}
	t := &models.SheetTemplate{
		Name:             importKindLabel(ctx, kind),
		RightToLeft:      Dir(ctx) == "rtl",
		Rows:             [][]string{header, row},
		ListsName:        T(ctx, "import.sheet.lists"),
		InstructionsName: T(ctx, "import.sheet.instructions"),
		ListWarningTitle: T(ctx, "import.list.warning_title"),
		ListWarning:      T(ctx, "import.list.warning"),
	}
	for i, col := range cols {
		values, several := templateValues(ctx, col, d)
		if values == nil && !several {
			continue
		}
		t.Lists = append(t.Lists, models.TemplateList{Column: i, Heading: header[i], Values: values, Several: several,
			Prompt: Tf(ctx, "import.list.several", map[string]any{"Sheet": t.ListsName})})
	}
	t.Instructions, t.ColumnsAt = templateInstructions(ctx, kind, d, t)
	return t
}

// templateValues are the values column col takes from a list, and whether
// a cell takes several; nil and false for a column without a list.
func templateValues(ctx context.Context, col string, d TemplateData) ([]string, bool) {
	switch col {
	case "format", "status", "sector", "active":
		return columnLabels(ctx, col), false
	case "learning_areas", "age_groups":
		return columnLabels(ctx, col), true
	case "partners":
		return slices.Clone(d.Partners), true
	case "campaign":
		if len(d.Hashtags) == 0 {
			return nil, false
		}
		return slices.Clone(d.Hashtags), false
	case "lang":
		return templateLanguages(), false
	}
	return nil, false
}

// templateInstructions are the rows of a template's instructions sheet, in
// ctx's language, and the row where its table of columns starts.
func templateInstructions(ctx context.Context, kind models.ImportKind, d TemplateData, t *models.SheetTemplate) ([][]string, int) {
	zone := "UTC"
	if d.City != nil {
		zone = d.City.Location().String()
	}
	rowsNote, updatesNote := T(ctx, "import.help.rows_events"), T(ctx, "import.help.updates_events")
	if kind == models.ImportPartners {
		rowsNote, updatesNote = T(ctx, "import.help.rows_partners"), T(ctx, "import.help.updates_partners")
	}
	rows := [][]string{
		{Tf(ctx, "import.help.title", map[string]any{"Sheet": t.Name})},
		{T(ctx, "import.help.topic_rows"), "", rowsNote},
		{T(ctx, "import.help.topic_example"), "", Tf(ctx, "import.help.example", map[string]any{"Mark": ExampleMark(ctx)})},
		{T(ctx, "import.help.topic_updates"), "", updatesNote},
	}
	if kind == models.ImportEvents {
		rows = append(rows,
			[]string{T(ctx, "import.help.topic_dates"), "", DateTimeHint(ctx) + " " + Tf(ctx, "import.help.dates", map[string]any{
				"Examples": strings.Join(templateDateExamples, " · "), "Zone": zone})},
			[]string{T(ctx, "import.help.topic_several"), "", Tf(ctx, "import.help.several", map[string]any{"Sheet": t.ListsName})},
		)
	}
	rows = append(rows, []string{T(ctx, "import.help.topic_lists"), "", Tf(ctx, "import.help.lists", map[string]any{"Sheet": t.ListsName})})
	rows = append(rows, []string{})
	at := len(rows)
	rows = append(rows, []string{T(ctx, "import.help.column"), T(ctx, "import.help.required"), T(ctx, "import.help.what")})
	for i, col := range kind.Columns() {
		required := ""
		if slices.Contains(kind.Required(), col) {
			required = T(ctx, "import.yes")
		}
		text := columnHelp(ctx, kind, col)
		if values, several := templateValues(ctx, col, d); len(values) > 0 && col != "partners" && col != "lang" {
			list := map[string]any{"Values": strings.Join(values, "; ")}
			if several {
				text += " " + Tf(ctx, "import.help.values_several", list)
			} else {
				text += " " + Tf(ctx, "import.help.values", list)
			}
		}
		rows = append(rows, []string{t.Rows[0][i], required, text})
	}
	return rows, at
}

// columnHelp says what a column of kind holds, in ctx's language.
func columnHelp(ctx context.Context, kind models.ImportKind, col string) string {
	for _, g := range models.AgeGroups() {
		if col == g.ParticipantsField() {
			return Tf(ctx, "import.help.col.age_count", map[string]any{"Group": label(ctx, "age", g)})
		}
	}
	if col == "lang" && kind == models.ImportPartners {
		col = "partner_lang"
	}
	return T(ctx, "import.help.col."+col)
}

// cohortTemplateColumns are a cohort template's columns: the headings the
// cohort import reads (they are not translated), coordinates as latitude
// and longitude.
var cohortTemplateColumns = []string{"name", "slug", "country", "joined_year", "co_lead", "latitude", "longitude", "time_zone"}

// CohortTemplate is the template of a cohort file, with its sheets and
// instructions in ctx's language and an example row (marked, so that the
// import skips it).
func CohortTemplate(ctx context.Context) *models.SheetTemplate {
	example := map[string]string{"name": ExampleMark(ctx), "country": "MA", "joined_year": "2024", "co_lead": T(ctx, "import.yes"),
		"latitude": "30.42", "longitude": "-9.6", "time_zone": "Africa/Casablanca"}
	row := make([]string, len(cohortTemplateColumns))
	for i, col := range cohortTemplateColumns {
		row[i] = example[col]
	}
	t := &models.SheetTemplate{
		Name:             T(ctx, "cohort.sheet"),
		RightToLeft:      Dir(ctx) == "rtl",
		Rows:             [][]string{slices.Clone(cohortTemplateColumns), row},
		ListsName:        T(ctx, "import.sheet.lists"),
		InstructionsName: T(ctx, "import.sheet.instructions"),
		ListWarningTitle: T(ctx, "import.list.warning_title"),
		ListWarning:      T(ctx, "import.list.warning"),
		Lists: []models.TemplateList{{Column: slices.Index(cohortTemplateColumns, "co_lead"), Heading: "co_lead",
			Values: []string{T(ctx, "import.yes"), T(ctx, "import.no")}}},
	}
	t.Instructions = [][]string{
		{Tf(ctx, "import.help.title", map[string]any{"Sheet": t.Name})},
		{T(ctx, "import.help.topic_rows"), "", T(ctx, "cohort.columns")},
		{T(ctx, "import.help.topic_example"), "", Tf(ctx, "import.help.example", map[string]any{"Mark": ExampleMark(ctx)})},
		{T(ctx, "import.help.topic_updates"), "", T(ctx, "cohort.intro")},
		{},
		{T(ctx, "import.help.column"), T(ctx, "import.help.required"), T(ctx, "import.help.what")},
	}
	t.ColumnsAt = len(t.Instructions) - 1
	for _, col := range cohortTemplateColumns {
		required := ""
		if slices.Contains(models.ImportCohort.Required(), col) {
			required = T(ctx, "import.yes")
		}
		what := cohortFieldLabel(ctx, col)
		switch col {
		case "slug":
			what += ". " + T(ctx, "city.slug_hint")
		case "time_zone":
			what += ". " + T(ctx, "city.time_zone_hint")
		case "co_lead":
			what += ": " + T(ctx, "import.yes") + " / " + T(ctx, "import.no")
		}
		t.Instructions = append(t.Instructions, []string{col, required, what})
	}
	return t
}
