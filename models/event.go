package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// MaxParticipants bounds the participants of one event.
const MaxParticipants = 1_000_000

// The years the tracker accepts.
const (
	// FirstNetworkYear is the year the network began: no city joined, and
	// no city report covers, a year before it.
	FirstNetworkYear = 2013
	// FirstEventYear is the earliest year an event may be dated: a bound
	// against mistyped dates, wider than the network's years.
	FirstEventYear = 2000
	// LastYear is the latest year of any date or period.
	LastYear = 2100
)

// Event is something a city organises for the campaign.
type Event struct {
	ID          uint      `gorm:"primaryKey"`
	CityID      uint      `field:"city_id" validate:"required"`
	CampaignID  uint      `field:"campaign" validate:"required"`
	Title       string    `field:"title" validate:"required,max=200"`
	Description string    `field:"description" validate:"max=5000"`
	StartsAt    time.Time `field:"starts_at" validate:"required"`
	EndsAt      time.Time `field:"ends_at" validate:"required"`
	Venue       string    `field:"venue" validate:"max=200"`
	// Lang is the language the title and description are written in.
	Lang   string      `field:"lang" validate:"max=35"`
	Format EventFormat `field:"format" validate:"required"`
	Status EventStatus `field:"status" validate:"required"`
	// Participants is set only once the event is held.
	Participants *int `field:"participants"`
	CreatedAt    time.Time
	UpdatedAt    time.Time

	LearningAreas []LearningArea `gorm:"-" field:"learning_areas" validate:"min=1"`
	AgeGroups     []AgeGroup     `gorm:"-" field:"age_groups"`
	// AgeParticipants are a held event's participants by age group, when
	// recorded: every group reached has a count (none given counts as 0)
	// and together they make Participants. Empty when not recorded.
	AgeParticipants map[AgeGroup]int `gorm:"-" field:"age_participants"`
	PartnerIDs      []uint           `gorm:"-" field:"partners"`
}

// ValidateEvent checks, without writing, e's fields and invariants against the clock now.
func (s *Store) ValidateEvent(e *Event, now time.Time) error {
	e.Title = strings.TrimSpace(e.Title)
	e.Venue = strings.TrimSpace(e.Venue)
	e.Description = strings.TrimSpace(e.Description)
	// Entered on the city's clock, stored as the instants in UTC: SQLite
	// keeps the text the driver writes, with the time's own offset, and
	// the reports read a day from that text (sqlMonth).
	e.StartsAt, e.EndsAt = e.StartsAt.UTC(), e.EndsAt.UTC()
	e.LearningAreas = uniq(e.LearningAreas)
	e.AgeGroups = uniq(e.AgeGroups)
	e.PartnerIDs = uniq(e.PartnerIDs)
	fe := s.check(e)
	if _, bad := fe["format"]; !bad && !e.Format.Valid() {
		fe.Add("format", "oneof", "")
	}
	if _, bad := fe["status"]; !bad && !e.Status.Valid() {
		fe.Add("status", "oneof", "")
	}
	for _, a := range e.LearningAreas {
		if !a.Valid() {
			fe.Add("learning_areas", "oneof", "")
		}
	}
	for _, g := range e.AgeGroups {
		if !g.Valid() {
			fe.Add("age_groups", "oneof", "")
		}
	}
	fe.checkLang(e.Lang)
	for field, t := range map[string]time.Time{"starts_at": e.StartsAt, "ends_at": e.EndsAt} {
		if !t.IsZero() && (t.Year() < FirstEventYear || t.Year() > LastYear) {
			fe.Add(field, "datetime", "")
		}
	}
	if !e.StartsAt.IsZero() && !e.EndsAt.IsZero() && e.EndsAt.Before(e.StartsAt) {
		fe.Add("ends_at", "after_start", "")
	}
	if e.Status == StatusHeld {
		switch {
		case e.StartsAt.After(now):
			fe.Add("status", "held_future", "")
		case e.Participants == nil:
			fe.Add("participants", "required", "")
		case *e.Participants < 0 || *e.Participants > MaxParticipants:
			fe.Add("participants", "range", fmt.Sprint(MaxParticipants))
		}
	} else {
		// Participants are counted only once an event is held.
		e.Participants = nil
	}
	e.checkAgeParticipants(fe)
	return fe.orNil()
}

