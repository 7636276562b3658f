package views

import (
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// CitySummary is one city on a coordinator's dashboard.
type CitySummary struct {
	City    models.City
	Stats   models.CityStats
	Pending int64
}

// DashboardPage is the data of the signed-in user's home.
type DashboardPage struct {
	// Todo is what waits for the user, at the top of the page.
	Todo Todo
	// GettingStarted is a coordinator's first-day checklist, one for
	// each of their cities whose first steps are not all done.
	GettingStarted []CityChecklist
	Cities         []CitySummary
	// For staff: the stories waiting across the network, and how many
	// cities are not shown (Cities are those with the most waiting).
	Backlog    int64
	MoreCities int
	Upcoming   []models.Event
	// Activity holds the latest entries, newest first, more than the
	// activityShown lines they make, and Names what names them.
	Activity []models.AuditEntry
	Names    models.AuditNames
	// CityNames names the cities of the events and entries shown.
	CityNames map[uint]string
	// CityZones are the cities' time zones, in which their events are shown.
	CityZones map[uint]*time.Location
}

// activityShown is how many lines the dashboard's activity shows.
const activityShown = 10

// CityCheckedURL is where a coordinator says their city's page is right.
func CityCheckedURL(c *models.City) string { return "/manage/cities/" + c.Slug + "/checked" }
