package report_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
	"github.com/unesco-gnlc/learnthroughlife/models/store/storetest"
)

func TestReportDefinitions(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	e := f.ValidEvent() // held, 40 participants, one partner, Agadir
	must(t, f.Store.CreateEvent(ctx, f.AgadirCoo.Actor(), e))
	cancelled := f.ValidEvent()
	cancelled.Status = models.StatusCancelled
	must(t, f.Store.CreateEvent(ctx, f.AgadirCoo.Actor(), cancelled))
	pending := f.ValidStory()
	_, err := f.Store.CreateStory(ctx, pending, nil)
	must(t, err)
	published := f.ValidStory()
	published.CityID = f.Fez.ID
	_, err = f.Store.CreateStory(ctx, published, nil)
	must(t, err)
	must(t, f.Store.ModerateStory(ctx, f.Staff.Actor(), published, models.ActionPublish, ""))

	for name, engine := range map[string]func(context.Context, report.Query) (*models.Report, error){
		"roll-ups": f.Reports.Compute, "cached": f.Reports.Report, "raw": f.Reports.FromRaw,
	} {
		r, err := engine(ctx, report.Query{})
		must(t, err)
		want := models.Totals{MemberCities: 2, Countries: 1, ActiveCities: 2, EventsHeld: 1, Participants: 40, StoriesPublished: 1, PartnersEngaged: 1}
		if r.Totals != want {
			t.Errorf("%s: totals = %+v, want %+v", name, r.Totals, want)
		}
		if len(r.Breakdowns.ByCity) != 2 || len(r.Breakdowns.ByLearningArea) != 6 || len(r.Breakdowns.ByPartnerSector) != 7 {
			t.Errorf("%s: breakdown sizes %d cities, %d areas, %d sectors", name, len(r.Breakdowns.ByCity), len(r.Breakdowns.ByLearningArea), len(r.Breakdowns.ByPartnerSector))
		}
		i := slices.IndexFunc(r.Breakdowns.ByPartnerSector, func(row models.Row) bool { return row.Key == string(models.SectorCultural) })
		if i < 0 {
			t.Errorf("%s: no cultural sector row", name)
		} else if row := r.Breakdowns.ByPartnerSector[i]; *row.PartnersEngaged != 1 || *row.EventsHeld != 1 {
			t.Errorf("%s: cultural sector row = %+v", name, row)
		}
	}
	// A period before everything is empty, but still lists every city.
	r, err := f.Reports.Report(ctx, report.Query{From: time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2002, 1, 1, 0, 0, 0, 0, time.UTC)})
	must(t, err)
	if r.Totals.EventsHeld != 0 || r.Totals.MemberCities != 2 || len(r.Breakdowns.ByCity) != 2 || len(r.Breakdowns.ByMonth) != 12 {
		t.Errorf("empty period: %+v, %d cities, %d months", r.Totals, len(r.Breakdowns.ByCity), len(r.Breakdowns.ByMonth))
	}
}

