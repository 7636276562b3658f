package handlers_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// listed is the text of each item of a list found by selector.
func listed(doc *goquery.Document, selector string) []string {
	var out []string
	doc.Find(selector + " li a").Each(func(_ int, s *goquery.Selection) {
		out = append(out, strings.TrimSpace(s.Text()))
	})
	return out
}

func TestFollowUpRespectsTheFilters(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	cli := models.CLIActor()
	cork := &models.City{Name: "Cork", Country: "IE", Region: models.RegionEuropeNA, JoinedYear: 2015}
	must(t, a.store.CreateCity(ctx, cli, cork, nil))
	medellin := &models.City{Name: "Medellín", Slug: "medellin", Country: "CO", Region: models.RegionLatinAmerica, JoinedYear: 2016}
	must(t, a.store.CreateCity(ctx, cli, medellin, nil))
	ifrane := &models.City{Name: "Ifrane", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2022}
	must(t, a.store.CreateCity(ctx, cli, ifrane, nil))
	other := &models.Campaign{Hashtag: "#ImALifelongLearner", Name: "I'm a lifelong learner", StartsOn: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}
	must(t, a.store.CreateCampaign(ctx, other))
	for _, c := range []*models.City{cork, a.fez} {
		st := &models.Story{
			CityID: c.ID, CampaignID: a.campaign.ID, Title: "Waiting story", Body: "A story long enough to be accepted.",
			DisplayName: "Learner", AgeGroup: models.AgeAdults, PublicationConsent: true,
		}
		_, err := a.store.CreateStory(ctx, st, nil)
		must(t, err)
	}
	staff := a.loggedIn(t, "staff@example.org")
	for _, tt := range []struct {
		query          string
		quiet, backlog []string
	}{
		{"", []string{"Cork", "Ifrane", "Medellín"}, []string{"Cork", "Fez"}},
		{"region=arab-states", []string{"Ifrane"}, []string{"Fez"}},
		{"country=IE", []string{"Cork"}, []string{"Cork"}},
		{"cohort=2024", nil, []string{"Fez"}},
		{"city=medellin", []string{"Medellín"}, nil},
		{"campaign=ImALifelongLearner&region=arab-states", []string{"Agadir", "Fez", "Ifrane"}, []string{"Fez"}},
	} {
		t.Run(tt.query, func(t *testing.T) {
			res := staff.get(t, "/reports?"+tt.query)
			wantStatus(t, res, http.StatusOK)
			doc := res.doc(t)
			quiet, backlog := listed(doc, "[data-testid=quiet-cities]"), listed(doc, "[data-testid=backlog]")
			slices.Sort(quiet)
			if !slices.Equal(quiet, tt.quiet) {
				t.Errorf("quiet cities = %v, want %v", quiet, tt.quiet)
			}
			if !slices.Equal(backlog, tt.backlog) {
				t.Errorf("backlog = %v, want %v", backlog, tt.backlog)
			}
		})
	}
}
