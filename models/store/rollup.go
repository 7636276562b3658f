package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report/rollup"
)

// eventsInUTC is migration 29's fill. Before it, an event entered on its
// city's clock was written with that clock's offset: SQLite kept the text
// as given, so the reports read the city's date rather than the UTC one;
// PostgreSQL kept the instant, but the write refreshed the month of the
// city's clock. It rewrites those times in UTC (SQLite) and refreshes the
// roll-ups of every month and day they were or are filed under.
func (s *Store) eventsInUTC() error {
	type row struct {
		ID, CityID, CampaignID uint
		StartsAt, EndsAt       time.Time
		TimeZone               string
	}
	q := s.db.Table("events e").Select("e.id, e.city_id, e.campaign_id, e.starts_at, e.ends_at, c.time_zone").
		Joins("JOIN cities c ON c.id = e.city_id")
	if s.dialect == rollup.SQLite {
		q = q.Where("substr(e.starts_at, -6) <> '+00:00' OR substr(e.ends_at, -6) <> '+00:00'")
	} else {
		// A clock at most 14 hours off UTC has another month only on a
		// month's first or last day.
		q = q.Where("c.time_zone NOT IN ('', 'UTC', 'Etc/UTC') AND (EXTRACT(DAY FROM e.starts_at) = 1 OR EXTRACT(DAY FROM e.starts_at + INTERVAL '1 day') = 1)")
	}
	var rows []row
	if err := q.Find(&rows).Error; err != nil {
		return fmt.Errorf("events off UTC: %w", err)
	}
	var keys []rollup.Key
	var ids []uint
	for _, r := range rows {
		utc := rollup.Key{City: r.CityID, Campaign: r.CampaignID, Month: rollup.MonthOf(r.StartsAt), Day: rollup.DayOf(r.StartsAt)}
		filed := r.StartsAt // SQLite: the text's own clock
		if s.dialect != rollup.SQLite {
			filed = r.StartsAt.In((&models.City{TimeZone: r.TimeZone}).Location())
		}
		wall := filed.Year()*100 + int(filed.Month())
		if s.dialect != rollup.SQLite && wall == utc.Month {
			continue
		}
		keys = append(keys, utc, rollup.Key{City: r.CityID, Campaign: r.CampaignID, Month: wall, Day: wall*100 + filed.Day()})
		ids = append(ids, r.ID)
		if s.dialect == rollup.SQLite {
			if err := s.db.Exec("UPDATE events SET starts_at = ?, ends_at = ? WHERE id = ?", r.StartsAt.UTC(), r.EndsAt.UTC(), r.ID).Error; err != nil {
				return err
			}
		}
	}
	if len(keys) == 0 {
		return nil
	}
	var partnerIDs []uint
	for chunk := range slices.Chunk(ids, 10000) {
		var some []uint
		if err := s.db.Table("event_partners").Distinct("partner_id").Where("event_id IN ?", chunk).Pluck("partner_id", &some).Error; err != nil {
			return err
		}
		partnerIDs = append(partnerIDs, some...)
	}
	return s.refreshRollups(keys, partnerIDs)
}

// RebuildRollups recomputes every roll-up row from the raw tables, in one
// transaction: for a bulk load, or to repair.
func (s *Store) RebuildRollups(ctx context.Context) error {
	return s.Tx(ctx, func(tx *Store) error { return tx.rollups().Rebuild() })
}

// VerifyStoryCounts compares the kept counts of stories per city and
// status with a count of the stories themselves, and describes the first
// difference: for the tests, and to check a database by hand.
func (s *Store) VerifyStoryCounts(ctx context.Context) error {
	type row struct {
		CityID uint
		Status models.StoryStatus
		N      int64
	}
	var kept, counted []row
	if err := s.db.WithContext(ctx).Raw("SELECT city_id, status, n FROM story_counts WHERE n <> 0 ORDER BY city_id, status").Scan(&kept).Error; err != nil {
		return err
	}
	if err := s.db.WithContext(ctx).Raw("SELECT city_id, status, COUNT(*) AS n FROM stories GROUP BY city_id, status ORDER BY city_id, status").Scan(&counted).Error; err != nil {
		return err
	}
	for i := range max(len(kept), len(counted)) {
		switch {
		case i >= len(kept):
			return fmt.Errorf("story counts: %+v is not kept", counted[i])
		case i >= len(counted):
			return fmt.Errorf("story counts: %+v is kept, but there are no such stories", kept[i])
		case kept[i] != counted[i]:
			return fmt.Errorf("story counts: kept %+v, counted %+v", kept[i], counted[i])
		}
	}
	return nil
}