// TestRollupsEqualRawRecomputation creates, edits, moves and deletes
// random events and stories, then checks that every figure of every
// breakdown from the roll-ups equals a straightforward recomputation from
// the raw tables, for many queries.
func TestRollupsEqualRawRecomputation(t *testing.T) {
	t.Parallel()
	s, reports := newEngine(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 11))
	actor := models.CLIActor()
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	campaigns := []*models.Campaign{
		{Hashtag: "#ImALifelongLearner", Name: "old", StartsOn: base.AddDate(-1, 0, 0)},
		{Hashtag: "#LearnThroughLife", Name: "new", StartsOn: base},
	}
	for _, c := range campaigns {
		must(t, s.CreateCampaign(ctx, c))
	}
	var cities []*models.City
	for i, spec := range []struct {
		name, country string
		region        models.Region
		joined        int
	}{
		{"Agadir", "MA", models.RegionArabStates, 2024}, {"Fez", "MA", models.RegionArabStates, 2024},
		{"Aswan", "EG", models.RegionArabStates, 2016}, {"Cork", "IE", models.RegionEuropeNA, 2015},
		{"Ibadan", "NG", models.RegionAfrica, 2016},
	} {
		c := &models.City{Name: spec.name, Country: spec.country, Region: spec.region, JoinedYear: spec.joined}
		must(t, s.CreateCity(ctx, actor, c, nil))
		cities = append(cities, c)
		_ = i
	}
	partners := map[uint][]*models.Partner{}
	for _, c := range cities {
		for j := range 4 {
			p := &models.Partner{CityID: c.ID, Name: fmt.Sprintf("%s partner %d", c.Name, j), Sector: models.Sectors()[rng.IntN(7)], Active: true}
			must(t, s.CreatePartner(ctx, actor, p))
			partners[c.ID] = append(partners[c.ID], p)
		}
	}
	pick := func(ids []models.LearningArea) []models.LearningArea {
		var out []models.LearningArea
		for _, a := range ids {
			if rng.IntN(3) == 0 {
				out = append(out, a)
			}
		}
		if len(out) == 0 {
			out = ids[:1]
		}
		return out
	}
	randomize := func(e *models.Event) {
		city := e.CityID
		start := base.Add(time.Duration(rng.IntN(24*600)) * time.Hour).Add(-200 * 24 * time.Hour)
		e.StartsAt, e.EndsAt = start, start.Add(2*time.Hour)
		e.CampaignID = campaigns[rng.IntN(2)].ID
		e.Status = models.EventStatuses()[rng.IntN(3)]
		if e.Status == models.StatusHeld && start.After(time.Now()) {
			e.Status = models.StatusPlanned
		}
		e.Participants = nil
		if e.Status == models.StatusHeld {
			n := rng.IntN(300)
			e.Participants = &n
		}
		e.Format = models.EventFormats()[rng.IntN(3)]
		e.LearningAreas = pick(models.LearningAreas())
		e.AgeGroups = nil
		for _, g := range models.AgeGroups() {
			if rng.IntN(2) == 0 {
				e.AgeGroups = append(e.AgeGroups, g)
			}
		}
		// Half the held events record their participants by age group, in
		// random shares; the others have none unless they reached one group.
		e.AgeParticipants = nil
		if e.Participants != nil && len(e.AgeGroups) > 0 && rng.IntN(2) == 0 {
			e.AgeParticipants = map[models.AgeGroup]int{}
			left := *e.Participants
			for i, g := range e.AgeGroups {
				n := left
				if i < len(e.AgeGroups)-1 {
					n = rng.IntN(left + 1)
				}
				e.AgeParticipants[g] = n
				left -= n
			}
		}
		e.PartnerIDs = nil
		for _, p := range partners[city] {
			if rng.IntN(3) == 0 {
				e.PartnerIDs = append(e.PartnerIDs, p.ID)
			}
		}
	}
	var events []*models.Event
	var stories []*models.Story
	codes := map[uint]string{}
	for op := range 600 {
		switch k := rng.IntN(10); {
		case k < 3 || len(events) == 0:
			e := &models.Event{CityID: cities[rng.IntN(len(cities))].ID, Title: fmt.Sprintf("Event %d", op)}
			randomize(e)
			must(t, s.CreateEvent(ctx, actor, e))
			events = append(events, e)
		case k == 3:
			e := events[rng.IntN(len(events))]
			randomize(e)
			if err := s.UpdateEvent(ctx, actor, e); err != nil && err != models.ErrNotFound {
				t.Fatalf("op %d update: %v", op, err)
			}
		case k == 4:
			e := events[rng.IntN(len(events))]
			if err := s.MoveEvent(ctx, actor, e, cities[rng.IntN(len(cities))].ID); err != nil && err != models.ErrNotFound {
				t.Fatalf("op %d move: %v", op, err)
			}
		case k == 5:
			i := rng.IntN(len(events))
			if err := s.DeleteEvent(ctx, actor, events[i]); err != nil && err != models.ErrNotFound {
				t.Fatalf("op %d delete: %v", op, err)
			}
			events = append(events[:i], events[i+1:]...)
		case k == 6:
			st := &models.Story{
				CityID: cities[rng.IntN(len(cities))].ID, CampaignID: campaigns[rng.IntN(2)].ID, Title: "A story",
				Body: "A story long enough to be accepted here.", Anonymous: true, AgeGroup: models.AgeGroups()[1+rng.IntN(3)],
				PublicationConsent: true, LearningAreas: pick(models.LearningAreas()),
			}
			code, err := s.CreateStory(ctx, st, nil)
			must(t, err)
			codes[st.ID] = code
			stories = append(stories, st)
		case k == 7 && len(stories) > 0:
			st, err := s.Story(ctx, stories[rng.IntN(len(stories))].ID)
			must(t, err)
			action := models.ActionPublish
			if rng.IntN(2) == 0 {
				action = models.StoryActions()[rng.IntN(5)]
			}
			if err := s.ModerateStory(ctx, actor, st, action, "reason"); err != nil && err != models.ErrTransition {
				t.Fatalf("op %d moderate: %v", op, err)
			}
		case k == 8 && len(stories) > 0:
			st, err := s.Story(ctx, stories[rng.IntN(len(stories))].ID)
			must(t, err)
			if rng.IntN(4) == 0 {
				_, err = s.WithdrawStory(ctx, codes[st.ID])
			} else {
				err = s.MoveStory(ctx, actor, st, cities[rng.IntN(len(cities))].ID)
			}
			must(t, err)
		case k == 9 && rng.IntN(3) == 0:
			c := cities[rng.IntN(len(cities))]
			c.Region = models.Regions()[rng.IntN(5)]
			must(t, s.UpdateCity(ctx, actor, c, nil))
		case k == 9:
			c := cities[rng.IntN(len(cities))]
			p := partners[c.ID][rng.IntN(4)]
			p.Sector = models.Sectors()[rng.IntN(7)]
			must(t, s.UpdatePartner(ctx, actor, p))
		}
	}
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	month := func(y, m int) time.Time { return day(y, m, 1) }
	now := time.Now().UTC()
	tomorrow := day(now.Year(), int(now.Month()), now.Day()+1)
	if tomorrow.Day() == 1 {
		tomorrow = tomorrow.AddDate(0, 0, 1) // a day, not a month's start
	}
	queries := []report.Query{
		{},
		{CampaignID: campaigns[1].ID},
		{Region: models.RegionArabStates},
		{Country: "MA"},
		{CityID: cities[0].ID},
		{Cohort: 2016},
		{From: month(2024, 1), To: month(2025, 1)},
		{From: month(2023, 7), To: month(2023, 8)},
		{From: month(2024, 3)},
		{To: month(2024, 6)},
		{Region: models.RegionArabStates, From: month(2024, 1), To: month(2025, 1)},
		{Country: "MA", From: month(2023, 1), To: month(2024, 1)},
		{Cohort: 2016, From: month(2024, 1), To: month(2025, 1)},
		{CampaignID: campaigns[0].ID, From: month(2023, 6), To: month(2024, 9), Country: "MA"},
		{From: month(2023, 11), To: month(2025, 3)},
		// Days: whole months from the roll-ups, the days at the ends from
		// the raw tables, and partners engaged in both parts once.
		{From: day(2024, 1, 2), To: day(2024, 12, 30)},
		{From: day(2023, 6, 17), To: day(2024, 2, 1)},
		{From: month(2024, 2), To: day(2024, 9, 9)},
		{From: day(2024, 3, 10), To: day(2024, 3, 25)},
		{From: day(2024, 3, 10), To: day(2024, 4, 25)},
		{From: day(2024, 4, 30)},
		{To: day(2024, 5, 2)},
		{Region: models.RegionArabStates, From: day(2023, 9, 15), To: day(2024, 10, 16)},
		{CampaignID: campaigns[1].ID, CityID: cities[1].ID, From: day(2023, 12, 31), To: day(2025, 1, 2)},
		// Days up to tomorrow: the events at the start, the stories (all
		// submitted during the test) in the days of this month.
		// Within days: the hours before and after read raw.
		{From: day(2024, 3, 10).Add(12 * time.Hour), To: day(2024, 7, 20).Add(6 * time.Hour)},
		{From: day(2024, 1, 17), To: tomorrow},
		{From: day(2023, 8, 20), To: tomorrow, CityID: cities[0].ID},
		{From: day(2024, 6, 3), To: tomorrow, Region: models.RegionArabStates},
		{From: day(2024, 2, 29), To: tomorrow, CampaignID: campaigns[1].ID},
		{From: day(2024, 11, 11), To: tomorrow, Cohort: 2016},
		{From: day(2023, 7, 4), To: tomorrow, Country: "MA"},
	}
	withEvents, withStories, compared := 0, 0, 0
	for i, q := range queries {
		fast, err := reports.Compute(ctx, q)
		must(t, err)
		storetest.WantRaw(t, reports, q, fast, fmt.Sprintf("query %d ", i))
		// A comparison with the previous period says what two separate
		// reports say.
		if prev, err := q.PreviousPeriod(); err == nil {
			cur, cmp, err := reports.ReportAndComparison(ctx, q, prev)
			must(t, err)
			if a, b := mustJSON(t, cur), mustJSON(t, fast); a != b {
				t.Errorf("query %d: the report beside its comparison differs from the report alone", i)
			}
			want, err := reports.FromRaw(ctx, prev)
			must(t, err)
			a, _ := json.Marshal(cmp.Report)
			b, _ := json.Marshal(want)
			if string(a) != string(b) {
				t.Errorf("query %d %+v: the comparison with %+v differs from its own report\ncomparison: %s\nreport:     %s", i, q, prev, a, b)
			}
			for _, f := range models.Figures() {
				if c := cmp.Change[f]; c.Current != fast.Totals.Value(f) || c.Previous != want.Totals.Value(f) || c.Absolute != c.Current-c.Previous {
					t.Errorf("query %d: change of %s = %+v, reports say %d then %d", i, f, c, want.Totals.Value(f), fast.Totals.Value(f))
				}
			}
			compared++
		}
		if fast.Totals.EventsHeld > 0 && fast.Totals.PartnersEngaged > 0 {
			withEvents++
		}
		if fast.Totals.StoriesPublished > 0 {
			withStories++
		}
	}
	if compared < len(queries)/2 {
		t.Errorf("only %d of %d queries were compared with their previous period", compared, len(queries))
	}
	if withEvents < len(queries)*2/3 || withStories < len(queries)/3 {
		t.Fatalf("of %d queries, %d had events and partners, %d stories: the test data is too thin", len(queries), withEvents, withStories)
	}
	// The stories kept counted per city and status, which lists page
	// through, follow every create, decision, move and withdrawal.
	must(t, s.VerifyStoryCounts(ctx))
	// Rebuilding from scratch gives the same roll-ups.
	before, err := reports.Compute(ctx, report.Query{})
	must(t, err)
	must(t, s.RebuildRollups(ctx))
	after, err := reports.Compute(ctx, report.Query{})
	must(t, err)
	a, _ := json.Marshal(before)
	b, _ := json.Marshal(after)
	if string(a) != string(b) {
		t.Errorf("rebuilt roll-ups differ from the maintained ones\nmaintained: %s\nrebuilt:    %s", a, b)
	}
}

