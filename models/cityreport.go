package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
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

// periodQuery is the report query of a city for a period, and the day the
// period ends (zero for a campaign that still runs).
func (s *Store) periodQuery(ctx context.Context, cityID uint, p Period) (ReportQuery, time.Time, error) {
	q := ReportQuery{CityID: cityID, From: p.From, To: p.To}
	if p.Kind != PeriodCampaign {
		return q, p.To, nil
	}
	c, err := s.CampaignByHashtag(ctx, p.Key)
	if errors.Is(err, ErrNotFound) {
		return q, time.Time{}, FieldErrors{"period": {Code: "oneof"}}
	}
	if err != nil {
		return q, time.Time{}, err
	}
	q.CampaignID = c.ID
	var end time.Time
	if c.EndsOn != nil {
		end = c.EndsOn.AddDate(0, 0, 1)
	}
	return q, end, nil
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

	period Period
}

// AfterFind works out the period of a report read from the database, so a
// report whose period cannot be read is an error where it is loaded.
func (r *CityReport) AfterFind(*gorm.DB) error {
	p, err := NewPeriod(r.PeriodKind, r.PeriodKey)
	if err != nil {
		return fmt.Errorf("city report %d: %w", r.ID, err)
	}
	r.period = p
	return nil
}

// Period is what the report covers.
func (r *CityReport) Period() Period { return r.period }

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

func joinIDs(ids []uint) string {
	ids = uniq(ids)
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatUint(uint64(id), 10)
	}
	return strings.Join(parts, ",")
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

func (s *Store) reportStep(r *CityReport, actor Actor, action AuditAction, comment string) error {
	if err := s.db.Create(&ReportStep{ReportID: r.ID, UserEmail: actor.Email, Action: action, Comment: truncate(comment, 4000)}).Error; err != nil {
		return err
	}
	return s.audit(actor, action, EntityCityReport, r.ID, &r.CityID, r.Period().String())
}

// StartCityReport opens a draft for a city and period, or returns the one
// that exists: there is one report per city and period.
func (s *Store) StartCityReport(ctx context.Context, actor Actor, cityID uint, p Period) (*CityReport, error) {
	p, err := NewPeriod(p.Kind, p.Key)
	if err != nil {
		return nil, FieldErrors{"period": {Code: "oneof"}}
	}
	due, err := s.PeriodDue(ctx, p)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, FieldErrors{"period": {Code: "oneof"}}
		}
		return nil, err
	}
	var existing CityReport
	err = s.db.WithContext(ctx).Where("city_id = ? AND period_kind = ? AND period_key = ?", cityID, p.Kind, p.Key).First(&existing).Error
	if err == nil {
		return &existing, nil
	}
	if translate(err) != ErrNotFound {
		return nil, err
	}
	r := &CityReport{CityID: cityID, PeriodKind: p.Kind, PeriodKey: p.Key, Status: ReportDraft, Version: 1, RatingsJSON: "[]", period: p, DueOn: due}
	err = s.Tx(ctx, func(tx *Store) error {
		if err := tx.db.Create(r).Error; err != nil {
			if translate(err) == ErrDuplicate {
				return ErrStale
			}
			return err
		}
		return tx.reportStep(r, actor, AuditCreate, "")
	})
	return r, err
}

// CityReport returns the report with id.
func (s *Store) CityReport(ctx context.Context, id uint) (*CityReport, error) {
	var r CityReport
	if err := s.db.WithContext(ctx).First(&r, id).Error; err != nil {
		return nil, translate(err)
	}
	return &r, nil
}

// FeaturableEvents are the events a report may feature: its city's held
// events of the report's period, oldest first. A city holds hundreds in a
// campaign, so only the newest (newest > 0) are listed to choose from,
// with those the report features already.
func (s *Store) FeaturableEvents(ctx context.Context, r *CityReport, newest int) ([]Event, error) {
	q, _, err := s.periodQuery(ctx, r.CityID, r.Period())
	if err != nil {
		return nil, err
	}
	var events []Event
	db := s.db.WithContext(ctx)
	if newest <= 0 {
		err = featurableEvents(db, q).Order("starts_at, id").Find(&events).Error
	} else {
		err = featurableEvents(db, q).Where("id IN (?) OR id IN ?",
			featurableEvents(db.Model(&Event{}).Select("id"), q).Order("starts_at DESC, id DESC").Limit(newest), append(r.FeaturedEvents(), 0)).
			Order("starts_at, id").Find(&events).Error
	}
	if err != nil {
		return nil, err
	}
	return events, s.loadEventLinks(ctx, events)
}

// FeaturableStories are the stories a report's form offers to feature:
// the newest (at most newest) of its city's published stories submitted in
// the report's period, and those the report features already, oldest
// first.
func (s *Store) FeaturableStories(ctx context.Context, r *CityReport, newest int) ([]Story, error) {
	q, _, err := s.periodQuery(ctx, r.CityID, r.Period())
	if err != nil {
		return nil, err
	}
	st := q.publishedStories()
	db := s.db.WithContext(ctx)
	var stories []Story
	err = db.Table("stories st").Where("st.city_id = ? AND st.status = ?", r.CityID, StoryPublished).
		Where("st.id IN (?) OR st.id IN ?",
			db.Table("stories st").Select("st.id").Where(st.sql(), st.args...).Order("st.submitted_at DESC, st.id DESC").Limit(newest),
			append(r.FeaturedStories(), 0)).
		Order("st.submitted_at, st.id").Find(&stories).Error
	if err != nil {
		return nil, err
	}
	return stories, s.loadStoryAreas(ctx, stories)
}

