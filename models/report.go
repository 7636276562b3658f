package models

import (
	"context"
	"fmt"
	"time"
)

// ReportQuery scopes a report. Zero values match everything; To is
// exclusive.
type ReportQuery struct {
	From, To   time.Time
	CampaignID uint
	Region     Region
	Country    string
	CityID     uint
}

// Totals are the headline figures of a report, each defined once here
// (see DESIGN.md, "Reports").
type Totals struct {
	MemberCities     int64 `json:"member_cities"`
	Countries        int64 `json:"countries"`
	ActiveCities     int64 `json:"active_cities"`
	EventsHeld       int64 `json:"events_held"`
	Participants     int64 `json:"participants"`
	StoriesPublished int64 `json:"stories_published"`
	PartnersEngaged  int64 `json:"partners_engaged"`
}

// cityScope returns the SQL condition and arguments that select the
// cities of q.
func (q ReportQuery) cityScope() (string, []any) {
	cond, args := "1=1", []any{}
	if q.Region != "" {
		cond += " AND c.region = ?"
		args = append(args, q.Region)
	}
	if q.Country != "" {
		cond += " AND c.country = ?"
		args = append(args, q.Country)
	}
	if q.CityID != 0 {
		cond += " AND c.id = ?"
		args = append(args, q.CityID)
	}
	return cond, args
}

// periodScope returns the condition on a record's date column and its
// campaign for q.
func (q ReportQuery) periodScope(dateCol, campaignCol string) (string, []any) {
	cond, args := "1=1", []any{}
	if !q.From.IsZero() {
		cond += " AND " + dateCol + " >= ?"
		args = append(args, q.From.UTC())
	}
	if !q.To.IsZero() {
		cond += " AND " + dateCol + " < ?"
		args = append(args, q.To.UTC())
	}
	if q.CampaignID != 0 {
		cond += " AND " + campaignCol + " = ?"
		args = append(args, q.CampaignID)
	}
	return cond, args
}

// Totals computes the headline figures for q: member cities and
// countries in scope; events held (status held, starting in the period)
// and their participants and distinct partners; stories published
// (published, submitted in the period); active cities, with at least one
// such event or story.
func (s *Store) Totals(ctx context.Context, q ReportQuery) (Totals, error) {
	var t Totals
	db := s.db.WithContext(ctx)
	cities, cargs := q.cityScope()
	events, eargs := q.periodScope("e.starts_at", "e.campaign_id")
	stories, sargs := q.periodScope("st.submitted_at", "st.campaign_id")
	heldSQL := "FROM events e JOIN cities c ON c.id = e.city_id WHERE e.status = 'held' AND " + events + " AND " + cities
	heldArgs := append(append([]any{}, eargs...), cargs...)
	storySQL := "FROM stories st JOIN cities c ON c.id = st.city_id WHERE st.status = 'published' AND " + stories + " AND " + cities
	storyArgs := append(append([]any{}, sargs...), cargs...)

	steps := []struct {
		sql  string
		args []any
		dst  any
	}{
		{"SELECT COUNT(*) AS member_cities, COUNT(DISTINCT c.country) AS countries FROM cities c WHERE " + cities, cargs, &t},
		{"SELECT COUNT(*), COALESCE(SUM(e.participants), 0) " + heldSQL, heldArgs, nil},
		{"SELECT COUNT(*) " + storySQL, storyArgs, &t.StoriesPublished},
		{"SELECT COUNT(DISTINCT ep.partner_id) FROM event_partners ep JOIN events e ON e.id = ep.event_id JOIN cities c ON c.id = e.city_id WHERE e.status = 'held' AND " + events + " AND " + cities, heldArgs, &t.PartnersEngaged},
		{"SELECT COUNT(*) FROM (SELECT e.city_id " + heldSQL + " UNION SELECT st.city_id " + storySQL + ") active", append(append([]any{}, heldArgs...), storyArgs...), &t.ActiveCities},
	}
	for _, step := range steps {
		var err error
		if step.dst == nil {
			row := db.Raw(step.sql, step.args...).Row()
			err = row.Scan(&t.EventsHeld, &t.Participants)
		} else {
			err = db.Raw(step.sql, step.args...).Scan(step.dst).Error
		}
		if err != nil {
			return t, fmt.Errorf("report totals: %w", err)
		}
	}
	return t, nil
}
