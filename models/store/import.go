package store

// Importing a city's events or partners from a table (package importer): a
// plan first, which writes nothing and lists every problem, then the
// import itself, all or nothing in one transaction, through the same
// checks, links, roll-ups and audit entries as the forms.

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/importer"
	"github.com/unesco-gnlc/learnthroughlife/models/report/rollup"
)

type importedEvent struct {
	e           *models.Event
	ref         string
	update      bool
	newPartners []string
	// The roll-up keys and partners of an updated event before the import.
	oldKeys     []rollup.Key
	oldPartners []uint
}

type importedPartner struct {
	p      *models.Partner
	update bool
}

// PlanImport checks a file of kind against the city's data without
// writing anything.
func (s *Store) PlanImport(ctx context.Context, kind models.ImportKind, city *models.City, sheet *importer.Sheet, vocab models.ImportVocabulary, now time.Time) (*models.ImportPlan, error) {
	plan, err := s.withCtx(ctx).plan(kind, city, sheet, vocab, now)
	if plan == nil {
		return nil, err
	}
	return plan.ImportPlan, err
}

// importPlan is a plan with the rows it would write.
type importPlan struct {
	*models.ImportPlan
	events   []importedEvent
	partners []importedPartner
}

// withCtx is the store bound to ctx.
func (s *Store) withCtx(ctx context.Context) *Store {
	c := *s
	c.db = s.db.WithContext(ctx)
	return &c
}

// Import writes the file of a claimed upload to the city, all or nothing,
// in one transaction (a Batch): the partners it creates, its events or
// partners with their links and audit entries, the roll-ups they change,
// refreshed once at its end, and the upload's outcome, so that no one
// reads it running, or failed, once its rows are in.
// Unknown partners of an events file are created (sector "other") only
// when createPartners is set; otherwise, as with any problem, nothing is
// written and the plan comes back with ErrImportRefused.
// progress, when not nil, hears of each phase and of the rows written as
// they go.
func (s *Store) Import(ctx context.Context, actor models.Actor, up *models.Upload, city *models.City, vocab models.ImportVocabulary, now time.Time,
	createPartners bool, progress func(models.ImportProgress)) (*models.ImportPlan, error) {
	if progress == nil {
		progress = func(models.ImportProgress) {}
	}
	progress(models.ImportProgress{Phase: models.ImportChecking})
	sheet, err := importer.ReadSheet(up.Data)
	if err != nil {
		return nil, err
	}
	kind := models.ImportKind(up.Kind)
	var plan *importPlan
	err = s.Batch(ctx, func(tx *Store) error {
		var err error
		if plan, err = tx.plan(kind, city, sheet, vocab, now); err != nil {
			return err
		}
		if err := plan.Confirm(createPartners); err != nil {
			return err
		}
		rows := plan.Creates + plan.Updates
		written := func(n int) { progress(models.ImportProgress{Phase: models.ImportWriting, Done: n, Total: rows}) }
		written(0)
		if kind == models.ImportPartners {
			err = tx.writePartners(actor, plan, written)
		} else {
			err = tx.writeEvents(actor, city, plan, written)
		}
		if err != nil {
			return err
		}
		// The Batch refreshes the roll-ups as this returns.
		progress(models.ImportProgress{Phase: models.ImportRefreshing, Done: rows, Total: rows})
		return tx.finishUpload(up.Token, plan.Creates, plan.Updates, "")
	})
	if plan == nil {
		return nil, err
	}
	return plan.ImportPlan, err
}

