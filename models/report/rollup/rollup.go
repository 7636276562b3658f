// Package rollup is the write side of the report engine: the roll-up
// tables that hold the report figures summed per city, campaign and month
// (and per day, region and partner), and the statements that keep them
// exact. The store calls it inside the transaction of every write that can
// change a figure; the report package reads what it keeps.
package rollup

import (
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
)

// The roll-up tables hold the report figures summed per city, campaign
// and month (and per partner), so that a report over the whole network
// reads a few thousand rows instead of millions. Every write that can
// change a figure refreshes the roll-up rows it touches, in its own
// transaction, by recomputing them from the raw tables: the roll-ups are
// always exactly what a straightforward recomputation gives.

// The conditions on the raw events e and stories st that count in the
// figures, written from the models' constants. The fills below are put
// together from scopes whose arguments follow in the scopes' order, and
// some are handed out as text without arguments, so these are literals
// derived in one place rather than bound arguments.
const (
	heldEvent      = "e.status = '" + string(models.StatusHeld) + "'"
	publishedStory = "st.status = '" + string(models.StoryPublished) + "'"
)

// literal is one of the models' constants (a dimension) as an SQL string,
// for those fills: never a value that came from input.
func literal[T ~string](v T) string { return "'" + strings.ReplaceAll(string(v), "'", "''") + "'" }

// DB runs the roll-ups' statements inside the caller's transaction, under
// its context. Statements take ? placeholders; a slice argument stands for
// a list (IN ?).
type DB interface {
	Exec(query string, args ...any) error
	Rows(query string, args ...any) (*sql.Rows, error)
}

// Writer keeps the roll-ups of one database exact.
type Writer struct {
	db      DB
	dialect Dialect
}

// New is the Writer of db, an engine of dialect.
func New(db DB, dialect Dialect) *Writer { return &Writer{db: db, dialect: dialect} }

// Key names the roll-up rows of one city, campaign and month, and the day
// of that month a change touched (yyyymmdd).
type Key struct {
	City, Campaign uint
	Month, Day     int
}

// DayOf is the yyyymmdd of t, in UTC.
func DayOf(t time.Time) int {
	t = t.UTC()
	return MonthOf(t)*100 + t.Day()
}

// dayStart is the first instant of yyyymmdd d, UTC.
func dayStart(d int) time.Time {
	return time.Date(d/10000, time.Month(d/100%100), d%100, 0, 0, 0, 0, time.UTC)
}

// MonthOf is the yyyymm of t, in UTC, as the roll-ups' SQL reads it.
func MonthOf(t time.Time) int {
	t = t.UTC()
	return t.Year()*100 + int(t.Month())
}

// MonthStart is the first instant of yyyymm m, UTC.
func MonthStart(m int) time.Time { return time.Date(m/100, time.Month(m%100), 1, 0, 0, 0, 0, time.UTC) }

// NextMonth is the yyyymm after m.
func NextMonth(m int) int { return MonthOf(MonthStart(m).AddDate(0, 1, 0)) }