func TestCachedReportsFollowEveryWrite(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	before, err := f.Reports.Report(ctx, report.Query{})
	must(t, err)
	before.Breakdowns.ByCity[0].Label = "changed by a caller"
	again, err := f.Reports.Report(ctx, report.Query{})
	must(t, err)
	if again.Breakdowns.ByCity[0].Label == "changed by a caller" {
		t.Fatal("a caller's change leaked into the cache")
	}
	e := f.ValidEvent()
	must(t, f.Store.CreateEvent(ctx, f.AgadirCoo.Actor(), e))
	after, err := f.Reports.Report(ctx, report.Query{})
	must(t, err)
	if after.Totals.EventsHeld != before.Totals.EventsHeld+1 {
		t.Fatalf("cached report missed a write: %d then %d", before.Totals.EventsHeld, after.Totals.EventsHeld)
	}
	c := &models.City{Name: "Ifrane", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2022}
	must(t, f.Store.CreateCity(ctx, models.CLIActor(), c, nil))
	withCity, err := f.Reports.Report(ctx, report.Query{})
	must(t, err)
	if withCity.Totals.MemberCities != after.Totals.MemberCities+1 {
		t.Fatal("cached report missed a new city")
	}
}

// A period in days counts a partner engaged only in its first days, only
// in its whole months, or in both, once: the partners of the days at the
// ends come from the raw tables, those of the whole months from the
// roll-ups.
func TestDayPeriodsCountEachPartnerOnce(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	actor := f.AgadirCoo.Actor()
	other := &models.Partner{CityID: f.Agadir.ID, Name: "Agadir Radio", Sector: models.Sectors()[0], Active: true}
	must(t, f.Store.CreatePartner(ctx, models.CLIActor(), other))
	held := func(at time.Time, partners ...uint) {
		e := f.ValidEvent()
		e.StartsAt, e.EndsAt = at, at.Add(2*time.Hour)
		e.Status = models.StatusHeld
		e.PartnerIDs = partners
		must(t, f.Store.CreateEvent(ctx, actor, e))
	}
	day := func(m, d int) time.Time { return time.Date(2024, time.Month(m), d, 10, 0, 0, 0, time.UTC) }
	held(day(3, 20), f.AgadirPartner.ID) // only in the first days
	held(day(4, 10), other.ID)           // only in a whole month
	held(day(5, 3), other.ID)            // in the last days too
	held(day(5, 25), f.AgadirPartner.ID) // after the period
	q := report.Query{From: time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 5, 10, 0, 0, 0, 0, time.UTC)}
	fast, err := f.Reports.Compute(ctx, q)
	must(t, err)
	if fast.Totals.PartnersEngaged != 2 || fast.Totals.EventsHeld != 3 {
		t.Errorf("partners engaged %d, events %d: want 2 partners, 3 events", fast.Totals.PartnersEngaged, fast.Totals.EventsHeld)
	}
	storetest.WantRaw(t, f.Reports, q, fast, "")
	// A partner's new sector moves its events, of whole months and of
	// days, in the sector breakdown; an event whose other partner keeps
	// the old sector stays counted there.
	twin := &models.Partner{CityID: f.Agadir.ID, Name: "Agadir Reading Club", Sector: f.AgadirPartner.Sector, Active: true}
	must(t, f.Store.CreatePartner(ctx, models.CLIActor(), twin))
	held(day(4, 12), f.AgadirPartner.ID, twin.ID)
	held(day(5, 4), twin.ID)
	other.Sector = models.Sectors()[1]
	must(t, f.Store.UpdatePartner(ctx, models.CLIActor(), other))
	twin.Sector = other.Sector
	must(t, f.Store.UpdatePartner(ctx, models.CLIActor(), twin))
	for _, q := range []report.Query{q, {Region: f.Agadir.Region, From: q.From, To: q.To}} {
		fast, err := f.Reports.Compute(ctx, q)
		must(t, err)
		raw, err := f.Reports.FromRaw(ctx, q)
		must(t, err)
		a, _ := json.Marshal(fast.Breakdowns.ByPartnerSector)
		b, _ := json.Marshal(raw.Breakdowns.ByPartnerSector)
		if string(a) != string(b) {
			t.Errorf("%+v after a sector change: roll-ups and raw tables disagree\nroll-ups: %s\nraw:      %s", q, a, b)
		}
	}
}