func (s *Store) plan(kind models.ImportKind, city *models.City, sheet *importer.Sheet, vocab models.ImportVocabulary, now time.Time) (*importPlan, error) {
	plan := &importPlan{ImportPlan: &models.ImportPlan{Kind: kind}}
	aliases := map[string]string{}
	for _, col := range kind.Columns() {
		aliases[col] = col
	}
	for h, col := range vocab.Headers {
		if slices.Contains(kind.Columns(), col) {
			aliases[h] = col
		}
	}
	pos, unknown := sheet.Columns(aliases)
	for _, h := range unknown {
		plan.Problems = append(plan.Problems, models.RowProblem{Line: sheet.HeaderLine, Column: h, Code: "column_unknown"})
	}
	for _, col := range kind.Required() {
		if _, ok := pos[col]; !ok {
			plan.Problems = append(plan.Problems, models.RowProblem{Line: sheet.HeaderLine, Column: col, Code: "column_missing"})
		}
	}
	if len(plan.Problems) > 0 {
		return plan, nil
	}
	if kind == models.ImportPartners {
		return plan, s.planPartners(plan, city, sheet, pos, vocab)
	}
	return plan, s.planEvents(plan, city, sheet, pos, vocab, now)
}

// cell reads column col of row, and whether the file has that column.
func cell(row importer.SheetRow, pos map[string]int, col string) (string, bool) {
	i, ok := pos[col]
	if !ok {
		return "", false
	}
	return row.Cell(i), true
}

