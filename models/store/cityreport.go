package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"

	"gorm.io/gorm"
)

// PeriodCampaign is the campaign of a campaign period, or nil for a year
// or a quarter. A campaign period of no campaign the tracker knows is a
// problem of the field "period".
func (s *Store) PeriodCampaign(ctx context.Context, p models.Period) (*models.Campaign, error) {
	if p.Kind != models.PeriodCampaign {
		return nil, nil
	}
	c, err := s.CampaignByHashtag(ctx, p.Key)
	if errors.Is(err, models.ErrNotFound) {
		return nil, models.FieldErrors{"period": {Code: "oneof"}}
	}
	return c, err
}

// periodEnd is the day after a period's last: a campaign's end, or zero
// for a campaign that runs on.
func periodEnd(p models.Period, c *models.Campaign) time.Time {
	switch {
	case c == nil:
		return p.To
	case c.EndsOn != nil:
		return c.EndsOn.AddDate(0, 0, 1)
	}
	return time.Time{}
}

// checkPeriods makes a report whose period cannot be read an error where
// it is loaded.
func checkPeriods(reports ...models.CityReport) error {
	for _, r := range reports {
		if _, err := models.NewPeriod(r.PeriodKind, r.PeriodKey); err != nil {
			return fmt.Errorf("city report %d: %w", r.ID, err)
		}
	}
	return nil
}

func joinIDs(ids []uint) string {
	ids = models.Unique(ids)
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatUint(uint64(id), 10)
	}
	return strings.Join(parts, ",")
}

func (s *Store) reportStep(r *models.CityReport, actor models.Actor, action models.AuditAction, comment string) error {
	if err := s.db.Create(&models.ReportStep{ReportID: r.ID, UserEmail: actor.Email, Action: action, Comment: truncate(comment, 4000)}).Error; err != nil {
		return err
	}
	return s.audit(actor, action, models.EntityCityReport, r.ID, &r.CityID, r.Period().String())
}

// StartCityReport opens a draft for a city and period, or returns the one
// that exists: there is one report per city and period.
func (s *Store) StartCityReport(ctx context.Context, actor models.Actor, cityID uint, p models.Period) (*models.CityReport, error) {
	p, err := models.NewPeriod(p.Kind, p.Key)
	if err != nil {
		return nil, models.FieldErrors{"period": {Code: "oneof"}}
	}
	due, err := s.PeriodDue(ctx, p)
	if err != nil {
		if errors.Is(err, models.ErrNotFound) {
			return nil, models.FieldErrors{"period": {Code: "oneof"}}
		}
		return nil, err
	}
	var existing models.CityReport
	err = s.db.WithContext(ctx).Where("city_id = ? AND period_kind = ? AND period_key = ?", cityID, p.Kind, p.Key).First(&existing).Error
	if err == nil {
		return &existing, checkPeriods(existing)
	}
	if translate(err) != models.ErrNotFound {
		return nil, err
	}
	r := &models.CityReport{CityID: cityID, PeriodKind: p.Kind, PeriodKey: p.Key, Status: models.ReportDraft, Version: 1, RatingsJSON: "[]", DueOn: due}
	err = s.Tx(ctx, func(tx *Store) error {
		if err := tx.db.Create(r).Error; err != nil {
			if translate(err) == models.ErrDuplicate {
				return models.ErrStale
			}
			return err
		}
		return tx.reportStep(r, actor, models.AuditCreate, "")
	})
	return r, err
}

// CityReport returns the report with id.
func (s *Store) CityReport(ctx context.Context, id uint) (*models.CityReport, error) {
	var r models.CityReport
	if err := s.db.WithContext(ctx).First(&r, id).Error; err != nil {
		return nil, translate(err)
	}
	return &r, checkPeriods(r)
}

