package views

import "github.com/unesco-gnlc/learnthroughlife/models"

// newPartnerSector is the sector chosen for a partner added from the
// event form, "other" until one is chosen.
func newPartnerSector(f EventForm) string {
	if f.NewPartnerSector == "" {
		return string(models.SectorOtherSector)
	}
	return f.NewPartnerSector
}

// NewEventURL is the form of a new event of a city.
func NewEventURL(c *models.City) string { return CityManageURL(c) + "/new" }

// onlyCity is the slug of the one city of a list, to preselect it (a
// coordinator of one city never has to choose it), or "".
func onlyCity(cities []models.City) string {
	if len(cities) == 1 {
		return cities[0].Slug
	}
	return ""
}