func (s *Store) planEvents(plan *importPlan, city *models.City, sheet *importer.Sheet, pos map[string]int, vocab models.ImportVocabulary, now time.Time) error {
	var existing []struct {
		ID          uint
		Title       string
		StartsAt    time.Time
		ExternalRef *string
	}
	if err := s.db.Table("events").Select("id, title, starts_at, external_ref").Where("city_id = ?", city.ID).Scan(&existing).Error; err != nil {
		return err
	}
	byRef, byKey := map[string]uint{}, map[string]uint{}
	refOf := map[uint]string{}
	for _, e := range existing {
		byKey[eventKey(e.Title, e.StartsAt)] = e.ID
		if e.ExternalRef != nil {
			byRef[*e.ExternalRef] = e.ID
			refOf[e.ID] = *e.ExternalRef
		}
	}
	var partners []models.Partner
	if err := s.db.Select("id, name").Where("city_id = ?", city.ID).Find(&partners).Error; err != nil {
		return err
	}
	partnerByName := map[string]uint{}
	for _, p := range partners {
		partnerByName[models.NormalizeHeader(p.Name)] = p.ID
	}
	var campaigns []models.Campaign
	if err := s.db.Order("starts_on DESC, id DESC").Find(&campaigns).Error; err != nil {
		return err
	}
	campaignByTag := map[string]uint{}
	for _, c := range campaigns {
		campaignByTag[strings.ToLower(strings.TrimPrefix(c.Hashtag, "#"))] = c.ID
	}
	loc := city.Location()
	// matchOf finds the city's event a row updates, if any: by its
	// reference, else by its title and start.
	matchOf := func(row importer.SheetRow) uint {
		ref, _ := cell(row, pos, "external_ref")
		if id := byRef[ref]; ref != "" && id != 0 {
			return id
		}
		title, _ := cell(row, pos, "title")
		startCell, _ := cell(row, pos, "starts_at")
		start, ok := importer.ParseSheetTime(startCell, loc)
		if !ok {
			return 0
		}
		id := byKey[eventKey(strings.TrimSpace(title), start)]
		if id != 0 && ref != "" && refOf[id] != "" && refOf[id] != ref {
			return 0 // the same title and start, but another of the city's rows
		}
		return id
	}
	// The events the file updates, read with their links in batches.
	var matched []uint
	for _, row := range sheet.Rows {
		if id := matchOf(row); id != 0 {
			matched = append(matched, id)
		}
	}
	matched = models.Unique(matched)
	stored := make(map[uint]models.Event, len(matched))
	for lo := 0; lo < len(matched); lo += importBatch {
		var batch []models.Event
		if err := s.db.Where("id IN ?", matched[lo:min(lo+importBatch, len(matched))]).Find(&batch).Error; err != nil {
			return err
		}
		if err := s.loadEventLinks(s.db.Statement.Context, batch); err != nil {
			return err
		}
		for _, e := range batch {
			stored[e.ID] = e
		}
	}
	seenRef, seenKey := map[string]int{}, map[string]int{}
	newPartners := map[string]bool{}
	for _, row := range sheet.Rows {
		problems := models.FieldErrors{}
		e := &models.Event{CityID: city.ID, Format: models.FormatInPerson}
		var oldKeys []rollup.Key
		var oldPartners []uint
		var before models.Event
		ref, _ := cell(row, pos, "external_ref")
		if ref != "" {
			if first, dup := seenRef[ref]; dup {
				problems.Add("external_ref", "duplicate_row", strconv.Itoa(first))
			}
			seenRef[ref] = row.Line
		}
		id := matchOf(row)
		title, _ := cell(row, pos, "title")
		startCell, _ := cell(row, pos, "starts_at")
		start, okStart := importer.ParseSheetTime(startCell, loc)
		if startCell != "" && !okStart {
			problems.Add("starts_at", "datetime", "")
		}
		if okStart {
			key := eventKey(strings.TrimSpace(title), start)
			if first, dup := seenKey[key]; dup && ref == "" {
				problems.Add("title", "duplicate_row", strconv.Itoa(first))
			}
			seenKey[key] = row.Line
		}
		if id != 0 {
			old := stored[id]
			e = &old
			before = *e
			oldKeys, oldPartners = rollup.EventKeys(&before)
			oldPartners = slices.Clone(oldPartners)
		}
		e.Title, e.StartsAt = title, start
		if v, ok := cell(row, pos, "description"); ok {
			e.Description = v
		}
		if v, ok := cell(row, pos, "venue"); ok {
			e.Venue = v
		}
		if v, ok := cell(row, pos, "lang"); ok {
			e.Lang = v
		}
		if v, ok := cell(row, pos, "ends_at"); ok && v != "" {
			end, okEnd := importer.ParseSheetTime(v, loc)
			if !okEnd {
				problems.Add("ends_at", "datetime", "")
			}
			e.EndsAt = end
		} else if id == 0 || ok {
			e.EndsAt = start
		}
		if v, ok := cell(row, pos, "format"); ok && v != "" {
			e.Format = models.EventFormat(vocab.Value("format", v))
		}
		participantsCell, hasParticipants := cell(row, pos, "participants")
		if hasParticipants {
			e.Participants = nil
			if participantsCell != "" {
				n, err := strconv.Atoi(participantsCell)
				if err != nil {
					problems.Add("participants", "number", "")
				}
				e.Participants = &n
			}
		}
		if v, ok := cell(row, pos, "status"); ok && v != "" {
			e.Status = models.EventStatus(vocab.Value("status", v))
		} else if id == 0 || ok {
			e.Status = models.StatusPlanned
			if e.Participants != nil {
				e.Status = models.StatusHeld
			}
		}
		if v, ok := cell(row, pos, "learning_areas"); ok {
			e.LearningAreas = nil
			for _, a := range vocab.List("learning_areas", v) {
				e.LearningAreas = append(e.LearningAreas, models.LearningArea(a))
			}
		}
		if v, ok := cell(row, pos, "age_groups"); ok {
			e.AgeGroups = nil
			for _, g := range vocab.List("age_groups", v) {
				e.AgeGroups = append(e.AgeGroups, models.AgeGroup(g))
			}
		}
		readAgeParticipants(e, &before, row, pos, problems)
		var unknown []string
		if v, ok := cell(row, pos, "partners"); ok {
			e.PartnerIDs = nil
			for _, name := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == '\n' || r == '|' }) {
				name = strings.TrimSpace(name)
				if name == "" {
					continue
				}
				if pid, found := partnerByName[models.NormalizeHeader(name)]; found {
					e.PartnerIDs = append(e.PartnerIDs, pid)
					continue
				}
				unknown = append(unknown, name)
				if !newPartners[models.NormalizeHeader(name)] {
					newPartners[models.NormalizeHeader(name)] = true
					plan.NewPartners = append(plan.NewPartners, name)
				}
			}
		}
		if v, ok := cell(row, pos, "campaign"); ok && v != "" {
			cid, found := campaignByTag[strings.ToLower(strings.TrimPrefix(v, "#"))]
			if !found {
				problems.Add("campaign", "oneof", "")
			}
			e.CampaignID = cid
		} else if e.CampaignID == 0 && len(campaigns) > 0 {
			e.CampaignID = campaigns[0].ID
		}
		if fe, ok := models.AsFieldErrors(e.Validate(now)); ok {
			for f, p := range fe {
				problems.Add(f, p.Code, p.Param)
			}
		}
		if !okStart && e.EndsAt.IsZero() && problems["ends_at"].Code == "required" {
			delete(problems, "ends_at") // it follows the start, which has its own problem
		}
		if len(problems) > 0 {
			for _, f := range inColumnOrder(problems, models.ImportEvents) {
				plan.Problems = append(plan.Problems, models.RowProblem{Line: row.Line, Column: f, Code: problems[f].Code, Param: problems[f].Param})
			}
			continue
		}
		if id != 0 {
			plan.Updates++
		} else {
			plan.Creates++
		}
		plan.events = append(plan.events, importedEvent{e: e, ref: ref, update: id != 0, newPartners: unknown, oldKeys: oldKeys, oldPartners: oldPartners})
	}
	return nil
}

