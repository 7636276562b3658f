package store

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// Notifier writes the mails that changes cause, each in its recipient's
// language. The store calls it inside the transaction of the change.
type Notifier interface {
	// StoryPublished tells a learner their story is published; it never
	// carries the receipt code.
	StoryPublished(to, lang string, st *models.Story, city *models.City) (models.Mail, error)
	// StoryRejected tells a learner their story was not published, quoting
	// the reason, and that they may edit it and send it again with their
	// receipt code; it never carries the code, nor the story's words.
	StoryRejected(to, lang string, st *models.Story, city *models.City) (models.Mail, error)
	// ReportReviewed tells a coordinator that staff approved their city's
	// report or asked for changes, quoting the staff's comment.
	ReportReviewed(u *models.User, r *models.CityReport, city *models.City, approved bool, comment string) (models.Mail, error)
}

// SetNotifier makes the store write the mails of changes with n.
func (s *Store) SetNotifier(n Notifier) { s.notify = n }

// SetNotifications keeps the notifications u wants: those of u's role in
// on, the others of u's role turned off.
func (s *Store) SetNotifications(ctx context.Context, u *models.User, on []models.NotificationKind) error {
	var off []string
	for _, k := range models.NotificationKinds(u.Role) {
		if !slices.Contains(on, k) {
			off = append(off, string(k))
		}
	}
	u.NotifyOff = strings.Join(off, ",")
	return s.db.WithContext(ctx).Model(&models.User{}).Where("id = ?", u.ID).Updates(map[string]any{"notify_off": u.NotifyOff, "updated_at": time.Now().UTC()}).Error
}

// notifyPublished writes the learner's mail for a story just published,
// if they asked for one and left an address.
func (s *Store) notifyPublished(storyID uint) error {
	if s.notify == nil {
		return nil
	}
	var st models.Story
	if err := s.db.First(&st, storyID).Error; err != nil {
		return translate(err)
	}
	if !st.NotifyPublished || st.ContactEmail == "" {
		return nil
	}
	var city models.City
	if err := s.db.First(&city, st.CityID).Error; err != nil {
		return translate(err)
	}
	m, err := s.notify.StoryPublished(st.ContactEmail, st.Lang, &st, &city)
	if err != nil {
		return err
	}
	// Once: a story unpublished and published again sends nothing more.
	if err := s.db.Model(&models.Story{}).Where("id = ?", st.ID).Update("notify_published", false).Error; err != nil {
		return err
	}
	return s.enqueue(m)
}

// notifyRejected writes the learner's mail for a story just sent back,
// if they left an address: they gave it for the coordinators to write to
// them, and the mail says how to edit the story and send it again.
func (s *Store) notifyRejected(storyID uint) error {
	if s.notify == nil {
		return nil
	}
	var st models.Story
	if err := s.db.First(&st, storyID).Error; err != nil {
		return translate(err)
	}
	if st.ContactEmail == "" {
		return nil
	}
	var city models.City
	if err := s.db.First(&city, st.CityID).Error; err != nil {
		return translate(err)
	}
	m, err := s.notify.StoryRejected(st.ContactEmail, st.Lang, &st, &city)
	if err != nil {
		return err
	}
	return s.enqueue(m)
}

// notifyReviewed writes to the coordinators of the report's city who want
// it that staff approved the report or asked for changes.
func (s *Store) notifyReviewed(r *models.CityReport, approved bool, comment string) error {
	if s.notify == nil {
		return nil
	}
	var city models.City
	if err := s.db.First(&city, r.CityID).Error; err != nil {
		return translate(err)
	}
	var users []models.User
	if err := s.db.Where("role = ? AND NOT disabled AND password_hash <> '' AND id IN (SELECT user_id FROM user_cities WHERE city_id = ?)",
		models.RoleCoordinator, r.CityID).Find(&users).Error; err != nil {
		return err
	}
	for i := range users {
		if !users[i].Wants(models.NotifyReportReview) {
			continue
		}
		m, err := s.notify.ReportReviewed(&users[i], r, &city, approved, comment)
		if err != nil {
			return err
		}
		if err := s.enqueue(m); err != nil {
			return err
		}
	}
	return nil
}
