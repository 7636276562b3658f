package models

import (
	"slices"
	"strings"
	"time"
)

// NotificationKind is a kind of mail a user may turn off on /account.
type NotificationKind string

// The notifications a user may choose.
const (
	// NotifyStoryDigest: coordinators, a daily digest of the stories
	// waiting for their cities.
	NotifyStoryDigest NotificationKind = "story_digest"
	// NotifyReportReview: coordinators, staff's decision on their city's
	// report.
	NotifyReportReview NotificationKind = "report_review"
	// NotifyReportDue: coordinators, 14 days before a report is due, and
	// when it is late.
	NotifyReportDue NotificationKind = "report_due"
	// NotifyReviewDigest: staff, a daily digest of reports waiting for
	// review.
	NotifyReviewDigest NotificationKind = "review_digest"
)

// NotificationKinds lists the notifications role may receive.
func NotificationKinds(role Role) []NotificationKind {
	if role == RoleStaff {
		return []NotificationKind{NotifyReviewDigest}
	}
	return []NotificationKind{NotifyStoryDigest, NotifyReportReview, NotifyReportDue}
}

// Wants reports whether u receives notifications of kind: every kind of
// their role that they have not turned off.
func (u *User) Wants(kind NotificationKind) bool {
	return u != nil && !u.Disabled && slices.Contains(NotificationKinds(u.Role), kind) &&
		!slices.Contains(strings.Split(u.NotifyOff, ","), string(kind))
}

// CityCount is a number of things in one city.
type CityCount struct {
	CityID uint
	Name   string
	Slug   string
	N      int
}

// CityReportRef names a city report waiting for review.
type CityReportRef struct {
	ID          uint
	City        string
	Period      Period
	SubmittedAt *time.Time
}

// ReminderLead is how long before a report is due its first reminder
// comes.
const ReminderLead = 14 * 24 * time.Hour
