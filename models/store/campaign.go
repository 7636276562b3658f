package store

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// Campaigns lists every campaign, archived ones too, newest first.
func (s *Store) Campaigns(ctx context.Context) ([]models.Campaign, error) {
	var cs []models.Campaign
	err := s.db.WithContext(ctx).Order("starts_on DESC, id DESC").Find(&cs).Error
	return cs, err
}

// RunningCampaigns lists the campaigns running at now, newest first: those
// that event and story forms offer.
func (s *Store) RunningCampaigns(ctx context.Context, now time.Time) ([]models.Campaign, error) {
	var cs []models.Campaign
	err := s.db.WithContext(ctx).Where("archived_at IS NULL AND starts_on <= ? AND (ends_on IS NULL OR ends_on >= ?)", now.UTC(), utcDay(now).AddDate(0, 0, -1)).
		Order("starts_on DESC, id DESC").Find(&cs).Error
	return slices.DeleteFunc(cs, func(c models.Campaign) bool { return !c.RunningAt(now) }), err
}

func utcDay(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// CreateCampaign stores a campaign as it is, unaudited: for the demo data,
// the scale dataset and tests. Staff's changes go through SaveCampaign.
func (s *Store) CreateCampaign(ctx context.Context, c *models.Campaign) error {
	if c.Slug == "" {
		c.Slug = models.CampaignSlug(c.Hashtag)
	}
	if c.DueDays == 0 && c.DueOn == nil {
		c.DueDays = models.DefaultDueDays
	}
	if c.ReportPeriods == "" {
		c.ReportPeriods = "campaign,quarter,year"
	}
	if c.Texts == nil {
		c.Texts = map[string]models.CampaignText{}
	}
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.db.Create(c).Error; err != nil {
			return translate(err)
		}
		return tx.setCoLeads(c.ID, c.CoLeads)
	})
}

// SaveCampaign creates the campaign (ID 0) or updates it, with its
// co-leading cities, and audits the change. A hashtag another campaign has
// (in any case) is refused as taken.
func (s *Store) SaveCampaign(ctx context.Context, actor models.Actor, c *models.Campaign) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.Tx(ctx, func(tx *Store) error {
		var n int64
		if err := tx.db.Model(&models.Campaign{}).Where("slug = ? AND id <> ?", c.Slug, c.ID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return models.FieldErrors{"hashtag": {Code: "taken"}}
		}
		action := models.AuditCreate
		if c.ID == 0 {
			if err := tx.db.Create(c).Error; err != nil {
				return translateCampaign(err)
			}
		} else {
			action = models.AuditUpdate
			res := tx.db.Model(&models.Campaign{ID: c.ID}).
				Select("hashtag", "slug", "name", "description", "texts", "starts_on", "ends_on", "due_days", "due_on", "report_periods").
				Updates(c)
			if res.Error != nil {
				return translateCampaign(res.Error)
			}
			if res.RowsAffected == 0 {
				return models.ErrNotFound
			}
		}
		if err := tx.setCoLeads(c.ID, c.CoLeads); err != nil {
			return err
		}
		return tx.audit(actor, action, models.EntityCampaign, c.ID, nil, c.Hashtag)
	})
}

func translateCampaign(err error) error {
	if translate(err) == models.ErrDuplicate {
		return models.FieldErrors{"hashtag": {Code: "taken"}}
	}
	return err
}

// ArchiveCampaign archives the campaign (archived true) or brings it back,
// audited. Its events, stories and figures are untouched.
func (s *Store) ArchiveCampaign(ctx context.Context, actor models.Actor, id uint, archived bool, now time.Time) error {
	return s.Tx(ctx, func(tx *Store) error {
		var c models.Campaign
		if err := tx.db.First(&c, id).Error; err != nil {
			return translate(err)
		}
		var at *time.Time
		action := models.AuditRestore
		if archived {
			t := now.UTC()
			at, action = &t, models.AuditArchive
		}
		if err := tx.db.Model(&models.Campaign{ID: id}).Update("archived_at", at).Error; err != nil {
			return err
		}
		return tx.audit(actor, action, models.EntityCampaign, id, nil, c.Hashtag)
	})
}