// readAgeParticipants reads a row's participants by age group into e. A
// file with none of their columns keeps the counts recorded before (the
// stored event, or none) while the row leaves its age groups and
// participants as they were, and drops them otherwise: they would no
// longer add up, or would bring back a group the row took out.
func readAgeParticipants(e, before *models.Event, row importer.SheetRow, pos map[string]int, problems models.FieldErrors) {
	has := false
	for _, g := range models.AgeGroups() {
		_, ok := pos[g.ParticipantsField()]
		has = has || ok
	}
	if !has {
		sameTotal := (e.Participants == nil) == (before.Participants == nil) && (e.Participants == nil || *e.Participants == *before.Participants)
		if !sameTotal || !sameSet(e.AgeGroups, before.AgeGroups) {
			e.AgeParticipants = nil
		}
		return
	}
	e.AgeParticipants = nil
	for _, g := range models.AgeGroups() {
		v, _ := cell(row, pos, g.ParticipantsField())
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			problems.Add(g.ParticipantsField(), "number", "")
			continue
		}
		if e.AgeParticipants == nil {
			e.AgeParticipants = map[models.AgeGroup]int{}
		}
		e.AgeParticipants[g] = n
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

// eventKey is how an event without a reference is recognised in its city:
// its title and its start.
func eventKey(title string, start time.Time) string {
	return strings.ToLower(title) + "\x00" + start.UTC().Format(time.RFC3339)
}

// importUpdateSQL updates an event from an imported row; a row without a
// reference keeps the event's. One plain statement a row, not the ORM's
// built one: a large file updates thousands while holding the write lock.
const importUpdateSQL = `UPDATE events SET campaign_id = ?, title = ?, description = ?, starts_at = ?, ends_at = ?, venue = ?, lang = ?,
	format = ?, status = ?, participants = ?, updated_at = ?, external_ref = COALESCE(?, external_ref) WHERE id = ? AND city_id = ?`

// eventRow is an event's own columns as an import writes them, in
// batches, with its reference in the city's spreadsheet.
type eventRow struct {
	ID           uint `gorm:"primaryKey"`
	CityID       uint
	CampaignID   uint
	Title        string
	Description  string
	StartsAt     time.Time
	EndsAt       time.Time
	Venue        string
	Lang         string
	Format       models.EventFormat
	Status       models.EventStatus
	Participants *int
	ExternalRef  *string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (eventRow) TableName() string { return "events" }

// importBatch is how many rows one statement of an import writes.
const importBatch = 400

// writeEvents writes a checked plan's events in batches: the plan has
// already checked every row as Event.Validate does, with the city's own
// partners and campaigns only, so the per-row reference checks of the
// forms are not repeated. The links, audit entries and roll-ups are the
// forms' own, the roll-ups refreshed once for all the rows.
func (s *Store) writeEvents(actor models.Actor, city *models.City, plan *importPlan, written func(int)) error {
	created := map[string]uint{}
	for _, name := range plan.NewPartners {
		p := &models.Partner{CityID: city.ID, Name: name, Sector: models.SectorOtherSector, Active: true}
		if err := p.Validate(); err != nil {
			return err
		}
		if err := s.db.Create(p).Error; err != nil {
			return fmt.Errorf("import partner: %w", err)
		}
		if err := s.audit(actor, models.AuditCreate, models.EntityPartner, p.ID, &p.CityID, p.Name); err != nil {
			return err
		}
		created[models.NormalizeHeader(name)] = p.ID
	}
	now := time.Now().UTC()
	var creates []eventRow
	var createdFrom []*models.Event
	var updatedIDs []uint
	for _, ie := range plan.events {
		e := ie.e
		for _, name := range ie.newPartners {
			e.PartnerIDs = append(e.PartnerIDs, created[models.NormalizeHeader(name)])
		}
		e.PartnerIDs = models.Unique(e.PartnerIDs)
		row := eventRow{ID: e.ID, CityID: city.ID, CampaignID: e.CampaignID, Title: e.Title, Description: e.Description,
			StartsAt: e.StartsAt.UTC(), EndsAt: e.EndsAt.UTC(), Venue: e.Venue, Lang: e.Lang, Format: e.Format, Status: e.Status,
			Participants: e.Participants, CreatedAt: now, UpdatedAt: now}
		if ie.ref != "" {
			ref := ie.ref
			row.ExternalRef = &ref
		}
		if !ie.update {
			creates = append(creates, row)
			createdFrom = append(createdFrom, e)
			continue
		}
		if err := s.db.Exec(importUpdateSQL, row.CampaignID, row.Title, row.Description, row.StartsAt, row.EndsAt, row.Venue, row.Lang,
			row.Format, row.Status, row.Participants, row.UpdatedAt, row.ExternalRef, e.ID, city.ID).Error; err != nil {
			return fmt.Errorf("import event: %w", translate(err))
		}
		if err := s.refreshRollups(ie.oldKeys, ie.oldPartners); err != nil {
			return err
		}
		updatedIDs = append(updatedIDs, e.ID)
		if len(updatedIDs)%importBatch == 0 {
			written(len(updatedIDs))
		}
	}
	for lo := 0; lo < len(creates); lo += importBatch {
		batch := creates[lo:min(lo+importBatch, len(creates))]
		if err := s.db.Create(&batch).Error; err != nil {
			return fmt.Errorf("import events: %w", translate(err))
		}
		written(len(updatedIDs) + lo + len(batch))
	}
	if len(creates) > 0 {
		for i := range creates {
			createdFrom[i].ID = creates[i].ID
		}
	}
	for lo := 0; lo < len(updatedIDs); lo += importBatch {
		batch := updatedIDs[lo:min(lo+importBatch, len(updatedIDs))]
		for _, table := range []string{"event_learning_areas", "event_age_groups", "event_partners"} {
			if err := s.db.Exec("DELETE FROM "+table+" WHERE event_id IN ?", batch).Error; err != nil {
				return err
			}
		}
	}
	var areas, ages, partners [][]any
	var entries []models.AuditEntry
	for _, ie := range plan.events {
		e := ie.e
		for _, a := range e.LearningAreas {
			areas = append(areas, []any{e.ID, a})
		}
		for _, g := range e.AgeGroups {
			ages = append(ages, []any{e.ID, g, e.AgeCount(g)})
		}
		for _, p := range e.PartnerIDs {
			partners = append(partners, []any{e.ID, p})
		}
		if err := s.refreshRollups(rollup.EventKeys(e)); err != nil {
			return err
		}
		entry := models.AuditEntry{UserEmail: actor.Email, Action: models.AuditCreate, Entity: models.EntityEvent, EntityID: e.ID,
			CityID: &city.ID, Summary: truncate(e.Title, 200), CreatedAt: now}
		if ie.update {
			entry.Action = models.AuditUpdate
		}
		if actor.UserID != 0 {
			id := actor.UserID
			entry.UserID = &id
		}
		entries = append(entries, entry)
	}
	for table, rows := range map[string][][]any{
		"event_learning_areas (event_id, area)": areas, "event_age_groups (event_id, age_group, participants)": ages,
		"event_partners (event_id, partner_id)": partners,
	} {
		for lo := 0; lo < len(rows); lo += importBatch {
			batch := rows[lo:min(lo+importBatch, len(rows))]
			var args []any
			for _, r := range batch {
				args = append(args, r...)
			}
			tuple := "(" + placeholders(len(batch[0])) + "),"
			if err := s.db.Exec("INSERT INTO "+table+" VALUES "+strings.TrimSuffix(strings.Repeat(tuple, len(batch)), ","), args...).Error; err != nil {
				return fmt.Errorf("import event links: %w", err)
			}
		}
	}
	if len(entries) > 0 {
		if err := s.db.CreateInBatches(&entries, importBatch).Error; err != nil {
			return fmt.Errorf("import audit: %w", err)
		}
	}
	return nil
}

func (s *Store) planPartners(plan *importPlan, city *models.City, sheet *importer.Sheet, pos map[string]int, vocab models.ImportVocabulary) error {
	var existing []models.Partner
	if err := s.db.Where("city_id = ?", city.ID).Find(&existing).Error; err != nil {
		return err
	}
	byName := map[string]*models.Partner{}
	for i := range existing {
		byName[models.NormalizeHeader(existing[i].Name)] = &existing[i]
	}
	seen := map[string]int{}
	for _, row := range sheet.Rows {
		problems := models.FieldErrors{}
		name, _ := cell(row, pos, "name")
		p := &models.Partner{CityID: city.ID, Sector: models.SectorOtherSector, Active: true}
		old := byName[models.NormalizeHeader(name)]
		if old != nil {
			cp := *old
			p = &cp
		}
		if first, dup := seen[models.NormalizeHeader(name)]; dup && name != "" {
			problems.Add("name", "duplicate_row", strconv.Itoa(first))
		}
		seen[models.NormalizeHeader(name)] = row.Line
		p.Name = name
		if v, ok := cell(row, pos, "sector"); ok && v != "" {
			p.Sector = models.Sector(vocab.Value("sector", v))
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
				problems.Add("active", "oneof", "")
			}
		}
		if fe, ok := models.AsFieldErrors(p.Validate()); ok {
			for f, pr := range fe {
				problems.Add(f, pr.Code, pr.Param)
			}
		}
		if len(problems) > 0 {
			for _, f := range inColumnOrder(problems, models.ImportPartners) {
				plan.Problems = append(plan.Problems, models.RowProblem{Line: row.Line, Column: f, Code: problems[f].Code, Param: problems[f].Param})
			}
			continue
		}
		if old != nil {
			plan.Updates++
		} else {
			plan.Creates++
		}
		plan.partners = append(plan.partners, importedPartner{p: p, update: old != nil})
	}
	return nil
}

func (s *Store) writePartners(actor models.Actor, plan *importPlan, written func(int)) error {
	for i, ip := range plan.partners {
		if i%importBatch == 0 {
			written(i)
		}
		p := ip.p
		if !ip.update {
			if err := s.db.Create(p).Error; err != nil {
				return fmt.Errorf("import partner: %w", err)
			}
			if err := s.audit(actor, models.AuditCreate, models.EntityPartner, p.ID, &p.CityID, p.Name); err != nil {
				return err
			}
			continue
		}
		var old models.Partner
		if err := s.db.Select("sector").Where("id = ? AND city_id = ?", p.ID, p.CityID).First(&old).Error; err != nil {
			return translate(err)
		}
		p.UpdatedAt = time.Now().UTC()
		if err := s.db.Model(&models.Partner{}).Where("id = ? AND city_id = ?", p.ID, p.CityID).
			Select("name", "sector", "contact_name", "contact_email", "website", "lang", "active", "updated_at").Updates(p).Error; err != nil {
			return fmt.Errorf("import partner: %w", err)
		}
		if old.Sector != p.Sector {
			if err := s.rollups().MoveSector(p.ID, old.Sector, p.Sector); err != nil {
				return err
			}
		}
		if err := s.audit(actor, models.AuditUpdate, models.EntityPartner, p.ID, &p.CityID, p.Name); err != nil {
			return err
		}
	}
	return nil
}
