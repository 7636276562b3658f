package store

import (
	"context"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// audit records a change; call it inside the transaction of the change so
// that the entry exists exactly when the change does.
func (s *Store) audit(actor models.Actor, action models.AuditAction, entity models.AuditEntity, entityID uint, cityID *uint, summary string) error {
	_, err := s.writeAudit(actor, action, entity, entityID, cityID, summary)
	return err
}

// writeAudit records a change, as audit does, and returns its entry's id.
func (s *Store) writeAudit(actor models.Actor, action models.AuditAction, entity models.AuditEntity, entityID uint, cityID *uint, summary string) (uint, error) {
	e := models.AuditEntry{
		UserEmail: actor.Email,
		Action:    action,
		Entity:    entity,
		EntityID:  entityID,
		CityID:    cityID,
		Summary:   truncate(summary, 200),
		PartOf:    s.bulk,
	}
	if actor.UserID != 0 {
		id := actor.UserID
		e.UserID = &id
	}
	err := s.db.Create(&e).Error
	return e.ID, err
}

// AuditBulk records a bulk action (an import: action AuditImport, with
// ImportSummary's summary) and returns the store, in the same transaction,
// whose audit entries are part of it: the activity feed shows the bulk
// action's entry alone, the audit log every change. Call it inside a Tx
// or Batch, so that the entry exists exactly when its changes do.
func (s *Store) AuditBulk(actor models.Actor, action models.AuditAction, entity models.AuditEntity, cityID *uint, summary string) (*Store, error) {
	id, err := s.writeAudit(actor, action, entity, 0, cityID, summary)
	if err != nil {
		return nil, err
	}
	tx := *s
	tx.bulk = &id
	return &tx, nil
}

// AuditEntries returns one page of the log, newest first, and the matches
// counted up to AuditCountLimit.
func (s *Store) AuditEntries(ctx context.Context, f models.AuditFilter, p models.Page) (models.Paged[models.AuditEntry], error) {
	p = p.Normalized()
	out := models.Paged[models.AuditEntry]{Page: p}
	q := s.db.WithContext(ctx).Model(&models.AuditEntry{})
	if !f.AllCities {
		if len(f.CityIDs) == 0 {
			return out, nil
		}
		q = q.Where("city_id IN ?", f.CityIDs)
	}
	if f.ChangesOnly {
		q = q.Where("action NOT IN ?", models.SignInActions())
	}
	if f.Grouped {
		q = q.Where("part_of IS NULL")
	}
	if f.Who != "" {
		q = q.Where("user_email = ?", f.Who)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if !f.From.IsZero() {
		q = q.Where("created_at >= ?", f.From)
	}
	if !f.To.IsZero() {
		q = q.Where("created_at < ?", f.To)
	}
	if !p.NoTotal {
		limit := p.CountUpTo
		if limit <= 0 {
			limit = models.AuditCountLimit
		}
		if err := countUpTo(s.db.WithContext(ctx), q, limit, &out); err != nil {
			return out, err
		}
	}
	err := q.Order("created_at DESC, id DESC").Limit(p.Size).Offset(p.Offset()).Find(&out.Items).Error
	return out, err
}

// truncate cuts s to at most n runes.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// auditNameColumns is, for each kind of record the feed names, its table
// and the column that names it.
var auditNameColumns = map[models.AuditEntity][2]string{
	models.EntityCity:      {"cities", "name"},
	models.EntityUser:      {"users", "name"},
	models.EntityEvent:     {"events", "title"},
	models.EntityPartner:   {"partners", "name"},
	models.EntityStory:     {"stories", "title"},
	models.EntityCampaign:  {"campaigns", "name"},
	models.EntityGlobalDay: {"global_days", "name"},
}

// AuditNames reads what entries are named by: the name of each person who
// made one, and the title or name now of each record they are about (a
// story erased or withdrawn has none: its entry is named ""). A record
// deleted since is absent. One query a kind of record.
func (s *Store) AuditNames(ctx context.Context, entries []models.AuditEntry) (models.AuditNames, error) {
	out := models.AuditNames{People: map[uint]string{}, Records: map[models.AuditEntity]map[uint]string{}}
	ids := map[models.AuditEntity][]uint{}
	var people []uint
	for _, e := range entries {
		if e.UserID != nil {
			people = append(people, *e.UserID)
		}
		if _, ok := auditNameColumns[e.Entity]; ok && e.EntityID != 0 {
			ids[e.Entity] = append(ids[e.Entity], e.EntityID)
		}
	}
	type named struct {
		ID   uint
		Name string
	}
	read := func(table, column string, keys []uint) ([]named, error) {
		var rows []named
		err := s.db.WithContext(ctx).Raw("SELECT id, "+column+" AS name FROM "+table+" WHERE id IN ?", models.Unique(keys)).Scan(&rows).Error
		return rows, err
	}
	if len(people) > 0 {
		rows, err := read("users", "name", people)
		if err != nil {
			return out, err
		}
		for _, r := range rows {
			out.People[r.ID] = r.Name
		}
	}
	for entity, keys := range ids {
		col := auditNameColumns[entity]
		if entity == models.EntityStory {
			// A withdrawn or erased story keeps no title to show.
			col[1] = "CASE WHEN status IN ('" + string(models.StoryWithdrawn) + "', '" + string(models.StoryErased) + "') THEN '' ELSE title END"
		}
		rows, err := read(col[0], col[1], keys)
		if err != nil {
			return out, err
		}
		m := map[uint]string{}
		for _, r := range rows {
			m[r.ID] = r.Name
		}
		out.Records[entity] = m
	}
	return out, nil
}
