package store

import (
	"context"
	"fmt"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report/rollup"

	"gorm.io/gorm"
)

// GlobalDays lists the global days in the order of the year.
func (s *Store) GlobalDays(ctx context.Context) ([]models.GlobalDay, error) {
	var out []models.GlobalDay
	err := s.db.WithContext(ctx).Order("month, day, id").Find(&out).Error
	return out, err
}

// GlobalDay returns the global day with id.
func (s *Store) GlobalDay(ctx context.Context, id uint) (*models.GlobalDay, error) {
	var g models.GlobalDay
	if err := s.db.WithContext(ctx).First(&g, id).Error; err != nil {
		return nil, translate(err)
	}
	return &g, nil
}

// SaveGlobalDay creates (ID 0) or updates a global day, audited.
func (s *Store) SaveGlobalDay(ctx context.Context, actor models.Actor, g *models.GlobalDay) error {
	if err := g.Validate(); err != nil {
		return err
	}
	return s.Tx(ctx, func(tx *Store) error {
		action := models.AuditCreate
		if g.ID == 0 {
			if err := tx.db.Create(g).Error; err != nil {
				return err
			}
		} else {
			action = models.AuditUpdate
			res := tx.db.Model(&models.GlobalDay{ID: g.ID}).Select("month", "day", "name", "texts", "updated_at").Updates(g)
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				return models.ErrNotFound
			}
		}
		return tx.audit(actor, action, models.EntityGlobalDay, g.ID, nil, g.Name)
	})
}

// DeleteGlobalDay deletes a global day, audited.
func (s *Store) DeleteGlobalDay(ctx context.Context, actor models.Actor, id uint) error {
	return s.Tx(ctx, func(tx *Store) error {
		var g models.GlobalDay
		if err := tx.db.First(&g, id).Error; err != nil {
			return translate(err)
		}
		if err := tx.db.Delete(&models.GlobalDay{}, id).Error; err != nil {
			return err
		}
		return tx.audit(actor, models.AuditDelete, models.EntityGlobalDay, id, nil, g.Name)
	})
}

// calendarStatuses are the events a calendar shows: planned ones, and
// those held already, which were planned too.
var calendarStatuses = []models.EventStatus{models.StatusPlanned, models.StatusHeld}

func (s *Store) calendarQuery(ctx context.Context, f models.CalendarFilter, statuses []models.EventStatus) *gorm.DB {
	q := s.db.WithContext(ctx).Model(&models.Event{}).Where("status IN ? AND starts_at >= ? AND starts_at < ?", statuses, f.From.UTC(), f.To.UTC())
	if f.CityIDs != nil {
		q = q.Where("city_id IN ?", append([]uint{0}, f.CityIDs...))
	}
	return q
}

// CalendarEvents lists at most limit events of f, soonest first, without
// their links, and how many there are in all. The index on (status,
// starts_at), or on (city_id, starts_at) for a few cities, bounds the read
// to the span.
func (s *Store) CalendarEvents(ctx context.Context, f models.CalendarFilter, limit int) ([]models.Event, int64, error) {
	var events []models.Event
	var total int64
	if err := s.calendarQuery(ctx, f, calendarStatuses).Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count calendar events: %w", err)
	}
	err := s.calendarQuery(ctx, f, calendarStatuses).Order("starts_at, id").Limit(limit).Find(&events).Error
	return events, total, err
}

// CalendarDayCounts counts the events of f per day (UTC), "2026-12-03" →
// 12, from the index alone.
func (s *Store) CalendarDayCounts(ctx context.Context, f models.CalendarFilter) (map[string]int, error) {
	day := "substr(starts_at, 1, 10)"
	if s.dialect == rollup.Postgres {
		day = "to_char(starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
	}
	var rows []struct {
		Day string
		N   int
	}
	err := s.calendarQuery(ctx, f, calendarStatuses).Select(day + " AS day, COUNT(*) AS n").Group("day").Scan(&rows).Error
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.Day] = r.N
	}
	return out, err
}

// FeedEvents lists the events of a calendar feed: those of f, cancelled
// ones too (so that subscribers see the cancellation), at most limit,
// soonest first.
func (s *Store) FeedEvents(ctx context.Context, f models.CalendarFilter, limit int) ([]models.Event, error) {
	var events []models.Event
	err := s.calendarQuery(ctx, f, []models.EventStatus{models.StatusPlanned, models.StatusHeld, models.StatusCancelled}).Order("starts_at, id").Limit(limit).Find(&events).Error
	return events, err
}