// SetCoLeads makes exactly cityIDs the co-leading cities of campaign
// campaignID, unaudited, like CreateCampaign: for the demo data, whose
// campaign exists before its cities. Unknown city ids are refused.
func (s *Store) SetCoLeads(ctx context.Context, campaignID uint, cityIDs []uint) error {
	return s.Tx(ctx, func(tx *Store) error { return tx.setCoLeads(campaignID, cityIDs) })
}

// setCoLeads makes exactly cityIDs the campaign's co-leading cities;
// unknown city ids are refused.
func (s *Store) setCoLeads(campaignID uint, cityIDs []uint) error {
	if err := s.db.Exec("DELETE FROM campaign_co_leads WHERE campaign_id = ?", campaignID).Error; err != nil {
		return err
	}
	if len(cityIDs) == 0 {
		return nil
	}
	ids := slices.Compact(slices.Sorted(slices.Values(cityIDs)))
	var n int64
	if err := s.db.Model(&models.City{}).Where("id IN ?", ids).Count(&n).Error; err != nil {
		return err
	}
	if int(n) != len(ids) {
		return models.FieldErrors{"co_leads": {Code: "oneof"}}
	}
	for _, id := range ids {
		if err := s.db.Exec("INSERT INTO campaign_co_leads (campaign_id, city_id) VALUES (?, ?)", campaignID, id).Error; err != nil {
			return err
		}
	}
	return nil
}

// Campaign returns the campaign with id and its co-leads.
func (s *Store) Campaign(ctx context.Context, id uint) (*models.Campaign, error) {
	var c models.Campaign
	if err := s.db.WithContext(ctx).First(&c, id).Error; err != nil {
		return nil, translate(err)
	}
	return &c, s.loadCoLeads(ctx, &c)
}

// CampaignBySlug returns the campaign whose public address name is slug,
// with its co-leads.
func (s *Store) CampaignBySlug(ctx context.Context, slug string) (*models.Campaign, error) {
	var c models.Campaign
	if err := s.db.WithContext(ctx).Where("slug = ?", strings.ToLower(slug)).First(&c).Error; err != nil {
		return nil, translate(err)
	}
	return &c, s.loadCoLeads(ctx, &c)
}

func (s *Store) loadCoLeads(ctx context.Context, c *models.Campaign) error {
	c.CoLeads = nil
	return s.db.WithContext(ctx).Table("campaign_co_leads").Where("campaign_id = ?", c.ID).Order("city_id").Pluck("city_id", &c.CoLeads).Error
}

// CampaignByHashtag returns the campaign whose hashtag is tag, with or
// without its #, in any case; ErrNotFound when there is none.
func (s *Store) CampaignByHashtag(ctx context.Context, tag string) (*models.Campaign, error) {
	c, err := s.CampaignBySlug(ctx, models.CampaignSlug(tag))
	if errors.Is(err, models.ErrNotFound) {
		return nil, models.ErrNotFound
	}
	return c, err
}

// CampaignUpcomingEvents are the next (at most n) planned events of the
// campaign starting from now, soonest first, without their links: the
// index on (status, starts_at) finds them without reading the past.
func (s *Store) CampaignUpcomingEvents(ctx context.Context, campaignID uint, now time.Time, n int) ([]models.Event, error) {
	var events []models.Event
	err := s.db.WithContext(ctx).Where("status = ? AND starts_at >= ? AND campaign_id = ?", models.StatusPlanned, now.UTC(), campaignID).
		Order("starts_at, id").Limit(n).Find(&events).Error
	return events, err
}

// CampaignFeaturedStories are the newest (at most n) featured published
// stories of the campaign.
func (s *Store) CampaignFeaturedStories(ctx context.Context, campaignID uint, n int) ([]models.Story, error) {
	var stories []models.Story
	err := s.db.WithContext(ctx).Where("status = ? AND featured = ? AND campaign_id = ?", models.StoryPublished, true, campaignID).
		Order("published_at DESC, id DESC").Limit(n).Find(&stories).Error
	if err != nil {
		return nil, err
	}
	return stories, s.loadStoryAreas(ctx, stories)
}
