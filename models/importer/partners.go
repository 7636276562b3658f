package importer

import (
	"strconv"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
)

// planPartners plans a partners file's rows: a row whose name is one of
// the city's partners' updates it, any other creates one; a name twice in
// the file is a problem of its second row.
func planPartners(p *plan, city *models.City, sheet *Sheet, pos map[string]int, vocab models.ImportVocabulary, lk *store.ImportLookups) {
	byName := map[string]*models.Partner{}
	for i := range lk.Partners {
		byName[models.NormalizeHeader(lk.Partners[i].Name)] = &lk.Partners[i]
	}
	seen := map[string]int{}
	for _, row := range sheet.Rows {
		problems := models.FieldErrors{}
		name, _ := cell(row, pos, "name")
		if first, dup := seen[models.NormalizeHeader(name)]; dup && name != "" {
			problems.Add("name", "duplicate_row", strconv.Itoa(first))
		}
		seen[models.NormalizeHeader(name)] = row.Line
		partner := partnerFromRow(row, pos, vocab, city, byName[models.NormalizeHeader(name)], problems)
		if fe, ok := models.AsFieldErrors(partner.Validate()); ok {
			for f, pr := range fe {
				problems.Add(f, pr.Code, pr.Param)
			}
		}
		if len(problems) > 0 {
			addProblems(p.ImportPlan, row.Line, problems, models.ImportPartners)
			continue
		}
		if partner.ID != 0 {
			p.Updates++
		} else {
			p.Creates++
		}
		p.partners = append(p.partners, partner)
	}
}

// partnerFromRow reads a row of a partners file into a copy of old, the
// city's partner of that name, or into a new partner (sector "other",
// active) when old is nil, adding the problems of cells it cannot read.
func partnerFromRow(row SheetRow, pos map[string]int, vocab models.ImportVocabulary, city *models.City, old *models.Partner,
	problems models.FieldErrors) *models.Partner {
	p := &models.Partner{CityID: city.ID, Sector: models.SectorOtherSector, Active: true}
	if old != nil {
		cp := *old
		p = &cp
	}
	p.Name, _ = cell(row, pos, "name")
	if v, ok := cell(row, pos, "sector"); ok && v != "" {
		p.Sector = models.Sector(vocab.Value("sector", v))
		unknownValue(problems, "sector", v, p.Sector.Valid())
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
		switch vocab.Value("active", v) {
		case "yes", "true", "1", "x":
			p.Active = true
		case "no", "false", "0":
			p.Active = false
		default:
			unknownValue(problems, "active", v, false)
		}
	}
	return p
}