// checkAgeParticipants applies the rules of an event's participants by
// age group: counted only once it is held; a count above 0 means its age
// group was reached; an event that reached one age group has all its
// participants in it, whatever count it was given; and the counts of
// several must add up to the total.
func (e *Event) checkAgeParticipants(fe FieldErrors) {
	if e.Status != StatusHeld || e.Participants == nil {
		e.AgeParticipants = nil
		return
	}
	sum := 0
	for g, n := range e.AgeParticipants {
		switch {
		case !g.Valid():
			fe.Add("age_participants", "oneof", "")
			return
		case n < 0 || n > MaxParticipants:
			fe.Add("age_participants", "range", fmt.Sprint(MaxParticipants))
			return
		case n > 0 && !slices.Contains(e.AgeGroups, g):
			e.AgeGroups = append(e.AgeGroups, g)
		}
		sum += n
	}
	sortByOrder(e.AgeGroups, AgeGroups())
	switch {
	case len(e.AgeGroups) == 1:
		e.AgeParticipants = map[AgeGroup]int{e.AgeGroups[0]: *e.Participants}
		return
	case len(e.AgeParticipants) == 0:
		return
	}
	if sum != *e.Participants {
		fe.Add("age_participants", "age_sum", fmt.Sprint(*e.Participants))
		return
	}
	for g := range e.AgeParticipants {
		if !slices.Contains(e.AgeGroups, g) {
			delete(e.AgeParticipants, g) // a 0 for a group not reached
		}
	}
	for _, g := range e.AgeGroups {
		if _, ok := e.AgeParticipants[g]; !ok {
			e.AgeParticipants[g] = 0 // reached, with no count given
		}
	}
}

// SplitParticipants shares a total across age groups in the order given,
// as evenly as whole people allow: the demo and scale data's breakdowns.
func SplitParticipants(total int, groups []AgeGroup) map[AgeGroup]int {
	out := make(map[AgeGroup]int, len(groups))
	for i, g := range groups {
		out[g] = total / len(groups)
		if i < total%len(groups) {
			out[g]++
		}
	}
	return out
}

// checkEventRefs verifies, inside a transaction, that the campaign exists
// and every partner belongs to the event's city.
func (s *Store) checkEventRefs(e *Event) error {
	fe := FieldErrors{}
	var n int64
	if err := s.db.Model(&Campaign{}).Where("id = ?", e.CampaignID).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		fe.Add("campaign", "oneof", "")
	}
	if len(e.PartnerIDs) > 0 {
		if err := s.db.Model(&Partner{}).Where("id IN ? AND city_id = ?", e.PartnerIDs, e.CityID).Count(&n).Error; err != nil {
			return err
		}
		if int(n) != len(e.PartnerIDs) {
			fe.Add("partners", "own_city", "")
		}
	}
	return fe.orNil()
}

// saveEventLinks replaces the event's learning areas, age groups and partners.
func (s *Store) saveEventLinks(e *Event) error {
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
func (s *Store) CreateEvent(ctx context.Context, actor Actor, e *Event) error {
	if err := s.ValidateEvent(e, time.Now()); err != nil {
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
		if err := tx.refreshRollups(eventKeys(e)); err != nil {
			return err
		}
		return tx.audit(actor, AuditCreate, EntityEvent, e.ID, &e.CityID, e.Title)
	})
}

// UpdateEvent saves e's fields and links; its city never changes.
func (s *Store) UpdateEvent(ctx context.Context, actor Actor, e *Event) error {
	if err := s.ValidateEvent(e, time.Now()); err != nil {
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
		res := tx.db.Model(&Event{}).Where("id = ? AND city_id = ?", e.ID, e.CityID).
			Select("campaign_id", "title", "description", "starts_at", "ends_at", "venue", "lang", "format", "status", "participants", "updated_at").
			Updates(e)
		if res.Error != nil {
			return fmt.Errorf("update event: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		if err := tx.saveEventLinks(e); err != nil {
			return fmt.Errorf("update event links: %w", err)
		}
		if err := tx.refreshEventRollups(old, e); err != nil {
			return err
		}
		return tx.audit(actor, AuditUpdate, EntityEvent, e.ID, &e.CityID, e.Title)
	})
}

// DeleteEvent removes an event and its links.
func (s *Store) DeleteEvent(ctx context.Context, actor Actor, e *Event) error {
	return s.Tx(ctx, func(tx *Store) error {
		old, err := tx.storedEvent(e.ID)
		if err != nil {
			return err
		}
		res := tx.db.Delete(&Event{}, e.ID)
		if res.Error != nil {
			return fmt.Errorf("delete event: %w", res.Error)
		}
		if err := tx.refreshRollups(eventKeys(old)); err != nil {
			return err
		}
		return tx.audit(actor, AuditDelete, EntityEvent, e.ID, &e.CityID, e.Title)
	})
}

// MoveEvent moves an event to another city, as staff do when it was
// logged in the wrong one. Its partners belong to the old city, so they
// are unlinked.
func (s *Store) MoveEvent(ctx context.Context, actor Actor, e *Event, cityID uint) error {
	return s.Tx(ctx, func(tx *Store) error {
		old, err := tx.storedEvent(e.ID)
		if err != nil {
			return err
		}
		var n int64
		if err := tx.db.Model(&City{}).Where("id = ?", cityID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return FieldErrors{"city": {Code: "oneof"}}
		}
		if err := tx.db.Exec("DELETE FROM event_partners WHERE event_id = ?", e.ID).Error; err != nil {
			return err
		}
		if err := tx.db.Model(&Event{}).Where("id = ?", e.ID).Updates(map[string]any{"city_id": cityID, "updated_at": time.Now().UTC()}).Error; err != nil {
			return err
		}
		moved := *old
		moved.CityID, moved.PartnerIDs = cityID, nil
		if err := tx.refreshEventRollups(old, &moved); err != nil {
			return err
		}
		e.CityID, e.PartnerIDs = cityID, nil
		return tx.audit(actor, AuditMove, EntityEvent, e.ID, &cityID, e.Title)
	})
}

