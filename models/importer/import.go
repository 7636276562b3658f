package importer

// Importing a city's events or partners from a table: a plan first,
// which writes nothing and lists every problem, then the import itself,
// planned again and written all or nothing in one transaction, through
// the same checks, links, roll-ups and audit entries as the forms.

import (
	"context"
	"slices"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
)

// plan is a plan with the rows it would write.
type plan struct {
	*models.ImportPlan
	events   []store.ImportedEvent
	partners []*models.Partner
	// values reads the cells of enumerated columns with the file's
	// mapping; skip holds the lines left out.
	values *valueMap
	skip   map[int]bool
}

// listRow keeps r, a row to be written or left out, for the preview while
// the plan has fewer than models.ImportPreviewRows.
func (p *plan) listRow(r models.ImportRow) {
	if len(p.Rows) < models.ImportPreviewRows {
		p.Rows = append(p.Rows, r)
	}
}

// Plan checks a file of kind against the city's data without writing
// anything, with the user's choices for it (its unknown values mapped,
// rows left out): the plan's problems name every line and column that
// stops the import. Choices the file does not offer (a column or value
// not one of kind's, a line it does not have) are ErrImportChoices.
func Plan(ctx context.Context, st *store.Store, kind models.ImportKind, city *models.City, sheet *Sheet,
	vocab models.ImportVocabulary, now time.Time, choices models.ImportChoices) (*models.ImportPlan, error) {
	p, err := planFile(ctx, st, kind, city, sheet, vocab, now, choices)
	if p == nil {
		return nil, err
	}
	return p.ImportPlan, err
}

// Import writes the file of a claimed upload to the city, all or nothing,
// in one transaction (a Batch): the partners it creates, its events or
// partners with their links and audit entries, the roll-ups they change,
// refreshed once at its end, and the upload's outcome, so that no one
// reads it running, or failed, once its rows are in.
// The user's choices of the preview apply: its mapped values, the rows
// left out (neither written nor counted), and unknown partners of an
// events file are created (sector "other") only when
// choices.CreatePartners is set; otherwise, as with any problem, nothing
// is written and the plan comes back with ErrImportRefused. Rows that
// would leave their record as it is are not written.
// progress, when not nil, hears of each phase and of the rows written as
// they go.
func Import(ctx context.Context, st *store.Store, actor models.Actor, up *models.Upload, city *models.City, vocab models.ImportVocabulary,
	now time.Time, choices models.ImportChoices, progress func(models.ImportProgress)) (*models.ImportPlan, error) {
	if progress == nil {
		progress = func(models.ImportProgress) {}
	}
	progress(models.ImportProgress{Phase: models.ImportChecking})
	sheet, err := ReadSheet(ctx, up.Data)
	if err != nil {
		return nil, err
	}
	kind := models.ImportKind(up.Kind)
	var p *plan
	err = st.Batch(ctx, func(tx *store.Store) error {
		var err error
		if p, err = planFile(ctx, tx, kind, city, sheet, vocab, now, choices); err != nil {
			return err
		}
		if err := p.Confirm(choices.CreatePartners); err != nil {
			return err
		}
		rows := p.Creates + p.Updates
		written := func(n int) { progress(models.ImportProgress{Phase: models.ImportWriting, Done: n, Total: rows}) }
		written(0)
		entity := models.EntityEvent
		if kind == models.ImportPartners {
			entity = models.EntityPartner
		}
		tx, err = tx.AuditBulk(actor, models.AuditImport, entity, &city.ID, models.ImportSummary(p.Creates, p.Updates, up.Name))
		if err != nil {
			return err
		}
		if kind == models.ImportPartners {
			err = tx.WriteImportedPartners(ctx, actor, p.partners, written)
		} else {
			err = tx.WriteImportedEvents(ctx, actor, city, p.NewPartners, p.events, written)
		}
		if err != nil {
			return err
		}
		// The Batch refreshes the roll-ups as this returns.
		progress(models.ImportProgress{Phase: models.ImportRefreshing, Done: rows, Total: rows})
		return tx.FinishUpload(ctx, up.Token, p.Creates, p.Updates, "")
	})
	if p == nil {
		return nil, err
	}
	return p.ImportPlan, err
}