// FeaturableEvents are the events a report may feature: its city's held
// events of the report's period, oldest first. A city holds hundreds in a
// campaign, so only the newest (newest > 0) are listed to choose from,
// with those the report features already.
func (s *Store) FeaturableEvents(ctx context.Context, r *models.CityReport, newest int) ([]models.Event, error) {
	c, err := s.PeriodCampaign(ctx, r.Period())
	if err != nil {
		return nil, err
	}
	var events []models.Event
	db := s.db.WithContext(ctx)
	if newest <= 0 {
		err = featurableEvents(db, r, c).Order("starts_at, id").Find(&events).Error
	} else {
		err = featurableEvents(db, r, c).Where("id IN (?) OR id IN ?",
			featurableEvents(db.Model(&models.Event{}).Select("id"), r, c).Order("starts_at DESC, id DESC").Limit(newest), append(r.FeaturedEvents(), 0)).
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
func (s *Store) FeaturableStories(ctx context.Context, r *models.CityReport, newest int) ([]models.Story, error) {
	c, err := s.PeriodCampaign(ctx, r.Period())
	if err != nil {
		return nil, err
	}
	db := s.db.WithContext(ctx)
	counted := db.Table("stories st").Select("st.id").Where("st.city_id = ? AND st.status = ?", r.CityID, models.StoryPublished)
	if c != nil {
		counted = counted.Where("st.campaign_id = ?", c.ID)
	}
	if p := r.Period(); !p.From.IsZero() {
		counted = counted.Where("st.submitted_at >= ? AND st.submitted_at < ?", p.From.UTC(), p.To.UTC())
	}
	var stories []models.Story
	err = db.Table("stories st").Where("st.city_id = ? AND st.status = ?", r.CityID, models.StoryPublished).
		Where("st.id IN (?) OR st.id IN ?",
			counted.Order("st.submitted_at DESC, st.id DESC").Limit(newest),
			append(r.FeaturedStories(), 0)).
		Order("st.submitted_at, st.id").Find(&stories).Error
	if err != nil {
		return nil, err
	}
	return stories, s.loadStoryAreas(ctx, stories)
}

// featurableEvents narrows db to the held events of r's city and period,
// of c, the period's campaign, if it has one: those r's figures count.
func featurableEvents(db *gorm.DB, r *models.CityReport, c *models.Campaign) *gorm.DB {
	db = db.Where("city_id = ? AND status = ?", r.CityID, models.StatusHeld)
	if c != nil {
		db = db.Where("campaign_id = ?", c.ID)
	}
	if p := r.Period(); !p.From.IsZero() {
		db = db.Where("starts_at >= ? AND starts_at < ?", p.From.UTC(), p.To.UTC())
	}
	return db
}

// CityReportSteps is the report's history, oldest first.
func (s *Store) CityReportSteps(ctx context.Context, id uint) ([]models.ReportStep, error) {
	var steps []models.ReportStep
	err := s.db.WithContext(ctx).Where("report_id = ?", id).Order("created_at, id").Find(&steps).Error
	return steps, err
}

// SaveCityReport saves a draft's text, ratings and picks. version is the
// version the form was made from: when the report changed since, nothing
// is written and ErrStale returned. Only drafts and reports sent back for
// changes can be edited.
func (s *Store) SaveCityReport(ctx context.Context, actor models.Actor, r *models.CityReport, version int, d models.CityReportDraft) error {
	if !r.Status.Editable() {
		return models.ErrTransition
	}
	if err := d.Validate(); err != nil {
		return err
	}
	ratings, _ := json.Marshal(d.Ratings)
	return s.Tx(ctx, func(tx *Store) error {
		// Picks must be the city's own published stories, and held events
		// of the report's period (FeaturableEvents).
		var n int64
		if len(d.StoryIDs) > 0 {
			if err := tx.db.Model(&models.Story{}).Where("id IN ? AND city_id = ? AND status = ?", models.Unique(d.StoryIDs), r.CityID, models.StoryPublished).Count(&n).Error; err != nil {
				return err
			}
			if int(n) != len(models.Unique(d.StoryIDs)) {
				return models.FieldErrors{"stories": {Code: "own_city"}}
			}
		}
		if len(d.EventIDs) > 0 {
			c, err := tx.PeriodCampaign(ctx, r.Period())
			if err != nil {
				return err
			}
			if err := featurableEvents(tx.db.Model(&models.Event{}), r, c).Where("id IN ?", models.Unique(d.EventIDs)).Count(&n).Error; err != nil {
				return err
			}
			if int(n) != len(models.Unique(d.EventIDs)) {
				return models.FieldErrors{"events": {Code: "featurable"}}
			}
		}
		res := tx.db.Model(&models.CityReport{}).
			Where("id = ? AND version = ? AND status IN ?", r.ID, version, []models.CityReportStatus{models.ReportDraft, models.ReportChangesRequested}).
			Updates(map[string]any{
				"worked": d.Worked, "hard": d.Hard, "plans": d.Plans, "ratings": string(ratings),
				"story_ids": joinIDs(d.StoryIDs), "event_ids": joinIDs(d.EventIDs), "version": version + 1, "updated_at": time.Now().UTC(),
			})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return tx.staleOrLocked(r.ID)
		}
		return tx.reportStep(r, actor, models.AuditSave, "")
	})
}

// staleOrLocked explains why a guarded update changed nothing.
func (s *Store) staleOrLocked(id uint) error {
	var cur models.CityReport
	if err := s.db.First(&cur, id).Error; err != nil {
		return translate(err)
	}
	if !cur.Status.Editable() {
		return models.ErrTransition
	}
	return models.ErrStale
}

// Figures computes a city report's figures, reading through tx: the report
// engine's, bound to the transaction that submits the report.
type Figures func(tx *Store) (*models.Report, error)

// SubmitCityReport sends a draft (or a report sent back for changes) to
// UNESCO, freezing its figures as figures computes them in the same
// transaction: those of the moment of submission.
func (s *Store) SubmitCityReport(ctx context.Context, actor models.Actor, r *models.CityReport, version int, figures Figures) error {
	if !r.Status.Editable() {
		return models.ErrTransition
	}
	return s.Tx(ctx, func(tx *Store) error {
		rep, err := figures(tx)
		if err != nil {
			return err
		}
		frozen, err := json.Marshal(rep)
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		res := tx.db.Model(&models.CityReport{}).
			Where("id = ? AND version = ? AND status IN ?", r.ID, version, []models.CityReportStatus{models.ReportDraft, models.ReportChangesRequested}).
			Updates(map[string]any{"status": models.ReportSubmitted, "figures": string(frozen), "figures_at": now, "submitted_at": now, "version": version + 1, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return tx.staleOrLocked(r.ID)
		}
		action := models.AuditSubmit
		if r.Status == models.ReportChangesRequested {
			action = models.AuditResubmit
		}
		return tx.reportStep(r, actor, action, "")
	})
}

// ReviewCityReport is staff's decision on a submitted report: approve, or
// send it back with a comment saying what to change.
func (s *Store) ReviewCityReport(ctx context.Context, actor models.Actor, r *models.CityReport, version int, approve bool, comment string) error {
	comment = strings.TrimSpace(comment)
	if r.Status != models.ReportSubmitted {
		return models.ErrTransition
	}
	if !approve && comment == "" {
		return models.FieldErrors{"comment": {Code: "required"}}
	}
	if len([]rune(comment)) > 4000 {
		return models.FieldErrors{"comment": {Code: "max", Param: "4000"}}
	}
	now := time.Now().UTC()
	updates := map[string]any{"status": models.ReportChangesRequested, "version": version + 1, "updated_at": now}
	action := models.AuditRequestChanges
	if approve {
		updates["status"], updates["approved_at"] = models.ReportApproved, now
		action = models.AuditApprove
	}
	return s.Tx(ctx, func(tx *Store) error {
		res := tx.db.Model(&models.CityReport{}).Where("id = ? AND version = ? AND status = ?", r.ID, version, models.ReportSubmitted).Updates(updates)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			var cur models.CityReport
			if err := tx.db.First(&cur, r.ID).Error; err != nil {
				return translate(err)
			}
			if cur.Status != models.ReportSubmitted {
				return models.ErrTransition
			}
			return models.ErrStale
		}
		if err := tx.reportStep(r, actor, action, comment); err != nil {
			return err
		}
		return tx.notifyReviewed(r, approve, comment)
	})
}

// CityReports lists reports, most recently changed first.
func (s *Store) CityReports(ctx context.Context, f models.CityReportFilter) ([]models.CityReport, error) {
	q := s.db.WithContext(ctx).Model(&models.CityReport{})
	if f.CityIDs != nil {
		q = q.Where("city_id IN ?", append([]uint{0}, f.CityIDs...))
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Period != nil {
		q = q.Where("period_kind = ? AND period_key = ?", f.Period.Kind, f.Period.Key)
	}
	var out []models.CityReport
	if err := q.Order("updated_at DESC, id DESC").Find(&out).Error; err != nil {
		return nil, err
	}
	return out, checkPeriods(out...)
}

// ReportedPeriods lists, once each, the periods any city has a report
// of.
func (s *Store) ReportedPeriods(ctx context.Context) ([]models.Period, error) {
	var rows []struct {
		PeriodKind models.PeriodKind
		PeriodKey  string
	}
	if err := s.db.WithContext(ctx).Model(&models.CityReport{}).Distinct("period_kind", "period_key").
		Order("period_kind, period_key").Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]models.Period, len(rows))
	for i, r := range rows {
		p, err := models.NewPeriod(r.PeriodKind, r.PeriodKey)
		if err != nil {
			return nil, fmt.Errorf("city reports of period %s:%s: %w", r.PeriodKind, r.PeriodKey, err)
		}
		out[i] = p
	}
	return out, nil
}

