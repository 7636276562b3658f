package models

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Campaign is a hashtag campaign with a period; events and stories belong
// to one. Archiving a campaign hides it from forms and lists of running
// campaigns; its events, stories and figures stay.
type Campaign struct {
	ID uint `gorm:"primaryKey"`
	// Hashtag is "#" and 2 to 60 ASCII letters, digits or underscores,
	// unique whatever the case; Slug is its lower-case form without "#",
	// the campaign's public address.
	Hashtag string `field:"hashtag" validate:"required"`
	Slug    string
	// Name and Description are in English; Texts holds them in the other
	// interface languages, by language code.
	Name        string                  `field:"name" validate:"required,max=120"`
	Description string                  `field:"description" validate:"max=2000"`
	Texts       map[string]CampaignText `gorm:"serializer:json"`
	StartsOn    time.Time
	EndsOn      *time.Time
	// DueDays is how many days after a period ends its city reports are
	// due; DueOn, when set, is the fixed day reports on the whole campaign
	// are due.
	DueDays int
	DueOn   *time.Time
	// ReportPeriods are the kinds of period cities report on, comma-separated
	// ("campaign,quarter").
	ReportPeriods string
	ArchivedAt    *time.Time
	CreatedAt     time.Time
	// CoLeads are the ids of the cities that co-lead the campaign, loaded
	// by Campaign and CampaignBySlug and saved by SaveCampaign.
	CoLeads []uint `gorm:"-"`
}

// CampaignText is a campaign's name and description in one language.
type CampaignText struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// CampaignLanguages are the interface languages a campaign is described
// in; English first, held in Name and Description.
func CampaignLanguages() []string { return []string{"en", "fr", "es", "ar"} }

// DefaultDueDays is how long after a period cities have to report, unless
// a campaign says otherwise.
const DefaultDueDays = 30

// NameIn is the campaign's name in lang, or its English name.
func (c *Campaign) NameIn(lang string) string {
	if t, ok := c.Texts[lang]; ok && t.Name != "" {
		return t.Name
	}
	return c.Name
}

// DescriptionIn is the campaign's description in lang, or in English.
func (c *Campaign) DescriptionIn(lang string) string {
	if t, ok := c.Texts[lang]; ok && t.Description != "" {
		return t.Description
	}
	return c.Description
}

// Periods are the kinds of period cities report on for the campaign, in
// the order of PeriodKinds; all of them when none is set.
func (c *Campaign) Periods() []PeriodKind {
	var out []PeriodKind
	for _, k := range PeriodKinds() {
		if slices.Contains(strings.Split(c.ReportPeriods, ","), string(k)) {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		return PeriodKinds()
	}
	return out
}

// Archived reports whether the campaign is archived.
func (c *Campaign) Archived() bool { return c.ArchivedAt != nil }

// RunningAt reports whether the campaign runs at t: started, not ended
// (its end day included) and not archived.
func (c *Campaign) RunningAt(t time.Time) bool {
	if c.Archived() || t.Before(c.StartsOn) {
		return false
	}
	return c.EndsOn == nil || t.Before(c.EndsOn.AddDate(0, 0, 1))
}

// DueAfter is when reports on a period ending at end (the day after its
// last) are due under the campaign's rule.
func (c *Campaign) DueAfter(end time.Time) time.Time {
	return end.AddDate(0, 0, c.DueDays)
}

// PeriodKinds lists the kinds of period, campaign first.
func PeriodKinds() []PeriodKind { return []PeriodKind{PeriodCampaign, PeriodQuarter, PeriodYear} }

var hashtagPattern = regexp.MustCompile(`^#[A-Za-z0-9_]{2,60}$`)

// CampaignSlug is the public address name of a hashtag: lower case,
// without "#".
func CampaignSlug(hashtag string) string {
	return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(hashtag), "#"))
}

