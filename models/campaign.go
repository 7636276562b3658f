package models

import (
	"context"
	"strings"
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

// CampaignByHashtag returns the campaign whose hashtag is tag, with or
// without its #, in any case; ErrNotFound when there is none.
func (s *Store) CampaignByHashtag(ctx context.Context, tag string) (*Campaign, error) {
	campaigns, err := s.Campaigns(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range campaigns {
		if strings.EqualFold(strings.TrimPrefix(c.Hashtag, "#"), strings.TrimPrefix(tag, "#")) {
			return &c, nil
		}
	}
	return nil, ErrNotFound
}
