package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report/rollup"
)

// checkEventRefs verifies, inside a transaction, that the campaign exists
// and every partner belongs to the event's city.
func (s *Store) checkEventRefs(e *models.Event) error {
	fe := models.FieldErrors{}
	var n int64
	if err := s.db.Model(&models.Campaign{}).Where("id = ?", e.CampaignID).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		fe.Add("campaign", "oneof", "")
	}
	if len(e.PartnerIDs) > 0 {
		if err := s.db.Model(&models.Partner{}).Where("id IN ? AND city_id = ?", e.PartnerIDs, e.CityID).Count(&n).Error; err != nil {
			return err
		}
		if int(n) != len(e.PartnerIDs) {
			fe.Add("partners", "own_city", "")
		}
	}
	return fe.Err()
}

// saveEventLinks replaces the event's learning areas, age groups and partners.
func (s *Store) saveEventLinks(e *models.Event) error {
	for _, table := range []string{"event_learning_areas", "event_partners"} {
		if err := s.db.Exec("DELETE FROM "+table+" WHERE event_id = ?", e.ID).Error; err != nil {
			return err
		}
	}
	for _, a := range e.LearningAreas {
		if err := s.db.Exec("INSERT INTO event_learning_areas (event_id, area) VALUES (?, ?)", e.ID, a).Error; err != nil {
			return err
		}
	}
	if err := s.saveAgeGroups(e); err != nil {
		return err
	}
	for _, p := range e.PartnerIDs {
		if err := s.db.Exec("INSERT INTO event_partners (event_id, partner_id) VALUES (?, ?)", e.ID, p).Error; err != nil {
			return err
		}
	}
	return nil
}

// CreateEvent stores a new event of e.CityID with its links.
func (s *Store) CreateEvent(ctx context.Context, actor models.Actor, e *models.Event) error {
	if err := e.Validate(time.Now()); err != nil {
		return err
	}
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.checkEventRefs(e); err != nil {
			return err
		}
		if err := tx.db.Create(e).Error; err != nil {
			return fmt.Errorf("create event: %w", err)
		}
		if err := tx.saveEventLinks(e); err != nil {
			return fmt.Errorf("create event links: %w", err)
		}
		if err := tx.refreshRollups(rollup.EventKeys(e)); err != nil {
			return err
		}
		return tx.audit(actor, models.AuditCreate, models.EntityEvent, e.ID, &e.CityID, e.Title)
	})
}

// UpdateEvent saves e's fields and links; its city never changes.
func (s *Store) UpdateEvent(ctx context.Context, actor models.Actor, e *models.Event) error {
	if err := e.Validate(time.Now()); err != nil {
		return err
	}
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.checkEventRefs(e); err != nil {
			return err
		}
		old, err := tx.storedEvent(e.ID)
		if err != nil {
			return err
		}
		res := tx.db.Model(&models.Event{}).Where("id = ? AND city_id = ?", e.ID, e.CityID).
			Select("campaign_id", "title", "description", "starts_at", "ends_at", "venue", "lang", "format", "status", "participants", "updated_at").
			Updates(e)
		if res.Error != nil {
			return fmt.Errorf("update event: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return models.ErrNotFound
		}
		if err := tx.saveEventLinks(e); err != nil {
			return fmt.Errorf("update event links: %w", err)
		}
		if err := tx.refreshEventRollups(old, e); err != nil {
			return err
		}
		return tx.audit(actor, models.AuditUpdate, models.EntityEvent, e.ID, &e.CityID, e.Title)
	})
}

// DeleteEvent removes an event and its links.
func (s *Store) DeleteEvent(ctx context.Context, actor models.Actor, e *models.Event) error {
	return s.Tx(ctx, func(tx *Store) error {
		old, err := tx.storedEvent(e.ID)
		if err != nil {
			return err
		}
		res := tx.db.Delete(&models.Event{}, e.ID)
		if res.Error != nil {
			return fmt.Errorf("delete event: %w", res.Error)
		}
		if err := tx.refreshRollups(rollup.EventKeys(old)); err != nil {
			return err
		}
		return tx.audit(actor, models.AuditDelete, models.EntityEvent, e.ID, &e.CityID, e.Title)
	})
}

