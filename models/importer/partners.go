package importer

import (
	"strconv"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
)

// planPartners plans a partners file's rows: a row whose name is one of
// the city's partners' updates it, any other creates one; a name twice in
// the file is a problem of its second row. A row that leaves its partner
// as it is is counted unchanged, not written; a row left out is read for
// the preview only.
func planPartners(p *plan, city *models.City, sheet *Sheet, pos map[string]int, vocab models.ImportVocabulary, lk *store.ImportLookups) {
	byName := map[string]*models.Partner{}
	for i := range lk.Partners {
		byName[models.NormalizeHeader(lk.Partners[i].Name)] = &lk.Partners[i]
	}
	seen := map[string]int{}
	for _, row := range sheet.Rows {
		problems := models.FieldErrors{}
		name, _ := cell(row, pos, "name")
		old := byName[models.NormalizeHeader(name)]
		p.values.line, p.values.quiet = row.Line, p.skip[row.Line]
		if p.skip[row.Line] {
			partner := partnerFromRow(row, pos, vocab, p.values, city, old, problems)
			_ = partner.Validate()
			p.Skipped++
			p.listRow(partnerRow(row.Line, partner, old, true))
			continue
		}
		if first, dup := seen[models.NormalizeHeader(name)]; dup && name != "" {
			problems.Add("name", "duplicate_row", strconv.Itoa(first))
		}
		seen[models.NormalizeHeader(name)] = row.Line
		partner := partnerFromRow(row, pos, vocab, p.values, city, old, problems)
		if fe, ok := models.AsFieldErrors(partner.Validate()); ok {
			for f, pr := range fe {
				problems.Add(f, pr.Code, pr.Param)
			}
		}
		if len(problems) > 0 {
			addProblems(p.ImportPlan, row.Line, problems, models.ImportPartners)
			continue
		}
		r := partnerRow(row.Line, partner, old, false)
		switch {
		case old == nil:
			p.Creates++
		case len(r.Changed) == 0:
			p.Unchanged++
			continue
		default:
			p.Updates++
		}
		p.partners = append(p.partners, partner)
		p.listRow(r)
	}
}

// partnerRow is a row read into partner as the preview shows it: for an
// update of old, with the columns it changes.
func partnerRow(line int, partner, old *models.Partner, skipped bool) models.ImportRow {
	r := models.ImportRow{Line: line, Skipped: skipped, Partner: partner, PartnerBefore: old}
	if old != nil {
		r.Changed = models.PartnerChanges(old, partner)
	}
	return r
}

// partnerFromRow reads a row of a partners file into a copy of old, the
// city's partner of that name, or into a new partner (sector "other",
// active) when old is nil, its enumerated cells through values, adding
// the problems of cells it cannot read.
func partnerFromRow(row SheetRow, pos map[string]int, vocab models.ImportVocabulary, values *valueMap, city *models.City, old *models.Partner,
	problems models.FieldErrors) *models.Partner {
	p := &models.Partner{CityID: city.ID, Sector: models.SectorOtherSector, Active: true}
	if old != nil {
		cp := *old
		p = &cp
	}
	p.Name, _ = cell(row, pos, "name")
	if v, ok := cell(row, pos, "sector"); ok && v != "" {
		sector := models.Sector(vocab.Value("sector", v))
		p.Sector = models.Sector(values.resolve(problems, "sector", v, string(sector), sector.Valid()))
	}
	if v, ok := cell(row, pos, "contact_name"); ok {
		p.ContactName = v
	}
	if v, ok := cell(row, pos, "contact_email"); ok {
		p.ContactEmail = v
	}
	if v, ok := cell(row, pos, "website"); ok {
		p.Website = v
	}
	if v, ok := cell(row, pos, "lang"); ok {
		p.Lang = v
	}
	if v, ok := cell(row, pos, "active"); ok && v != "" {
		key := vocab.Value("active", v)
		switch key {
		case "true", "1", "x":
			key = "yes"
		case "false", "0":
			key = "no"
		}
		key = values.resolve(problems, "active", v, key, key == "yes" || key == "no")
		if key == "yes" || key == "no" {
			p.Active = key == "yes"
		}
	}
	return p
}
