package models

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ErrStale means the record changed since the form was shown: the write
// is refused rather than overwrite someone else's change.
var ErrStale = errors.New("changed meanwhile")

// CityReportStatus is where a city's campaign report is in its review.
type CityReportStatus string

// The statuses of a city report.
const (
	ReportDraft            CityReportStatus = "draft"
	ReportSubmitted        CityReportStatus = "submitted"
	ReportChangesRequested CityReportStatus = "changes_requested"
	ReportApproved         CityReportStatus = "approved"
)

// CityReportStatuses lists the statuses in order.
func CityReportStatuses() []CityReportStatus {
	return []CityReportStatus{ReportDraft, ReportSubmitted, ReportChangesRequested, ReportApproved}
}

// Editable reports whether the coordinator may still change the report.
func (s CityReportStatus) Editable() bool { return s == ReportDraft || s == ReportChangesRequested }

// PeriodKind is the kind of span a city report covers.
type PeriodKind string

// The kinds of period.
const (
	PeriodCampaign PeriodKind = "campaign"
	PeriodQuarter  PeriodKind = "quarter"
	PeriodYear     PeriodKind = "year"
)

// Period is what a city report covers: a campaign, a quarter ("2026-Q1")
// or a year ("2026").
type Period struct {
	Kind PeriodKind
	Key  string // campaign hashtag without #, "2026-Q1" or "2026"
	// From and To are the first day of a quarter or year and the day after
	// its last; both zero for a campaign, whose dates are the campaign's.
	From, To time.Time
}

// YearPeriod is the calendar year y.
func YearPeriod(y int) Period {
	from := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	return Period{Kind: PeriodYear, Key: strconv.Itoa(y), From: from, To: from.AddDate(1, 0, 0)}
}

// QuarterPeriod is quarter q (1–4) of year y.
func QuarterPeriod(y, q int) Period {
	from := time.Date(y, time.Month(3*(q-1)+1), 1, 0, 0, 0, 0, time.UTC)
	return Period{Kind: PeriodQuarter, Key: fmt.Sprintf("%d-Q%d", y, q), From: from, To: from.AddDate(0, 3, 0)}
}

// CampaignPeriod is the period of the campaign with hashtag (with or
// without #).
func CampaignPeriod(hashtag string) Period {
	return Period{Kind: PeriodCampaign, Key: strings.TrimPrefix(hashtag, "#")}
}

// String is the period as one token, "year:2026", for URLs and forms.
func (p Period) String() string { return string(p.Kind) + ":" + p.Key }

// ParsePeriod reads "year:2026", "quarter:2026-Q1" or "campaign:LearnThroughLife".
func ParsePeriod(s string) (Period, error) {
	kind, key, _ := strings.Cut(s, ":")
	return NewPeriod(PeriodKind(kind), key)
}

// NewPeriod checks a period's kind and key and works out its dates.
func NewPeriod(kind PeriodKind, key string) (Period, error) {
	switch kind {
	case PeriodYear:
		y, err := strconv.Atoi(key)
		if err != nil || y < FirstNetworkYear || y > LastYear {
			return Period{}, errors.New("bad year")
		}
		return YearPeriod(y), nil
	case PeriodQuarter:
		y, q, ok := strings.Cut(key, "-Q")
		yn, err1 := strconv.Atoi(y)
		qn, err2 := strconv.Atoi(q)
		if !ok || err1 != nil || err2 != nil || yn < FirstNetworkYear || yn > LastYear || qn < 1 || qn > 4 {
			return Period{}, errors.New("bad quarter")
		}
		return QuarterPeriod(yn, qn), nil
	case PeriodCampaign:
		if key == "" {
			return Period{}, errors.New("no campaign")
		}
		return CampaignPeriod(key), nil
	}
	return Period{}, errors.New("bad period")
}

// The self-assessment scale: 0 (not rated) to 4 (strong).
const (
	NotRated = 0
	MaxScore = 4
)

// Scores lists the scale, from NotRated to MaxScore.
func Scores() []int {
	out := make([]int, 0, MaxScore-NotRated+1)
	for s := NotRated; s <= MaxScore; s++ {
		out = append(out, s)
	}
	return out
}

// Rating is a city's self-assessment on one building block: 1 (starting)
// to MaxScore (strong), or NotRated, with a comment.
type Rating struct {
	Area    LearningArea `json:"area"`
	Score   int          `json:"score"`
	Comment string       `json:"comment"`
}

