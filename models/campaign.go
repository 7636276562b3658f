package models

import (
	"context"
	"time"
)

// Campaign is a hashtag campaign with a period; events and stories belong
// to one.
type Campaign struct {
	ID        uint `gorm:"primaryKey"`
	Hashtag   string
	Name      string
	StartsOn  time.Time
	EndsOn    *time.Time
	CreatedAt time.Time
}

// Campaigns lists every campaign, newest first.
func (s *Store) Campaigns(ctx context.Context) ([]Campaign, error) {
	var cs []Campaign
	err := s.db.WithContext(ctx).Order("starts_on DESC, id DESC").Find(&cs).Error
	return cs, err
}

// CreateCampaign stores a campaign.
func (s *Store) CreateCampaign(ctx context.Context, c *Campaign) error {
	return translate(s.db.WithContext(ctx).Create(c).Error)
}