// A city that changes region takes its figures of the days at the ends of
// a period along: the regions' day roll-ups follow the move.
func TestRegionChangeMovesDayFigures(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	e := f.ValidEvent()
	e.StartsAt, e.EndsAt = time.Date(2024, 3, 20, 10, 0, 0, 0, time.UTC), time.Date(2024, 3, 20, 12, 0, 0, 0, time.UTC)
	must(t, f.Store.CreateEvent(ctx, f.AgadirCoo.Actor(), e))
	days := func(region models.Region) report.Query {
		return report.Query{Region: region, From: time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 5, 10, 0, 0, 0, 0, time.UTC)}
	}
	held := func(q report.Query) int64 {
		t.Helper()
		fast, err := f.Reports.Compute(ctx, q)
		must(t, err)
		storetest.WantRaw(t, f.Reports, q, fast, "")
		return fast.Totals.EventsHeld
	}
	to := models.Regions()[0]
	if to == f.Agadir.Region {
		to = models.Regions()[1]
	}
	if held(days(f.Agadir.Region)) != 1 || held(days(to)) != 0 {
		t.Fatal("the event is not in its city's region")
	}
	from := f.Agadir.Region
	f.Agadir.Region = to
	must(t, f.Store.UpdateCity(ctx, models.CLIActor(), f.Agadir, nil))
	if held(days(from)) != 0 || held(days(to)) != 1 {
		t.Error("the event did not move with its city")
	}
}