// MoveEvent moves an event to another city, as staff do when it was
// logged in the wrong one. Its partners belong to the old city, so they
// are unlinked.
func (s *Store) MoveEvent(ctx context.Context, actor models.Actor, e *models.Event, cityID uint) error {
	return s.Tx(ctx, func(tx *Store) error {
		old, err := tx.storedEvent(e.ID)
		if err != nil {
			return err
		}
		var n int64
		if err := tx.db.Model(&models.City{}).Where("id = ?", cityID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return models.FieldErrors{"city": {Code: "oneof"}}
		}
		if err := tx.db.Exec("DELETE FROM event_partners WHERE event_id = ?", e.ID).Error; err != nil {
			return err
		}
		if err := tx.db.Model(&models.Event{}).Where("id = ?", e.ID).Updates(map[string]any{"city_id": cityID, "updated_at": time.Now().UTC()}).Error; err != nil {
			return err
		}
		moved := *old
		moved.CityID, moved.PartnerIDs = cityID, nil
		if err := tx.refreshEventRollups(old, &moved); err != nil {
			return err
		}
		e.CityID, e.PartnerIDs = cityID, nil
		return tx.audit(actor, models.AuditMove, models.EntityEvent, e.ID, &cityID, e.Title)
	})
}

// storedEvent reads an event and its links as they are in the database,
// inside a transaction.
func (s *Store) storedEvent(id uint) (*models.Event, error) {
	events := make([]models.Event, 1)
	if err := s.db.First(&events[0], id).Error; err != nil {
		return nil, translate(err)
	}
	if err := s.loadEventLinks(s.db.Statement.Context, events); err != nil {
		return nil, err
	}
	return &events[0], nil
}

// saveAgeGroups replaces the event's age groups and their participants.
func (s *Store) saveAgeGroups(e *models.Event) error {
	if err := s.db.Exec("DELETE FROM event_age_groups WHERE event_id = ?", e.ID).Error; err != nil {
		return err
	}
	for _, g := range e.AgeGroups {
		if err := s.db.Exec("INSERT INTO event_age_groups (event_id, age_group, participants) VALUES (?, ?, ?)", e.ID, g, e.AgeCount(g)).Error; err != nil {
			return err
		}
	}
	return nil
}

// refreshEventRollups refreshes the roll-ups an event sat in before and after a change.
func (s *Store) refreshEventRollups(before, after *models.Event) error {
	k1, p1 := rollup.EventKeys(before)
	k2, p2 := rollup.EventKeys(after)
	return s.refreshRollups(append(k1, k2...), append(append([]uint{}, p1...), p2...))
}

// Event returns the event with id and its links.
func (s *Store) Event(ctx context.Context, id uint) (*models.Event, error) {
	var e models.Event
	if err := s.db.WithContext(ctx).First(&e, id).Error; err != nil {
		return nil, translate(err)
	}
	events := []models.Event{e}
	if err := s.loadEventLinks(ctx, events); err != nil {
		return nil, err
	}
	return &events[0], nil
}