// featurableEvents narrows db to the held events of q's city and period:
// those a report's figures count.
func featurableEvents(db *gorm.DB, q ReportQuery) *gorm.DB {
	db = db.Where("city_id = ? AND status = ?", q.CityID, StatusHeld)
	if q.CampaignID != 0 {
		db = db.Where("campaign_id = ?", q.CampaignID)
	}
	if !q.From.IsZero() {
		db = db.Where("starts_at >= ?", q.From)
	}
	if !q.To.IsZero() {
		db = db.Where("starts_at < ?", q.To)
	}
	return db
}

// CityReportSteps is the report's history, oldest first.
func (s *Store) CityReportSteps(ctx context.Context, id uint) ([]ReportStep, error) {
	var steps []ReportStep
	err := s.db.WithContext(ctx).Where("report_id = ?", id).Order("created_at, id").Find(&steps).Error
	return steps, err
}

// CityReportDraft is what a coordinator edits.
type CityReportDraft struct {
	Worked, Hard, Plans string
	Ratings             []Rating
	StoryIDs, EventIDs  []uint
}

// SaveCityReport saves a draft's text, ratings and picks. version is the
// version the form was made from: when the report changed since, nothing
// is written and ErrStale returned. Only drafts and reports sent back for
// changes can be edited.
func (s *Store) SaveCityReport(ctx context.Context, actor Actor, r *CityReport, version int, d CityReportDraft) error {
	if !r.Status.Editable() {
		return ErrTransition
	}
	fe := FieldErrors{}
	next := *r
	next.Worked, next.Hard, next.Plans = strings.TrimSpace(d.Worked), strings.TrimSpace(d.Hard), strings.TrimSpace(d.Plans)
	for k, v := range s.check(&next) {
		fe[k] = v
	}
	for _, rt := range d.Ratings {
		if !rt.Area.Valid() || rt.Score < NotRated || rt.Score > MaxScore {
			fe.Add("rating_"+string(rt.Area), "oneof", "")
		}
		if len([]rune(rt.Comment)) > 1000 {
			fe.Add("rating_"+string(rt.Area), "max", "1000")
		}
	}
	if err := fe.orNil(); err != nil {
		return err
	}
	ratings, _ := json.Marshal(d.Ratings)
	return s.Tx(ctx, func(tx *Store) error {
		// Picks must be the city's own published stories, and held events
		// of the report's period (FeaturableEvents).
		var n int64
		if len(d.StoryIDs) > 0 {
			if err := tx.db.Model(&Story{}).Where("id IN ? AND city_id = ? AND status = ?", uniq(d.StoryIDs), r.CityID, StoryPublished).Count(&n).Error; err != nil {
				return err
			}
			if int(n) != len(uniq(d.StoryIDs)) {
				return FieldErrors{"stories": {Code: "own_city"}}
			}
		}
		if len(d.EventIDs) > 0 {
			q, _, err := tx.periodQuery(ctx, r.CityID, r.Period())
			if err != nil {
				return err
			}
			if err := featurableEvents(tx.db.Model(&Event{}), q).Where("id IN ?", uniq(d.EventIDs)).Count(&n).Error; err != nil {
				return err
			}
			if int(n) != len(uniq(d.EventIDs)) {
				return FieldErrors{"events": {Code: "featurable"}}
			}
		}
		res := tx.db.Model(&CityReport{}).
			Where("id = ? AND version = ? AND status IN ?", r.ID, version, []CityReportStatus{ReportDraft, ReportChangesRequested}).
			Updates(map[string]any{
				"worked": next.Worked, "hard": next.Hard, "plans": next.Plans, "ratings": string(ratings),
				"story_ids": joinIDs(d.StoryIDs), "event_ids": joinIDs(d.EventIDs), "version": version + 1, "updated_at": time.Now().UTC(),
			})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return tx.staleOrLocked(r.ID)
		}
		return tx.reportStep(r, actor, AuditSave, "")
	})
}

// staleOrLocked explains why a guarded update changed nothing.
func (s *Store) staleOrLocked(id uint) error {
	var cur CityReport
	if err := s.db.First(&cur, id).Error; err != nil {
		return translate(err)
	}
	if !cur.Status.Editable() {
		return ErrTransition
	}
	return ErrStale
}

