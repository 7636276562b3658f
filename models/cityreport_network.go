package models

import (
	"cmp"
	"slices"
)

// NetworkReportStatuses are the statuses of the reports that the
// network's narratives, workbook and self-assessment gather unless staff
// choose others: the reports with UNESCO, approved or waiting for review.
func NetworkReportStatuses() []CityReportStatus {
	return []CityReportStatus{ReportApproved, ReportSubmitted}
}

// CityWithReport is a city's report of a period, with the city.
type CityWithReport struct {
	City   City
	Report CityReport
}

// AssessedCity is a city's self-assessment of a period: its report and
// the report's ratings, one per building block in LearningAreas order.
type AssessedCity struct {
	City    City
	Report  CityReport
	Ratings []Rating
}

// ScoreMedian is the median score of one building block over the cities
// that rated it: NotRated is left out, not counted as a low score. Rated
// is how many cities rated it; with none, Value is 0 and means nothing.
type ScoreMedian struct {
	Value float64
	Rated int
}

// SelfAssessment is the self-assessments of a period's cities side by
// side, with the median of each building block.
type SelfAssessment struct {
	// Rows are the cities shown, in the order given until SortBy.
	Rows []AssessedCity
	// Network is each building block's median over every city given,
	// Shown over Rows only: they differ when a filter left cities out.
	Network, Shown []ScoreMedian
}

// NewSelfAssessment lays out the reports side by side, keeping as rows
// the cities keep accepts (every city when keep is nil).
func NewSelfAssessment(reports []CityWithReport, keep func(City) bool) SelfAssessment {
	var out SelfAssessment
	all := make([]AssessedCity, len(reports))
	for i, r := range reports {
		all[i] = AssessedCity{City: r.City, Report: r.Report, Ratings: r.Report.Ratings()}
		if keep == nil || keep(r.City) {
			out.Rows = append(out.Rows, all[i])
		}
	}
	out.Network, out.Shown = medians(all), medians(out.Rows)
	return out
}

// medians is the ScoreMedian of each building block over cities.
func medians(cities []AssessedCity) []ScoreMedian {
	out := make([]ScoreMedian, len(LearningAreas()))
	scores := make([]int, 0, len(cities))
	for i := range out {
		scores = scores[:0]
		for _, c := range cities {
			if s := c.Ratings[i].Score; s > NotRated {
				scores = append(scores, s)
			}
		}
		out[i] = median(scores)
	}
	return out
}

func median(scores []int) ScoreMedian {
	n := len(scores)
	if n == 0 {
		return ScoreMedian{}
	}
	slices.Sort(scores)
	if n%2 == 1 {
		return ScoreMedian{Value: float64(scores[n/2]), Rated: n}
	}
	return ScoreMedian{Value: float64(scores[n/2-1]+scores[n/2]) / 2, Rated: n}
}

// SortBy orders the rows by their score of area, highest first (lowest
// first when asc); the cities that did not rate it come last either way,
// and cities of equal score keep their order.
func (a *SelfAssessment) SortBy(area LearningArea, asc bool) {
	i := slices.Index(LearningAreas(), area)
	if i < 0 {
		return
	}
	slices.SortStableFunc(a.Rows, func(x, y AssessedCity) int {
		sx, sy := x.Ratings[i].Score, y.Ratings[i].Score
		if (sx == NotRated) != (sy == NotRated) {
			return boolCmp(sx == NotRated, sy == NotRated)
		}
		if asc {
			return cmp.Compare(sx, sy)
		}
		return cmp.Compare(sy, sx)
	})
}

// boolCmp orders false before true.
func boolCmp(x, y bool) int {
	switch {
	case x == y:
		return 0
	case x:
		return 1
	}
	return -1
}
