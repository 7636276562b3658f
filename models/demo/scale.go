package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/store"
)

// ScaleSizes are the sizes of a generated network.
type ScaleSizes struct {
	Cities, Countries, Partners, Events, Stories, Years int
}

// NetworkScale is the size of the whole network over years of activity.
func NetworkScale() ScaleSizes {
	return ScaleSizes{Cities: 400, Countries: 90, Partners: 40_000, Events: 500_000, Stories: 2_000_000, Years: 4}
}

// Progress hears how far a long job is: done of total in a stage.
type Progress func(stage string, done, total int)

// scaleCountries are ISO codes with their UNESCO regions, for generated cities.
func scaleCountries() []struct {
	code   string
	region models.Region
} {
	groups := map[models.Region]string{
		models.RegionAfrica:       "NG KE GH SN CI CM ET UG TZ RW ZA ZM ZW MZ AO BJ BF ML NE TG",
		models.RegionArabStates:   "MA EG TN DZ JO LB IQ SA AE QA OM KW BH PS SD",
		models.RegionAsiaPacific:  "CN JP KR ID IN PH VN TH MY AU NZ BD PK NP LK MN KZ UZ",
		models.RegionEuropeNA:     "IE FI GR DK DE FR ES IT PT GB NL BE AT SE NO PL UA CA US HU",
		models.RegionLatinAmerica: "CO AR BR MX CL PE EC BO UY PY CR PA GT HN SV DO CU",
	}
	var out []struct {
		code   string
		region models.Region
	}
	for _, r := range models.Regions() {
		for _, c := range strings.Fields(groups[r]) {
			out = append(out, struct {
				code   string
				region models.Region
			}{c, r})
		}
	}
	return out
}

