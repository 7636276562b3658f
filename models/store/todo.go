package store

import (
	"context"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// OldestPending is when the oldest story still waiting for moderation in
// the cities was submitted, or nil when none waits. One index read per
// city (stories by city, status and submission).
func (s *Store) OldestPending(ctx context.Context, cityIDs []uint) (*time.Time, error) {
	if len(cityIDs) == 0 {
		return nil, nil
	}
	var oldest *time.Time
	for _, id := range cityIDs {
		var st models.Story
		err := s.db.WithContext(ctx).Select("submitted_at").Where("city_id = ? AND status = ?", id, models.StoryPending).
			Order("submitted_at").Limit(1).Find(&st).Error
		if err != nil {
			return nil, err
		}
		if !st.SubmittedAt.IsZero() && (oldest == nil || st.SubmittedAt.Before(*oldest)) {
			t := st.SubmittedAt
			oldest = &t
		}
	}
	return oldest, nil
}
