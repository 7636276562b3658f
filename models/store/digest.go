package store

import (
	"context"
	"fmt"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// Digester writes the periodic mails, each in its recipient's language.
type Digester interface {
	// StoryDigest tells a coordinator how many stories wait in each of
	// their cities.
	StoryDigest(u *models.User, waiting []models.CityCount) (models.Mail, error)
	// ReviewDigest tells staff which city reports wait for review.
	ReviewDigest(u *models.User, waiting []models.CityReportRef) (models.Mail, error)
	// ReportReminder tells a coordinator that their city's report for a
	// period is due on due, or late.
	ReportReminder(u *models.User, city *models.City, p models.Period, due time.Time, late bool, r *models.CityReport) (models.Mail, error)
}

// WriteDigests writes, at most once per user and day (or per report and
// reminder), whichever instance gets there first: coordinators' digests
// of stories waiting for their cities, staff's digest of reports waiting
// for review, and coordinators' reminders 14 days before a report is due
// and once it is late. It returns how many mails it wrote.
func (s *Store) WriteDigests(ctx context.Context, now time.Time, d Digester) (int, error) {
	day := now.UTC().Format(time.DateOnly)
	var users []models.User
	if err := s.db.WithContext(ctx).Where("NOT disabled AND password_hash <> ''").Order("id").Find(&users).Error; err != nil {
		return 0, err
	}
	written := 0
	// once writes the mail of compose unless (kind, user, ref) was written
	// before, in one transaction with its record.
	once := func(kind string, u *models.User, ref string, compose func() (models.Mail, error)) error {
		return s.Tx(ctx, func(tx *Store) error {
			res := tx.db.Exec(`INSERT INTO notification_runs (kind, user_id, ref, created_at) VALUES (?, ?, ?, ?)
				ON CONFLICT DO NOTHING`, kind, u.ID, ref, now.UTC())
			if res.Error != nil || res.RowsAffected == 0 {
				return res.Error
			}
			m, err := compose()
			if err != nil {
				return err
			}
			written++
			return tx.enqueue(m)
		})
	}
	var waitingReports []models.CityReportRef
	var reportsLoaded bool
	dues, err := s.campaignDues(ctx)
	if err != nil {
		return 0, err
	}
	for i := range users {
		u := &users[i]
		if err := s.loadUserCities(ctx, u); err != nil {
			return written, err
		}
		switch {
		case u.Wants(models.NotifyReviewDigest):
			if !reportsLoaded {
				if waitingReports, err = s.reportsWaiting(ctx); err != nil {
					return written, err
				}
				reportsLoaded = true
			}
			if len(waitingReports) > 0 {
				if err := once("review_digest", u, day, func() (models.Mail, error) { return d.ReviewDigest(u, waitingReports) }); err != nil {
					return written, err
				}
			}
		case u.Role == models.RoleCoordinator && len(u.CityIDs) > 0:
			if u.Wants(models.NotifyStoryDigest) {
				waiting, err := s.storiesWaiting(ctx, u.CityIDs)
				if err != nil {
					return written, err
				}
				if len(waiting) > 0 {
					if err := once("story_digest", u, day, func() (models.Mail, error) { return d.StoryDigest(u, waiting) }); err != nil {
						return written, err
					}
				}
			}
			if u.Wants(models.NotifyReportDue) {
				if err := s.remind(ctx, u, dues, now, d, once); err != nil {
					return written, err
				}
			}
		}
	}
	return written, nil
}

// storiesWaiting counts the pending stories of each city (by the
// city-and-status index), the cities with none left out.
func (s *Store) storiesWaiting(ctx context.Context, cityIDs []uint) ([]models.CityCount, error) {
	var out []models.CityCount
	err := s.db.WithContext(ctx).Raw(`SELECT c.id AS city_id, c.name, c.slug, COUNT(*) AS n FROM stories st JOIN cities c ON c.id = st.city_id
		WHERE st.city_id IN ? AND st.status = ? GROUP BY c.id, c.name, c.slug ORDER BY c.name`, cityIDs, models.StoryPending).Scan(&out).Error
	return out, err
}

// reportsWaiting lists the city reports submitted and not yet reviewed.
func (s *Store) reportsWaiting(ctx context.Context) ([]models.CityReportRef, error) {
	reports, err := s.CityReports(ctx, models.CityReportFilter{Status: models.ReportSubmitted})
	if err != nil {
		return nil, err
	}
	out := make([]models.CityReportRef, 0, len(reports))
	for _, r := range reports {
		city, err := s.City(ctx, r.CityID)
		if err != nil {
			return nil, err
		}
		out = append(out, models.CityReportRef{ID: r.ID, City: city.Name, Period: r.Period(), SubmittedAt: r.SubmittedAt})
	}
	return out, nil
}

// periodDue is a period and the day its reports are due.
type periodDue struct {
	p   models.Period
	due time.Time
}

// campaignDues lists the campaign periods whose reports have a due day,
// by PeriodDue, the one rule for it.
func (s *Store) campaignDues(ctx context.Context) ([]periodDue, error) {
	campaigns, err := s.Campaigns(ctx)
	if err != nil {
		return nil, err
	}
	var out []periodDue
	for _, c := range campaigns {
		p := models.CampaignPeriod(c.Hashtag)
		due, err := s.PeriodDue(ctx, p)
		if err != nil {
			return nil, err
		}
		if due != nil {
			out = append(out, periodDue{p, *due})
		}
	}
	return out, nil
}

// remind writes u's reminders for the campaign reports of their cities:
// one from ReminderLead before the due day, one once it is late, each
// once.
func (s *Store) remind(ctx context.Context, u *models.User, dues []periodDue, now time.Time, d Digester,
	once func(kind string, u *models.User, ref string, compose func() (models.Mail, error)) error) error {
	for _, pd := range dues {
		p, due := pd.p, &pd.due
		if now.Before(due.Add(-models.ReminderLead)) {
			continue
		}
		for _, cityID := range u.CityIDs {
			var r *models.CityReport
			var found models.CityReport
			err := s.db.WithContext(ctx).Where("city_id = ? AND period_kind = ? AND period_key = ?", cityID, p.Kind, p.Key).First(&found).Error
			switch translate(err) {
			case nil:
				r = &found
			case models.ErrNotFound:
			default:
				return err
			}
			if r != nil && (r.Status == models.ReportSubmitted || r.Status == models.ReportApproved) {
				continue
			}
			late := r.Late(due, now)
			kind := "report_due"
			if late {
				kind = "report_late"
			}
			city, err := s.City(ctx, cityID)
			if err != nil {
				return err
			}
			ref := fmt.Sprintf("%s city %d", p, cityID)
			if err := once(kind, u, ref, func() (models.Mail, error) { return d.ReportReminder(u, city, p, *due, late, r) }); err != nil {
				return err
			}
		}
	}
	return nil
}
