package store

// The store's half of importing a city's events or partners from a table
// (package importer plans the file): what the city already has, read at
// once for the file's rows to be matched against, and the writes of a
// checked plan's rows, in batches, through the same links, roll-ups and
// audit entries as the forms.

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report/rollup"
)

// importBatch is how many rows one statement of an import reads or writes.
const importBatch = 400

// withCtx is the store bound to ctx.
func (s *Store) withCtx(ctx context.Context) *Store {
	c := *s
	c.db = s.db.WithContext(ctx)
	return &c
}

// EventIdentity is what an events file recognises one of the city's
// events by: its reference in the city's spreadsheet, if it has one, else
// its title and start.
type EventIdentity struct {
	ID          uint
	Title       string
	StartsAt    time.Time
	ExternalRef *string
}

// ImportLookups is what a city already has that a file's rows are matched
// against.
type ImportLookups struct {
	// Events are every event of the city (events files only).
	Events []EventIdentity
	// Partners are every partner of the city, whole, by id.
	Partners []models.Partner
	// Campaigns are every campaign, newest first (events files only).
	Campaigns []models.Campaign
}

// ImportLookups reads at once what a file of kind is matched against in
// the city: for a partners file, its partners only.
func (s *Store) ImportLookups(ctx context.Context, kind models.ImportKind, cityID uint) (*ImportLookups, error) {
	db := s.db.WithContext(ctx)
	var lk ImportLookups
	if err := db.Where("city_id = ?", cityID).Order("id").Find(&lk.Partners).Error; err != nil {
		return nil, err
	}
	if kind == models.ImportPartners {
		return &lk, nil
	}
	if err := db.Table("events").Select("id, title, starts_at, external_ref").Where("city_id = ?", cityID).Scan(&lk.Events).Error; err != nil {
		return nil, err
	}
	if err := db.Order("starts_on DESC, id DESC").Find(&lk.Campaigns).Error; err != nil {
		return nil, err
	}
	return &lk, nil
}

// EventsByIDs returns the events with ids, with their links, read in
// batches: those a file updates. An id no event has is left out.
func (s *Store) EventsByIDs(ctx context.Context, ids []uint) ([]models.Event, error) {
	db := s.db.WithContext(ctx)
	var out []models.Event
	for lo := 0; lo < len(ids); lo += importBatch {
		var batch []models.Event
		if err := db.Where("id IN ?", ids[lo:min(lo+importBatch, len(ids))]).Find(&batch).Error; err != nil {
			return nil, err
		}
		if err := s.loadEventLinks(ctx, batch); err != nil {
			return nil, err
		}
		out = append(out, batch...)
	}
	return out, nil
}

