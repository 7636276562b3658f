package store

import (
	"context"
	"fmt"
	"maps"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report/rollup"
)

// EventsWithoutAttendance lists, newest first, up to MaxAttendanceRows of
// the cities' events that have started by now, were not cancelled and have
// no participant count yet.
func (s *Store) EventsWithoutAttendance(ctx context.Context, cityIDs []uint, now time.Time) ([]models.Event, error) {
	var events []models.Event
	err := s.db.WithContext(ctx).Where("city_id IN ? AND starts_at < ? AND status <> ? AND participants IS NULL", cityIDs, now.UTC(), models.StatusCancelled).
		Order("starts_at DESC, id DESC").Limit(models.MaxAttendanceRows).Find(&events).Error
	if err != nil {
		return nil, err
	}
	return events, s.loadEventLinks(ctx, events)
}

// CountEventsWithoutAttendance counts the events EventsWithoutAttendance
// would list, without its limit.
func (s *Store) CountEventsWithoutAttendance(ctx context.Context, cityIDs []uint, now time.Time) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&models.Event{}).
		Where("city_id IN ? AND starts_at < ? AND status <> ? AND participants IS NULL", cityIDs, now.UTC(), models.StatusCancelled).Count(&n).Error
	return n, err
}

// SaveAttendance records the participant counts of some of a city's
// events at once, and their counts by age group (ages, by event) when
// given, each then held, all or nothing: a count out of range, counts by
// age group that break the event's rules (checkAgeParticipants), or an
// event that is not the city's, has not started or was cancelled, is a
// problem on its field (AttendanceField, AttendanceAgesField) and
// nothing is written. An event given counts by age group alone has their
// sum for its count. The events in notHeld did not take place: they are
// cancelled (and leave the list), unless given a count too, a problem.
func (s *Store) SaveAttendance(ctx context.Context, actor models.Actor, cityID uint, counts map[uint]int, ages map[uint]map[models.AgeGroup]int,
	notHeld []uint, now time.Time) error {
	counts = maps.Clone(counts)
	for id, byAge := range ages {
		if _, given := counts[id]; !given {
			counts[id] = 0
			for _, n := range byAge {
				counts[id] += n
			}
		}
	}
	return s.Batch(ctx, func(tx *Store) error {
		fe := models.FieldErrors{}
		var events []*models.Event
		for id, n := range counts {
			e, err := tx.storedEvent(id)
			if err != nil || e.CityID != cityID {
				fe.Add(models.AttendanceField(id), "invalid", "")
				continue
			}
			switch {
			case e.Status == models.StatusCancelled || e.StartsAt.After(now):
				fe.Add(models.AttendanceField(id), "held_future", "")
				continue
			case n < 0 || n > models.MaxParticipants:
				fe.Add(models.AttendanceField(id), "range", fmt.Sprint(models.MaxParticipants))
				continue
			}
			e.Status, e.Participants, e.UpdatedAt = models.StatusHeld, &n, time.Now().UTC()
			e.AgeParticipants = ages[id]
			agesFE := models.FieldErrors{}
			if e.CheckAgeParticipants(agesFE); len(agesFE) > 0 {
				p := agesFE["age_participants"]
				fe.Add(models.AttendanceAgesField(id, ""), p.Code, p.Param)
				continue
			}
			events = append(events, e)
		}
		for _, id := range notHeld {
			e, err := tx.storedEvent(id)
			switch _, counted := counts[id]; {
			case err != nil || e.CityID != cityID:
				fe.Add(models.AttendanceField(id), "invalid", "")
			case counted:
				fe.Add(models.AttendanceField(id), "attendance_both", "")
			case e.Status == models.StatusCancelled || e.StartsAt.After(now):
				fe.Add(models.AttendanceField(id), "invalid", "")
			default:
				e.Status, e.Participants, e.AgeParticipants, e.UpdatedAt = models.StatusCancelled, nil, nil, time.Now().UTC()
				events = append(events, e)
			}
		}
		if err := fe.Err(); err != nil {
			return err
		}
		for _, e := range events {
			if err := tx.db.Model(&models.Event{}).Where("id = ? AND city_id = ?", e.ID, cityID).
				Select("status", "participants", "updated_at").Updates(map[string]any{"status": e.Status, "participants": e.Participants, "updated_at": e.UpdatedAt}).Error; err != nil {
				return fmt.Errorf("save attendance: %w", err)
			}
			if err := tx.saveAgeGroups(e); err != nil {
				return fmt.Errorf("save attendance: %w", err)
			}
			if err := tx.audit(actor, models.AuditUpdate, models.EntityEvent, e.ID, &e.CityID, e.Title); err != nil {
				return err
			}
			if err := tx.refreshRollups(rollup.EventKeys(e)); err != nil {
				return err
			}
		}
		return nil
	})
}
