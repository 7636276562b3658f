package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// ApprovedCityReports lists the approved city reports of the cities in the
// scope of q whose period falls within q's: years and quarters inside
// q's dates (any when q's period is open), and campaign reports of q's
// campaign (or of any campaign when q has none); by city name, then period.
func (s *Store) ApprovedCityReports(ctx context.Context, q ReportQuery) ([]CityReport, []City, error) {
	cities, err := s.scopeCities(ctx, q)
	if err != nil {
		return nil, nil, fmt.Errorf("approved city reports: %w", err)
	}
	ids := make([]uint, len(cities))
	for i, c := range cities {
		ids[i] = c.ID
	}
	all, err := s.CityReports(ctx, CityReportFilter{CityIDs: ids, Status: ReportApproved})
	if err != nil {
		return nil, nil, fmt.Errorf("approved city reports: %w", err)
	}
	var campaign string
	if q.CampaignID != 0 {
		var c Campaign
		if err := s.db.WithContext(ctx).First(&c, q.CampaignID).Error; err != nil {
			return nil, nil, fmt.Errorf("approved city reports: %w", translate(err))
		}
		campaign = c.Hashtag
	}
	out := slices.DeleteFunc(all, func(r CityReport) bool {
		p := r.Period()
		if p.Kind == PeriodCampaign {
			return campaign != "" && CampaignPeriod(campaign).Key != p.Key
		}
		return (!q.From.IsZero() && p.From.Before(q.From)) || (!q.To.IsZero() && p.To.After(q.To))
	})
	order := make(map[uint]int, len(cities))
	for i, c := range cities {
		order[c.ID] = i
	}
	slices.SortStableFunc(out, func(a, b CityReport) int {
		if d := order[a.CityID] - order[b.CityID]; d != 0 {
			return d
		}
		return strings.Compare(a.PeriodKey, b.PeriodKey)
	})
	return out, cities, nil
}
