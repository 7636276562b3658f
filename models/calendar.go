package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// GlobalDay is a day of the year the network marks, such as International
// Literacy Day (8 September): the calendar shows it every year.
type GlobalDay struct {
	ID    uint `gorm:"primaryKey"`
	Month int  `field:"month"`
	Day   int  `field:"day"`
	// Name is in English; Texts holds it in the other interface languages.
	Name      string                  `field:"name" validate:"required,max=120"`
	Texts     map[string]CampaignText `gorm:"serializer:json"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// NameIn is the day's name in lang, or in English.
func (g *GlobalDay) NameIn(lang string) string {
	if t, ok := g.Texts[lang]; ok && t.Name != "" {
		return t.Name
	}
	return g.Name
}

// In is the day's date in year y.
func (g *GlobalDay) In(y int) time.Time {
	return time.Date(y, time.Month(g.Month), g.Day, 0, 0, 0, 0, time.UTC)
}

// ValidateGlobalDay checks a global day and tidies its names. 29 February
// is refused: it is not a day of every year.
func (s *Store) ValidateGlobalDay(g *GlobalDay) error {
	g.Name = strings.TrimSpace(g.Name)
	if g.Texts == nil {
		g.Texts = map[string]CampaignText{}
	}
	for lang, t := range g.Texts {
		t.Name, t.Description = strings.TrimSpace(t.Name), ""
		if t.Name == "" || !slices.Contains(CampaignLanguages()[1:], lang) {
			delete(g.Texts, lang)
			continue
		}
		g.Texts[lang] = t
	}
	fe := s.check(g)
	for _, lang := range CampaignLanguages()[1:] {
		if len([]rune(g.Texts[lang].Name)) > 120 {
			fe.Add("name_"+lang, "max", "120")
		}
	}
	if g.Month < 1 || g.Month > 12 {
		fe.Add("month", "oneof", "")
	} else if d := time.Date(2025, time.Month(g.Month), g.Day, 0, 0, 0, 0, time.UTC); g.Day < 1 || d.Month() != time.Month(g.Month) {
		fe.Add("day", "day_of_month", "")
	}
	return fe.orNil()
}

// GlobalDays lists the global days in the order of the year.
func (s *Store) GlobalDays(ctx context.Context) ([]GlobalDay, error) {
	var out []GlobalDay
	err := s.db.WithContext(ctx).Order("month, day, id").Find(&out).Error
	return out, err
}

// GlobalDay returns the global day with id.
func (s *Store) GlobalDay(ctx context.Context, id uint) (*GlobalDay, error) {
	var g GlobalDay
	if err := s.db.WithContext(ctx).First(&g, id).Error; err != nil {
		return nil, translate(err)
	}
	return &g, nil
}

// SaveGlobalDay creates (ID 0) or updates a global day, audited.
func (s *Store) SaveGlobalDay(ctx context.Context, actor Actor, g *GlobalDay) error {
	if err := s.ValidateGlobalDay(g); err != nil {
		return err
	}
	return s.Tx(ctx, func(tx *Store) error {
		action := AuditCreate
		if g.ID == 0 {
			if err := tx.db.Create(g).Error; err != nil {
				return err
			}
		} else {
			action = AuditUpdate
			res := tx.db.Model(&GlobalDay{ID: g.ID}).Select("month", "day", "name", "texts", "updated_at").Updates(g)
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				return ErrNotFound
			}
		}
		return tx.audit(actor, action, EntityGlobalDay, g.ID, nil, g.Name)
	})
}

// DeleteGlobalDay deletes a global day, audited.
func (s *Store) DeleteGlobalDay(ctx context.Context, actor Actor, id uint) error {
	return s.Tx(ctx, func(tx *Store) error {
		var g GlobalDay
		if err := tx.db.First(&g, id).Error; err != nil {
			return translate(err)
		}
		if err := tx.db.Delete(&GlobalDay{}, id).Error; err != nil {
			return err
		}
		return tx.audit(actor, AuditDelete, EntityGlobalDay, id, nil, g.Name)
	})
}

// CalendarFilter narrows the calendar's events to some cities (nil: the
// whole network; empty: none) and a span of time [From, To).
type CalendarFilter struct {
	CityIDs  []uint
	From, To time.Time
}

// calendarStatuses are the events a calendar shows: planned ones, and
// those held already, which were planned too.
var calendarStatuses = []EventStatus{StatusPlanned, StatusHeld}

func (s *Store) calendarQuery(ctx context.Context, f CalendarFilter, statuses []EventStatus) *gorm.DB {
	q := s.db.WithContext(ctx).Model(&Event{}).Where("status IN ? AND starts_at >= ? AND starts_at < ?", statuses, f.From.UTC(), f.To.UTC())
	if f.CityIDs != nil {
		q = q.Where("city_id IN ?", append([]uint{0}, f.CityIDs...))
	}
	return q
}

// CalendarEvents lists at most limit events of f, soonest first, without
// their links, and how many there are in all. The index on (status,
// starts_at), or on (city_id, starts_at) for a few cities, bounds the read
// to the span.
func (s *Store) CalendarEvents(ctx context.Context, f CalendarFilter, limit int) ([]Event, int64, error) {
	var events []Event
	var total int64
	if err := s.calendarQuery(ctx, f, calendarStatuses).Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count calendar events: %w", err)
	}
	err := s.calendarQuery(ctx, f, calendarStatuses).Order("starts_at, id").Limit(limit).Find(&events).Error
	return events, total, err
}

// CalendarDayCounts counts the events of f per day (UTC), "2026-12-03" →
// 12, from the index alone.
func (s *Store) CalendarDayCounts(ctx context.Context, f CalendarFilter) (map[string]int, error) {
	day := "substr(starts_at, 1, 10)"
	if s.dialect == "postgres" {
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
func (s *Store) FeedEvents(ctx context.Context, f CalendarFilter, limit int) ([]Event, error) {
	var events []Event
	err := s.calendarQuery(ctx, f, []EventStatus{StatusPlanned, StatusHeld, StatusCancelled}).Order("starts_at, id").Limit(limit).Find(&events).Error
	return events, err
}