// loadEventLinks fills the learning areas, age groups and partner ids of events.
func (s *Store) loadEventLinks(ctx context.Context, events []models.Event) error {
	if len(events) == 0 {
		return nil
	}
	ids := make([]uint, len(events))
	byID := make(map[uint]*models.Event, len(events))
	for i := range events {
		ids[i] = events[i].ID
		byID[events[i].ID] = &events[i]
	}
	db := s.db.WithContext(ctx)
	var areas []struct {
		EventID uint
		Area    models.LearningArea
	}
	if err := db.Raw("SELECT event_id, area FROM event_learning_areas WHERE event_id IN ?", ids).Scan(&areas).Error; err != nil {
		return err
	}
	for _, a := range areas {
		byID[a.EventID].LearningAreas = append(byID[a.EventID].LearningAreas, a.Area)
	}
	var groups []struct {
		EventID      uint
		AgeGroup     models.AgeGroup
		Participants *int
	}
	if err := db.Raw("SELECT event_id, age_group, participants FROM event_age_groups WHERE event_id IN ?", ids).Scan(&groups).Error; err != nil {
		return err
	}
	for _, g := range groups {
		e := byID[g.EventID]
		e.AgeGroups = append(e.AgeGroups, g.AgeGroup)
		if g.Participants != nil {
			if e.AgeParticipants == nil {
				e.AgeParticipants = map[models.AgeGroup]int{}
			}
			e.AgeParticipants[g.AgeGroup] = *g.Participants
		}
	}
	var partners []struct {
		EventID   uint
		PartnerID uint
	}
	if err := db.Raw("SELECT event_id, partner_id FROM event_partners WHERE event_id IN ?", ids).Scan(&partners).Error; err != nil {
		return err
	}
	for _, p := range partners {
		byID[p.EventID].PartnerIDs = append(byID[p.EventID].PartnerIDs, p.PartnerID)
	}
	for i := range events {
		sortByOrder(events[i].LearningAreas, models.LearningAreas())
		sortByOrder(events[i].AgeGroups, models.AgeGroups())
		slices.Sort(events[i].PartnerIDs)
	}
	return nil
}

// Events lists one page of events that match f.
func (s *Store) Events(ctx context.Context, f models.EventFilter, p models.Page) (models.Paged[models.Event], error) {
	p = p.Normalized()
	out := models.Paged[models.Event]{Page: p}
	q := s.db.WithContext(ctx).Model(&models.Event{})
	if len(f.CityIDs) > 0 {
		q = q.Where("city_id IN ?", f.CityIDs)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Format != "" {
		q = q.Where("format = ?", f.Format)
	}
	if f.Area != "" {
		q = q.Where("id IN (SELECT event_id FROM event_learning_areas WHERE area = ?)", f.Area)
	}
	if query := strings.TrimSpace(f.Query); query != "" {
		like := "%" + escapeLike(strings.ToLower(query)) + "%"
		q = q.Where("(LOWER(title) LIKE ? ESCAPE '\\' OR LOWER(venue) LIKE ? ESCAPE '\\')", like, like)
	}
	if !f.From.IsZero() {
		q = q.Where("starts_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("starts_at < ?", f.To.UTC())
	}
	if !p.NoTotal {
		if err := q.Count(&out.Total).Error; err != nil {
			return out, fmt.Errorf("count events: %w", err)
		}
	}
	order := map[string]string{
		"-start": "starts_at DESC, id DESC", "start": "starts_at, id", "title": "title, id",
	}[f.Sort]
	if order == "" {
		order = "starts_at DESC, id DESC"
	}
	if err := q.Order(order).Limit(p.Size).Offset(p.Offset()).Find(&out.Items).Error; err != nil {
		return out, fmt.Errorf("list events: %w", err)
	}
	if f.Brief {
		return out, nil
	}
	return out, s.loadEventLinks(ctx, out.Items)
}

// CityEvents lists all of a city's events, oldest first, with their links.
func (s *Store) CityEvents(ctx context.Context, cityID uint) ([]models.Event, error) {
	var events []models.Event
	if err := s.db.WithContext(ctx).Where("city_id = ?", cityID).Order("starts_at, id").Find(&events).Error; err != nil {
		return nil, err
	}
	for lo := 0; lo < len(events); lo += 500 {
		if err := s.loadEventLinks(ctx, events[lo:min(lo+500, len(events))]); err != nil {
			return nil, err
		}
	}
	return events, nil
}