// CityReport is a coordinator's account of the campaign in their city for
// a period, reviewed by UNESCO staff. Its figures are frozen when it is
// submitted.
type CityReport struct {
	ID          uint `gorm:"primaryKey"`
	CityID      uint
	PeriodKind  PeriodKind
	PeriodKey   string
	Status      CityReportStatus
	Version     int
	Worked      string `field:"worked" validate:"max=4000"`
	Hard        string `field:"hard" validate:"max=4000"`
	Plans       string `field:"plans" validate:"max=4000"`
	RatingsJSON string `gorm:"column:ratings"`
	StoryIDs    string // comma-separated featured story ids
	EventIDs    string // comma-separated featured event ids
	FiguresJSON string `gorm:"column:figures"`
	FiguresAt   *time.Time
	DueOn       *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	SubmittedAt *time.Time
	ApprovedAt  *time.Time
}

// Period is what the report covers (the store refuses to load a report
// whose period cannot be read).
func (r *CityReport) Period() Period {
	p, _ := NewPeriod(r.PeriodKind, r.PeriodKey)
	return p
}

// Late reports whether a city's report of a period due on due is late at
// now: the due day has passed and the report is not with UNESCO (not
// started, r nil, or still editable). Nothing is late before a due day is
// known.
func (r *CityReport) Late(due *time.Time, now time.Time) bool {
	if due == nil || !now.After(*due) {
		return false
	}
	return r == nil || r.Status.Editable()
}

// ReportingState is where a city stands on its report of a period, as
// "who has reported" counts it: each city is in exactly one state. Its
// value names its catalog key ("city_report_status.<value>").
type ReportingState string

// The reporting states: a report's status, or none started, or late.
const (
	ReportingNotStarted       ReportingState = "not_started"
	ReportingDraft            ReportingState = "draft"
	ReportingSubmitted        ReportingState = "submitted"
	ReportingChangesRequested ReportingState = "changes_requested"
	ReportingApproved         ReportingState = "approved"
	// ReportingLate is a city past the due day whose report is not with
	// UNESCO: not started, a draft, or sent back (CityReport.Late).
	ReportingLate ReportingState = "late"
)

// ReportingStates lists the states in the order the network's page
// shows them.
func ReportingStates() []ReportingState {
	return []ReportingState{ReportingNotStarted, ReportingDraft, ReportingSubmitted, ReportingChangesRequested, ReportingApproved, ReportingLate}
}

// Valid reports whether s is one of ReportingStates.
func (s ReportingState) Valid() bool { return slices.Contains(ReportingStates(), s) }

// ReportingStateOf is the state at now of a city whose report of a period
// due on due is r (nil when it has started none): late when r.Late says
// so, else not started or the report's status.
func ReportingStateOf(r *CityReport, due *time.Time, now time.Time) ReportingState {
	switch {
	case r.Late(due, now):
		return ReportingLate
	case r == nil:
		return ReportingNotStarted
	}
	return ReportingState(r.Status) // each status is the state of its name
}

// CityReporting is a city, its report of a period and its state.
type CityReporting struct {
	City   City
	Report *CityReport // nil when the city has started none
	State  ReportingState
	// Coordinators are the city's coordinators who are not disabled, by
	// name; those still invited cannot be reminded.
	Coordinators []CityCoordinator
	// RemindedAt is when staff last sent a reminder of this report, or nil.
	RemindedAt *time.Time
}

// CityCoordinator is a coordinator of a city, as "who has reported" names
// them.
type CityCoordinator struct {
	ID      uint
	Name    string
	Invited bool
}

// Submitted reports whether the city's report reached UNESCO (submitted
// or approved): then there is nothing to remind it of.
func (r CityReporting) Submitted() bool {
	return r.Report != nil && (r.Report.Status == ReportSubmitted || r.Report.Status == ReportApproved)
}

// Remindable reports whether staff may send the city a reminder: its
// report has not reached UNESCO and it has a coordinator who can sign in.
func (r CityReporting) Remindable() bool {
	return !r.Submitted() && slices.ContainsFunc(r.Coordinators, func(c CityCoordinator) bool { return !c.Invited })
}

// Errors of staff's reminders, each a conflict with what the city is.
var (
	ErrReminderSent        = fmt.Errorf("a reminder of this report was sent today: %w", ErrTransition)
	ErrReportSubmitted     = fmt.Errorf("the city's report has reached UNESCO: %w", ErrTransition)
	ErrNoActiveCoordinator = fmt.Errorf("the city has no coordinator who can sign in: %w", ErrTransition)
)

