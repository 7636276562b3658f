package store

import (
	"context"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// CityStats counts the events, upcoming planned events and partners of
// each of the cities, keyed by city id.
func (s *Store) CityStats(ctx context.Context, cityIDs []uint, now time.Time) (map[uint]models.CityStats, error) {
	out := make(map[uint]models.CityStats, len(cityIDs))
	if len(cityIDs) == 0 {
		return out, nil
	}
	// Two reads through the index on (city, start): all events, counted
	// in the index alone, and the planned ones from now on.
	var rows []struct {
		CityID uint
		N      int64
	}
	if err := s.db.WithContext(ctx).Raw("SELECT city_id, COUNT(*) AS n FROM events WHERE city_id IN ? GROUP BY city_id", cityIDs).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.CityID] = models.CityStats{Events: r.N}
	}
	rows = nil
	if err := s.db.WithContext(ctx).Raw("SELECT city_id, COUNT(*) AS n FROM events WHERE city_id IN ? AND starts_at >= ? AND status = ? GROUP BY city_id",
		cityIDs, now.UTC(), models.StatusPlanned).Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		st := out[r.CityID]
		st.Upcoming = r.N
		out[r.CityID] = st
	}
	var prow []struct {
		CityID   uint
		Partners int64
	}
	if err := s.db.WithContext(ctx).Raw("SELECT city_id, COUNT(*) AS partners FROM partners WHERE city_id IN ? GROUP BY city_id", cityIDs).Scan(&prow).Error; err != nil {
		return nil, err
	}
	for _, r := range prow {
		st := out[r.CityID]
		st.Partners = r.Partners
		out[r.CityID] = st
	}
	return out, nil
}