// NetworkReporting is who has reported on period p at now: every city,
// by name, with its report of p and its state (models.ReportingStateOf)
// against the period's due day (PeriodDue), and how many cities are in
// each state, every state counted.
func (s *Store) NetworkReporting(ctx context.Context, p models.Period, now time.Time) (models.NetworkReporting, error) {
	out := models.NetworkReporting{Period: p, Counts: map[models.ReportingState]int{}}
	var err error
	if out.Due, err = s.PeriodDue(ctx, p); err != nil {
		return out, err
	}
	cities, err := s.Cities(ctx, models.CityFilter{})
	if err != nil {
		return out, err
	}
	reports, err := s.CityReports(ctx, models.CityReportFilter{Period: &p})
	if err != nil {
		return out, err
	}
	byCity := map[uint]*models.CityReport{}
	for i := range reports {
		byCity[reports[i].CityID] = &reports[i]
	}
	for _, state := range models.ReportingStates() {
		out.Counts[state] = 0
	}
	coordinators, err := s.cityCoordinators(ctx)
	if err != nil {
		return out, err
	}
	reminded, err := s.lastReminders(ctx, p)
	if err != nil {
		return out, err
	}
	for _, city := range cities {
		r := byCity[city.ID]
		state := models.ReportingStateOf(r, out.Due, now)
		out.Cities = append(out.Cities, models.CityReporting{City: city, Report: r, State: state, Coordinators: coordinators[city.ID], RemindedAt: reminded[city.ID]})
		out.Counts[state]++
	}
	return out, nil
}

