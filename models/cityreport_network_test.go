package models_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// assessed is a city's report with scores for the building blocks in
// order (the rest not rated).
func assessed(name string, region models.Region, scores ...int) models.CityWithReport {
	var rs []models.Rating
	for i, s := range scores {
		rs = append(rs, models.Rating{Area: models.LearningAreas()[i], Score: s})
	}
	b, _ := json.Marshal(rs)
	return models.CityWithReport{City: models.City{Name: name, Region: region}, Report: models.CityReport{RatingsJSON: string(b)}}
}

// TestSelfAssessment: each building block's median counts only the
// cities that rated it (the mean of the two middle scores for an even
// count), over every city and over those the filter keeps; sorting by a
// block puts the cities that did not rate it last either way, and keeps
// the order of equal scores.
func TestSelfAssessment(t *testing.T) {
	reports := []models.CityWithReport{
		assessed("Agadir", models.RegionArabStates, 4, 1, 0),
		assessed("Bogotá", models.RegionLatinAmerica, 2, 1, 0),
		assessed("Cork", models.RegionEuropeNA, 0, 3, 0),
		assessed("Dakar", models.RegionAfrica, 3, 4, 0),
		assessed("Essaouira", models.RegionArabStates, 2),
	}
	a := models.NewSelfAssessment(reports, func(c models.City) bool { return c.Region == models.RegionArabStates })
	want := []models.ScoreMedian{{2.5, 4}, {2, 4}, {0, 0}, {0, 0}, {0, 0}, {0, 0}}
	if !reflect.DeepEqual(a.Network, want) {
		t.Errorf("network medians %v, want %v", a.Network, want)
	}
	if want := []models.ScoreMedian{{3, 2}, {1, 1}, {}, {}, {}, {}}; !reflect.DeepEqual(a.Shown, want) {
		t.Errorf("medians of the Arab States %v, want %v", a.Shown, want)
	}
	if got := names(a); got != "Agadir Essaouira" {
		t.Errorf("rows kept: %s", got)
	}

	all := models.NewSelfAssessment(reports, nil)
	if !reflect.DeepEqual(all.Shown, all.Network) {
		t.Errorf("unfiltered, shown %v and network %v differ", all.Shown, all.Network)
	}
	for _, tc := range []struct {
		area models.LearningArea
		asc  bool
		want string
	}{
		{models.AreaEducationSystem, false, "Agadir Dakar Bogotá Essaouira Cork"},
		{models.AreaEducationSystem, true, "Bogotá Essaouira Dakar Agadir Cork"},
		{models.AreaFamilies, false, "Dakar Cork Agadir Bogotá Essaouira"},
		{models.AreaFamilies, true, "Agadir Bogotá Cork Dakar Essaouira"},
		{"no-such-block", false, "Agadir Bogotá Cork Dakar Essaouira"},
	} {
		a := models.NewSelfAssessment(reports, nil)
		a.SortBy(tc.area, tc.asc)
		if got := names(a); got != tc.want {
			t.Errorf("by %s asc=%v: %s, want %s", tc.area, tc.asc, got, tc.want)
		}
	}
}

func names(a models.SelfAssessment) string {
	var out []string
	for _, r := range a.Rows {
		out = append(out, r.City.Name)
	}
	return strings.Join(out, " ")
}
