package store

import (
	"context"
	"fmt"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

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