// cityCoordinators lists each city's coordinators who are not disabled,
// by name.
func (s *Store) cityCoordinators(ctx context.Context) (map[uint][]models.CityCoordinator, error) {
	var rows []struct {
		CityID, UserID uint
		Name           string
		PasswordHash   string
	}
	err := s.db.WithContext(ctx).Raw(`SELECT uc.city_id, u.id AS user_id, u.name, u.password_hash FROM user_cities uc JOIN users u ON u.id = uc.user_id
		WHERE u.role = ? AND NOT u.disabled ORDER BY LOWER(u.name), u.id`, models.RoleCoordinator).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := map[uint][]models.CityCoordinator{}
	for _, r := range rows {
		out[r.CityID] = append(out[r.CityID], models.CityCoordinator{ID: r.UserID, Name: r.Name, Invited: r.PasswordHash == ""})
	}
	return out, nil
}

// lastReminders is when staff last reminded each city of its report of p.
func (s *Store) lastReminders(ctx context.Context, p models.Period) (map[uint]*time.Time, error) {
	var rows []struct {
		CityID uint
		SentAt time.Time
	}
	err := s.db.WithContext(ctx).Raw(`SELECT city_id, sent_at FROM report_reminders WHERE period_kind = ? AND period_key = ? ORDER BY sent_at`,
		p.Kind, p.Key).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := map[uint]*time.Time{}
	for _, r := range rows {
		at := r.SentAt.UTC()
		out[r.CityID] = &at
	}
	return out, nil
}

