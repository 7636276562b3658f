package models

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// The roll-up tables hold the report figures summed per city, campaign
// and month (and per partner), so that a report over the whole network
// reads a few thousand rows instead of millions. Every write that can
// change a figure refreshes the roll-up rows it touches, in its own
// transaction, by recomputing them from the raw tables: the roll-ups are
// always exactly what a straightforward recomputation gives.

// rollupKey names the roll-up rows of one city, campaign and month, and
// the day of that month the change touched (yyyymmdd).
type rollupKey struct {
	city, campaign uint
	month, day     int
}

// dayOf is the yyyymmdd of t, in UTC.
func dayOf(t time.Time) int {
	t = t.UTC()
	return monthOf(t)*100 + t.Day()
}

// dayStart is the first instant of yyyymmdd d, UTC.
func dayStart(d int) time.Time {
	return time.Date(d/10000, time.Month(d/100%100), d%100, 0, 0, 0, 0, time.UTC)
}

// monthOf is the yyyymm of t, in UTC, as the roll-ups' SQL reads it.
func monthOf(t time.Time) int {
	t = t.UTC()
	return t.Year()*100 + int(t.Month())
}

// monthStart is the first instant of yyyymm m, UTC.
func monthStart(m int) time.Time { return time.Date(m/100, time.Month(m%100), 1, 0, 0, 0, 0, time.UTC) }

// nextMonth is the yyyymm after m.
func nextMonth(m int) int { return monthOf(monthStart(m).AddDate(0, 1, 0)) }

// sqlMonth and sqlYear turn a timestamp column into yyyymm and yyyy, in
// UTC. SQLite keeps timestamps as text that starts with the UTC date: the
// driver writes a time with its own offset, so every write passes UTC
// (ValidateEvent; migration 29 rewrote the rows written before).
func (s *Store) sqlMonth(col string) string {
	if s.dialect == "postgres" {
		return fmt.Sprintf("(CAST(EXTRACT(YEAR FROM %[1]s) AS INTEGER) * 100 + CAST(EXTRACT(MONTH FROM %[1]s) AS INTEGER))", col)
	}
	return fmt.Sprintf("(CAST(substr(%[1]s, 1, 4) AS INTEGER) * 100 + CAST(substr(%[1]s, 6, 2) AS INTEGER))", col)
}

func (s *Store) sqlYear(col string) string {
	if s.dialect == "postgres" {
		return fmt.Sprintf("CAST(EXTRACT(YEAR FROM %s) AS INTEGER)", col)
	}
	return fmt.Sprintf("CAST(substr(%s, 1, 4) AS INTEGER)", col)
}

// sqlDay turns a timestamp column into yyyymmdd, and sqlDayOfMonth into
// its day of the month, in UTC.
func (s *Store) sqlDay(col string) string {
	return fmt.Sprintf("(%s * 100 + %s)", s.sqlMonth(col), s.sqlDayOfMonth(col))
}

func (s *Store) sqlDayOfMonth(col string) string {
	if s.dialect == "postgres" {
		return fmt.Sprintf("CAST(EXTRACT(DAY FROM %s) AS INTEGER)", col)
	}
	return fmt.Sprintf("CAST(substr(%s, 9, 2) AS INTEGER)", col)
}

