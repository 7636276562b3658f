package rollup_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/models/report/rollup"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

// TestBatchOverManyDaysIsExact writes batches that each touch many days
// and months of several cities, regions and campaigns (creates, edits
// that move events across months and cities, deletes, published
// stories), the way an import does, and checks that the roll-ups the
// set-based refresh keeps are exactly those of a rebuild from the raw
// tables, and that reports over periods that start and end inside months
// agree with the raw recomputation. The days are refreshed a few at a
// time, as the many days of a large file are.
func TestBatchOverManyDaysIsExact(t *testing.T) {
	defer rollup.SetMaxDaysARound(7)()
	s, _ := storetest.Open(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(13, 17))
	actor := models.CLIActor()
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var campaigns []*models.Campaign
	for i, tag := range []string{"#ImALifelongLearner", "#LearnThroughLife"} {
		c := &models.Campaign{Hashtag: tag, Name: tag, StartsOn: base.AddDate(i-1, 0, 0)}
		must(t, s.CreateCampaign(ctx, c))
		campaigns = append(campaigns, c)
	}
	var cities []*models.City
	partners := map[uint][]uint{}
	for i, r := range []models.Region{models.RegionArabStates, models.RegionArabStates, models.RegionAfrica, models.RegionEuropeNA} {
		c := &models.City{Name: fmt.Sprintf("City %d", i), Country: "MA", Region: r, JoinedYear: 2016}
		must(t, s.CreateCity(ctx, actor, c, nil))
		cities = append(cities, c)
		for j := range 3 {
			p := &models.Partner{CityID: c.ID, Name: fmt.Sprintf("Partner %d-%d", i, j), Sector: models.Sectors()[rng.IntN(7)], Active: true}
			must(t, s.CreatePartner(ctx, actor, p))
			partners[c.ID] = append(partners[c.ID], p.ID)
		}
	}
	randomize := func(e *models.Event) {
		start := base.Add(time.Duration(rng.IntN(24*420)) * time.Hour)
		e.StartsAt, e.EndsAt = start, start.Add(time.Hour)
		e.CampaignID = campaigns[rng.IntN(2)].ID
		e.Status, e.Participants = models.StatusHeld, nil
		if rng.IntN(5) == 0 {
			e.Status = models.StatusCancelled
		} else {
			n := rng.IntN(200)
			e.Participants = &n
		}
		e.Format = models.EventFormats()[rng.IntN(3)]
		e.LearningAreas = models.LearningAreas()[:1+rng.IntN(3)]
		e.AgeGroups, e.AgeParticipants = models.AgeGroups()[:1+rng.IntN(2)], nil
		e.PartnerIDs = nil
		for _, p := range partners[e.CityID] {
			if rng.IntN(2) == 0 {
				e.PartnerIDs = append(e.PartnerIDs, p)
			}
		}
	}
	var events []*models.Event
	for batch := range 4 {
		must(t, s.Batch(ctx, func(tx *store.Store) error {
			for op := range 80 {
				switch k := rng.IntN(10); {
				case k < 6 || len(events) == 0:
					e := &models.Event{CityID: cities[rng.IntN(len(cities))].ID, Title: fmt.Sprintf("Event %d-%d", batch, op)}
					randomize(e)
					if err := tx.CreateEvent(ctx, actor, e); err != nil {
						return err
					}
					events = append(events, e)
				case k < 8:
					e := events[rng.IntN(len(events))]
					randomize(e)
					if err := tx.UpdateEvent(ctx, actor, e); err != nil {
						return err
					}
				case k == 8:
					i := rng.IntN(len(events))
					if err := tx.DeleteEvent(ctx, actor, events[i]); err != nil {
						return err
					}
					events = append(events[:i], events[i+1:]...)
				default:
					st := &models.Story{
						CityID: cities[rng.IntN(len(cities))].ID, CampaignID: campaigns[rng.IntN(2)].ID, Title: "A story",
						Body: "A story long enough to be accepted here.", Anonymous: true, AgeGroup: models.AgeGroups()[1+rng.IntN(3)],
						PublicationConsent: true, LearningAreas: models.LearningAreas()[:1],
					}
					if _, err := tx.CreateStory(ctx, st, nil); err != nil {
						return err
					}
					if err := tx.ModerateStory(ctx, actor, st, models.ActionPublish, ""); err != nil {
						return err
					}
				}
			}
			return nil
		}))
	}
	maintained := storetest.RollupDump(t, s)
	must(t, s.RebuildRollups(ctx))
	rebuilt := storetest.RollupDump(t, s)
	if maintained != rebuilt {
		t.Errorf("the roll-ups kept by the batches differ from a rebuild\nkept:\n%.4000s\nrebuilt:\n%.4000s", maintained, rebuilt)
	}
	reports := report.New(s)
	day := func(m, d int) time.Time { return time.Date(2024, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	for _, q := range []report.Query{
		{}, {From: day(1, 3), To: day(9, 20)}, {Region: models.RegionArabStates, From: day(2, 5), To: day(14, 26)},
		{CityID: cities[2].ID, From: day(3, 17), To: day(11, 2)}, {CampaignID: campaigns[1].ID, From: day(1, 9), To: day(13, 9)},
	} {
		fast, err := reports.Report(ctx, q)
		must(t, err)
		storetest.WantRaw(t, reports, q, fast, "")
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