// A write to one city keeps the cached reports whose scope leaves that
// city out, and drops those whose scope includes it.
func TestCachedReportsOfOtherCitiesSurviveAWrite(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	fez := report.Query{CityID: f.Fez.ID}
	agadir := report.Query{Country: "MA", Cohort: f.Agadir.JoinedYear}
	network := report.Query{}
	for _, q := range []report.Query{fez, agadir, network} {
		_, err := f.Reports.Report(ctx, q)
		must(t, err)
	}
	must(t, f.Store.CreateEvent(ctx, f.AgadirCoo.Actor(), f.ValidEvent()))
	hits := f.Reports.CacheHits()
	cached := func(q report.Query) bool {
		t.Helper()
		_, err := f.Reports.Report(ctx, q)
		must(t, err)
		hit := f.Reports.CacheHits() > hits
		hits = f.Reports.CacheHits()
		return hit
	}
	if !cached(fez) {
		t.Error("a write to Agadir dropped Fez's cached report")
	}
	if cached(agadir) || cached(network) {
		t.Error("a write to Agadir kept a cached report that includes Agadir")
	}
	// A new city changes every scope's cities.
	must(t, f.Store.CreateCity(ctx, models.CLIActor(), &models.City{Name: "Ifrane", Country: "MA", Region: models.RegionArabStates, JoinedYear: 2022}, nil))
	if cached(fez) {
		t.Error("a new city kept the cached reports")
	}
}