// NetworkReporting is who has reported on a period: every city with its
// state, and how many cities are in each state (together, every city).
type NetworkReporting struct {
	Period Period
	// Due is when the period's reports are due: nil while it is not known
	// (a campaign that runs on), and then no city is late.
	Due    *time.Time
	Cities []CityReporting
	Counts map[ReportingState]int
}

// The parts a report can lack when it is submitted (Gaps).
const (
	GapNarrative = "narrative" // none of what worked, what was hard, plans
	GapRatings   = "ratings"   // no building block rated
)

// Gaps lists what the report lacks (GapNarrative, GapRatings): a report
// with gaps may still be sent, once the coordinator has confirmed it.
func (r *CityReport) Gaps() []string {
	var gaps []string
	if strings.TrimSpace(r.Worked+r.Hard+r.Plans) == "" {
		gaps = append(gaps, GapNarrative)
	}
	if !slices.ContainsFunc(r.Ratings(), func(rt Rating) bool { return rt.Score > NotRated }) {
		gaps = append(gaps, GapRatings)
	}
	return gaps
}

// ChangesAsked is staff's latest request for changes in steps (the
// report's history, oldest first), or nil when there is none.
func ChangesAsked(steps []ReportStep) *ReportStep {
	for i := len(steps) - 1; i >= 0; i-- {
		if steps[i].Action == AuditRequestChanges {
			return &steps[i]
		}
	}
	return nil
}

// Ratings are the self-assessment, one per building block, in order.
func (r *CityReport) Ratings() []Rating {
	var rs []Rating
	json.Unmarshal([]byte(r.RatingsJSON), &rs)
	out := make([]Rating, 0, 6)
	for _, a := range LearningAreas() {
		rt := Rating{Area: a}
		for _, x := range rs {
			if x.Area == a {
				rt = x
			}
		}
		out = append(out, rt)
	}
	return out
}

// Frozen is the report figures taken at submission, or nil.
func (r *CityReport) Frozen() *Report {
	if r.FiguresJSON == "" {
		return nil
	}
	var rep Report
	if json.Unmarshal([]byte(r.FiguresJSON), &rep) != nil {
		return nil
	}
	return &rep
}

// FeaturedStories and FeaturedEvents are the ids picked for the report.
func (r *CityReport) FeaturedStories() []uint { return parseIDs(r.StoryIDs) }

// FeaturedEvents are the event ids picked for the report.
func (r *CityReport) FeaturedEvents() []uint { return parseIDs(r.EventIDs) }

func parseIDs(s string) []uint {
	var out []uint
	for _, f := range strings.Split(s, ",") {
		if n, err := strconv.ParseUint(strings.TrimSpace(f), 10, 32); err == nil && n > 0 {
			out = append(out, uint(n))
		}
	}
	return out
}

// ReportStep is one step of a report's history: who did what, when, and
// what they said.
type ReportStep struct {
	ID        uint `gorm:"primaryKey"`
	ReportID  uint
	UserEmail string
	Action    AuditAction
	Comment   string
	CreatedAt time.Time
}

// TableName keeps the history table's name.
func (ReportStep) TableName() string { return "city_report_steps" }

// CityReportDraft is what a coordinator edits.
type CityReportDraft struct {
	Worked, Hard, Plans string
	Ratings             []Rating
	StoryIDs, EventIDs  []uint
}

// Validate trims the draft's narrative and checks its lengths and
// ratings; the picks are checked against the city's records by the store.
func (d *CityReportDraft) Validate() error {
	d.Worked, d.Hard, d.Plans = strings.TrimSpace(d.Worked), strings.TrimSpace(d.Hard), strings.TrimSpace(d.Plans)
	fe := check(&CityReport{Worked: d.Worked, Hard: d.Hard, Plans: d.Plans})
	for _, rt := range d.Ratings {
		if !rt.Area.Valid() || rt.Score < NotRated || rt.Score > MaxScore {
			fe.Add("rating_"+string(rt.Area), "oneof", "")
		}
		if len([]rune(rt.Comment)) > 1000 {
			fe.Add("rating_"+string(rt.Area), "max", "1000")
		}
	}
	return fe.Err()
}

// CityReportFilter narrows a list of city reports.
type CityReportFilter struct {
	CityIDs []uint // nil for every city
	Status  CityReportStatus
	Period  *Period
}