// ImportedEvent is one checked row of an events file, to be written.
type ImportedEvent struct {
	// Event is the row's event: a new one (no ID) or the city's, updated.
	Event *models.Event
	// Ref is the row's reference; "" keeps an updated event's.
	Ref string
	// Before is an updated event as stored before the import; nil for a
	// new one.
	Before *models.Event
	// NewPartners are the names of the row's partners that the import
	// creates (WriteImportedEvents' newPartners).
	NewPartners []string
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

// WriteImportedEvents writes a checked events file to the city, all or
// nothing, in the caller's Batch (or in one of its own): first the
// partners of newPartners (sector "other", active), then the events, new
// ones given those of their NewPartners' ids, in batches. The rows must
// have passed Event.Validate with the city's own partners and campaigns
// only: the per-row reference checks of the forms are not repeated. The
// links, audit entries and roll-ups are the forms' own, the roll-ups
// refreshed once at the batch's end. written, when not nil, hears of the
// rows written as they go.
func (s *Store) WriteImportedEvents(ctx context.Context, actor models.Actor, city *models.City, newPartners []string,
	events []ImportedEvent, written func(int)) error {
	if s.pending == nil {
		return s.Batch(ctx, func(tx *Store) error {
			return tx.WriteImportedEvents(ctx, actor, city, newPartners, events, written)
		})
	}
	if written == nil {
		written = func(int) {}
	}
	tx := s.withCtx(ctx)
	created, err := tx.createImportedPartners(actor, city, newPartners)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	if err := tx.writeImportedEventRows(city, events, created, now, written); err != nil {
		return err
	}
	return tx.writeImportedEventLinks(actor, city, events, now)
}

// createImportedPartners creates the partners an events file names that
// the city lacks, each audited, and returns their ids by NormalizeHeader'd
// name.
func (s *Store) createImportedPartners(actor models.Actor, city *models.City, names []string) (map[string]uint, error) {
	created := map[string]uint{}
	for _, name := range names {
		p := &models.Partner{CityID: city.ID, Name: name, Sector: models.SectorOtherSector, Active: true}
		if err := p.Validate(); err != nil {
			return nil, err
		}
		if err := s.db.Create(p).Error; err != nil {
			return nil, fmt.Errorf("import partner: %w", err)
		}
		if err := s.audit(actor, models.AuditCreate, models.EntityPartner, p.ID, &p.CityID, p.Name); err != nil {
			return nil, err
		}
		created[models.NormalizeHeader(name)] = p.ID
	}
	return created, nil
}

// writeImportedEventRows writes the events' own columns: an UPDATE a row
// for those the file updates, whose roll-ups before it it notes and whose
// links it drops, and batched inserts for the new ones, which get their
// ids. Each event's partners are completed with the partners created
// for it (created).
func (s *Store) writeImportedEventRows(city *models.City, events []ImportedEvent, created map[string]uint, now time.Time, written func(int)) error {
	var creates []eventRow
	var createdFrom []*models.Event
	var updatedIDs []uint
	for _, ie := range events {
		e := ie.Event
		for _, name := range ie.NewPartners {
			e.PartnerIDs = append(e.PartnerIDs, created[models.NormalizeHeader(name)])
		}
		e.PartnerIDs = models.Unique(e.PartnerIDs)
		row := eventRow{ID: e.ID, CityID: city.ID, CampaignID: e.CampaignID, Title: e.Title, Description: e.Description,
			StartsAt: e.StartsAt.UTC(), EndsAt: e.EndsAt.UTC(), Venue: e.Venue, Lang: e.Lang, Format: e.Format, Status: e.Status,
			Participants: e.Participants, CreatedAt: now, UpdatedAt: now}
		if ie.Ref != "" {
			ref := ie.Ref
			row.ExternalRef = &ref
		}
		if ie.Before == nil {
			creates = append(creates, row)
			createdFrom = append(createdFrom, e)
			continue
		}
		if err := s.db.Exec(importUpdateSQL, row.CampaignID, row.Title, row.Description, row.StartsAt, row.EndsAt, row.Venue, row.Lang,
			row.Format, row.Status, row.Participants, row.UpdatedAt, row.ExternalRef, e.ID, city.ID).Error; err != nil {
			return fmt.Errorf("import event: %w", translate(err))
		}
		if err := s.refreshRollups(rollup.EventKeys(ie.Before)); err != nil {
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
	for i := range creates {
		createdFrom[i].ID = creates[i].ID
	}
	for lo := 0; lo < len(updatedIDs); lo += importBatch {
		batch := updatedIDs[lo:min(lo+importBatch, len(updatedIDs))]
		for _, table := range []string{"event_learning_areas", "event_age_groups", "event_partners"} {
			if err := s.db.Exec("DELETE FROM "+table+" WHERE event_id IN ?", batch).Error; err != nil {
				return err
			}
		}
	}
	return nil
}

// writeImportedEventLinks writes the events' learning areas, age groups
// and partners in batched inserts, notes their roll-ups and writes an
// audit entry each, created or updated.
func (s *Store) writeImportedEventLinks(actor models.Actor, city *models.City, events []ImportedEvent, now time.Time) error {
	var areas, ages, partners [][]any
	var entries []models.AuditEntry
	for _, ie := range events {
		e := ie.Event
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
			CityID: &city.ID, Summary: truncate(e.Title, 200), CreatedAt: now, PartOf: s.bulk}
		if ie.Before != nil {
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

// WriteImportedPartners writes a checked partners file, all or nothing, in
// the caller's Batch (or in one of its own): a partner with an ID (one of
// the city's, as ImportLookups read it) is updated, one without is
// created, each audited; a partner whose sector changes moves its events'
// figures in the roll-ups. The partners must have passed Partner.Validate.
// written, when not nil, hears of the rows written as they go.
func (s *Store) WriteImportedPartners(ctx context.Context, actor models.Actor, partners []*models.Partner, written func(int)) error {
	if s.pending == nil {
		return s.Batch(ctx, func(tx *Store) error { return tx.WriteImportedPartners(ctx, actor, partners, written) })
	}
	if written == nil {
		written = func(int) {}
	}
	tx := s.withCtx(ctx)
	for i, p := range partners {
		if i%importBatch == 0 {
			written(i)
		}
		if p.ID == 0 {
			if err := tx.db.Create(p).Error; err != nil {
				return fmt.Errorf("import partner: %w", err)
			}
			if err := tx.audit(actor, models.AuditCreate, models.EntityPartner, p.ID, &p.CityID, p.Name); err != nil {
				return err
			}
			continue
		}
		var old models.Partner
		if err := tx.db.Select("sector").Where("id = ? AND city_id = ?", p.ID, p.CityID).First(&old).Error; err != nil {
			return translate(err)
		}
		p.UpdatedAt = time.Now().UTC()
		if err := tx.db.Model(&models.Partner{}).Where("id = ? AND city_id = ?", p.ID, p.CityID).
			Select("name", "sector", "contact_name", "contact_email", "website", "lang", "active", "updated_at").Updates(p).Error; err != nil {
			return fmt.Errorf("import partner: %w", err)
		}
		if old.Sector != p.Sector {
			if err := tx.rollups().MoveSector(p.ID, old.Sector, p.Sector); err != nil {
				return err
			}
		}
		if err := tx.audit(actor, models.AuditUpdate, models.EntityPartner, p.ID, &p.CityID, p.Name); err != nil {
			return err
		}
	}
	return nil
}
