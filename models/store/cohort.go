package store

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// PlanCohort checks a cohort's rows and matches them with the cities by
// slug, writing nothing. A slug twice in the file is a problem of the
// second line; a row with no problem is created or, when a city has its
// slug, updated.
func (s *Store) PlanCohort(ctx context.Context, rows []models.CohortRow) (models.CohortPlan, error) {
	var plan models.CohortPlan
	existing, err := s.Cities(ctx, models.CityFilter{})
	if err != nil {
		return plan, err
	}
	bySlug := make(map[string]models.City, len(existing))
	for _, c := range existing {
		bySlug[c.Slug] = c
	}
	seen := map[string]int{}
	for _, row := range rows {
		// Only the fields a cohort file has: nothing else comes through.
		r := row.City
		c := models.City{Name: r.Name, Slug: r.Slug, Country: r.Country, JoinedYear: r.JoinedYear, CoLead: r.CoLead,
			TimeZone: r.TimeZone, Latitude: r.Latitude, Longitude: r.Longitude}
		if region, ok := models.CountryRegion(c.Country); ok {
			c.Region = region
		}
		fe := models.FieldErrors{}
		if err := c.Validate(); err != nil {
			var ok bool
			if fe, ok = models.AsFieldErrors(err); !ok {
				return plan, err
			}
		}
		// The region is not in the file: a problem with it is one of the
		// country.
		if _, bad := fe["region"]; bad {
			delete(fe, "region")
			fe.Add("country", "no_region", "")
		}
		if first, dup := seen[c.Slug]; dup && c.Slug != "" {
			fe["slug"] = models.Problem{Code: "duplicate_line", Param: fmt.Sprint(first)}
		}
		if len(fe) > 0 {
			for _, field := range slices.Sorted(maps.Keys(fe)) {
				plan.Problems = append(plan.Problems, models.CohortProblem{Line: row.Line, Field: field, Code: fe[field].Code, Param: fe[field].Param})
			}
			continue
		}
		seen[c.Slug] = row.Line
		row.City = c
		if old, ok := bySlug[c.Slug]; ok {
			row.City.ID = old.ID
			plan.Update = append(plan.Update, row)
		} else {
			plan.Create = append(plan.Create, row)
		}
	}
	return plan, nil
}

// ImportCohort plans the rows again and, when no line has a problem,
// creates and updates the cities in one transaction, each audited;
// otherwise it writes nothing and returns the plan with its problems.
// An update keeps the city's coordinators.
func (s *Store) ImportCohort(ctx context.Context, actor models.Actor, rows []models.CohortRow) (models.CohortPlan, error) {
	plan, err := s.PlanCohort(ctx, rows)
	if err != nil || len(plan.Problems) > 0 {
		return plan, err
	}
	err = s.Tx(ctx, func(tx *Store) error {
		for i := range plan.Create {
			c := &plan.Create[i].City
			if err := tx.CreateCity(ctx, actor, c, nil); err != nil {
				return fmt.Errorf("line %d: %w", plan.Create[i].Line, err)
			}
			if err := tx.setPoint(c); err != nil {
				return err
			}
		}
		for i := range plan.Update {
			c := &plan.Update[i].City
			coordinators, err := tx.CityCoordinatorIDs(ctx, c.ID)
			if err != nil {
				return err
			}
			if err := tx.UpdateCity(ctx, actor, c, coordinators); err != nil {
				return fmt.Errorf("line %d: %w", plan.Update[i].Line, err)
			}
			if err := tx.setPoint(c); err != nil {
				return err
			}
		}
		return nil
	})
	return plan, err
}

// setPoint writes a city's coordinates, which UpdateCity leaves alone.
func (s *Store) setPoint(c *models.City) error {
	return s.db.Model(&models.City{ID: c.ID}).Select("latitude", "longitude").Updates(c).Error
}
