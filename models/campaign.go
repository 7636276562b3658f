package models

import (
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

// Validate checks a campaign and tidies its fields.
func (c *Campaign) Validate() error {
	c.Hashtag = strings.TrimSpace(c.Hashtag)
	if c.Hashtag != "" && !strings.HasPrefix(c.Hashtag, "#") {
		c.Hashtag = "#" + c.Hashtag
	}
	c.Slug = CampaignSlug(c.Hashtag)
	c.Name = strings.TrimSpace(c.Name)
	c.Description = TextLines(c.Description)
	if c.Texts == nil {
		c.Texts = map[string]CampaignText{}
	}
	for lang, t := range c.Texts {
		t.Name, t.Description = strings.TrimSpace(t.Name), TextLines(t.Description)
		if t == (CampaignText{}) || !slices.Contains(CampaignLanguages()[1:], lang) {
			delete(c.Texts, lang)
			continue
		}
		c.Texts[lang] = t
	}
	fe := check(c)
	if _, bad := fe["hashtag"]; !bad && !hashtagPattern.MatchString(c.Hashtag) {
		fe.Add("hashtag", "hashtag", "")
	}
	fe.checkText("name", c.Name, false)
	fe.checkText("description", c.Description, true)
	for _, lang := range CampaignLanguages()[1:] {
		fe.checkText("name_"+lang, c.Texts[lang].Name, false)
		fe.checkText("description_"+lang, c.Texts[lang].Description, true)
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
	return fe.Err()
}