// SubmitCityReport sends a draft (or a report sent back for changes) to
// UNESCO, freezing its figures as they are now.
func (s *Store) SubmitCityReport(ctx context.Context, actor Actor, r *CityReport, version int) error {
	if !r.Status.Editable() {
		return ErrTransition
	}
	q, _, err := s.periodQuery(ctx, r.CityID, r.Period())
	if err != nil {
		return err
	}
	return s.Tx(ctx, func(tx *Store) error {
		// Computed inside the transaction: the figures frozen are those of
		// the moment of submission.
		rep, err := tx.ComputeReport(ctx, q)
		if err != nil {
			return err
		}
		figures, err := json.Marshal(rep)
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		res := tx.db.Model(&CityReport{}).
			Where("id = ? AND version = ? AND status IN ?", r.ID, version, []CityReportStatus{ReportDraft, ReportChangesRequested}).
			Updates(map[string]any{"status": ReportSubmitted, "figures": string(figures), "figures_at": now, "submitted_at": now, "version": version + 1, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return tx.staleOrLocked(r.ID)
		}
		action := AuditSubmit
		if r.Status == ReportChangesRequested {
			action = AuditResubmit
		}
		return tx.reportStep(r, actor, action, "")
	})
}

// ReviewCityReport is staff's decision on a submitted report: approve, or
// send it back with a comment saying what to change.
func (s *Store) ReviewCityReport(ctx context.Context, actor Actor, r *CityReport, version int, approve bool, comment string) error {
	comment = strings.TrimSpace(comment)
	if r.Status != ReportSubmitted {
		return ErrTransition
	}
	if !approve && comment == "" {
		return FieldErrors{"comment": {Code: "required"}}
	}
	if len([]rune(comment)) > 4000 {
		return FieldErrors{"comment": {Code: "max", Param: "4000"}}
	}
	now := time.Now().UTC()
	updates := map[string]any{"status": ReportChangesRequested, "version": version + 1, "updated_at": now}
	action := AuditRequestChanges
	if approve {
		updates["status"], updates["approved_at"] = ReportApproved, now
		action = AuditApprove
	}
	return s.Tx(ctx, func(tx *Store) error {
		res := tx.db.Model(&CityReport{}).Where("id = ? AND version = ? AND status = ?", r.ID, version, ReportSubmitted).Updates(updates)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			var cur CityReport
			if err := tx.db.First(&cur, r.ID).Error; err != nil {
				return translate(err)
			}
			if cur.Status != ReportSubmitted {
				return ErrTransition
			}
			return ErrStale
		}
		if err := tx.reportStep(r, actor, action, comment); err != nil {
			return err
		}
		return tx.notifyReviewed(r, approve, comment)
	})
}

// CityReportFilter narrows a list of city reports.
type CityReportFilter struct {
	CityIDs []uint // nil for every city
	Status  CityReportStatus
	Period  *Period
}

// CityReports lists reports, most recently changed first.
func (s *Store) CityReports(ctx context.Context, f CityReportFilter) ([]CityReport, error) {
	q := s.db.WithContext(ctx).Model(&CityReport{})
	if f.CityIDs != nil {
		q = q.Where("city_id IN ?", append([]uint{0}, f.CityIDs...))
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Period != nil {
		q = q.Where("period_kind = ? AND period_key = ?", f.Period.Kind, f.Period.Key)
	}
	var out []CityReport
	err := q.Order("updated_at DESC, id DESC").Find(&out).Error
	return out, err
}

// LiveCityReport computes the city's figures for the report's period now.
func (s *Store) LiveCityReport(ctx context.Context, r *CityReport) (*Report, error) {
	q, _, err := s.periodQuery(ctx, r.CityID, r.Period())
	if err != nil {
		return nil, err
	}
	return s.Report(ctx, q)
}

// PeriodDue is when reports of a period are due, by the rule of its
// campaign: for a campaign, its fixed due day or so many days after it
// ends (nil while it runs with no end); for a quarter or a year, so many
// days after it ends as the campaign running on its last day says
// (DefaultDueDays when none does). Everything that needs a report's due
// day (who has reported, reminders) asks here.
func (s *Store) PeriodDue(ctx context.Context, p Period) (*time.Time, error) {
	_, end, err := s.periodQuery(ctx, 0, p)
	if err != nil {
		return nil, err
	}
	if p.Kind == PeriodCampaign {
		c, err := s.CampaignByHashtag(ctx, p.Key)
		if err != nil {
			return nil, err
		}
		if c.DueOn != nil {
			due := *c.DueOn
			return &due, nil
		}
		if end.IsZero() {
			return nil, nil
		}
		due := c.DueAfter(end)
		return &due, nil
	}
	days := DefaultDueDays
	var c Campaign
	last := end.AddDate(0, 0, -1)
	err = s.db.WithContext(ctx).Where("archived_at IS NULL AND starts_on <= ? AND (ends_on IS NULL OR ends_on >= ?)", last, last).
		Order("starts_on DESC, id DESC").Limit(1).Find(&c).Error
	if err != nil {
		return nil, err
	}
	if c.ID != 0 {
		days = c.DueDays
	}
	due := end.AddDate(0, 0, days)
	return &due, nil
}

// CityReportDue is when r is due: PeriodDue of its period.
func (s *Store) CityReportDue(ctx context.Context, r *CityReport) (*time.Time, error) {
	return s.PeriodDue(ctx, r.Period())
}
