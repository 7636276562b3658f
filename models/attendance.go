package models

import (
	"context"
	"fmt"
	"maps"
	"strconv"
	"time"
)

// MaxAttendanceRows is the most events the attendance page lists at once.
const MaxAttendanceRows = 200

// EventsWithoutAttendance lists, newest first, up to MaxAttendanceRows of
// the cities' events that have started by now, were not cancelled and have
// no participant count yet.
func (s *Store) EventsWithoutAttendance(ctx context.Context, cityIDs []uint, now time.Time) ([]Event, error) {
	var events []Event
	err := s.db.WithContext(ctx).Where("city_id IN ? AND starts_at < ? AND status <> ? AND participants IS NULL", cityIDs, now.UTC(), StatusCancelled).
		Order("starts_at DESC, id DESC").Limit(MaxAttendanceRows).Find(&events).Error
	if err != nil {
		return nil, err
	}
	return events, s.loadEventLinks(ctx, events)
}

// CountEventsWithoutAttendance counts the events EventsWithoutAttendance
// would list, without its limit.
func (s *Store) CountEventsWithoutAttendance(ctx context.Context, cityIDs []uint, now time.Time) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Event{}).
		Where("city_id IN ? AND starts_at < ? AND status <> ? AND participants IS NULL", cityIDs, now.UTC(), StatusCancelled).Count(&n).Error
	return n, err
}

// AttendanceField is the form field of an event's count on the attendance
// page, and the key of its problem.
func AttendanceField(eventID uint) string { return "count_" + strconv.FormatUint(uint64(eventID), 10) }

// AttendanceAgesField is the form field of an event's count of age group
// g on the attendance page; AttendanceAgesField(id, "") is the key of
// the problem of its counts by age group.
func AttendanceAgesField(eventID uint, g AgeGroup) string {
	if g == "" {
		return "ages_" + strconv.FormatUint(uint64(eventID), 10)
	}
	return "ages_" + strconv.FormatUint(uint64(eventID), 10) + "_" + string(g)
}

// SaveAttendance records the participant counts of some of a city's
// events at once, and their counts by age group (ages, by event) when
// given, each then held, all or nothing: a count out of range, counts by
// age group that break the event's rules (checkAgeParticipants), or an
// event that is not the city's, has not started or was cancelled, is a
// problem on its field (AttendanceField, AttendanceAgesField) and
// nothing is written. An event given counts by age group alone has their
// sum for its count.
func (s *Store) SaveAttendance(ctx context.Context, actor Actor, cityID uint, counts map[uint]int, ages map[uint]map[AgeGroup]int, now time.Time) error {
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
		fe := FieldErrors{}
		var events []*Event
		for id, n := range counts {
			e, err := tx.storedEvent(id)
			if err != nil || e.CityID != cityID {
				fe.Add(AttendanceField(id), "invalid", "")
				continue
			}
			switch {
			case e.Status == StatusCancelled || e.StartsAt.After(now):
				fe.Add(AttendanceField(id), "held_future", "")
				continue
			case n < 0 || n > MaxParticipants:
				fe.Add(AttendanceField(id), "range", fmt.Sprint(MaxParticipants))
				continue
			}
			e.Status, e.Participants, e.UpdatedAt = StatusHeld, &n, time.Now().UTC()
			e.AgeParticipants = ages[id]
			agesFE := FieldErrors{}
			if e.checkAgeParticipants(agesFE); len(agesFE) > 0 {
				p := agesFE["age_participants"]
				fe.Add(AttendanceAgesField(id, ""), p.Code, p.Param)
				continue
			}
			events = append(events, e)
		}
		if err := fe.orNil(); err != nil {
			return err
		}
		for _, e := range events {
			if err := tx.db.Model(&Event{}).Where("id = ? AND city_id = ?", e.ID, cityID).
				Select("status", "participants", "updated_at").Updates(e).Error; err != nil {
				return fmt.Errorf("save attendance: %w", err)
			}
			if err := tx.saveAgeGroups(e); err != nil {
				return fmt.Errorf("save attendance: %w", err)
			}
			if err := tx.audit(actor, AuditUpdate, EntityEvent, e.ID, &e.CityID, e.Title); err != nil {
				return err
			}
			if err := tx.refreshRollups(eventKeys(e)); err != nil {
				return err
			}
		}
		return nil
	})
}
