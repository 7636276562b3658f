package store

import (
	"context"
	"fmt"

	"github.com/unesco-gnlc/learnthroughlife/models"

	"gorm.io/gorm"
)

// PeriodCityReports lists the reports of period p whose status is one of
// statuses (every status when there is none), each with its city, by city
// name: two queries however many cities report, the reports and then
// their cities.
func (s *Store) PeriodCityReports(ctx context.Context, p models.Period, statuses []models.CityReportStatus) ([]models.CityWithReport, error) {
	db := s.db.WithContext(ctx)
	chosen := func() *gorm.DB {
		q := db.Model(&models.CityReport{}).Where("period_kind = ? AND period_key = ?", p.Kind, p.Key)
		if len(statuses) > 0 {
			q = q.Where("status IN ?", statuses)
		}
		return q
	}
	var reports []models.CityReport
	if err := chosen().Find(&reports).Error; err != nil {
		return nil, fmt.Errorf("reports of %s: %w", p, err)
	}
	if len(reports) == 0 {
		return nil, nil
	}
	if err := checkPeriods(reports...); err != nil {
		return nil, err
	}
	byCity := make(map[uint]models.CityReport, len(reports))
	for _, r := range reports {
		byCity[r.CityID] = r // one report per city and period
	}
	var cities []models.City
	if err := db.Where("id IN (?)", chosen().Select("city_id")).Order("name, id").Find(&cities).Error; err != nil {
		return nil, fmt.Errorf("cities reporting on %s: %w", p, err)
	}
	out := make([]models.CityWithReport, 0, len(reports))
	for _, c := range cities {
		if r, ok := byCity[c.ID]; ok {
			out = append(out, models.CityWithReport{City: c, Report: r})
		}
	}
	return out, nil
}
