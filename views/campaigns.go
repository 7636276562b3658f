package views

import (
	"context"
	"strings"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// CampaignForm is what the staff's campaign form posts. Names and
// descriptions in languages other than English are name_fr, description_fr…
type CampaignForm struct {
	Hashtag       string   `form:"hashtag"`
	Name          string   `form:"name"`
	NameFR        string   `form:"name_fr"`
	NameES        string   `form:"name_es"`
	NameAR        string   `form:"name_ar"`
	Description   string   `form:"description"`
	DescriptionFR string   `form:"description_fr"`
	DescriptionES string   `form:"description_es"`
	DescriptionAR string   `form:"description_ar"`
	StartsOn      string   `form:"starts_on"`
	EndsOn        string   `form:"ends_on"`
	DueRule       string   `form:"due_rule"` // "after_end" or "fixed"
	DueDays       string   `form:"due_days"`
	DueOn         string   `form:"due_on"`
	ReportPeriods []string `form:"report_periods"`
	CoLeads       []string `form:"co_leads"`
}

// Texts are the form's names and descriptions in the languages other than
// English, by language code.
func (f CampaignForm) Texts() map[string]models.CampaignText {
	return map[string]models.CampaignText{
		"fr": {Name: f.NameFR, Description: f.DescriptionFR},
		"es": {Name: f.NameES, Description: f.DescriptionES},
		"ar": {Name: f.NameAR, Description: f.DescriptionAR},
	}
}

// The rules a campaign's city reports can be due by.
const (
	DueAfterEnd = "after_end"
	DueFixed    = "fixed"
)

// CampaignFormPage is the data of the staff's new and edit campaign pages.
type CampaignFormPage struct {
	ID     uint // 0 for a new campaign
	Form   CampaignForm
	Errors models.FieldErrors
	Cities []models.City
}

// flaggedCoLeads counts the cities flagged as co-leading the network's
// campaigns.
func flaggedCoLeads(cities []models.City) int {
	n := 0
	for _, c := range cities {
		if c.CoLead {
			n++
		}
	}
	return n
}

// ManageCampaignsPage is the data of the staff's list of campaigns.
type ManageCampaignsPage struct {
	Campaigns []models.Campaign
	Now       time.Time
}

// CampaignPage is the data of a campaign's public page.
type CampaignPage struct {
	Campaign *models.Campaign
	Totals   models.Totals
	CoLeads  []models.City
	Featured []StoryCard
	Upcoming []models.Event
	// Cities are the cities of the co-leads, events and stories, by id.
	Cities map[uint]models.City
	Now    time.Time
	URL    string // the page's absolute public address
}

// CampaignReportURL is the network report filtered to a campaign.
func CampaignReportURL(c *models.Campaign) string {
	return "/reports?campaign=" + strings.TrimPrefix(c.Hashtag, "#")
}

// CampaignURL is the public page of a campaign.
func CampaignURL(c *models.Campaign) string { return "/campaigns/" + c.Slug }

// CampaignName is the campaign's name in the request's language.
func CampaignName(ctx context.Context, c *models.Campaign) string {
	return c.NameIn(langCode(ctx))
}

// CampaignDescription is the campaign's description in the request's
// language.
func CampaignDescription(ctx context.Context, c *models.Campaign) string {
	return c.DescriptionIn(langCode(ctx))
}

func langCode(ctx context.Context) string {
	base, _ := req(ctx).Lang.Base()
	return base.String()
}

func campaignFormTitle(ctx context.Context, p CampaignFormPage) string {
	if p.ID == 0 {
		return T(ctx, "campaigns.new")
	}
	return T(ctx, "campaigns.edit_title")
}

func campaignFormAction(p CampaignFormPage) string {
	if p.ID == 0 {
		return "/manage/campaigns"
	}
	return "/manage/campaigns/" + uitoa(p.ID)
}

// campaignState names where a campaign is: running, upcoming, ended or
// archived.
func campaignState(c models.Campaign, now time.Time) string {
	switch {
	case c.Archived():
		return "archived"
	case now.Before(c.StartsOn):
		return "upcoming"
	case c.RunningAt(now):
		return "running"
	}
	return "ended"
}

func campaignStateLabel(ctx context.Context, c models.Campaign, now time.Time) string {
	switch campaignState(c, now) {
	case "archived":
		return T(ctx, "campaigns.state_archived")
	case "upcoming":
		return T(ctx, "campaigns.state_upcoming")
	case "running":
		return T(ctx, "campaigns.state_running")
	}
	return T(ctx, "campaigns.state_ended")
}

// campaignPeriod writes a campaign's period: "1/3/2026 – 31/12/2026", or
// "from 1/3/2026" while it has no end.
func campaignPeriod(ctx context.Context, c *models.Campaign) string {
	if c.EndsOn == nil {
		return Tf(ctx, "campaigns.period_open", map[string]any{"Start": Isolate(ctx, Date(ctx, c.StartsOn))})
	}
	return Tf(ctx, "campaigns.period", map[string]any{"Start": Isolate(ctx, Date(ctx, c.StartsOn)), "End": Isolate(ctx, Date(ctx, *c.EndsOn))})
}

func periodKindOptions(ctx context.Context) []option {
	labels := map[models.PeriodKind]string{
		models.PeriodCampaign: T(ctx, "campaigns.periods_campaign"),
		models.PeriodQuarter:  T(ctx, "campaigns.periods_quarter"),
		models.PeriodYear:     T(ctx, "campaigns.periods_year"),
	}
	out := make([]option, 0, len(labels))
	for _, k := range models.PeriodKinds() {
		out = append(out, option{Value: string(k), Label: labels[k]})
	}
	return out
}

func dueRuleOptions(ctx context.Context) []option {
	return []option{{Value: DueAfterEnd, Label: T(ctx, "campaigns.due_after_end")}, {Value: DueFixed, Label: T(ctx, "campaigns.due_fixed")}}
}

// campaignLabels names the campaign form's fields for its error summary.
func campaignLabels(ctx context.Context) fieldLabels {
	return fieldLabels{
		{"hashtag", T(ctx, "campaigns.hashtag")}, {"name", T(ctx, "campaigns.name_en")},
		{"name_fr", T(ctx, "campaigns.name_fr")}, {"name_es", T(ctx, "campaigns.name_es")}, {"name_ar", T(ctx, "campaigns.name_ar")},
		{"description", T(ctx, "campaigns.description_en")}, {"description_fr", T(ctx, "campaigns.description_fr")},
		{"description_es", T(ctx, "campaigns.description_es")}, {"description_ar", T(ctx, "campaigns.description_ar")},
		{"starts_on", T(ctx, "campaigns.starts_on")}, {"ends_on", T(ctx, "campaigns.ends_on")},
		{"due_rule", T(ctx, "campaigns.due_rule")}, {"due_days", T(ctx, "campaigns.due_days")}, {"due_on", T(ctx, "campaigns.due_on")},
		{"report_periods", T(ctx, "campaigns.report_periods")}, {"co_leads", T(ctx, "campaigns.co_leads")},
	}
}

func ptrCity(c models.City) *models.City { return &c }