// SeedScale fills s, an empty database, with a generated network of the
// given sizes, spread over the years before now, then builds the roll-ups.
// The same seed gives the same rows on every engine: it writes them in
// batches, each in its own transaction (store.BulkInsert: multi-row
// INSERTs on SQLite, COPY on PostgreSQL), and stops at the next batch when
// ctx is cancelled; callers generate into a scratch file or schema (see
// SeedScalePostgres) and keep it only when SeedScale returns nil. It
// refuses with store.ErrNotEmpty when any city exists.
func SeedScale(ctx context.Context, s *store.Store, sz ScaleSizes, now time.Time, progress Progress) error {
	has, err := s.HasCities(ctx)
	if err != nil {
		return err
	}
	if has {
		return store.ErrNotEmpty
	}
	if sz.Cities < 1 || sz.Countries < 1 || sz.Years < 1 || sz.Partners < sz.Cities {
		return fmt.Errorf("scale: need at least one city, country and year, and a partner per city")
	}
	if progress == nil {
		progress = func(string, int, int) {}
	}
	rng := rand.New(rand.NewPCG(356, 390))
	now = now.UTC()
	start := now.AddDate(-sz.Years, 0, 0)
	campaigns := []*models.Campaign{
		{Hashtag: "#ImALifelongLearner", Name: "I'm a Lifelong Learner", StartsOn: start, EndsOn: ptr(start.AddDate(sz.Years/2, 0, 0))},
		{Hashtag: "#LearnThroughLife", Name: "Learn Through Life", StartsOn: start.AddDate(sz.Years/2, 0, 0)},
	}
	for _, c := range campaigns {
		if err := s.CreateCampaign(ctx, c); err != nil {
			return err
		}
	}
	campaignOf := func(t time.Time) uint {
		if t.Before(campaigns[1].StartsOn) {
			return campaigns[0].ID
		}
		return campaigns[1].ID
	}
	countries := scaleCountries()
	if sz.Countries < len(countries) {
		countries = countries[:sz.Countries]
	}
	b := &batcher{st: s, ctx: ctx}

	// Cities and partners: ids are assigned in order from 1.
	for i := range sz.Cities {
		c := countries[i%len(countries)]
		name := fmt.Sprintf("Learning City %03d", i+1)
		lat, lon := scalePoint(c.code, i)
		b.add("cities", "name, slug, country, region, joined_year, co_lead, latitude, longitude, created_at, updated_at",
			name, models.Slugify(name), c.code, c.region, 2013+rng.IntN(12), i%7 == 0, lat, lon, now, now)
	}
	if err := b.flush(); err != nil {
		return err
	}
	progress("cities", sz.Cities, sz.Cities)
	partnerCity := make([]int, sz.Partners+1)
	cityPartners := make([][]int, sz.Cities+1)
	for i := 1; i <= sz.Partners; i++ {
		city := 1 + (i-1)%sz.Cities
		partnerCity[i] = city
		cityPartners[city] = append(cityPartners[city], i)
		b.add("partners", "city_id, name, sector, contact_name, contact_email, website, active, created_at, updated_at",
			city, fmt.Sprintf("Partner %d", i), models.Sectors()[rng.IntN(7)], "Contact", fmt.Sprintf("partner%d@example.org", i), "", rng.IntN(10) > 0, now, now)
		if err := b.maybeFlush(); err != nil {
			return err
		}
		if i%10_000 == 0 {
			progress("partners", i, sz.Partners)
		}
	}
	if err := b.flush(); err != nil {
		return err
	}
	progress("partners", sz.Partners, sz.Partners)

	span := now.AddDate(0, 2, 0).Sub(start)
	areas, ages, formats := models.LearningAreas(), models.AgeGroups(), models.EventFormats()
	for i := 1; i <= sz.Events; i++ {
		city := 1 + rng.IntN(sz.Cities)
		at := start.Add(time.Duration(rng.Int64N(int64(span)))).Truncate(time.Minute)
		status, participants := models.StatusPlanned, any(nil)
		if at.Before(now) {
			status = models.StatusHeld
			if rng.IntN(100) < 12 {
				status = models.StatusCancelled
			} else {
				participants = 5 + rng.IntN(400)
			}
		}
		b.add("events", "id, city_id, campaign_id, title, description, starts_at, ends_at, venue, format, status, participants, created_at, updated_at",
			i, city, campaignOf(at), fmt.Sprintf("Event %d", i), "", at, at.Add(2*time.Hour), "", formats[rng.IntN(3)], status, participants, now, now)
		// The log has what the app writes: the event logged a week before it.
		logged := at.AddDate(0, 0, -7)
		if logged.After(now) {
			logged = now
		}
		b.add("audit_entries", "user_email, action, entity, entity_id, city_id, summary, created_at",
			scaleCoordinator(city), models.AuditCreate, models.EntityEvent, i, city, fmt.Sprintf("Event %d", i), logged)
		for _, k := range rng.Perm(6)[:1+rng.IntN(3)] {
			b.add("event_learning_areas", "event_id, area", i, areas[k])
		}
		// Seven held events in ten record their participants by age group
		// (every one that reached a single group does).
		var reached []models.AgeGroup
		for _, k := range rng.Perm(4)[:1+rng.IntN(3)] {
			reached = append(reached, ages[k])
		}
		var split map[models.AgeGroup]int
		if n, held := participants.(int); held && (len(reached) == 1 || i%10 < 7) {
			split = models.SplitParticipants(n, reached)
		}
		for _, g := range reached {
			var count any
			if n, ok := split[g]; ok {
				count = n
			}
			b.add("event_age_groups", "event_id, age_group, participants", i, g, count)
		}
		if ps := cityPartners[city]; len(ps) > 0 {
			for _, k := range rng.Perm(len(ps))[:min(len(ps), rng.IntN(4))] {
				b.add("event_partners", "event_id, partner_id", i, ps[k])
			}
		}
		if err := b.maybeFlush(); err != nil {
			return err
		}
		if i%25_000 == 0 {
			progress("events", i, sz.Events)
		}
	}
	if err := b.flush(); err != nil {
		return err
	}
	progress("events", sz.Events, sz.Events)

	storySpan := now.Sub(start)
	for i := 1; i <= sz.Stories; i++ {
		city := 1 + rng.IntN(sz.Cities)
		at := start.Add(time.Duration(rng.Int64N(int64(storySpan)))).Truncate(time.Second)
		status := models.StoryPublished
		switch r := rng.IntN(100); {
		case r < 15:
			status = models.StoryPending
		case r < 33:
			status = models.StoryRejected
		case r < 36:
			status = models.StoryWithdrawn
		}
		title, body := fmt.Sprintf("Story %d", i), "What I learned, in my own words."
		if status == models.StoryWithdrawn {
			title, body = "", ""
		}
		age := ages[rng.IntN(4)]
		var published any
		if status == models.StoryPublished {
			published = at.Add(48 * time.Hour)
		}
		b.add("stories", "id, city_id, campaign_id, title, body, display_name, anonymous, age_group, minor, publication_consent, guardian_consent, status, receipt_hash, submitted_at, published_at, updated_at",
			i, city, campaignOf(at), title, body, "", true, age, age == models.AgeChildren, true, age == models.AgeChildren, status, fmt.Sprintf("scale-%d", i), at, published, now)
		// and each decision on a story, a day or two after it came in.
		switch status {
		case models.StoryPublished:
			b.add("audit_entries", "user_email, action, entity, entity_id, city_id, summary, created_at",
				scaleCoordinator(city), models.AuditPublish, models.EntityStory, i, city, title, published)
		case models.StoryRejected:
			b.add("audit_entries", "user_email, action, entity, entity_id, city_id, summary, created_at",
				scaleCoordinator(city), models.AuditReject, models.EntityStory, i, city, title, at.Add(24*time.Hour))
		}
		for _, k := range rng.Perm(6)[:rng.IntN(3)] {
			b.add("story_learning_areas", "story_id, area", i, areas[k])
		}
		if err := b.maybeFlush(); err != nil {
			return err
		}
		if i%100_000 == 0 {
			progress("stories", i, sz.Stories)
		}
	}
	if err := b.flush(); err != nil {
		return err
	}
	progress("stories", sz.Stories, sz.Stories)
	if err := s.ResetSequences(ctx, "cities", "partners", "events", "stories"); err != nil {
		return err
	}
	progress("roll-ups", 0, 1)
	if err := s.RebuildRollups(ctx); err != nil {
		return err
	}
	progress("roll-ups", 1, 1)
	return s.Analyze(ctx)
}

