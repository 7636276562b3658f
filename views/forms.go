package views

import (
	"net/url"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// DateTimeLayout is the value format of datetime-local inputs.
const DateTimeLayout = "2006-01-02T15:04"

// LoginForm is what the login form posts.
type LoginForm struct {
	Email    string `form:"email"`
	Password string `form:"password"`
	Next     string `form:"next"`
}

// EventForm is what the event form posts, kept as typed so that it can be
// shown back unchanged when it is refused.
type EventForm struct {
	Title         string   `form:"title"`
	Description   string   `form:"description"`
	StartsAt      string   `form:"starts_at"`
	EndsAt        string   `form:"ends_at"`
	Venue         string   `form:"venue"`
	Format        string   `form:"format"`
	Status        string   `form:"status"`
	Participants  string   `form:"participants"`
	Campaign      string   `form:"campaign"`
	LearningAreas []string `form:"learning_areas"`
	AgeGroups     []string `form:"age_groups"`
	Partners      []string `form:"partners"`
	Lang          string   `form:"lang"`
}

// PartnerForm is what the partner form posts.
type PartnerForm struct {
	Name         string `form:"name"`
	Sector       string `form:"sector"`
	ContactName  string `form:"contact_name"`
	ContactEmail string `form:"contact_email"`
	Website      string `form:"website"`
	Active       bool   `form:"active"`
	Lang         string `form:"lang"`
}

// CityForm is what the city form posts.
type CityForm struct {
	Name         string   `form:"name"`
	Slug         string   `form:"slug"`
	Country      string   `form:"country"`
	Region       string   `form:"region"`
	JoinedYear   string   `form:"joined_year"`
	CoLead       bool     `form:"co_lead"`
	Coordinators []string `form:"coordinators"`
}

// EventFormPage is the data of the new and edit event pages.
type EventFormPage struct {
	City      *models.City
	EventID   uint // 0 for a new event
	Form      EventForm
	Errors    models.FieldErrors
	Partners  []models.Partner
	Campaigns []models.Campaign
}

// EventListPage is the data of a city's event list.
type EventListPage struct {
	City   *models.City
	Events models.Paged[models.Event]
	Query  url.Values
}

// PartnerFormPage is the data of the new and edit partner pages.
type PartnerFormPage struct {
	City      *models.City
	PartnerID uint
	Form      PartnerForm
	Errors    models.FieldErrors
}

// PartnerListPage is the data of a city's partner list.
type PartnerListPage struct {
	City     *models.City
	Partners models.Paged[models.Partner]
	Query    url.Values
}

// CityFormPage is the data of the staff's new and edit city pages.
type CityFormPage struct {
	Slug         string // "" for a new city
	Form         CityForm
	Errors       models.FieldErrors
	Coordinators []models.User
}

// DirectoryPage is the data of the public city directory.
type DirectoryPage struct {
	Cities []models.City
	Query  string
	Region string
}

// CityPage is the data of a city's public page.
type CityPage struct {
	City     *models.City
	Upcoming []models.Event
	Recent   []models.Event
	Partners []models.Partner
	Stories  models.Paged[models.Story]
}

// CitySummary is one city on a coordinator's dashboard.
type CitySummary struct {
	City    models.City
	Stats   models.CityStats
	Pending int64
}

// DashboardPage is the data of the signed-in user's home.
type DashboardPage struct {
	Cities   []CitySummary
	Upcoming []models.Event
	Activity []models.AuditEntry
	// CityNames names the cities of the events and entries shown.
	CityNames map[uint]string
}

// HomePage is the data of the public home page.
type HomePage struct {
	Totals    models.Totals
	Featured  []StoryCard
	Upcoming  []models.Event
	CityNames map[uint]string
	CitySlugs map[uint]string
}

// AccountPage is the data of the account page.
type AccountPage struct {
	Cities []models.City
}

// AuditPage is the data of the audit log.
type AuditPage struct {
	Entries   models.Paged[models.AuditEntry]
	CityNames map[uint]string
}

// StoryForm is what a learner's story form posts. Website is a honeypot:
// hidden from people, filled in only by bots.
type StoryForm struct {
	City               string   `form:"city"`
	Title              string   `form:"title"`
	Body               string   `form:"body"`
	DisplayName        string   `form:"display_name"`
	Anonymous          bool     `form:"anonymous"`
	AgeGroup           string   `form:"age_group"`
	Minor              bool     `form:"minor"`
	LearningAreas      []string `form:"learning_areas"`
	PhotoAlt           string   `form:"photo_alt"`
	PublicationConsent bool     `form:"publication_consent"`
	GuardianConsent    bool     `form:"guardian_consent"`
	ContactEmail       string   `form:"contact_email"`
	Website            string   `form:"website"`
	Lang               string   `form:"lang"`
}

// StoryFormPage is the data of the story form.
type StoryFormPage struct {
	Form   StoryForm
	Errors models.FieldErrors
	Cities []models.City
	// HadPhoto is true when a refused form came with a photo, which the
	// browser cannot send back: the learner must choose it again.
	HadPhoto bool
	// Limited is true when the client sent too many stories lately.
	Limited bool
}

// StoryStatusPage is what a learner sees with their receipt code.
type StoryStatusPage struct {
	Story *models.Story
	City  *models.City
	Code  string
}

// StoryCard is a published story with its city, for lists.
type StoryCard struct {
	Story    models.Story
	CityName string
	CitySlug string
}

// StoryPage is the data of a published story's own page.
type StoryPage struct {
	Story *models.Story
	City  *models.City
}

// ModerationPage is the data of the moderation queue.
type ModerationPage struct {
	Stories models.Paged[models.Story]
	Status  string
	City    string
	Cities  []models.City
	Backlog map[uint]int64
	Names   map[uint]string
	Query   url.Values
	Now     time.Time
}

// ModerateStoryPage is the data of one story under moderation.
type ModerateStoryPage struct {
	Story  *models.Story
	City   *models.City
	Errors models.FieldErrors
	Reason string
	Now    time.Time
}

// ReportPage is the data of the report page.
type ReportPage struct {
	Report    *models.Report
	Query     url.Values
	City      *models.City
	Campaigns []models.Campaign
	Cities    []models.City
	Sort      models.Figure
	Desc      bool
	// Staff only: what needs follow-up.
	Staff       bool
	QuietMonths int
	Quiet       []models.QuietCity
	Backlog     map[uint]int64
}

// CityReportRow is a city report in a list, with its city.
type CityReportRow struct {
	Report models.CityReport
	City   models.City
}

// CityReportsPage is the data of the list of city reports.
type CityReportsPage struct {
	Rows    []CityReportRow
	Cities  []models.City
	Periods []models.Period
	Errors  models.FieldErrors
}

// CityReportPage is the data of one city report.
type CityReportPage struct {
	Report   *models.CityReport
	City     *models.City
	Live     *models.Report
	Frozen   *models.Report
	Steps    []models.ReportStep
	Stories  []models.Story // the city's published stories, to pick from or show
	Events   []models.Event // the city's held events of the period
	Form     CityReportForm
	Errors   models.FieldErrors
	Conflict bool
	Now      time.Time
}

// CityReportForm is what the report form posts.
type CityReportForm struct {
	Version  int      `form:"version"`
	Worked   string   `form:"worked"`
	Hard     string   `form:"hard"`
	Plans    string   `form:"plans"`
	Stories  []string `form:"stories"`
	Events   []string `form:"events"`
	Scores   []string `form:"score"`
	Comments []string `form:"comment"`
	Review   string   `form:"review"`
	Decision string   `form:"decision"`
}

// NetworkStatusRow is one city's report status for a period.
type NetworkStatusRow struct {
	City   models.City
	Report *models.CityReport
	Late   bool
}

// NetworkReportsPage is the staff's view of who has reported for a period.
type NetworkReportsPage struct {
	Period  string
	Periods []models.Period
	Rows    []NetworkStatusRow
	Counts  map[string]int
	Due     *time.Time
}
