package handlers

import (
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

func joinKeys[T ~string](vs []T) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return strings.Join(out, "; ")
}

func optionalInt(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

// exportEvents downloads a city's events as CSV.
func (h *Handler) exportEvents(c echo.Context) error {
	city, err := h.cityFor(c, c.Param("slug"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	events, err := h.store.CityEvents(ctx, city.ID)
	if err != nil {
		return err
	}
	partners, err := h.store.CityPartners(ctx, city.ID)
	if err != nil {
		return err
	}
	names := make(map[uint]string, len(partners))
	for _, p := range partners {
		names[p.ID] = p.Name
	}
	// Times are the city's wall clock, its zone in the last column.
	loc := city.Location()
	// The participants by age group follow the age groups, a column a
	// group, empty where not recorded.
	head := []string{"id", "title", "starts_at", "ends_at", "venue", "format", "status", "participants", "learning_areas", "age_groups"}
	for _, g := range models.AgeGroups() {
		head = append(head, g.ParticipantsField())
	}
	rows := [][]string{append(head, "partners", "description", "time_zone")}
	for _, e := range events {
		var ps []string
		for _, id := range e.PartnerIDs {
			ps = append(ps, names[id])
		}
		row := []string{
			strconv.FormatUint(uint64(e.ID), 10), e.Title, e.StartsAt.In(loc).Format("2006-01-02 15:04"), e.EndsAt.In(loc).Format("2006-01-02 15:04"),
			e.Venue, string(e.Format), string(e.Status), optionalInt(e.Participants), joinKeys(e.LearningAreas), joinKeys(e.AgeGroups),
		}
		for _, g := range models.AgeGroups() {
			n, recorded := e.AgeParticipants[g]
			if !recorded {
				row = append(row, "")
				continue
			}
			row = append(row, strconv.Itoa(n))
		}
		rows = append(rows, append(row, strings.Join(ps, "; "), e.Description, loc.String()))
	}
	return writeCSV(c, city.Slug+"-events.csv", rows)
}

// exportPartners downloads a city's partners, contacts included, as CSV:
// only the city's coordinators and staff reach it.
func (h *Handler) exportPartners(c echo.Context) error {
	city, err := h.cityFor(c, c.Param("slug"))
	if err != nil {
		return err
	}
	partners, err := h.store.CityPartners(c.Request().Context(), city.ID)
	if err != nil {
		return err
	}
	rows := [][]string{{"id", "name", "sector", "contact_name", "contact_email", "website", "active"}}
	for _, p := range partners {
		rows = append(rows, []string{strconv.FormatUint(uint64(p.ID), 10), p.Name, string(p.Sector), p.ContactName, p.ContactEmail, p.Website, strconv.FormatBool(p.Active)})
	}
	return writeCSV(c, city.Slug+"-partners.csv", rows)
}

// exportStories downloads a city's published stories as CSV, as the
// public sees them: no contact details, minors by first name.
func (h *Handler) exportStories(c echo.Context) error {
	city, err := h.cityFor(c, c.Param("slug"))
	if err != nil {
		return err
	}
	stories, err := h.store.PublishedStories(c.Request().Context(), city.ID)
	if err != nil {
		return err
	}
	rows := [][]string{{"id", "title", "author", "age_group", "learning_areas", "featured", "published_at", "text"}}
	for _, st := range stories {
		published := ""
		if st.PublishedAt != nil {
			published = st.PublishedAt.Format(time.DateOnly)
		}
		rows = append(rows, []string{
			strconv.FormatUint(uint64(st.ID), 10), st.Title, st.PublicName(), string(st.AgeGroup), joinKeys(st.LearningAreas),
			strconv.FormatBool(st.Featured), published, st.Body,
		})
	}
	return writeCSV(c, city.Slug+"-stories.csv", rows)
}
