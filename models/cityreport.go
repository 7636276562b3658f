package models

import (
	"context"
	"encoding/json"
	"errors"
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

// Period is what a city report covers: a campaign, a quarter ("2026-Q1")
// or a year ("2026").
type Period struct {
	Kind string // "campaign", "quarter" or "year"
	Key  string // campaign hashtag without #, "2026-Q1" or "2026"
}

// String is the period as one token, "year:2026", for URLs and forms.
func (p Period) String() string { return p.Kind + ":" + p.Key }

// ParsePeriod reads "year:2026", "quarter:2026-Q1" or "campaign:LearnThroughLife".
func ParsePeriod(s string) (Period, error) {
	kind, key, _ := strings.Cut(s, ":")
	p := Period{Kind: kind, Key: key}
	switch kind {
	case "year":
		if y, err := strconv.Atoi(key); err != nil || y < 2013 || y > 2100 {
			return p, errors.New("bad year")
		}
	case "quarter":
		y, q, ok := strings.Cut(key, "-Q")
		yn, err1 := strconv.Atoi(y)
		qn, err2 := strconv.Atoi(q)
		if !ok || err1 != nil || err2 != nil || yn < 2013 || yn > 2100 || qn < 1 || qn > 4 {
			return p, errors.New("bad quarter")
		}
	case "campaign":
		if key == "" {
			return p, errors.New("no campaign")
		}
	default:
		return p, errors.New("bad period")
	}
	return p, nil
}

// periodQuery is the report query of a city for a period, and the day the
// period ends (zero for a campaign that still runs).
func (s *Store) periodQuery(ctx context.Context, cityID uint, p Period) (ReportQuery, time.Time, error) {
	q := ReportQuery{CityID: cityID}
	var end time.Time
	switch p.Kind {
	case "year":
		y, _ := strconv.Atoi(p.Key)
		q.From, q.To = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC)
		end = q.To
	case "quarter":
		y, qs, _ := strings.Cut(p.Key, "-Q")
		yn, _ := strconv.Atoi(y)
		qn, _ := strconv.Atoi(qs)
		q.From = time.Date(yn, time.Month(3*(qn-1)+1), 1, 0, 0, 0, 0, time.UTC)
		q.To = q.From.AddDate(0, 3, 0)
		end = q.To
	case "campaign":
		campaigns, err := s.Campaigns(ctx)
		if err != nil {
			return q, end, err
		}
		for _, c := range campaigns {
			if strings.EqualFold(strings.TrimPrefix(c.Hashtag, "#"), p.Key) {
				q.CampaignID = c.ID
				if c.EndsOn != nil {
					end = c.EndsOn.AddDate(0, 0, 1)
				}
			}
		}
		if q.CampaignID == 0 {
			return q, end, FieldErrors{"period": {Code: "oneof"}}
		}
	}
	return q, end, nil
}

// Rating is a city's self-assessment on one building block: 1 (starting)
// to 4 (strong), with a comment.
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
	PeriodKind  string
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

// Period is what the report covers.
func (r *CityReport) Period() Period { return Period{Kind: r.PeriodKind, Key: r.PeriodKey} }

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
	return s.audit(actor, action, EntityCityReport, r.ID, &r.CityID, r.PeriodKind+" "+r.PeriodKey)
}

// StartCityReport opens a draft for a city and period, or returns the one
// that exists: there is one report per city and period.
func (s *Store) StartCityReport(ctx context.Context, actor Actor, cityID uint, p Period) (*CityReport, error) {
	if _, err := ParsePeriod(p.String()); err != nil {
		return nil, FieldErrors{"period": {Code: "oneof"}}
	}
	_, end, err := s.periodQuery(ctx, cityID, p)
	if err != nil {
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
	r := &CityReport{CityID: cityID, PeriodKind: p.Kind, PeriodKey: p.Key, Status: ReportDraft, Version: 1, RatingsJSON: "[]"}
	if !end.IsZero() {
		due := end.AddDate(0, 0, 30)
		r.DueOn = &due
	}
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
		if !rt.Area.Valid() || rt.Score < 0 || rt.Score > 4 {
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
		// Picks must be the city's own published stories and held events.
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
			if err := tx.db.Model(&Event{}).Where("id IN ? AND city_id = ?", uniq(d.EventIDs), r.CityID).Count(&n).Error; err != nil {
				return err
			}
			if int(n) != len(uniq(d.EventIDs)) {
				return FieldErrors{"events": {Code: "own_city"}}
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
		return tx.reportStep(r, actor, action, comment)
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

// PeriodDue is when reports of a period are due (30 days after it ends),
// or nil for a campaign still running.
func (s *Store) PeriodDue(ctx context.Context, p Period) (*time.Time, error) {
	_, end, err := s.periodQuery(ctx, 0, p)
	if err != nil || end.IsZero() {
		return nil, err
	}
	due := end.AddDate(0, 0, 30)
	return &due, nil
}
