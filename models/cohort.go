package models

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// countryRegions lists the countries (ISO 3166-1 alpha-2) of each UNESCO
// region, as UNESCO groups its member states.
var countryRegions = map[Region]string{
	RegionAfrica:       "AO BJ BW BF BI CV CM CF TD KM CG CD CI GQ ER SZ ET GA GM GH GN GW KE LS LR MG MW ML MU MZ NA NE NG RW ST SN SC SL ZA SS TZ TG UG ZM ZW",
	RegionArabStates:   "DZ BH DJ EG IQ JO KW LB LY MR MA OM PS QA SA SO SD SY TN AE YE",
	RegionAsiaPacific:  "AF AU BD BT BN KH CN CK FJ IN ID IR JP KZ KI KP KR KG LA MY MV MH FM MN MM NR NP NZ NU PK PW PG PH WS SG SB LK TJ TH TL TO TM TV UZ VU VN HK MO TK",
	RegionEuropeNA:     "AL AD AM AT AZ BY BE BA BG CA HR CY CZ DK EE FI FR GE DE GR HU IS IE IL IT LV LT LU MT MC ME NL MK NO PL PT MD RO RU SM RS SK SI ES SE CH TR UA GB US VA FO GL",
	RegionLatinAmerica: "AG AR BS BB BZ BO BR CL CO CR CU DM DO EC SV GD GT GY HT HN JM MX NI PA PY PE KN LC VC SR TT UY VE AW CW SX KY VG MS PR",
}

// CountryRegion is the UNESCO region of a country code ("MA" → Arab
// States); false for a code no region lists.
func CountryRegion(code string) (Region, bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if len(code) != 2 {
		return "", false
	}
	for r, codes := range countryRegions {
		if strings.Contains(" "+codes+" ", " "+code+" ") {
			return r, true
		}
	}
	return "", false
}

// CohortRow is one member city of an imported cohort, as read from a line
// of the file; its Region is not read but follows from its country.
type CohortRow struct {
	Line int // the line of the file (the header is line 1)
	City City
}

// CohortProblem is why a line of a cohort file cannot be imported: the
// field and the validation code ("country", "country").
type CohortProblem struct {
	Line  int
	Field string
	Code  string
	Param string
}

// CohortPlan is what importing a cohort would do: the cities it creates,
// those it updates (matched by slug), and the problems that stop it.
type CohortPlan struct {
	Create   []CohortRow
	Update   []CohortRow // City.ID is the existing city's
	Problems []CohortProblem
}

// PlanCohort checks a cohort's rows and matches them with the cities by
// slug, writing nothing. A slug twice in the file is a problem of the
// second line; a row with no problem is created or, when a city has its
// slug, updated.
func (s *Store) PlanCohort(ctx context.Context, rows []CohortRow) (CohortPlan, error) {
	var plan CohortPlan
	existing, err := s.Cities(ctx, CityFilter{})
	if err != nil {
		return plan, err
	}
	bySlug := make(map[string]City, len(existing))
	for _, c := range existing {
		bySlug[c.Slug] = c
	}
	seen := map[string]int{}
	for _, row := range rows {
		// Only the fields a cohort file has: nothing else comes through.
		r := row.City
		c := City{Name: r.Name, Slug: r.Slug, Country: r.Country, JoinedYear: r.JoinedYear, CoLead: r.CoLead,
			TimeZone: r.TimeZone, Latitude: r.Latitude, Longitude: r.Longitude}
		if region, ok := CountryRegion(c.Country); ok {
			c.Region = region
		}
		fe := FieldErrors{}
		if err := s.ValidateCity(&c); err != nil {
			var ok bool
			if fe, ok = AsFieldErrors(err); !ok {
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
			fe["slug"] = Problem{Code: "duplicate_line", Param: fmt.Sprint(first)}
		}
		if len(fe) > 0 {
			for _, field := range slices.Sorted(maps.Keys(fe)) {
				plan.Problems = append(plan.Problems, CohortProblem{Line: row.Line, Field: field, Code: fe[field].Code, Param: fe[field].Param})
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
func (s *Store) ImportCohort(ctx context.Context, actor Actor, rows []CohortRow) (CohortPlan, error) {
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
func (s *Store) setPoint(c *City) error {
	return s.db.Model(&City{ID: c.ID}).Select("latitude", "longitude").Updates(c).Error
}