// planFile checks the choices, finds the file's columns and, when it has
// those kind needs and no other, plans its rows.
func planFile(ctx context.Context, st *store.Store, kind models.ImportKind, city *models.City, sheet *Sheet,
	vocab models.ImportVocabulary, now time.Time, choices models.ImportChoices) (*plan, error) {
	if err := choices.Check(kind); err != nil {
		return nil, err
	}
	lines := make(map[int]bool, len(sheet.Rows))
	for _, row := range sheet.Rows {
		lines[row.Line] = true
	}
	for line := range choices.Skip {
		if !lines[line] {
			return nil, models.ErrImportChoices
		}
	}
	p := &plan{ImportPlan: &models.ImportPlan{Kind: kind}}
	sheet = skipExamples(p.ImportPlan, sheet, vocab)
	p.values = &valueMap{mapping: choices.Mapping, seen: map[[2]string]int{}, plan: p.ImportPlan}
	p.skip = choices.Skip
	aliases := map[string]string{}
	for _, col := range kind.Columns() {
		aliases[models.NormalizeHeader(col)] = col
	}
	for h, col := range vocab.Headers {
		if slices.Contains(kind.Columns(), col) {
			aliases[h] = col
		}
	}
	pos, unknown := sheet.Columns(aliases)
	for _, h := range unknown {
		p.Problems = append(p.Problems, models.RowProblem{Line: sheet.HeaderLine, Column: h, Code: "column_unknown"})
	}
	for _, col := range kind.Required() {
		if _, ok := pos[col]; !ok {
			p.Problems = append(p.Problems, models.RowProblem{Line: sheet.HeaderLine, Column: col, Code: "column_missing"})
		}
	}
	if len(p.Problems) > 0 {
		return p, nil
	}
	lk, err := st.ImportLookups(ctx, kind, city.ID)
	if err != nil {
		return p, err
	}
	if kind == models.ImportPartners {
		planPartners(p, city, sheet, pos, vocab, lk)
		return p, nil
	}
	return p, planEvents(ctx, st, p, city, sheet, pos, vocab, now, lk)
}

// skipExamples leaves out of sheet the rows of a template's example (a
// cell says "EXAMPLE – this row is skipped", in any language), counting
// them in p.
func skipExamples(p *models.ImportPlan, sheet *Sheet, vocab models.ImportVocabulary) *Sheet {
	rows := make([]SheetRow, 0, len(sheet.Rows))
	for _, r := range sheet.Rows {
		if vocab.IsExample(r.Cells) {
			p.Examples++
			continue
		}
		rows = append(rows, r)
	}
	if p.Examples == 0 {
		return sheet
	}
	s := *sheet
	s.Rows = rows
	return &s
}

// cell reads column col of row, and whether the file has that column.
func cell(row SheetRow, pos map[string]int, col string) (string, bool) {
	i, ok := pos[col]
	if !ok {
		return "", false
	}
	return row.Cell(i), true
}

// addProblems adds a row's problems to the plan, in the order of kind's
// columns, then any other.
func addProblems(p *models.ImportPlan, line int, fe models.FieldErrors, kind models.ImportKind) {
	for _, f := range inColumnOrder(fe, kind) {
		p.Problems = append(p.Problems, models.RowProblem{Line: line, Column: f, Code: fe[f].Code, Param: fe[f].Param})
	}
}

// inColumnOrder lists the fields of a row's problems in the order of
// kind's columns, then any other.
func inColumnOrder(fe models.FieldErrors, kind models.ImportKind) []string {
	var out []string
	for _, col := range kind.Columns() {
		if _, ok := fe[col]; ok {
			out = append(out, col)
		}
	}
	var rest []string
	for k := range fe {
		if !slices.Contains(out, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}