// fillRollups inserts the per-city roll-up rows computed from the raw
// events and stories that match the scopes (conditions on events e and
// stories st; "1=1" for everything). The rows must not exist yet.
func (s *Store) fillRollups(evScope string, evArgs []any, stScope string, stArgs []any) error {
	mE, mS := s.sqlMonth("e.starts_at"), s.sqlMonth("st.submitted_at")
	both := append(append([]any{}, evArgs...), stArgs...)
	steps := []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO ru_city (city_id, campaign_id, month, events_held, participants, stories_published, partners)
			SELECT city_id, campaign_id, month, SUM(ev), SUM(pa), SUM(st), 0 FROM (
				SELECT e.city_id, e.campaign_id, ` + mE + ` AS month, 1 AS ev, COALESCE(e.participants, 0) AS pa, 0 AS st
				FROM events e WHERE e.status = 'held' AND ` + evScope + `
				UNION ALL
				SELECT st.city_id, st.campaign_id, ` + mS + `, 0, 0, 1
				FROM stories st WHERE st.status = 'published' AND ` + stScope + `
			) f GROUP BY city_id, campaign_id, month`, both},
		{`UPDATE ru_city SET partners = t.n FROM (
				SELECT e.city_id, e.campaign_id, ` + mE + ` AS month, COUNT(DISTINCT ep.partner_id) AS n
				FROM events e JOIN event_partners ep ON ep.event_id = e.id
				WHERE e.status = 'held' AND ` + evScope + `
				GROUP BY e.city_id, e.campaign_id, ` + mE + `
			) t WHERE ru_city.city_id = t.city_id AND ru_city.campaign_id = t.campaign_id AND ru_city.month = t.month`, evArgs},
		{`INSERT INTO ru_dim (city_id, campaign_id, month, dim, dkey, events_held, participants, stories_published)
			SELECT city_id, campaign_id, month, 'area', dkey, SUM(ev), SUM(pa), SUM(st) FROM (
				SELECT e.city_id, e.campaign_id, ` + mE + ` AS month, a.area AS dkey, 1 AS ev, COALESCE(e.participants, 0) AS pa, 0 AS st
				FROM events e JOIN event_learning_areas a ON a.event_id = e.id WHERE e.status = 'held' AND ` + evScope + `
				UNION ALL
				SELECT st.city_id, st.campaign_id, ` + mS + `, a.area, 0, 0, 1
				FROM stories st JOIN story_learning_areas a ON a.story_id = st.id WHERE st.status = 'published' AND ` + stScope + `
			) f GROUP BY city_id, campaign_id, month, dkey`, both},
		{s.ageMonthSQL(evScope, stScope), both},
		{`INSERT INTO ru_dim (city_id, campaign_id, month, dim, dkey, events_held, participants, stories_published)
			SELECT e.city_id, e.campaign_id, ` + mE + `, 'format', e.format, COUNT(*), COALESCE(SUM(e.participants), 0), 0
			FROM events e WHERE e.status = 'held' AND ` + evScope + `
			GROUP BY e.city_id, e.campaign_id, ` + mE + `, e.format`, evArgs},
		{s.sectorMonthSQL(evScope), evArgs},
	}
	for i, step := range steps {
		if err := s.db.Exec(step.sql, step.args...).Error; err != nil {
			return fmt.Errorf("fill roll-ups, step %d: %w", i+1, err)
		}
	}
	return nil
}

// ageMonthSQL fills the per-city age group rows of ru_dim from the raw
// events and stories that match the scopes: events held and their
// participants in each age group they reached, and stories published.
func (s *Store) ageMonthSQL(evScope, stScope string) string {
	mE, mS := s.sqlMonth("e.starts_at"), s.sqlMonth("st.submitted_at")
	return `INSERT INTO ru_dim (city_id, campaign_id, month, dim, dkey, events_held, participants, stories_published)
		SELECT city_id, campaign_id, month, 'age', dkey, SUM(ev), SUM(pa), SUM(st) FROM (
			SELECT e.city_id, e.campaign_id, ` + mE + ` AS month, g.age_group AS dkey, 1 AS ev, COALESCE(g.participants, 0) AS pa, 0 AS st
			FROM events e JOIN event_age_groups g ON g.event_id = e.id WHERE e.status = 'held' AND ` + evScope + `
			UNION ALL
			SELECT st.city_id, st.campaign_id, ` + mS + `, st.age_group, 0, 0, 1
			FROM stories st WHERE st.status = 'published' AND ` + stScope + `
		) f GROUP BY city_id, campaign_id, month, dkey`
}

// refillAges recomputes the age group rows of every roll-up from the raw
// tables: for migration 27, when they began to count the participants of
// each age group rather than the whole event's.
func (s *Store) refillAges() error {
	for _, table := range []string{"ru_dim", "rr_dim", "rn_dim", "rr_dim_day", "rn_dim_day"} {
		if err := s.db.Exec("DELETE FROM " + table + " WHERE dim = 'age'").Error; err != nil {
			return err
		}
	}
	if err := s.db.Exec(s.ageMonthSQL("1=1", "1=1")).Error; err != nil {
		return fmt.Errorf("refill age groups: %w", err)
	}
	if err := s.fillRegions("d.dim = 'age'", nil); err != nil {
		return err
	}
	if err := s.fillNetwork("dim = 'age'", nil); err != nil {
		return err
	}
	for _, table := range []string{"rn_dim_day", "rr_dim_day"} {
		if err := s.execDimDays(s.dimDaySQL(table)[dayAge:dayAge+1], "1=1", nil, "1=1", nil); err != nil {
			return fmt.Errorf("refill %s age groups: %w", table, err)
		}
	}
	return nil
}

// eventsInUTC is migration 29's fill. Before it, an event entered on its
// city's clock was written with that clock's offset: SQLite kept the text
// as given, so the reports read the city's date rather than the UTC one;
// PostgreSQL kept the instant, but the write refreshed the month of the
// city's clock. It rewrites those times in UTC (SQLite) and refreshes the
// roll-ups of every month and day they were or are filed under.
func (s *Store) eventsInUTC() error {
	type row struct {
		ID, CityID, CampaignID uint
		StartsAt, EndsAt       time.Time
		TimeZone               string
	}
	q := s.db.Table("events e").Select("e.id, e.city_id, e.campaign_id, e.starts_at, e.ends_at, c.time_zone").
		Joins("JOIN cities c ON c.id = e.city_id")
	if s.dialect == "sqlite" {
		q = q.Where("substr(e.starts_at, -6) <> '+00:00' OR substr(e.ends_at, -6) <> '+00:00'")
	} else {
		// A clock at most 14 hours off UTC has another month only on a
		// month's first or last day.
		q = q.Where("c.time_zone NOT IN ('', 'UTC', 'Etc/UTC') AND (EXTRACT(DAY FROM e.starts_at) = 1 OR EXTRACT(DAY FROM e.starts_at + INTERVAL '1 day') = 1)")
	}
	var rows []row
	if err := q.Find(&rows).Error; err != nil {
		return fmt.Errorf("events off UTC: %w", err)
	}
	var keys []rollupKey
	var ids []uint
	for _, r := range rows {
		utc := rollupKey{r.CityID, r.CampaignID, monthOf(r.StartsAt), dayOf(r.StartsAt)}
		filed := r.StartsAt // SQLite: the text's own clock
		if s.dialect != "sqlite" {
			filed = r.StartsAt.In((&City{TimeZone: r.TimeZone}).Location())
		}
		wall := filed.Year()*100 + int(filed.Month())
		if s.dialect != "sqlite" && wall == utc.month {
			continue
		}
		keys = append(keys, utc, rollupKey{r.CityID, r.CampaignID, wall, wall*100 + filed.Day()})
		ids = append(ids, r.ID)
		if s.dialect == "sqlite" {
			if err := s.db.Exec("UPDATE events SET starts_at = ?, ends_at = ? WHERE id = ?", r.StartsAt.UTC(), r.EndsAt.UTC(), r.ID).Error; err != nil {
				return err
			}
		}
	}
	if len(keys) == 0 {
		return nil
	}
	var partnerIDs []uint
	for chunk := range slices.Chunk(ids, 10000) {
		var some []uint
		if err := s.db.Table("event_partners").Distinct("partner_id").Where("event_id IN ?", chunk).Pluck("partner_id", &some).Error; err != nil {
			return err
		}
		partnerIDs = append(partnerIDs, some...)
	}
	return s.refreshRollups(keys, partnerIDs)
}

// fillCityDays inserts the per-city, campaign and day roll-up rows of the
// raw events and stories that match the scopes, as fillRollups does per
// month: the days at the ends of a period read them.
func (s *Store) fillCityDays(evScope string, evArgs []any, stScope string, stArgs []any) error {
	dE, dS := s.sqlDay("e.starts_at"), s.sqlDay("st.submitted_at")
	return s.db.Exec(`INSERT INTO ru_city_day (city_id, campaign_id, day, events_held, participants, stories_published)
		SELECT city_id, campaign_id, day, SUM(ev), SUM(pa), SUM(st) FROM (
			SELECT e.city_id, e.campaign_id, `+dE+` AS day, 1 AS ev, COALESCE(e.participants, 0) AS pa, 0 AS st
			FROM events e WHERE e.status = 'held' AND `+evScope+`
			UNION ALL
			SELECT st.city_id, st.campaign_id, `+dS+`, 0, 0, 1
			FROM stories st WHERE st.status = 'published' AND `+stScope+`
		) f GROUP BY city_id, campaign_id, day`, append(append([]any{}, evArgs...), stArgs...)...).Error
}

// The order of dimDaySQL's statements, one per dimension.
const (
	dayArea = iota
	dayAge
	dayFormat
	daySector
)

// dimDaySQL are the statements that fill a day-grain dimension table from
// the raw rows that match the scopes (conditions on events e, stories st
// and cities c): the network's (rn_dim_day) or the regions'
// (rr_dim_day, where {{region}} is the region column).
func (s *Store) dimDaySQL(table string) []string {
	dE, dS := s.sqlDay("e.starts_at"), s.sqlDay("st.submitted_at")
	region, cols := "", "day, campaign_id"
	if table != "rn_dim_day" {
		region, cols = "c.region, ", "region, day, campaign_id"
	}
	insert := "INSERT INTO " + table + " (" + cols + ", dim, dkey, events_held, participants, stories_published) "
	group := " GROUP BY " + cols + ", dkey"
	r := strings.NewReplacer("{{region}}", region, "{{dE}}", dE, "{{dS}}", dS)
	return []string{
		insert + `SELECT ` + cols + `, 'area', dkey, SUM(ev), SUM(pa), SUM(st) FROM (
			SELECT ` + r.Replace(`{{region}}{{dE}} AS day, e.campaign_id, a.area AS dkey, 1 AS ev, COALESCE(e.participants, 0) AS pa, 0 AS st
			FROM events e JOIN cities c ON c.id = e.city_id JOIN event_learning_areas a ON a.event_id = e.id WHERE e.status = 'held' AND {{ev}}
			UNION ALL
			SELECT {{region}}{{dS}}, st.campaign_id, a.area, 0, 0, 1
			FROM stories st JOIN cities c ON c.id = st.city_id JOIN story_learning_areas a ON a.story_id = st.id WHERE st.status = 'published' AND {{st}}`) + `
		) f` + group,
		insert + `SELECT ` + cols + `, 'age', dkey, SUM(ev), SUM(pa), SUM(st) FROM (
			SELECT ` + r.Replace(`{{region}}{{dE}} AS day, e.campaign_id, g.age_group AS dkey, 1 AS ev, COALESCE(g.participants, 0) AS pa, 0 AS st
			FROM events e JOIN cities c ON c.id = e.city_id JOIN event_age_groups g ON g.event_id = e.id WHERE e.status = 'held' AND {{ev}}
			UNION ALL
			SELECT {{region}}{{dS}}, st.campaign_id, st.age_group, 0, 0, 1
			FROM stories st JOIN cities c ON c.id = st.city_id WHERE st.status = 'published' AND {{st}}`) + `
		) f` + group,
		insert + r.Replace(`SELECT {{region}}{{dE}}, e.campaign_id, 'format', e.format, COUNT(*), COALESCE(SUM(e.participants), 0), 0
			FROM events e JOIN cities c ON c.id = e.city_id WHERE e.status = 'held' AND {{ev}}
			GROUP BY {{region}}{{dE}}, e.campaign_id, e.format`),
		insert + r.Replace(`SELECT {{region}}{{dE}}, e.campaign_id, 'sector', p.sector, COUNT(DISTINCT e.id), 0, 0
			FROM events e JOIN cities c ON c.id = e.city_id JOIN event_partners ep ON ep.event_id = e.id JOIN partners p ON p.id = ep.partner_id
			WHERE e.status = 'held' AND {{ev}}
			GROUP BY {{region}}{{dE}}, e.campaign_id, p.sector`),
	}
}

// fillDimDays inserts the rows of a day-grain dimension table (see
// dimDaySQL) for the raw rows that match the scopes.
func (s *Store) fillDimDays(table, evScope string, evArgs []any, stScope string, stArgs []any) error {
	if err := s.execDimDays(s.dimDaySQL(table), evScope, evArgs, stScope, stArgs); err != nil {
		return fmt.Errorf("fill %s: %w", table, err)
	}
	return nil
}

// execDimDays runs statements of dimDaySQL with the scopes.
func (s *Store) execDimDays(stmts []string, evScope string, evArgs []any, stScope string, stArgs []any) error {
	for i, stmt := range stmts {
		var args []any
		if strings.Contains(stmt, "{{ev}}") {
			args = append(args, evArgs...)
		}
		if strings.Contains(stmt, "{{st}}") {
			args = append(args, stArgs...)
		}
		stmt = strings.NewReplacer("{{ev}}", evScope, "{{st}}", stScope).Replace(stmt)
		if err := s.db.Exec(stmt, args...).Error; err != nil {
			return fmt.Errorf("step %d: %w", i+1, err)
		}
	}
	return nil
}

// touched holds, per group of roll-up rows (a city and campaign, a
// region and campaign …), the months or days (yyyymm or yyyymmdd) of it
// that writes changed: a refresh recomputes each group's periods with a
// few statements over their covering range, restricted to the periods
// themselves, rather than one round per period.
type touched[G comparable] map[G]map[int]bool

// add notes period p of group g.
func (t touched[G]) add(g G, p int) {
	if t[g] == nil {
		t[g] = map[int]bool{}
	}
	t[g][p] = true
}

// periods are the periods of g, in order.
func (t touched[G]) periods(g G) []int {
	return slices.Sorted(maps.Keys(t[g]))
}

// monthSpan is the covering range of sorted months: from the first
// instant of the first to the first instant after the last.
func monthSpan(months []int) (time.Time, time.Time) {
	return monthStart(months[0]), monthStart(nextMonth(months[len(months)-1]))
}

// daySpan is the covering range of sorted days (yyyymmdd).
func daySpan(days []int) (time.Time, time.Time) {
	return dayStart(days[0]), dayStart(days[len(days)-1]).AddDate(0, 0, 1)
}

// regionCampaign names the regional roll-up rows of a campaign.
type regionCampaign struct {
	region   Region
	campaign uint
}

// refreshDays recomputes the regions' day-grain dimension rows of the
// touched days, for each region and campaign with one round of statements
// over the days' covering range restricted to the days themselves, and
// then the network's rows of those days as the sums of the regions'.
// The days are taken maxDaysARound at a time: a file of 20,000 events may
// touch as many days, and SQLite binds at most 32,766 values a statement.
func (s *Store) refreshDays(days touched[regionCampaign]) error {
	network := touched[uint]{}
	for rc := range days {
		for ds := range slices.Chunk(days.periods(rc), maxDaysARound) {
			if err := s.refreshRegionDays(rc, ds); err != nil {
				return err
			}
			for _, d := range ds {
				network.add(rc.campaign, d)
			}
		}
	}
	for campaign := range network {
		for ds := range slices.Chunk(network.periods(campaign), maxDaysARound) {
			if err := s.sumNetwork("day", campaign, ds); err != nil {
				return err
			}
		}
	}
	return nil
}

// sumNetwork recomputes the network's dimension rows of a campaign's
// periods, days or months by grain, as the sums of the regions', which
// are up to date: an event or a story is in one region.
func (s *Store) sumNetwork(grain string, campaign uint, periods []int) error {
	network, regions := "rn_dim", "rr_dim"
	if grain == "day" {
		network, regions = "rn_dim_day", "rr_dim_day"
	}
	if err := s.db.Exec("DELETE FROM "+network+" WHERE campaign_id = ? AND "+grain+" IN ?", campaign, periods).Error; err != nil {
		return err
	}
	return s.db.Exec(`INSERT INTO `+network+` (campaign_id, `+grain+`, dim, dkey, events_held, participants, stories_published)
		SELECT campaign_id, `+grain+`, dim, dkey, SUM(events_held), SUM(participants), SUM(stories_published)
		FROM `+regions+` WHERE campaign_id = ? AND `+grain+` IN ? GROUP BY campaign_id, `+grain+`, dim, dkey`, campaign, periods).Error
}

// maxDaysARound is how many days one round of day-grain statements takes
// (a variable for the tests).
var maxDaysARound = 2000

// refreshRegionDays recomputes one region's day-grain dimension rows of a
// campaign on the days (sorted), from those days' raw rows.
func (s *Store) refreshRegionDays(rc regionCampaign, days []int) error {
	from, to := daySpan(days)
	// The region's cities' indexes on dates read the region's rows of the
	// range only; the unary plus keeps SQLite from reading the campaign's
	// index instead, over every region.
	inRegion := " IN (SELECT id FROM cities WHERE region = ?) AND "
	evScope := "+e.campaign_id = ? AND e.starts_at >= ? AND e.starts_at < ? AND e.city_id" + inRegion + s.sqlDay("e.starts_at") + " IN ?"
	stScope := "+st.campaign_id = ? AND st.submitted_at >= ? AND st.submitted_at < ? AND st.city_id" + inRegion + s.sqlDay("st.submitted_at") + " IN ?"
	args := []any{rc.campaign, from, to, rc.region, days}
	if err := s.db.Exec("DELETE FROM rr_dim_day WHERE region = ? AND campaign_id = ? AND day IN ?", rc.region, rc.campaign, days).Error; err != nil {
		return err
	}
	if err := s.execDimDays(s.dimDaySQL("rr_dim_day"), evScope, args, stScope, args); err != nil {
		return fmt.Errorf("refresh rr_dim_day: %w", err)
	}
	return nil
}

// moveCityDays moves a city's figures in the regions' day-grain rows
// from one region to another, as the city changes region: its own rows
// are computed from the raw tables and taken from the old region's sums
// and added to the new one's, so the other cities' rows are not read.
func (s *Store) moveCityDays(cityID uint, from, to Region) error {
	if err := s.db.Exec(`CREATE TEMP TABLE IF NOT EXISTS city_dim_days (region TEXT, day INTEGER, campaign_id BIGINT, dim TEXT, dkey TEXT,
		events_held BIGINT, participants BIGINT, stories_published BIGINT)`).Error; err != nil {
		return err
	}
	if err := s.db.Exec("DELETE FROM city_dim_days").Error; err != nil {
		return err
	}
	if err := s.fillDimDays("city_dim_days", "e.city_id = ?", []any{cityID}, "st.city_id = ?", []any{cityID}); err != nil {
		return err
	}
	steps := []struct {
		sql  string
		args []any
	}{
		{`UPDATE rr_dim_day SET events_held = rr_dim_day.events_held - d.events_held, participants = rr_dim_day.participants - d.participants,
			stories_published = rr_dim_day.stories_published - d.stories_published
			FROM city_dim_days d WHERE rr_dim_day.region = ? AND rr_dim_day.day = d.day AND rr_dim_day.campaign_id = d.campaign_id
			AND rr_dim_day.dim = d.dim AND rr_dim_day.dkey = d.dkey`, []any{from}},
		{"DELETE FROM rr_dim_day WHERE region = ? AND events_held = 0 AND participants = 0 AND stories_published = 0", []any{from}},
		{`INSERT INTO rr_dim_day (region, day, campaign_id, dim, dkey, events_held, participants, stories_published)
			SELECT ?, day, campaign_id, dim, dkey, events_held, participants, stories_published FROM city_dim_days WHERE true
			ON CONFLICT (region, day, campaign_id, dim, dkey) DO UPDATE SET events_held = rr_dim_day.events_held + excluded.events_held,
			participants = rr_dim_day.participants + excluded.participants, stories_published = rr_dim_day.stories_published + excluded.stories_published`, []any{to}},
		{"DROP TABLE city_dim_days", nil},
	}
	for _, step := range steps {
		if err := s.db.Exec(step.sql, step.args...).Error; err != nil {
			return fmt.Errorf("move a city's regional day roll-ups: %w", err)
		}
	}
	return nil
}

// sectorMonthSQL inserts the sector rows of ru_dim for the events that
// match the scope.
func (s *Store) sectorMonthSQL(evScope string) string {
	mE := s.sqlMonth("e.starts_at")
	return `INSERT INTO ru_dim (city_id, campaign_id, month, dim, dkey, events_held, participants, stories_published)
		SELECT e.city_id, e.campaign_id, ` + mE + `, 'sector', p.sector, COUNT(DISTINCT e.id), 0, 0
		FROM events e JOIN event_partners ep ON ep.event_id = e.id JOIN partners p ON p.id = ep.partner_id
		WHERE e.status = 'held' AND ` + evScope + `
		GROUP BY e.city_id, e.campaign_id, ` + mE + `, p.sector`
}

// moveSector moves a partner's held events from one sector to another in
// the sector rows of the roll-ups, as the partner changes sector: an
// event counts once per sector among its partners, so it leaves the old
// sector unless another of its partners is in it, and joins the new one
// unless one already was. Only the partner's events are read; then the
// partner's own roll-ups are made again.
func (s *Store) moveSector(partnerID uint, from, to Sector) error {
	var rows []struct {
		CityID, CampaignID uint
		StartsAt           time.Time
		Region             Region
		HasFrom, HasTo     int
	}
	if err := s.db.Raw(`SELECT e.city_id, e.campaign_id, e.starts_at, c.region,
			(SELECT COUNT(*) FROM event_partners o JOIN partners op ON op.id = o.partner_id WHERE o.event_id = e.id AND o.partner_id <> ? AND op.sector = ?) AS has_from,
			(SELECT COUNT(*) FROM event_partners o JOIN partners op ON op.id = o.partner_id WHERE o.event_id = e.id AND o.partner_id <> ? AND op.sector = ?) AS has_to
		FROM events e JOIN event_partners ep ON ep.event_id = e.id JOIN cities c ON c.id = e.city_id
		WHERE ep.partner_id = ? AND e.status = 'held'`, partnerID, from, partnerID, to, partnerID).Scan(&rows).Error; err != nil {
		return err
	}
	// The rows of each table that hold an event's sector count, by key.
	type table struct {
		name string
		cols string
		key  func(cityID, campaign uint, region Region, month, day int) []any
	}
	tables := []table{
		{"ru_dim", "city_id, campaign_id, month", func(c, k uint, _ Region, m, _ int) []any { return []any{c, k, m} }},
		{"rn_dim", "campaign_id, month", func(_, k uint, _ Region, m, _ int) []any { return []any{k, m} }},
		{"rr_dim", "region, campaign_id, month", func(_, k uint, r Region, m, _ int) []any { return []any{r, k, m} }},
		{"rn_dim_day", "day, campaign_id", func(_, k uint, _ Region, _, d int) []any { return []any{d, k} }},
		{"rr_dim_day", "region, day, campaign_id", func(_, k uint, r Region, _, d int) []any { return []any{r, d, k} }},
	}
	var cities []uint
	for _, r := range rows {
		cities = append(cities, r.CityID)
		month, day := monthOf(r.StartsAt), dayOf(r.StartsAt)
		for _, t := range tables {
			key := t.key(r.CityID, r.CampaignID, r.Region, month, day)
			cond := strings.ReplaceAll(t.cols, ",", " = ? AND") + " = ? AND dim = 'sector' AND dkey = ?"
			if r.HasFrom == 0 {
				if err := s.db.Exec("UPDATE "+t.name+" SET events_held = events_held - 1 WHERE "+cond, append(key, from)...).Error; err != nil {
					return err
				}
				if err := s.db.Exec("DELETE FROM "+t.name+" WHERE events_held = 0 AND "+cond, append(key, from)...).Error; err != nil {
					return err
				}
			}
			if r.HasTo == 0 {
				if err := s.db.Exec("INSERT INTO "+t.name+" ("+t.cols+", dim, dkey, events_held, participants, stories_published) VALUES ("+placeholders(len(key))+", 'sector', ?, 1, 0, 0)"+
					" ON CONFLICT ("+t.cols+", dim, dkey) DO UPDATE SET events_held = "+t.name+".events_held + 1", append(key, to)...).Error; err != nil {
					return err
				}
			}
		}
	}
	if len(cities) > 0 {
		if err := s.bumpDataVersion(cities...); err != nil {
			return err
		}
	}
	for _, table := range []string{"ru_partner_all", "ru_partner_year", "ru_partner_month"} {
		if err := s.db.Exec("DELETE FROM "+table+" WHERE partner_id = ?", partnerID).Error; err != nil {
			return err
		}
	}
	if err := s.fillPartners("p.id = ?", []any{partnerID}); err != nil {
		return err
	}
	return s.refreshPartnerTotals("city_id IN (SELECT city_id FROM partners WHERE id = ?)", partnerID)
}

// fillMonthPartners inserts the distinct partners of each city and month,
// over all campaigns, for the events that match the scope.
func (s *Store) fillMonthPartners(evScope string, evArgs []any) error {
	mE := s.sqlMonth("e.starts_at")
	return s.db.Exec(`INSERT INTO ru_city_month_partners (city_id, month, partners)
		SELECT e.city_id, `+mE+`, COUNT(DISTINCT ep.partner_id)
		FROM events e JOIN event_partners ep ON ep.event_id = e.id
		WHERE e.status = 'held' AND `+evScope+`
		GROUP BY e.city_id, `+mE, evArgs...).Error
}

// fillNetwork sums the per-city dimension rows of the matching campaign
// months over all cities.
func (s *Store) fillNetwork(scope string, args []any) error {
	return s.db.Exec(`INSERT INTO rn_dim (campaign_id, month, dim, dkey, events_held, participants, stories_published)
		SELECT campaign_id, month, dim, dkey, SUM(events_held), SUM(participants), SUM(stories_published)
		FROM ru_dim WHERE `+scope+` GROUP BY campaign_id, month, dim, dkey`, args...).Error
}

// fillRegions sums the per-city dimension rows of the matching campaign
// months (a condition on ru_dim d and cities c) per region.
func (s *Store) fillRegions(scope string, args []any) error {
	return s.db.Exec(`INSERT INTO rr_dim (region, campaign_id, month, dim, dkey, events_held, participants, stories_published)
		SELECT c.region, d.campaign_id, d.month, d.dim, d.dkey, SUM(d.events_held), SUM(d.participants), SUM(d.stories_published)
		FROM ru_dim d JOIN cities c ON c.id = d.city_id WHERE `+scope+`
		GROUP BY c.region, d.campaign_id, d.month, d.dim, d.dkey`, args...).Error
}

// RefreshRegions recomputes the regional roll-ups of the regions, as
// after a city moves from one region to another.
func (s *Store) refreshRegions(regions ...Region) error {
	if err := s.db.Exec("DELETE FROM rr_dim WHERE region IN ?", regions).Error; err != nil {
		return err
	}
	return s.fillRegions("c.region IN ?", []any{regions})
}

// fillPartners inserts the roll-up rows of the partners that match the
// scope (a condition on partners p).
func (s *Store) fillPartners(scope string, args []any) error {
	year, month := s.sqlYear("e.starts_at"), s.sqlMonth("e.starts_at")
	if err := s.db.Exec(`INSERT INTO ru_partner_all (partner_id, campaign_id, city_id, sector, events_held)
		SELECT p.id, e.campaign_id, p.city_id, p.sector, COUNT(*)
		FROM partners p JOIN event_partners ep ON ep.partner_id = p.id JOIN events e ON e.id = ep.event_id
		WHERE e.status = 'held' AND `+scope+`
		GROUP BY p.id, e.campaign_id, p.city_id, p.sector`, args...).Error; err != nil {
		return fmt.Errorf("fill partner roll-ups: %w", err)
	}
	// months is a bit set: bit m-1 for each month m of the year with a held
	// event; the sum of distinct powers of two is their union.
	if err := s.db.Exec(`INSERT INTO ru_partner_year (partner_id, campaign_id, year, city_id, sector, months)
		SELECT p.id, e.campaign_id, `+year+`, p.city_id, p.sector, SUM(DISTINCT 1 << (`+month+` % 100 - 1))
		FROM partners p JOIN event_partners ep ON ep.partner_id = p.id JOIN events e ON e.id = ep.event_id
		WHERE e.status = 'held' AND `+scope+`
		GROUP BY p.id, e.campaign_id, `+year+`, p.city_id, p.sector`, args...).Error; err != nil {
		return fmt.Errorf("fill partner year roll-ups: %w", err)
	}
	// days is a bit set too: bit d-1 for each day d of the month with a
	// held event, for the days at the ends of a period.
	if err := s.db.Exec(`INSERT INTO ru_partner_month (partner_id, campaign_id, month, city_id, sector, days)
		SELECT p.id, e.campaign_id, `+month+`, p.city_id, p.sector, SUM(DISTINCT 1 << (`+s.sqlDayOfMonth("e.starts_at")+` - 1))
		FROM partners p JOIN event_partners ep ON ep.partner_id = p.id JOIN events e ON e.id = ep.event_id
		WHERE e.status = 'held' AND `+scope+`
		GROUP BY p.id, e.campaign_id, `+month+`, p.city_id, p.sector`, args...).Error; err != nil {
		return fmt.Errorf("fill partner month roll-ups: %w", err)
	}
	return nil
}

// pendingRollups are the roll-up keys and partners that the writes of a
// batch changed, refreshed together at its end.
type pendingRollups struct {
	keys     []rollupKey
	partners []uint
}

// refreshRollups recomputes the roll-up rows of the keys and of the
// partners. Call it inside the transaction of the write that changed them;
// in a batch, it notes them for the batch's end.
func (s *Store) refreshRollups(keys []rollupKey, partnerIDs []uint) error {
	if s.pending != nil {
		s.pending.keys = append(s.pending.keys, keys...)
		s.pending.partners = append(s.pending.partners, partnerIDs...)
		return nil
	}
	var cities []uint
	for _, k := range keys {
		cities = append(cities, k.city)
	}
	if len(cities) > 0 {
		if err := s.bumpDataVersion(cities...); err != nil {
			return err
		}
	}
	keys = uniq(keys)
	t, err := s.touchedBy(keys)
	if err != nil {
		return err
	}
	if err := s.refreshCityMonths(t.cityMonths); err != nil {
		return err
	}
	if err := s.refreshMonthPartners(t.monthsOfCity); err != nil {
		return err
	}
	if err := s.refreshRegionMonths(t.regionMonths); err != nil {
		return err
	}
	if err := s.refreshNetworkMonths(t.networkMonths); err != nil {
		return err
	}
	if err := s.refreshDays(t.regionDays); err != nil {
		return err
	}
	var months []int
	for _, ms := range t.monthsOfCity {
		months = append(months, slices.Collect(maps.Keys(ms))...)
	}
	if err := s.refreshTotals(cities, months); err != nil {
		return err
	}
	if partnerIDs = uniq(partnerIDs); len(partnerIDs) > 0 {
		for _, table := range []string{"ru_partner_all", "ru_partner_year", "ru_partner_month"} {
			if err := s.db.Exec("DELETE FROM "+table+" WHERE partner_id IN ?", partnerIDs).Error; err != nil {
				return err
			}
		}
		if err := s.fillPartners("p.id IN ?", []any{partnerIDs}); err != nil {
			return err
		}
		// The partners' counts change over all time, and in the years of
		// the changed months only.
		scope := "city_id IN (SELECT city_id FROM partners WHERE id IN ?)"
		if err := s.refreshPartnerCounts(partnerCounts[:1], scope, partnerIDs); err != nil {
			return err
		}
		years := map[int]bool{}
		for _, k := range keys {
			years[k.month/100] = true
		}
		if err := s.refreshPartnerCounts(partnerCounts[1:], scope+" AND year IN ?", partnerIDs, slices.Collect(maps.Keys(years))); err != nil {
			return err
		}
	}
	return nil
}

// cityCampaign names a city's roll-up rows of a campaign.
type cityCampaign struct{ city, campaign uint }

// touchedSets are the months and days that roll-up keys change, grouped
// as each roll-up table is refreshed.
type touchedSets struct {
	cityMonths    touched[cityCampaign]
	monthsOfCity  touched[uint]
	regionMonths  touched[regionCampaign]
	networkMonths touched[uint]
	regionDays    touched[regionCampaign]
}

// touchedBy groups the keys by the roll-up rows they change, reading the
// region of each city once.
func (s *Store) touchedBy(keys []rollupKey) (touchedSets, error) {
	t := touchedSets{touched[cityCampaign]{}, touched[uint]{}, touched[regionCampaign]{}, touched[uint]{}, touched[regionCampaign]{}}
	regionOf := map[uint]Region{}
	for _, k := range keys {
		if _, known := regionOf[k.city]; !known {
			var c City
			if err := s.db.Select("region").First(&c, k.city).Error; err != nil {
				return t, fmt.Errorf("region of city %d: %w", k.city, err)
			}
			regionOf[k.city] = c.Region
		}
		rc := regionCampaign{regionOf[k.city], k.campaign}
		t.cityMonths.add(cityCampaign{k.city, k.campaign}, k.month)
		t.monthsOfCity.add(k.city, k.month)
		t.regionMonths.add(rc, k.month)
		t.networkMonths.add(k.campaign, k.month)
		t.regionDays.add(rc, k.day)
	}
	return t, nil
}

// refreshCityMonths recomputes the per-city month and day roll-ups of the
// touched months, one round of statements per city and campaign.
func (s *Store) refreshCityMonths(t touched[cityCampaign]) error {
	for cc := range t {
		months := t.periods(cc)
		for _, table := range []string{"ru_city", "ru_dim"} {
			if err := s.db.Exec("DELETE FROM "+table+" WHERE city_id = ? AND campaign_id = ? AND month IN ?", cc.city, cc.campaign, months).Error; err != nil {
				return err
			}
		}
		if err := s.db.Exec("DELETE FROM ru_city_day WHERE city_id = ? AND campaign_id = ? AND day > ? AND day < ? AND day / 100 IN ?",
			cc.city, cc.campaign, months[0]*100, months[len(months)-1]*100+32, months).Error; err != nil {
			return err
		}
		from, to := monthSpan(months)
		// The unary plus keeps SQLite from reading the campaign's index on
		// dates, over every city: the city's own reads far fewer rows.
		evScope := "e.city_id = ? AND +e.campaign_id = ? AND e.starts_at >= ? AND e.starts_at < ? AND " + s.sqlMonth("e.starts_at") + " IN ?"
		stScope := "st.city_id = ? AND +st.campaign_id = ? AND st.submitted_at >= ? AND st.submitted_at < ? AND " + s.sqlMonth("st.submitted_at") + " IN ?"
		args := []any{cc.city, cc.campaign, from, to, months}
		if err := s.fillRollups(evScope, args, stScope, args); err != nil {
			return err
		}
		if err := s.fillCityDays(evScope, args, stScope, args); err != nil {
			return err
		}
	}
	return nil
}

// refreshMonthPartners recomputes the distinct partners of each touched
// city and month, over all campaigns.
func (s *Store) refreshMonthPartners(t touched[uint]) error {
	for city := range t {
		months := t.periods(city)
		if err := s.db.Exec("DELETE FROM ru_city_month_partners WHERE city_id = ? AND month IN ?", city, months).Error; err != nil {
			return err
		}
		from, to := monthSpan(months)
		if err := s.fillMonthPartners("e.city_id = ? AND e.starts_at >= ? AND e.starts_at < ? AND "+s.sqlMonth("e.starts_at")+" IN ?",
			[]any{city, from, to, months}); err != nil {
			return err
		}
	}
	return nil
}

// refreshRegionMonths recomputes the regions' month rows of the touched
// campaign months from the per-city rows, which are up to date.
func (s *Store) refreshRegionMonths(t touched[regionCampaign]) error {
	for rc := range t {
		months := t.periods(rc)
		if err := s.db.Exec("DELETE FROM rr_dim WHERE region = ? AND campaign_id = ? AND month IN ?", rc.region, rc.campaign, months).Error; err != nil {
			return err
		}
		if err := s.fillRegions("c.region = ? AND d.campaign_id = ? AND d.month IN ?", []any{rc.region, rc.campaign, months}); err != nil {
			return err
		}
	}
	return nil
}

// refreshNetworkMonths recomputes the network's month rows of the touched
// campaign months as the sums of the regions', now up to date: a few rows
// per region rather than every city's.
func (s *Store) refreshNetworkMonths(t touched[uint]) error {
	for campaign := range t {
		if err := s.sumNetwork("month", campaign, t.periods(campaign)); err != nil {
			return err
		}
	}
	return nil
}

// refreshTotals recomputes the all-time totals of the cities (rt_city)
// and of the months over the network (rt_month) from the monthly
// roll-ups, which are up to date.
func (s *Store) refreshTotals(cities []uint, months []int) error {
	if cities = uniq(cities); len(cities) > 0 {
		if err := s.db.Exec("DELETE FROM rt_city WHERE city_id IN ?", cities).Error; err != nil {
			return err
		}
		if err := s.fillCityTotals("city_id IN ?", cities); err != nil {
			return err
		}
	}
	if months = uniq(months); len(months) > 0 {
		if err := s.db.Exec("DELETE FROM rt_month WHERE month IN ?", months).Error; err != nil {
			return err
		}
		if err := s.fillMonthTotals("month IN ?", months); err != nil {
			return err
		}
	}
	return nil
}

// fillCityTotals inserts the all-time totals of the cities that match the
// scope (a condition on ru_city).
func (s *Store) fillCityTotals(scope string, args ...any) error {
	return s.db.Exec(`INSERT INTO rt_city (city_id, events_held, participants, stories_published)
		SELECT city_id, SUM(events_held), SUM(participants), SUM(stories_published) FROM ru_city WHERE `+scope+` GROUP BY city_id`, args...).Error
}

// fillMonthTotals inserts the network's totals of the months that match
// the scope (a condition on month): figures over every campaign, the
// cities active and the partners engaged within each month.
func (s *Store) fillMonthTotals(scope string, args ...any) error {
	if err := s.db.Exec(`INSERT INTO rt_month (month, events_held, participants, stories_published, active, partners)
		SELECT month, SUM(events_held), SUM(participants), SUM(stories_published), COUNT(DISTINCT city_id), 0 FROM ru_city WHERE `+scope+` GROUP BY month`, args...).Error; err != nil {
		return err
	}
	return s.db.Exec(`UPDATE rt_month SET partners = COALESCE((SELECT SUM(p.partners) FROM ru_city_month_partners p WHERE p.month = rt_month.month), 0)
		WHERE `+scope, args...).Error
}

// partnerCount is a table of the distinct partners engaged per city and
// sector, and the statement that fills it from the partner roll-ups.
type partnerCount struct{ table, fill string }

// partnerCounts are those tables: over all time, and in each year. A
// migration's fill may use only the first ones, made before it.
var partnerCounts = []partnerCount{
	{"rt_partner_city", `INSERT INTO rt_partner_city (city_id, sector, partners)
		SELECT city_id, sector, COUNT(DISTINCT partner_id) FROM ru_partner_all WHERE %s GROUP BY city_id, sector`},
	{"ry_partner_city", `INSERT INTO ry_partner_city (year, city_id, sector, partners)
		SELECT year, city_id, sector, COUNT(DISTINCT partner_id) FROM ru_partner_year WHERE %s GROUP BY year, city_id, sector`},
}

// refreshPartnerTotals recomputes the partner counts of the cities that
// match the scope (a condition on city_id).
func (s *Store) refreshPartnerTotals(scope string, args ...any) error {
	return s.refreshPartnerCounts(partnerCounts, scope, args...)
}

func (s *Store) refreshPartnerCounts(counts []partnerCount, scope string, args ...any) error {
	for _, c := range counts {
		if err := s.db.Exec("DELETE FROM "+c.table+" WHERE "+scope, args...).Error; err != nil {
			return err
		}
		if err := s.db.Exec(fmt.Sprintf(c.fill, scope), args...).Error; err != nil {
			return fmt.Errorf("count partners into %s: %w", c.table, err)
		}
	}
	return nil
}

// fillTotals fills the all-time totals from scratch, and the partner
// counts given.
func (s *Store) fillTotals(counts []partnerCount) error {
	for _, table := range []string{"rt_city", "rt_month"} {
		if err := s.db.Exec("DELETE FROM " + table).Error; err != nil {
			return err
		}
	}
	if err := s.fillCityTotals("1=1"); err != nil {
		return err
	}
	if err := s.fillMonthTotals("1=1"); err != nil {
		return err
	}
	return s.refreshPartnerCounts(counts, "1=1")
}

// eventKeys are the roll-up keys and partners an event's figures sit in.
func eventKeys(e *Event) ([]rollupKey, []uint) {
	return []rollupKey{{e.CityID, e.CampaignID, monthOf(e.StartsAt), dayOf(e.StartsAt)}}, e.PartnerIDs
}

// storyKey is the roll-up key a story's figures sit in.
func storyKey(st *Story) rollupKey {
	return rollupKey{st.CityID, st.CampaignID, monthOf(st.SubmittedAt), dayOf(st.SubmittedAt)}
}

// bumpDataVersion marks, inside a write's transaction, that report
// figures of the cities may have changed: the data version goes up, and
// each city's version becomes it. With no city, the change touches every
// report (a city added, renamed or moved: the scopes themselves change),
// and it is kept as the version of "city 0", which every scope includes.
// A cached report is good while the highest version in its scope stays
// (scopeVersion): a write to one city leaves the others' reports cached.
func (s *Store) bumpDataVersion(cityIDs ...uint) error {
	if err := s.db.Exec("UPDATE data_version SET v = v + 1 WHERE id = 1").Error; err != nil {
		return err
	}
	if len(cityIDs) == 0 {
		cityIDs = []uint{0}
	}
	for _, id := range uniq(cityIDs) {
		if err := s.db.Exec(`INSERT INTO city_versions (city_id, v) SELECT ?, v FROM data_version WHERE id = 1
			ON CONFLICT (city_id) DO UPDATE SET v = excluded.v`, id).Error; err != nil {
			return err
		}
	}
	return nil
}

// scopeVersion is the version of the data of q's scope: the highest
// version of its cities and of city 0.
func (s *Store) scopeVersion(ctx context.Context, q ReportQuery) (int64, error) {
	place, args := q.placeCond("city_id")
	cond := "1=1" // the whole network: every city's version
	if place != "" {
		cond = "city_id = 0 OR " + place
	}
	var v int64
	err := s.db.WithContext(ctx).Raw("SELECT COALESCE(MAX(v), 0) FROM city_versions WHERE "+cond, args...).Row().Scan(&v)
	return v, err
}

// RebuildRollups recomputes every roll-up row from the raw tables, in one
// transaction: for a bulk load, or to repair.
func (s *Store) RebuildRollups(ctx context.Context) error {
	return s.Tx(ctx, func(tx *Store) error {
		for _, table := range []string{"ru_city", "ru_city_month_partners", "ru_dim", "rr_dim", "rn_dim", "ru_partner_all", "ru_partner_year",
			"ru_city_day", "rn_dim_day", "rr_dim_day", "ru_partner_month"} {
			if err := tx.db.Exec("DELETE FROM " + table).Error; err != nil {
				return err
			}
		}
		if err := tx.fillRollups("1=1", nil, "1=1", nil); err != nil {
			return err
		}
		if err := tx.fillMonthPartners("1=1", nil); err != nil {
			return err
		}
		if err := tx.fillDays(); err != nil {
			return err
		}
		if err := tx.fillNetwork("1=1", nil); err != nil {
			return err
		}
		if err := tx.fillRegions("1=1", nil); err != nil {
			return err
		}
		if err := tx.bumpDataVersion(); err != nil {
			return err
		}
		if err := tx.fillPartners("1=1", nil); err != nil {
			return err
		}
		return tx.fillTotals(partnerCounts)
	})
}

// fillDays fills the day-grain roll-ups, but the partners', from scratch.
func (s *Store) fillDays() error {
	if err := s.fillCityDays("1=1", nil, "1=1", nil); err != nil {
		return err
	}
	for _, table := range []string{"rn_dim_day", "rr_dim_day"} {
		if err := s.fillDimDays(table, "1=1", nil, "1=1", nil); err != nil {
			return err
		}
	}
	return nil
}

// placeholders is "?, ?, …" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// VerifyStoryCounts compares the kept counts of stories per city and
// status with a count of the stories themselves, and describes the first
// difference: for the tests, and to check a database by hand.
func (s *Store) VerifyStoryCounts(ctx context.Context) error {
	type row struct {
		CityID uint
		Status StoryStatus
		N      int64
	}
	var kept, counted []row
	if err := s.db.WithContext(ctx).Raw("SELECT city_id, status, n FROM story_counts WHERE n <> 0 ORDER BY city_id, status").Scan(&kept).Error; err != nil {
		return err
	}
	if err := s.db.WithContext(ctx).Raw("SELECT city_id, status, COUNT(*) AS n FROM stories GROUP BY city_id, status ORDER BY city_id, status").Scan(&counted).Error; err != nil {
		return err
	}
	for i := range max(len(kept), len(counted)) {
		switch {
		case i >= len(kept):
			return fmt.Errorf("story counts: %+v is not kept", counted[i])
		case i >= len(counted):
			return fmt.Errorf("story counts: %+v is kept, but there are no such stories", kept[i])
		case kept[i] != counted[i]:
			return fmt.Errorf("story counts: kept %+v, counted %+v", kept[i], counted[i])
		}
	}
	return nil
}
