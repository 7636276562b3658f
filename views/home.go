package views

import (
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// HomePage is the data of the public home page.
type HomePage struct {
	Totals models.Totals
	// Campaign is the running campaign, which the page leads to; nil when
	// none runs.
	Campaign *models.Campaign
	Featured []StoryCard
	// Hero is the featured story the page opens with: one with a photo
	// when there is one.
	Hero      *StoryCard
	Upcoming  []models.Event
	CityNames map[uint]string
	CitySlugs map[uint]string
	// CityZones are the cities' time zones, in which their events are shown.
	CityZones map[uint]*time.Location
}
