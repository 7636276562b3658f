package report

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// ApprovedCityReports lists the approved city reports of the cities in the
// scope of q whose period falls within q's: years and quarters inside
// q's dates (any when q's period is open), and campaign reports of q's
// campaign (or of any campaign when q has none); by city name, then period.
func (e *Engine) ApprovedCityReports(ctx context.Context, q Query) ([]models.CityReport, []models.City, error) {
	cities, err := e.scopeCities(ctx, q)
	if err != nil {
		return nil, nil, fmt.Errorf("approved city reports: %w", err)
	}
	ids := make([]uint, len(cities))
	for i, c := range cities {
		ids[i] = c.ID
	}
	all, err := e.src.CityReports(ctx, models.CityReportFilter{CityIDs: ids, Status: models.ReportApproved})
	if err != nil {
		return nil, nil, fmt.Errorf("approved city reports: %w", err)
	}
	var campaign string
	if q.CampaignID != 0 {
		c, err := e.src.Campaign(ctx, q.CampaignID)
		if err != nil {
			return nil, nil, fmt.Errorf("approved city reports: %w", err)
		}
		campaign = c.Hashtag
	}
	out := slices.DeleteFunc(all, func(r models.CityReport) bool {
		p := r.Period()
		if p.Kind == models.PeriodCampaign {
			return campaign != "" && models.CampaignPeriod(campaign).Key != p.Key
		}
		return (!q.From.IsZero() && p.From.Before(q.From)) || (!q.To.IsZero() && p.To.After(q.To))
	})
	order := make(map[uint]int, len(cities))
	for i, c := range cities {
		order[c.ID] = i
	}
	slices.SortStableFunc(out, func(a, b models.CityReport) int {
		if d := order[a.CityID] - order[b.CityID]; d != 0 {
			return d
		}
		return strings.Compare(a.PeriodKey, b.PeriodKey)
	})
	return out, cities, nil
}