// ValidateCampaign checks a campaign and tidies its fields.
func (s *Store) ValidateCampaign(c *Campaign) error {
	c.Hashtag = strings.TrimSpace(c.Hashtag)
	if c.Hashtag != "" && !strings.HasPrefix(c.Hashtag, "#") {
		c.Hashtag = "#" + c.Hashtag
	}
	c.Slug = CampaignSlug(c.Hashtag)
	c.Name = strings.TrimSpace(c.Name)
	c.Description = strings.TrimSpace(c.Description)
	if c.Texts == nil {
		c.Texts = map[string]CampaignText{}
	}
	for lang, t := range c.Texts {
		t.Name, t.Description = strings.TrimSpace(t.Name), strings.TrimSpace(t.Description)
		if t == (CampaignText{}) || !slices.Contains(CampaignLanguages()[1:], lang) {
			delete(c.Texts, lang)
			continue
		}
		c.Texts[lang] = t
	}
	fe := s.check(c)
	if _, bad := fe["hashtag"]; !bad && !hashtagPattern.MatchString(c.Hashtag) {
		fe.Add("hashtag", "hashtag", "")
	}
	for _, lang := range CampaignLanguages()[1:] {
		if len([]rune(c.Texts[lang].Name)) > 120 {
			fe.Add("name_"+lang, "max", "120")
		}
		if len([]rune(c.Texts[lang].Description)) > 2000 {
			fe.Add("description_"+lang, "max", "2000")
		}
	}
	if c.DueDays < 0 || c.DueDays > 365 {
		fe.Add("due_days", "range", "365")
	}
	if c.StartsOn.IsZero() {
		fe.Add("starts_on", "required", "")
	}
	if c.EndsOn != nil && !c.StartsOn.IsZero() && c.EndsOn.Before(c.StartsOn) {
		fe.Add("ends_on", "after_start", "")
	}
	if c.DueOn != nil {
		if c.EndsOn == nil {
			fe.Add("due_on", "needs_end", "")
		} else if !c.DueOn.After(*c.EndsOn) {
			fe.Add("due_on", "after_end", "")
		}
	}
	var kinds []string
	for _, k := range strings.Split(c.ReportPeriods, ",") {
		if k == "" {
			continue
		}
		if !slices.Contains(PeriodKinds(), PeriodKind(k)) {
			fe.Add("report_periods", "oneof", "")
		}
		kinds = append(kinds, k)
	}
	if len(kinds) == 0 {
		fe.Add("report_periods", "required", "")
	}
	c.ReportPeriods = strings.Join(kinds, ",")
	return fe.orNil()
}

// Campaigns lists every campaign, archived ones too, newest first.
func (s *Store) Campaigns(ctx context.Context) ([]Campaign, error) {
	var cs []Campaign
	err := s.db.WithContext(ctx).Order("starts_on DESC, id DESC").Find(&cs).Error
	return cs, err
}

// RunningCampaigns lists the campaigns running at now, newest first: those
// that event and story forms offer.
func (s *Store) RunningCampaigns(ctx context.Context, now time.Time) ([]Campaign, error) {
	var cs []Campaign
	err := s.db.WithContext(ctx).Where("archived_at IS NULL AND starts_on <= ? AND (ends_on IS NULL OR ends_on >= ?)", now.UTC(), utcDay(now).AddDate(0, 0, -1)).
		Order("starts_on DESC, id DESC").Find(&cs).Error
	return slices.DeleteFunc(cs, func(c Campaign) bool { return !c.RunningAt(now) }), err
}