// ComposeReminder writes a reminder to coordinator u of city's report
// of a period due on due (nil when not known), late or not; r is the
// report, nil when none was started.
type ComposeReminder func(u *models.User, city *models.City, due *time.Time, late bool, r *models.CityReport) (models.Mail, error)

// SendReportReminder writes, for staff (actor), a reminder of city's
// report of p to each of its coordinators who can sign in, each mail in
// its recipient's mail language, in one transaction with its audit entry
// and its record: at most one per city, period and day (UTC) of now
// (ErrReminderSent). A report that reached UNESCO needs none
// (ErrReportSubmitted), and a city whose coordinators are all disabled or
// invited has nobody to remind (ErrNoActiveCoordinator). It returns how
// many mails it wrote.
func (s *Store) SendReportReminder(ctx context.Context, actor models.Actor, cityID uint, p models.Period, now time.Time, compose ComposeReminder) (int, error) {
	due, err := s.PeriodDue(ctx, p)
	if err != nil {
		return 0, err
	}
	sent := 0
	err = s.Tx(ctx, func(tx *Store) error {
		city, err := tx.City(ctx, cityID)
		if err != nil {
			return err
		}
		var r *models.CityReport
		var found models.CityReport
		err = tx.db.WithContext(ctx).Where("city_id = ? AND period_kind = ? AND period_key = ?", city.ID, p.Kind, p.Key).First(&found).Error
		switch translate(err) {
		case nil:
			r = &found
		case models.ErrNotFound:
		default:
			return err
		}
		if (models.CityReporting{Report: r}).Submitted() {
			return models.ErrReportSubmitted
		}
		var users []models.User
		if err := tx.db.WithContext(ctx).Where("role = ? AND NOT disabled AND password_hash <> '' AND id IN (SELECT user_id FROM user_cities WHERE city_id = ?)",
			models.RoleCoordinator, city.ID).Order("id").Find(&users).Error; err != nil {
			return err
		}
		if len(users) == 0 {
			return models.ErrNoActiveCoordinator
		}
		res := tx.db.Exec(`INSERT INTO report_reminders (city_id, period_kind, period_key, day, sent_by, sent_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, city.ID, p.Kind, p.Key, now.UTC().Format(time.DateOnly), actor.UserID, now.UTC())
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.ErrReminderSent
		}
		late := r.Late(due, now)
		names := make([]string, len(users))
		for i := range users {
			m, err := compose(&users[i], city, due, late, r)
			if err != nil {
				return fmt.Errorf("compose reminder: %w", err)
			}
			if err := tx.enqueue(m); err != nil {
				return err
			}
			names[i] = users[i].Email
		}
		sent = len(users)
		return tx.audit(actor, models.AuditRemind, models.EntityCity, city.ID, &city.ID, p.String()+": "+strings.Join(names, ", "))
	})
	return sent, err
}

// PeriodDue is when reports of a period are due, by the rule of its
// campaign: for a campaign, its fixed due day or so many days after it
// ends (nil while it runs with no end); for a quarter or a year, so many
// days after it ends as the campaign running on its last day says
// (DefaultDueDays when none does). Everything that needs a report's due
// day (who has reported, reminders) asks here.
func (s *Store) PeriodDue(ctx context.Context, p models.Period) (*time.Time, error) {
	c, err := s.PeriodCampaign(ctx, p)
	if err != nil {
		return nil, err
	}
	end := periodEnd(p, c)
	if c != nil {
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
	days := models.DefaultDueDays
	var running models.Campaign
	last := end.AddDate(0, 0, -1)
	err = s.db.WithContext(ctx).Where("archived_at IS NULL AND starts_on <= ? AND (ends_on IS NULL OR ends_on >= ?)", last, last).
		Order("starts_on DESC, id DESC").Limit(1).Find(&running).Error
	if err != nil {
		return nil, err
	}
	if running.ID != 0 {
		days = running.DueDays
	}
	due := end.AddDate(0, 0, days)
	return &due, nil
}

// CityReportDue is when r is due: PeriodDue of its period.
func (s *Store) CityReportDue(ctx context.Context, r *models.CityReport) (*time.Time, error) {
	return s.PeriodDue(ctx, r.Period())
}