// SeedScalePostgres generates the network of SeedScale into the
// PostgreSQL database dsn, whose schema (the URL's search_path, or public)
// must hold no data. Everything is built, roll-ups and statistics
// included, in a scratch schema next to it (SCHEMA_partial), with COPY,
// and moved into place in one transaction at the end
// (store.BulkLoadPostgres): an interrupted or failed run drops the scratch
// schema and leaves the target as it was. It returns store.ErrNotEmpty
// when the target has data.
func SeedScalePostgres(ctx context.Context, dsn string, sz ScaleSizes, now time.Time, progress Progress) error {
	return store.BulkLoadPostgres(ctx, dsn, func(st *store.Store) error {
		return SeedScale(ctx, st, sz, now, progress)
	}, progress)
}

// scaleCoordinator is the address of the generated city's coordinator,
// in the audit log.
func scaleCoordinator(city int) string { return fmt.Sprintf("coordinator%d@example.org", city) }

// batcher gathers the generated rows per table and hands them to the
// store's bulk loader every 20,000 rows, parents before children.
type batcher struct {
	st     *store.Store
	ctx    context.Context
	tables []string
	cols   map[string]string
	rows   map[string][][]any
	count  int
}

func (b *batcher) add(table, cols string, vals ...any) {
	if b.rows == nil {
		b.rows, b.cols = map[string][][]any{}, map[string]string{}
	}
	if _, seen := b.cols[table]; !seen {
		b.tables = append(b.tables, table)
		b.cols[table] = cols
	}
	b.rows[table] = append(b.rows[table], vals)
	b.count++
}

func (b *batcher) maybeFlush() error {
	if b.count < 20_000 {
		return nil
	}
	return b.flush()
}

// flush writes the gathered rows, parents before children, in one
// transaction; it stops when the context is cancelled.
func (b *batcher) flush() error {
	if err := b.ctx.Err(); err != nil {
		return err
	}
	batch := make([]store.TableRows, len(b.tables))
	for i, table := range b.tables {
		batch[i] = store.TableRows{Table: table, Cols: strings.Split(b.cols[table], ", "), Rows: b.rows[table]}
	}
	b.tables, b.rows, b.cols, b.count = nil, nil, nil, 0
	if len(batch) == 0 {
		return nil
	}
	return b.st.BulkInsert(b.ctx, batch)
}