// A batch of writes (an import) refreshes the roll-ups once, at its end,
// to the same figures as the writes one by one; a batch that fails
// leaves them as they were.
func TestBatchRefreshesRollupsOnceAtItsEnd(t *testing.T) {
	t.Parallel()
	f := storetest.NewFixture(t)
	ctx := context.Background()
	actor := f.AgadirCoo.Actor()
	before, err := f.Reports.Compute(ctx, report.Query{})
	must(t, err)
	// A failed batch changes nothing.
	err = f.Store.Batch(ctx, func(tx *store.Store) error {
		must(t, tx.CreateEvent(ctx, actor, f.ValidEvent()))
		return errors.New("the import stops")
	})
	if err == nil {
		t.Fatal("the failed batch committed")
	}
	after, err := f.Reports.Compute(ctx, report.Query{})
	must(t, err)
	if after.Totals != before.Totals {
		t.Fatalf("a failed batch changed the figures: %+v then %+v", before.Totals, after.Totals)
	}
	// Events over several days and months, one edited and one deleted
	// within the batch, and a nested batch.
	must(t, f.Store.Batch(ctx, func(tx *store.Store) error {
		var last *models.Event
		for i := range 24 {
			e := f.ValidEvent()
			e.Title = fmt.Sprintf("Festival event %d", i)
			e.StartsAt = time.Date(2025, time.Month(1+i%5), 1+i, 9, 0, 0, 0, time.UTC)
			e.EndsAt = e.StartsAt.Add(time.Hour)
			if err := tx.CreateEvent(ctx, actor, e); err != nil {
				return err
			}
			last = e
		}
		n := 7
		last.Participants = &n
		if err := tx.UpdateEvent(ctx, actor, last); err != nil {
			return err
		}
		return tx.Batch(ctx, func(inner *store.Store) error { return inner.DeleteEvent(ctx, actor, last) })
	}))
	day := func(m, d int) time.Time { return time.Date(2025, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	for _, q := range []report.Query{
		{}, {From: day(1, 1), To: day(6, 1)}, {From: day(1, 3), To: day(4, 20)}, {Region: f.Agadir.Region, From: day(2, 5), To: day(5, 26)},
		{From: day(1, 1), To: day(12, 31).AddDate(0, 0, 1)}, {CityID: f.Agadir.ID},
	} {
		fast, err := f.Reports.Report(ctx, q)
		must(t, err)
		storetest.WantRaw(t, f.Reports, q, fast, "after the batch: ")
	}
	full, err := f.Reports.Report(ctx, report.Query{})
	must(t, err)
	if full.Totals.EventsHeld != before.Totals.EventsHeld+23 {
		t.Errorf("events held %d after a batch of 23, want %d", full.Totals.EventsHeld, before.Totals.EventsHeld+23)
	}
}