func utcDay(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// CreateCampaign stores a campaign as it is, unaudited: for the demo data,
// the scale dataset and tests. Staff's changes go through SaveCampaign.
func (s *Store) CreateCampaign(ctx context.Context, c *Campaign) error {
	if c.Slug == "" {
		c.Slug = CampaignSlug(c.Hashtag)
	}
	if c.DueDays == 0 && c.DueOn == nil {
		c.DueDays = DefaultDueDays
	}
	if c.ReportPeriods == "" {
		c.ReportPeriods = "campaign,quarter,year"
	}
	if c.Texts == nil {
		c.Texts = map[string]CampaignText{}
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
func (s *Store) SaveCampaign(ctx context.Context, actor Actor, c *Campaign) error {
	if err := s.ValidateCampaign(c); err != nil {
		return err
	}
	return s.Tx(ctx, func(tx *Store) error {
		var n int64
		if err := tx.db.Model(&Campaign{}).Where("slug = ? AND id <> ?", c.Slug, c.ID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return FieldErrors{"hashtag": {Code: "taken"}}
		}
		action := AuditCreate
		if c.ID == 0 {
			if err := tx.db.Create(c).Error; err != nil {
				return translateCampaign(err)
			}
		} else {
			action = AuditUpdate
			res := tx.db.Model(&Campaign{ID: c.ID}).
				Select("hashtag", "slug", "name", "description", "texts", "starts_on", "ends_on", "due_days", "due_on", "report_periods").
				Updates(c)
			if res.Error != nil {
				return translateCampaign(res.Error)
			}
			if res.RowsAffected == 0 {
				return ErrNotFound
			}
		}
		if err := tx.setCoLeads(c.ID, c.CoLeads); err != nil {
			return err
		}
		return tx.audit(actor, action, EntityCampaign, c.ID, nil, c.Hashtag)
	})
}

func translateCampaign(err error) error {
	if translate(err) == ErrDuplicate {
		return FieldErrors{"hashtag": {Code: "taken"}}
	}
	return err
}

// ArchiveCampaign archives the campaign (archived true) or brings it back,
// audited. Its events, stories and figures are untouched.
func (s *Store) ArchiveCampaign(ctx context.Context, actor Actor, id uint, archived bool, now time.Time) error {
	return s.Tx(ctx, func(tx *Store) error {
		var c Campaign
		if err := tx.db.First(&c, id).Error; err != nil {
			return translate(err)
		}
		var at *time.Time
		action := AuditRestore
		if archived {
			t := now.UTC()
			at, action = &t, AuditArchive
		}
		if err := tx.db.Model(&Campaign{ID: id}).Update("archived_at", at).Error; err != nil {
			return err
		}
		return tx.audit(actor, action, EntityCampaign, id, nil, c.Hashtag)
	})
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
	if err := s.db.Model(&City{}).Where("id IN ?", ids).Count(&n).Error; err != nil {
		return err
	}
	if int(n) != len(ids) {
		return FieldErrors{"co_leads": {Code: "oneof"}}
	}
	for _, id := range ids {
		if err := s.db.Exec("INSERT INTO campaign_co_leads (campaign_id, city_id) VALUES (?, ?)", campaignID, id).Error; err != nil {
			return err
		}
	}
	return nil
}

// Campaign returns the campaign with id and its co-leads.
func (s *Store) Campaign(ctx context.Context, id uint) (*Campaign, error) {
	var c Campaign
	if err := s.db.WithContext(ctx).First(&c, id).Error; err != nil {
		return nil, translate(err)
	}
	return &c, s.loadCoLeads(ctx, &c)
}

// CampaignBySlug returns the campaign whose public address name is slug,
// with its co-leads.
func (s *Store) CampaignBySlug(ctx context.Context, slug string) (*Campaign, error) {
	var c Campaign
	if err := s.db.WithContext(ctx).Where("slug = ?", strings.ToLower(slug)).First(&c).Error; err != nil {
		return nil, translate(err)
	}
	return &c, s.loadCoLeads(ctx, &c)
}

func (s *Store) loadCoLeads(ctx context.Context, c *Campaign) error {
	c.CoLeads = nil
	return s.db.WithContext(ctx).Table("campaign_co_leads").Where("campaign_id = ?", c.ID).Order("city_id").Pluck("city_id", &c.CoLeads).Error
}

// CampaignByHashtag returns the campaign whose hashtag is tag, with or
// without its #, in any case; ErrNotFound when there is none.
func (s *Store) CampaignByHashtag(ctx context.Context, tag string) (*Campaign, error) {
	c, err := s.CampaignBySlug(ctx, CampaignSlug(tag))
	if errors.Is(err, ErrNotFound) {
		return nil, ErrNotFound
	}
	return c, err
}

// CampaignUpcomingEvents are the next (at most n) planned events of the
// campaign starting from now, soonest first, without their links: the
// index on (status, starts_at) finds them without reading the past.
func (s *Store) CampaignUpcomingEvents(ctx context.Context, campaignID uint, now time.Time, n int) ([]Event, error) {
	var events []Event
	err := s.db.WithContext(ctx).Where("status = ? AND starts_at >= ? AND campaign_id = ?", StatusPlanned, now.UTC(), campaignID).
		Order("starts_at, id").Limit(n).Find(&events).Error
	return events, err
}

// CampaignFeaturedStories are the newest (at most n) featured published
// stories of the campaign.
func (s *Store) CampaignFeaturedStories(ctx context.Context, campaignID uint, n int) ([]Story, error) {
	var stories []Story
	err := s.db.WithContext(ctx).Where("status = ? AND featured = ? AND campaign_id = ?", StoryPublished, true, campaignID).
		Order("published_at DESC, id DESC").Limit(n).Find(&stories).Error
	if err != nil {
		return nil, err
	}
	return stories, s.loadStoryAreas(ctx, stories)
}
