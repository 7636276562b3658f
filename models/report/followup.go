package report

import (
	"context"
	"fmt"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report/rollup"
)

// FollowUp is what staff follow up in a report's scope: the quiet cities
// and the moderation backlog.
type FollowUp struct {
	// Quiet are the cities with no activity since the chosen date, the
	// longest quiet first.
	Quiet []QuietCity
	// Backlog is the number of pending stories per city id, for the
	// cities in scope that have any.
	Backlog map[uint]int64
}

// FollowUp lists what needs following up among the cities in the scope of
// q's place filters (region, country, city, cohort): the cities with no
// held event and no published story of q's campaign (of any campaign when
// none is chosen) from the month of since on, and the pending stories of
// those cities (of q's campaign when one is chosen). Its period (From, To)
// is not used: quiet is counted back from since.
func (e *Engine) FollowUp(ctx context.Context, q Query, since time.Time) (*FollowUp, error) {
	cities, err := e.scopeCities(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("follow-up: %w", err)
	}
	w := &where{}
	if q.CampaignID != 0 {
		w.add("campaign_id = ?", q.CampaignID)
	}
	sql := "SELECT city_id, MAX(month) FROM ru_city WHERE " + w.sql() + " GROUP BY city_id"
	last := map[uint]int{}
	var id uint
	var m int
	if err := e.scan(ctx, sql, w.args, func([]any) error { last[id] = m; return nil }, &id, &m); err != nil {
		return nil, fmt.Errorf("follow-up: %w", err)
	}
	cut := rollup.MonthOf(since.UTC())
	out := &FollowUp{}
	ids := make([]uint, 0, len(cities))
	for _, c := range cities {
		ids = append(ids, c.ID)
		lm, ok := last[c.ID]
		if ok && lm >= cut {
			continue
		}
		qc := QuietCity{City: c}
		if ok {
			t := rollup.MonthStart(lm)
			qc.LastActive = &t
		}
		out.Quiet = append(out.Quiet, qc)
	}
	sortQuiet(out.Quiet)
	if !q.placeFiltered() {
		ids = nil
	}
	if q.CampaignID != 0 {
		out.Backlog, err = e.campaignPendingCounts(ctx, q.CampaignID, ids)
	} else {
		out.Backlog, err = e.src.PendingCounts(ctx, ids)
	}
	if err != nil {
		return nil, fmt.Errorf("follow-up: %w", err)
	}
	return out, nil
}

// campaignPendingCounts is the number of pending stories of a campaign per
// city (of the cities given; nil for all), read from the index on status,
// campaign and city alone (migration 26), not from the stories' rows.
func (e *Engine) campaignPendingCounts(ctx context.Context, campaignID uint, cityIDs []uint) (map[uint]int64, error) {
	w := (&where{}).add("status = ?", models.StoryPending).add("campaign_id = ?", campaignID)
	if cityIDs != nil {
		w.add("city_id IN ?", cityIDs)
	}
	out := map[uint]int64{}
	var (
		id uint
		n  int64
	)
	err := e.scan(ctx, "SELECT city_id, COUNT(*) FROM stories WHERE "+w.sql()+" GROUP BY city_id", w.args,
		func([]any) error { out[id] = n; return nil }, &id, &n)
	return out, err
}

// placeFiltered reports whether q narrows the cities at all.
func (q Query) placeFiltered() bool {
	return q.CityID != 0 || q.Region != "" || q.Country != "" || q.Cohort != 0
}
