package views

import "github.com/unesco-gnlc/learnthroughlife/models"

// AttendancePage is the data of a city's attendance page.
type AttendancePage struct {
	City *models.City
	// Events are the city's past events without a count, newest first;
	// Total counts them all when there are more than the page lists.
	Events []models.Event
	Total  int64
	// Values are the counts as typed, by field (models.AttendanceField).
	Values map[string]string
	Errors models.FieldErrors
}

// AttendanceURL is the attendance page of a city.
func AttendanceURL(c *models.City) string { return "/manage/cities/" + c.Slug + "/attendance" }

// attendanceAgesOpen tells whether an event's counts by age group show
// unfolded: when one is typed, or they were refused.
func attendanceAgesOpen(e models.Event, p AttendancePage) bool {
	if _, bad := p.Errors[models.AttendanceAgesField(e.ID, "")]; bad {
		return true
	}
	for _, g := range e.AgeGroups {
		if p.Values[models.AttendanceAgesField(e.ID, g)] != "" {
			return true
		}
	}
	return false
}