// storedEvent reads an event and its links as they are in the database,
// inside a transaction.
func (s *Store) storedEvent(id uint) (*Event, error) {
	events := make([]Event, 1)
	if err := s.db.First(&events[0], id).Error; err != nil {
		return nil, translate(err)
	}
	if err := s.loadEventLinks(s.db.Statement.Context, events); err != nil {
		return nil, err
	}
	return &events[0], nil
}

// saveAgeGroups replaces the event's age groups and their participants.
func (s *Store) saveAgeGroups(e *Event) error {
	if err := s.db.Exec("DELETE FROM event_age_groups WHERE event_id = ?", e.ID).Error; err != nil {
		return err
	}
	for _, g := range e.AgeGroups {
		if err := s.db.Exec("INSERT INTO event_age_groups (event_id, age_group, participants) VALUES (?, ?, ?)", e.ID, g, e.ageCount(g)).Error; err != nil {
			return err
		}
	}
	return nil
}

// ageCount is the stored count of age group g: nil when the event has no
// participants by age group.
func (e *Event) ageCount(g AgeGroup) *int {
	if n, ok := e.AgeParticipants[g]; ok {
		return &n
	}
	return nil
}

// refreshEventRollups refreshes the roll-ups an event sat in before and after a change.
func (s *Store) refreshEventRollups(before, after *Event) error {
	k1, p1 := eventKeys(before)
	k2, p2 := eventKeys(after)
	return s.refreshRollups(append(k1, k2...), append(append([]uint{}, p1...), p2...))
}

// Event returns the event with id and its links.
func (s *Store) Event(ctx context.Context, id uint) (*Event, error) {
	var e Event
	if err := s.db.WithContext(ctx).First(&e, id).Error; err != nil {
		return nil, translate(err)
	}
	events := []Event{e}
	if err := s.loadEventLinks(ctx, events); err != nil {
		return nil, err
	}
	return &events[0], nil
}

// loadEventLinks fills the learning areas, age groups and partner ids of events.
func (s *Store) loadEventLinks(ctx context.Context, events []Event) error {
	if len(events) == 0 {
		return nil
	}
	ids := make([]uint, len(events))
	byID := make(map[uint]*Event, len(events))
	for i := range events {
		ids[i] = events[i].ID
		byID[events[i].ID] = &events[i]
	}
	db := s.db.WithContext(ctx)
	var areas []struct {
		EventID uint
		Area    LearningArea
	}
	if err := db.Raw("SELECT event_id, area FROM event_learning_areas WHERE event_id IN ?", ids).Scan(&areas).Error; err != nil {
		return err
	}
	for _, a := range areas {
		byID[a.EventID].LearningAreas = append(byID[a.EventID].LearningAreas, a.Area)
	}
	var groups []struct {
		EventID      uint
		AgeGroup     AgeGroup
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
				e.AgeParticipants = map[AgeGroup]int{}
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
		sortByOrder(events[i].LearningAreas, LearningAreas())
		sortByOrder(events[i].AgeGroups, AgeGroups())
		slices.Sort(events[i].PartnerIDs)
	}
	return nil
}

// sortByOrder sorts xs in the order the values appear in order.
func sortByOrder[T comparable](xs []T, order []T) {
	slices.SortFunc(xs, func(a, b T) int { return slices.Index(order, a) - slices.Index(order, b) })
}

// EventFilter narrows a list of events. Zero values match everything.
type EventFilter struct {
	CityIDs []uint
	Status  EventStatus
	Format  EventFormat
	Area    LearningArea
	Query   string
	// From and To bound the start, To exclusive.
	From, To time.Time
	// Sort is "-start" (default, newest first), "start" or "title".
	Sort string
	// Brief lists the events' own fields only, without their learning
	// areas, age groups and partners, for lists that show none of them.
	Brief bool
}

// Events lists one page of events that match f.
func (s *Store) Events(ctx context.Context, f EventFilter, p Page) (Paged[Event], error) {
	p = p.normalize()
	out := Paged[Event]{Page: p}
	q := s.db.WithContext(ctx).Model(&Event{})
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
	if err := q.Order(order).Limit(p.Size).Offset(p.offset()).Find(&out.Items).Error; err != nil {
		return out, fmt.Errorf("list events: %w", err)
	}
	if f.Brief {
		return out, nil
	}
	return out, s.loadEventLinks(ctx, out.Items)
}

// CityEvents lists all of a city's events, oldest first, with their links.
func (s *Store) CityEvents(ctx context.Context, cityID uint) ([]Event, error) {
	var events []Event
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
