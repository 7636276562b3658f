package models

import (
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

// CohortPlan is what importing a cohort would do, planned as a city's
// import is (Kind ImportCohort: its counts, its problems by line and
// column, Confirm), with the cities it creates and those it updates
// (matched by slug).
type CohortPlan struct {
	ImportPlan
	Create []CohortRow
	Update []CohortRow // City.ID is the existing city's
}