// fillRollups inserts the per-city roll-up rows computed from the raw
// events and stories that match the scopes (conditions on events e and
// stories st; "1=1" for everything). The rows must not exist yet.
func (w *Writer) fillRollups(evScope string, evArgs []any, stScope string, stArgs []any) error {
	mE, mS := w.dialect.Month("e.starts_at"), w.dialect.Month("st.submitted_at")
	both := append(append([]any{}, evArgs...), stArgs...)
	steps := []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO ru_city (city_id, campaign_id, month, events_held, participants, stories_published, partners)
			SELECT city_id, campaign_id, month, SUM(ev), SUM(pa), SUM(st), 0 FROM (
				SELECT e.city_id, e.campaign_id, ` + mE + ` AS month, 1 AS ev, COALESCE(e.participants, 0) AS pa, 0 AS st
				FROM events e WHERE ` + heldEvent + ` AND ` + evScope + `
				UNION ALL
				SELECT st.city_id, st.campaign_id, ` + mS + `, 0, 0, 1
				FROM stories st WHERE ` + publishedStory + ` AND ` + stScope + `
			) f GROUP BY city_id, campaign_id, month`, both},
		{`UPDATE ru_city SET partners = t.n FROM (
				SELECT e.city_id, e.campaign_id, ` + mE + ` AS month, COUNT(DISTINCT ep.partner_id) AS n
				FROM events e JOIN event_partners ep ON ep.event_id = e.id
				WHERE ` + heldEvent + ` AND ` + evScope + `
				GROUP BY e.city_id, e.campaign_id, ` + mE + `
			) t WHERE ru_city.city_id = t.city_id AND ru_city.campaign_id = t.campaign_id AND ru_city.month = t.month`, evArgs},
		{`INSERT INTO ru_dim (city_id, campaign_id, month, dim, dkey, events_held, participants, stories_published)
			SELECT city_id, campaign_id, month, ` + literal(models.DimArea) + `, dkey, SUM(ev), SUM(pa), SUM(st) FROM (
				SELECT e.city_id, e.campaign_id, ` + mE + ` AS month, a.area AS dkey, 1 AS ev, COALESCE(e.participants, 0) AS pa, 0 AS st
				FROM events e JOIN event_learning_areas a ON a.event_id = e.id WHERE ` + heldEvent + ` AND ` + evScope + `
				UNION ALL
				SELECT st.city_id, st.campaign_id, ` + mS + `, a.area, 0, 0, 1
				FROM stories st JOIN story_learning_areas a ON a.story_id = st.id WHERE ` + publishedStory + ` AND ` + stScope + `
			) f GROUP BY city_id, campaign_id, month, dkey`, both},
		{w.ageMonthSQL(evScope, stScope), both},
		{`INSERT INTO ru_dim (city_id, campaign_id, month, dim, dkey, events_held, participants, stories_published)
			SELECT e.city_id, e.campaign_id, ` + mE + `, ` + literal(models.DimFormat) + `, e.format, COUNT(*), COALESCE(SUM(e.participants), 0), 0
			FROM events e WHERE ` + heldEvent + ` AND ` + evScope + `
			GROUP BY e.city_id, e.campaign_id, ` + mE + `, e.format`, evArgs},
		{w.sectorMonthSQL(evScope), evArgs},
	}
	for i, step := range steps {
		if err := w.db.Exec(step.sql, step.args...); err != nil {
			return fmt.Errorf("fill roll-ups, step %d: %w", i+1, err)
		}
	}
	return nil
}

// ageMonthSQL fills the per-city age group rows of ru_dim from the raw
// events and stories that match the scopes: events held and their
// participants in each age group they reached, and stories published.
func (w *Writer) ageMonthSQL(evScope, stScope string) string {
	mE, mS := w.dialect.Month("e.starts_at"), w.dialect.Month("st.submitted_at")
	return `INSERT INTO ru_dim (city_id, campaign_id, month, dim, dkey, events_held, participants, stories_published)
		SELECT city_id, campaign_id, month, ` + literal(models.DimAge) + `, dkey, SUM(ev), SUM(pa), SUM(st) FROM (
			SELECT e.city_id, e.campaign_id, ` + mE + ` AS month, g.age_group AS dkey, 1 AS ev, COALESCE(g.participants, 0) AS pa, 0 AS st
			FROM events e JOIN event_age_groups g ON g.event_id = e.id WHERE ` + heldEvent + ` AND ` + evScope + `
			UNION ALL
			SELECT st.city_id, st.campaign_id, ` + mS + `, st.age_group, 0, 0, 1
			FROM stories st WHERE ` + publishedStory + ` AND ` + stScope + `
		) f GROUP BY city_id, campaign_id, month, dkey`
}

// fillCityDays inserts the per-city, campaign and day roll-up rows of the
// raw events and stories that match the scopes, as fillRollups does per
// month: the days at the ends of a period read them.
func (w *Writer) fillCityDays(evScope string, evArgs []any, stScope string, stArgs []any) error {
	dE, dS := w.dialect.Day("e.starts_at"), w.dialect.Day("st.submitted_at")
	return w.db.Exec(`INSERT INTO ru_city_day (city_id, campaign_id, day, events_held, participants, stories_published)
		SELECT city_id, campaign_id, day, SUM(ev), SUM(pa), SUM(st) FROM (
			SELECT e.city_id, e.campaign_id, `+dE+` AS day, 1 AS ev, COALESCE(e.participants, 0) AS pa, 0 AS st
			FROM events e WHERE `+heldEvent+` AND `+evScope+`
			UNION ALL
			SELECT st.city_id, st.campaign_id, `+dS+`, 0, 0, 1
			FROM stories st WHERE `+publishedStory+` AND `+stScope+`
		) f GROUP BY city_id, campaign_id, day`, append(append([]any{}, evArgs...), stArgs...)...)
}

// dimDaySQL are the statements that fill a day-grain dimension table from
// the raw rows that match the scopes (conditions on events e, stories st
// and cities c): the network's (rn_dim_day) or the regions'
// (rr_dim_day, where {{region}} is the region column).
func (w *Writer) dimDaySQL(table string) []string {
	dE, dS := w.dialect.Day("e.starts_at"), w.dialect.Day("st.submitted_at")
	region, cols := "", "day, campaign_id"
	if table != "rn_dim_day" {
		region, cols = "c.region, ", "region, day, campaign_id"
	}
	insert := "INSERT INTO " + table + " (" + cols + ", dim, dkey, events_held, participants, stories_published) "
	group := " GROUP BY " + cols + ", dkey"
	r := strings.NewReplacer("{{region}}", region, "{{dE}}", dE, "{{dS}}", dS)
	return []string{
		insert + `SELECT ` + cols + `, ` + literal(models.DimArea) + `, dkey, SUM(ev), SUM(pa), SUM(st) FROM (
			SELECT ` + r.Replace(`{{region}}{{dE}} AS day, e.campaign_id, a.area AS dkey, 1 AS ev, COALESCE(e.participants, 0) AS pa, 0 AS st
			FROM events e JOIN cities c ON c.id = e.city_id JOIN event_learning_areas a ON a.event_id = e.id WHERE `+heldEvent+` AND {{ev}}
			UNION ALL
			SELECT {{region}}{{dS}}, st.campaign_id, a.area, 0, 0, 1
			FROM stories st JOIN cities c ON c.id = st.city_id JOIN story_learning_areas a ON a.story_id = st.id WHERE `+publishedStory+` AND {{st}}`) + `
		) f` + group,
		insert + `SELECT ` + cols + `, ` + literal(models.DimAge) + `, dkey, SUM(ev), SUM(pa), SUM(st) FROM (
			SELECT ` + r.Replace(`{{region}}{{dE}} AS day, e.campaign_id, g.age_group AS dkey, 1 AS ev, COALESCE(g.participants, 0) AS pa, 0 AS st
			FROM events e JOIN cities c ON c.id = e.city_id JOIN event_age_groups g ON g.event_id = e.id WHERE `+heldEvent+` AND {{ev}}
			UNION ALL
			SELECT {{region}}{{dS}}, st.campaign_id, st.age_group, 0, 0, 1
			FROM stories st JOIN cities c ON c.id = st.city_id WHERE `+publishedStory+` AND {{st}}`) + `
		) f` + group,
		insert + r.Replace(`SELECT {{region}}{{dE}}, e.campaign_id, `+literal(models.DimFormat)+`, e.format, COUNT(*), COALESCE(SUM(e.participants), 0), 0
			FROM events e JOIN cities c ON c.id = e.city_id WHERE `+heldEvent+` AND {{ev}}
			GROUP BY {{region}}{{dE}}, e.campaign_id, e.format`),
		insert + r.Replace(`SELECT {{region}}{{dE}}, e.campaign_id, `+literal(models.DimSector)+`, p.sector, COUNT(DISTINCT e.id), 0, 0
			FROM events e JOIN cities c ON c.id = e.city_id JOIN event_partners ep ON ep.event_id = e.id JOIN partners p ON p.id = ep.partner_id
			WHERE `+heldEvent+` AND {{ev}}
			GROUP BY {{region}}{{dE}}, e.campaign_id, p.sector`),
	}
}

// fillDimDays inserts the rows of a day-grain dimension table (see
// dimDaySQL) for the raw rows that match the scopes.
func (w *Writer) fillDimDays(table, evScope string, evArgs []any, stScope string, stArgs []any) error {
	if err := w.execDimDays(w.dimDaySQL(table), evScope, evArgs, stScope, stArgs); err != nil {
		return fmt.Errorf("fill %s: %w", table, err)
	}
	return nil
}

// execDimDays runs statements of dimDaySQL with the scopes.
func (w *Writer) execDimDays(stmts []string, evScope string, evArgs []any, stScope string, stArgs []any) error {
	for i, stmt := range stmts {
		var args []any
		if strings.Contains(stmt, "{{ev}}") {
			args = append(args, evArgs...)
		}
		if strings.Contains(stmt, "{{st}}") {
			args = append(args, stArgs...)
		}
		stmt = strings.NewReplacer("{{ev}}", evScope, "{{st}}", stScope).Replace(stmt)
		if err := w.db.Exec(stmt, args...); err != nil {
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
	return MonthStart(months[0]), MonthStart(NextMonth(months[len(months)-1]))
}

// daySpan is the covering range of sorted days (yyyymmdd).
func daySpan(days []int) (time.Time, time.Time) {
	return dayStart(days[0]), dayStart(days[len(days)-1]).AddDate(0, 0, 1)
}

// regionCampaign names the regional roll-up rows of a campaign.
type regionCampaign struct {
	region   models.Region
	campaign uint
}

// refreshDays recomputes the regions' day-grain dimension rows of the
// touched days, for each region and campaign with one round of statements
// over the days' covering range restricted to the days themselves, and
// then the network's rows of those days as the sums of the regions'.
// The days are taken maxDaysARound at a time: a file of 20,000 events may
// touch as many days, and SQLite binds at most 32,766 values a statement.
func (w *Writer) refreshDays(days touched[regionCampaign]) error {
	network := touched[uint]{}
	for rc := range days {
		for ds := range slices.Chunk(days.periods(rc), maxDaysARound) {
			if err := w.refreshRegionDays(rc, ds); err != nil {
				return err
			}
			for _, d := range ds {
				network.add(rc.campaign, d)
			}
		}
	}
	for campaign := range network {
		for ds := range slices.Chunk(network.periods(campaign), maxDaysARound) {
			if err := w.sumNetwork("day", campaign, ds); err != nil {
				return err
			}
		}
	}
	return nil
}

// sumNetwork recomputes the network's dimension rows of a campaign's
// periods, days or months by grain, as the sums of the regions', which
// are up to date: an event or a story is in one region.
func (w *Writer) sumNetwork(grain string, campaign uint, periods []int) error {
	network, regions := "rn_dim", "rr_dim"
	if grain == "day" {
		network, regions = "rn_dim_day", "rr_dim_day"
	}
	if err := w.db.Exec("DELETE FROM "+network+" WHERE campaign_id = ? AND "+grain+" IN ?", campaign, periods); err != nil {
		return err
	}
	return w.db.Exec(`INSERT INTO `+network+` (campaign_id, `+grain+`, dim, dkey, events_held, participants, stories_published)
		SELECT campaign_id, `+grain+`, dim, dkey, SUM(events_held), SUM(participants), SUM(stories_published)
		FROM `+regions+` WHERE campaign_id = ? AND `+grain+` IN ? GROUP BY campaign_id, `+grain+`, dim, dkey`, campaign, periods)
}

// maxDaysARound is how many days one round of day-grain statements takes
// (a variable for the tests).
var maxDaysARound = 2000

// refreshRegionDays recomputes one region's day-grain dimension rows of a
// campaign on the days (sorted), from those days' raw rows.
func (w *Writer) refreshRegionDays(rc regionCampaign, days []int) error {
	from, to := daySpan(days)
	// The region's cities' indexes on dates read the region's rows of the
	// range only; the unary plus keeps SQLite from reading the campaign's
	// index instead, over every region.
	inRegion := " IN (SELECT id FROM cities WHERE region = ?) AND "
	evScope := "+e.campaign_id = ? AND e.starts_at >= ? AND e.starts_at < ? AND e.city_id" + inRegion + w.dialect.Day("e.starts_at") + " IN ?"
	stScope := "+st.campaign_id = ? AND st.submitted_at >= ? AND st.submitted_at < ? AND st.city_id" + inRegion + w.dialect.Day("st.submitted_at") + " IN ?"
	args := []any{rc.campaign, from, to, rc.region, days}
	if err := w.db.Exec("DELETE FROM rr_dim_day WHERE region = ? AND campaign_id = ? AND day IN ?", rc.region, rc.campaign, days); err != nil {
		return err
	}
	if err := w.execDimDays(w.dimDaySQL("rr_dim_day"), evScope, args, stScope, args); err != nil {
		return fmt.Errorf("refresh rr_dim_day: %w", err)
	}
	return nil
}

// MoveCityDays moves a city's figures in the regions' day-grain rows
// from one region to another, as the city changes region: its own rows
// are computed from the raw tables and taken from the old region's sums
// and added to the new one's, so the other cities' rows are not read.
func (w *Writer) MoveCityDays(cityID uint, from, to models.Region) error {
	if err := w.db.Exec(`CREATE TEMP TABLE IF NOT EXISTS city_dim_days (region TEXT, day INTEGER, campaign_id BIGINT, dim TEXT, dkey TEXT,
		events_held BIGINT, participants BIGINT, stories_published BIGINT)`); err != nil {
		return err
	}
	if err := w.db.Exec("DELETE FROM city_dim_days"); err != nil {
		return err
	}
	if err := w.fillDimDays("city_dim_days", "e.city_id = ?", []any{cityID}, "st.city_id = ?", []any{cityID}); err != nil {
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
		if err := w.db.Exec(step.sql, step.args...); err != nil {
			return fmt.Errorf("move a city's regional day roll-ups: %w", err)
		}
	}
	return nil
}

// sectorMonthSQL inserts the sector rows of ru_dim for the events that
// match the scope.
func (w *Writer) sectorMonthSQL(evScope string) string {
	mE := w.dialect.Month("e.starts_at")
	return `INSERT INTO ru_dim (city_id, campaign_id, month, dim, dkey, events_held, participants, stories_published)
		SELECT e.city_id, e.campaign_id, ` + mE + `, ` + literal(models.DimSector) + `, p.sector, COUNT(DISTINCT e.id), 0, 0
		FROM events e JOIN event_partners ep ON ep.event_id = e.id JOIN partners p ON p.id = ep.partner_id
		WHERE ` + heldEvent + ` AND ` + evScope + `
		GROUP BY e.city_id, e.campaign_id, ` + mE + `, p.sector`
}

// MoveSector moves a partner's held events from one sector to another in
// the sector rows of the roll-ups, as the partner changes sector: an
// event counts once per sector among its partners, so it leaves the old
// sector unless another of its partners is in it, and joins the new one
// unless one already was. Only the partner's events are read; then the
// partner's own roll-ups are made again.
func (w *Writer) MoveSector(partnerID uint, from, to models.Sector) error {
	var rows []struct {
		CityID, CampaignID uint
		StartsAt           time.Time
		Region             models.Region
		HasFrom, HasTo     int
	}
	rs, err := w.db.Rows(`SELECT e.city_id, e.campaign_id, e.starts_at, c.region,
			(SELECT COUNT(*) FROM event_partners o JOIN partners op ON op.id = o.partner_id WHERE o.event_id = e.id AND o.partner_id <> ? AND op.sector = ?) AS has_from,
			(SELECT COUNT(*) FROM event_partners o JOIN partners op ON op.id = o.partner_id WHERE o.event_id = e.id AND o.partner_id <> ? AND op.sector = ?) AS has_to
		FROM events e JOIN event_partners ep ON ep.event_id = e.id JOIN cities c ON c.id = e.city_id
		WHERE ep.partner_id = ? AND e.status = ?`, partnerID, from, partnerID, to, partnerID, models.StatusHeld)
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		var r struct {
			CityID, CampaignID uint
			StartsAt           time.Time
			Region             models.Region
			HasFrom, HasTo     int
		}
		if err := rs.Scan(&r.CityID, &r.CampaignID, &r.StartsAt, &r.Region, &r.HasFrom, &r.HasTo); err != nil {
			return err
		}
		rows = append(rows, r)
	}
	if err := rs.Err(); err != nil {
		return err
	}
	// The dimension tables hold an event's sector count in the row of
	// its place and period: each of their key columns but dim and dkey
	// takes the event's value.
	var cities []uint
	for _, r := range rows {
		cities = append(cities, r.CityID)
		at := map[string]any{"city_id": r.CityID, "campaign_id": r.CampaignID, "region": r.Region, "month": MonthOf(r.StartsAt), "day": DayOf(r.StartsAt)}
		for _, t := range tablesWith("dim") {
			var cols []string
			var key []any
			for _, col := range t.Keys {
				if col != "dim" && col != "dkey" {
					cols, key = append(cols, col), append(key, at[col])
				}
			}
			names := strings.Join(cols, ", ")
			cond := strings.Join(cols, " = ? AND ") + " = ? AND dim = ? AND dkey = ?"
			if r.HasFrom == 0 {
				if err := w.db.Exec("UPDATE "+t.Name+" SET events_held = events_held - 1 WHERE "+cond, append(key, models.DimSector, from)...); err != nil {
					return err
				}
				if err := w.db.Exec("DELETE FROM "+t.Name+" WHERE events_held = 0 AND "+cond, append(key, models.DimSector, from)...); err != nil {
					return err
				}
			}
			if r.HasTo == 0 {
				if err := w.db.Exec("INSERT INTO "+t.Name+" ("+names+", dim, dkey, events_held, participants, stories_published) VALUES ("+placeholders(len(key))+", ?, ?, 1, 0, 0)"+
					" ON CONFLICT ("+names+", dim, dkey) DO UPDATE SET events_held = "+t.Name+".events_held + 1", append(key, models.DimSector, to)...); err != nil {
					return err
				}
			}
		}
	}
	if len(cities) > 0 {
		if err := w.BumpDataVersion(cities...); err != nil {
			return err
		}
	}
	for _, t := range tablesWith("partner_id") {
		if err := w.db.Exec("DELETE FROM "+t.Name+" WHERE partner_id = ?", partnerID); err != nil {
			return err
		}
	}
	if err := w.fillPartners("p.id = ?", []any{partnerID}); err != nil {
		return err
	}
	return w.refreshPartnerTotals("city_id IN (SELECT city_id FROM partners WHERE id = ?)", partnerID)
}

// fillMonthPartners inserts the distinct partners of each city and month,
// over all campaigns, for the events that match the scope.
func (w *Writer) fillMonthPartners(evScope string, evArgs []any) error {
	mE := w.dialect.Month("e.starts_at")
	return w.db.Exec(`INSERT INTO ru_city_month_partners (city_id, month, partners)
		SELECT e.city_id, `+mE+`, COUNT(DISTINCT ep.partner_id)
		FROM events e JOIN event_partners ep ON ep.event_id = e.id
		WHERE `+heldEvent+` AND `+evScope+`
		GROUP BY e.city_id, `+mE, evArgs...)
}

// fillNetwork sums the per-city dimension rows of the matching campaign
// months over all cities.
func (w *Writer) fillNetwork(scope string, args []any) error {
	return w.db.Exec(`INSERT INTO rn_dim (campaign_id, month, dim, dkey, events_held, participants, stories_published)
		SELECT campaign_id, month, dim, dkey, SUM(events_held), SUM(participants), SUM(stories_published)
		FROM ru_dim WHERE `+scope+` GROUP BY campaign_id, month, dim, dkey`, args...)
}

// fillRegions sums the per-city dimension rows of the matching campaign
// months (a condition on ru_dim d and cities c) per region.
func (w *Writer) fillRegions(scope string, args []any) error {
	return w.db.Exec(`INSERT INTO rr_dim (region, campaign_id, month, dim, dkey, events_held, participants, stories_published)
		SELECT c.region, d.campaign_id, d.month, d.dim, d.dkey, SUM(d.events_held), SUM(d.participants), SUM(d.stories_published)
		FROM ru_dim d JOIN cities c ON c.id = d.city_id WHERE `+scope+`
		GROUP BY c.region, d.campaign_id, d.month, d.dim, d.dkey`, args...)
}

// RefreshRegions recomputes the regional roll-ups of the regions, as
// after a city moves from one region to another.
func (w *Writer) RefreshRegions(regions ...models.Region) error {
	if err := w.db.Exec("DELETE FROM rr_dim WHERE region IN ?", regions); err != nil {
		return err
	}
	return w.fillRegions("c.region IN ?", []any{regions})
}

// fillPartners inserts the roll-up rows of the partners that match the
// scope (a condition on partners p).
func (w *Writer) fillPartners(scope string, args []any) error {
	year, month := w.dialect.Year("e.starts_at"), w.dialect.Month("e.starts_at")
	if err := w.db.Exec(`INSERT INTO ru_partner_all (partner_id, campaign_id, city_id, sector, events_held)
		SELECT p.id, e.campaign_id, p.city_id, p.sector, COUNT(*)
		FROM partners p JOIN event_partners ep ON ep.partner_id = p.id JOIN events e ON e.id = ep.event_id
		WHERE `+heldEvent+` AND `+scope+`
		GROUP BY p.id, e.campaign_id, p.city_id, p.sector`, args...); err != nil {
		return fmt.Errorf("fill partner roll-ups: %w", err)
	}
	// months is a bit set: bit m-1 for each month m of the year with a held
	// event; the sum of distinct powers of two is their union.
	if err := w.db.Exec(`INSERT INTO ru_partner_year (partner_id, campaign_id, year, city_id, sector, months)
		SELECT p.id, e.campaign_id, `+year+`, p.city_id, p.sector, SUM(DISTINCT 1 << (`+month+` % 100 - 1))
		FROM partners p JOIN event_partners ep ON ep.partner_id = p.id JOIN events e ON e.id = ep.event_id
		WHERE `+heldEvent+` AND `+scope+`
		GROUP BY p.id, e.campaign_id, `+year+`, p.city_id, p.sector`, args...); err != nil {
		return fmt.Errorf("fill partner year roll-ups: %w", err)
	}
	// days is a bit set too: bit d-1 for each day d of the month with a
	// held event, for the days at the ends of a period.
	if err := w.db.Exec(`INSERT INTO ru_partner_month (partner_id, campaign_id, month, city_id, sector, days)
		SELECT p.id, e.campaign_id, `+month+`, p.city_id, p.sector, SUM(DISTINCT 1 << (`+w.dialect.DayOfMonth("e.starts_at")+` - 1))
		FROM partners p JOIN event_partners ep ON ep.partner_id = p.id JOIN events e ON e.id = ep.event_id
		WHERE `+heldEvent+` AND `+scope+`
		GROUP BY p.id, e.campaign_id, `+month+`, p.city_id, p.sector`, args...); err != nil {
		return fmt.Errorf("fill partner month roll-ups: %w", err)
	}
	return nil
}

// Refresh recomputes the roll-up rows of the keys and of the partners,
// inside the transaction of the writes that changed them.
func (w *Writer) Refresh(keys []Key, partnerIDs []uint) error {
	var cities []uint
	for _, k := range keys {
		cities = append(cities, k.City)
	}
	if len(cities) > 0 {
		if err := w.BumpDataVersion(cities...); err != nil {
			return err
		}
	}
	keys = models.Unique(keys)
	t, err := w.touchedBy(keys)
	if err != nil {
		return err
	}
	if err := w.refreshCityMonths(t.cityMonths); err != nil {
		return err
	}
	if err := w.refreshMonthPartners(t.monthsOfCity); err != nil {
		return err
	}
	if err := w.refreshRegionMonths(t.regionMonths); err != nil {
		return err
	}
	if err := w.refreshNetworkMonths(t.networkMonths); err != nil {
		return err
	}
	if err := w.refreshDays(t.regionDays); err != nil {
		return err
	}
	var months []int
	for _, ms := range t.monthsOfCity {
		months = append(months, slices.Collect(maps.Keys(ms))...)
	}
	if err := w.refreshTotals(cities, months); err != nil {
		return err
	}
	if partnerIDs = models.Unique(partnerIDs); len(partnerIDs) > 0 {
		for _, t := range tablesWith("partner_id") {
			if err := w.db.Exec("DELETE FROM "+t.Name+" WHERE partner_id IN ?", partnerIDs); err != nil {
				return err
			}
		}
		if err := w.fillPartners("p.id IN ?", []any{partnerIDs}); err != nil {
			return err
		}
		// The partners' counts change over all time, and in the years of
		// the changed months only.
		scope := "city_id IN (SELECT city_id FROM partners WHERE id IN ?)"
		if err := w.refreshPartnerCounts(partnerCounts[:1], scope, partnerIDs); err != nil {
			return err
		}
		years := map[int]bool{}
		for _, k := range keys {
			years[k.Month/100] = true
		}
		if err := w.refreshPartnerCounts(partnerCounts[1:], scope+" AND year IN ?", partnerIDs, slices.Collect(maps.Keys(years))); err != nil {
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
func (w *Writer) touchedBy(keys []Key) (touchedSets, error) {
	t := touchedSets{touched[cityCampaign]{}, touched[uint]{}, touched[regionCampaign]{}, touched[uint]{}, touched[regionCampaign]{}}
	regionOf := map[uint]models.Region{}
	for _, k := range keys {
		if _, known := regionOf[k.City]; !known {
			region, err := w.cityRegion(k.City)
			if err != nil {
				return t, err
			}
			regionOf[k.City] = region
		}
		rc := regionCampaign{regionOf[k.City], k.Campaign}
		t.cityMonths.add(cityCampaign{k.City, k.Campaign}, k.Month)
		t.monthsOfCity.add(k.City, k.Month)
		t.regionMonths.add(rc, k.Month)
		t.networkMonths.add(k.Campaign, k.Month)
		t.regionDays.add(rc, k.Day)
	}
	return t, nil
}

// refreshCityMonths recomputes the per-city month and day roll-ups of the
// touched months, one round of statements per city and campaign.
func (w *Writer) refreshCityMonths(t touched[cityCampaign]) error {
	for cc := range t {
		months := t.periods(cc)
		// The city's month rows of the campaign (ru_city, ru_dim).
		for _, table := range tablesWith("city_id", "campaign_id", "month") {
			if err := w.db.Exec("DELETE FROM "+table.Name+" WHERE city_id = ? AND campaign_id = ? AND month IN ?", cc.city, cc.campaign, months); err != nil {
				return err
			}
		}
		if err := w.db.Exec("DELETE FROM ru_city_day WHERE city_id = ? AND campaign_id = ? AND day > ? AND day < ? AND day / 100 IN ?",
			cc.city, cc.campaign, months[0]*100, months[len(months)-1]*100+32, months); err != nil {
			return err
		}
		from, to := monthSpan(months)
		// The unary plus keeps SQLite from reading the campaign's index on
		// dates, over every city: the city's own reads far fewer rows.
		evScope := "e.city_id = ? AND +e.campaign_id = ? AND e.starts_at >= ? AND e.starts_at < ? AND " + w.dialect.Month("e.starts_at") + " IN ?"
		stScope := "st.city_id = ? AND +st.campaign_id = ? AND st.submitted_at >= ? AND st.submitted_at < ? AND " + w.dialect.Month("st.submitted_at") + " IN ?"
		args := []any{cc.city, cc.campaign, from, to, months}
		if err := w.fillRollups(evScope, args, stScope, args); err != nil {
			return err
		}
		if err := w.fillCityDays(evScope, args, stScope, args); err != nil {
			return err
		}
	}
	return nil
}

// refreshMonthPartners recomputes the distinct partners of each touched
// city and month, over all campaigns.
func (w *Writer) refreshMonthPartners(t touched[uint]) error {
	for city := range t {
		months := t.periods(city)
		if err := w.db.Exec("DELETE FROM ru_city_month_partners WHERE city_id = ? AND month IN ?", city, months); err != nil {
			return err
		}
		from, to := monthSpan(months)
		if err := w.fillMonthPartners("e.city_id = ? AND e.starts_at >= ? AND e.starts_at < ? AND "+w.dialect.Month("e.starts_at")+" IN ?",
			[]any{city, from, to, months}); err != nil {
			return err
		}
	}
	return nil
}

// refreshRegionMonths recomputes the regions' month rows of the touched
// campaign months from the per-city rows, which are up to date.
func (w *Writer) refreshRegionMonths(t touched[regionCampaign]) error {
	for rc := range t {
		months := t.periods(rc)
		if err := w.db.Exec("DELETE FROM rr_dim WHERE region = ? AND campaign_id = ? AND month IN ?", rc.region, rc.campaign, months); err != nil {
			return err
		}
		if err := w.fillRegions("c.region = ? AND d.campaign_id = ? AND d.month IN ?", []any{rc.region, rc.campaign, months}); err != nil {
			return err
		}
	}
	return nil
}

// refreshNetworkMonths recomputes the network's month rows of the touched
// campaign months as the sums of the regions', now up to date: a few rows
// per region rather than every city's.
func (w *Writer) refreshNetworkMonths(t touched[uint]) error {
	for campaign := range t {
		if err := w.sumNetwork("month", campaign, t.periods(campaign)); err != nil {
			return err
		}
	}
	return nil
}

// refreshTotals recomputes the all-time totals of the cities (rt_city)
// and of the months over the network (rt_month) from the monthly
// roll-ups, which are up to date.
func (w *Writer) refreshTotals(cities []uint, months []int) error {
	if cities = models.Unique(cities); len(cities) > 0 {
		if err := w.db.Exec("DELETE FROM rt_city WHERE city_id IN ?", cities); err != nil {
			return err
		}
		if err := w.fillCityTotals("city_id IN ?", cities); err != nil {
			return err
		}
	}
	if months = models.Unique(months); len(months) > 0 {
		if err := w.db.Exec("DELETE FROM rt_month WHERE month IN ?", months); err != nil {
			return err
		}
		if err := w.fillMonthTotals("month IN ?", months); err != nil {
			return err
		}
	}
	return nil
}

// fillCityTotals inserts the all-time totals of the cities that match the
// scope (a condition on ru_city).
func (w *Writer) fillCityTotals(scope string, args ...any) error {
	return w.db.Exec(`INSERT INTO rt_city (city_id, events_held, participants, stories_published)
		SELECT city_id, SUM(events_held), SUM(participants), SUM(stories_published) FROM ru_city WHERE `+scope+` GROUP BY city_id`, args...)
}

// fillMonthTotals inserts the network's totals of the months that match
// the scope (a condition on month): figures over every campaign, the
// cities active and the partners engaged within each month.
func (w *Writer) fillMonthTotals(scope string, args ...any) error {
	if err := w.db.Exec(`INSERT INTO rt_month (month, events_held, participants, stories_published, active, partners)
		SELECT month, SUM(events_held), SUM(participants), SUM(stories_published), COUNT(DISTINCT city_id), 0 FROM ru_city WHERE `+scope+` GROUP BY month`, args...); err != nil {
		return err
	}
	return w.db.Exec(`UPDATE rt_month SET partners = COALESCE((SELECT SUM(p.partners) FROM ru_city_month_partners p WHERE p.month = rt_month.month), 0)
		WHERE `+scope, args...)
}

// partnerCount is a table of the distinct partners engaged per city and
// sector, and the statement that fills it from the partner roll-ups.
type partnerCount struct{ table, fill string }

// partnerCounts are those tables: over all time, and in each year.
var partnerCounts = []partnerCount{
	{"rt_partner_city", `INSERT INTO rt_partner_city (city_id, sector, partners)
		SELECT city_id, sector, COUNT(DISTINCT partner_id) FROM ru_partner_all WHERE %s GROUP BY city_id, sector`},
	{"ry_partner_city", `INSERT INTO ry_partner_city (year, city_id, sector, partners)
		SELECT year, city_id, sector, COUNT(DISTINCT partner_id) FROM ru_partner_year WHERE %s GROUP BY year, city_id, sector`},
}

// refreshPartnerTotals recomputes the partner counts of the cities that
// match the scope (a condition on city_id).
func (w *Writer) refreshPartnerTotals(scope string, args ...any) error {
	return w.refreshPartnerCounts(partnerCounts, scope, args...)
}

func (w *Writer) refreshPartnerCounts(counts []partnerCount, scope string, args ...any) error {
	for _, c := range counts {
		if err := w.db.Exec("DELETE FROM "+c.table+" WHERE "+scope, args...); err != nil {
			return err
		}
		if err := w.db.Exec(fmt.Sprintf(c.fill, scope), args...); err != nil {
			return fmt.Errorf("count partners into %s: %w", c.table, err)
		}
	}
	return nil
}

// fillTotals fills the all-time totals and the partner counts from the
// monthly and partner roll-ups, into the tables Rebuild emptied.
func (w *Writer) fillTotals() error {
	if err := w.fillCityTotals("1=1"); err != nil {
		return err
	}
	if err := w.fillMonthTotals("1=1"); err != nil {
		return err
	}
	return w.refreshPartnerCounts(partnerCounts, "1=1")
}

// EventKeys are the roll-up keys and partners an event's figures sit in.
func EventKeys(e *models.Event) ([]Key, []uint) {
	return []Key{{e.CityID, e.CampaignID, MonthOf(e.StartsAt), DayOf(e.StartsAt)}}, e.PartnerIDs
}

// StoryKey is the roll-up key a story's figures sit in.
func StoryKey(st *models.Story) Key {
	return Key{st.CityID, st.CampaignID, MonthOf(st.SubmittedAt), DayOf(st.SubmittedAt)}
}

// BumpDataVersion marks, inside a write's transaction, that report
// figures of the cities may have changed: the data version goes up, and
// each city's version becomes it. With no city, the change touches every
// report (a city added, renamed or moved: the scopes themselves change),
// and it is kept as the version of "city 0", which every scope includes.
// A cached report is good while the highest version in its scope stays
// (report.Engine reads it): a write to one city leaves the others' reports cached.
func (w *Writer) BumpDataVersion(cityIDs ...uint) error {
	if err := w.db.Exec("UPDATE data_version SET v = v + 1 WHERE id = 1"); err != nil {
		return err
	}
	if len(cityIDs) == 0 {
		cityIDs = []uint{0}
	}
	for _, id := range models.Unique(cityIDs) {
		if err := w.db.Exec(`INSERT INTO city_versions (city_id, v) SELECT ?, v FROM data_version WHERE id = 1
			ON CONFLICT (city_id) DO UPDATE SET v = excluded.v`, id); err != nil {
			return err
		}
	}
	return nil
}

// fillDays fills the day-grain roll-ups, but the partners', from scratch.
func (w *Writer) fillDays() error {
	if err := w.fillCityDays("1=1", nil, "1=1", nil); err != nil {
		return err
	}
	for _, t := range tablesWith("day", "dim") {
		if err := w.fillDimDays(t.Name, "1=1", nil, "1=1", nil); err != nil {
			return err
		}
	}
	return nil
}

// placeholders is "?, ?, …" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// cityRegion is the region of the city with id.
func (w *Writer) cityRegion(id uint) (models.Region, error) {
	rows, err := w.db.Rows("SELECT region FROM cities WHERE id = ?", id)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return "", err
		}
		return "", fmt.Errorf("region of city %d: %w", id, models.ErrNotFound)
	}
	var region models.Region
	if err := rows.Scan(&region); err != nil {
		return "", err
	}
	return region, rows.Err()
}

// Rebuild recomputes every roll-up row from the raw tables, inside the
// caller's transaction: for a bulk load, or to repair.
func (w *Writer) Rebuild() error {
	for _, t := range Tables() {
		if err := w.db.Exec("DELETE FROM " + t.Name); err != nil {
			return err
		}
	}
	if err := w.fillRollups("1=1", nil, "1=1", nil); err != nil {
		return err
	}
	if err := w.fillMonthPartners("1=1", nil); err != nil {
		return err
	}
	if err := w.fillDays(); err != nil {
		return err
	}
	if err := w.fillNetwork("1=1", nil); err != nil {
		return err
	}
	if err := w.fillRegions("1=1", nil); err != nil {
		return err
	}
	if err := w.BumpDataVersion(); err != nil {
		return err
	}
	if err := w.fillPartners("1=1", nil); err != nil {
		return err
	}
	return w.fillTotals()
}
