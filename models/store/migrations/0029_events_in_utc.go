package migrations

import (
	"fmt"
	"maps"
	"slices"
	"time"

	// The cities' time zones, wherever the server runs.
	_ "time/tzdata"
)

// This file is the fill of migration 29, frozen as it was at its version:
// the rows it reads, the times it rewrites and the refresh of the
// roll-ups it runs then, with that refresh's SQL for both engines. Later
// changes to the roll-ups' code do not reach it.

// eventsInUTC is migration 29's fill. Before it, an event entered on its
// city's clock was written with that clock's offset: SQLite kept the text
// as given, so the reports read the city's date rather than the UTC one;
// PostgreSQL kept the instant, but the write refreshed the month of the
// city's clock. It rewrites those times in UTC (SQLite) and refreshes the
// roll-ups of every month and day they were or are filed under.
func eventsInUTC(db DB, engine Engine) error {
	u := utc29{db, engine}
	where := "substr(e.starts_at, -6) <> '+00:00' OR substr(e.ends_at, -6) <> '+00:00'"
	if engine != SQLite {
		// A clock at most 14 hours off UTC has another month only on a
		// month's first or last day.
		where = "c.time_zone NOT IN ('', 'UTC', 'Etc/UTC') AND (EXTRACT(DAY FROM e.starts_at) = 1 OR EXTRACT(DAY FROM e.starts_at + INTERVAL '1 day') = 1)"
	}
	type row struct {
		ID, CityID, CampaignID uint
		StartsAt, EndsAt       time.Time
		TimeZone               string
	}
	rs, err := db.Rows("SELECT e.id, e.city_id, e.campaign_id, e.starts_at, e.ends_at, c.time_zone FROM events e JOIN cities c ON c.id = e.city_id WHERE " + where)
	if err != nil {
		return fmt.Errorf("events off UTC: %w", err)
	}
	var rows []row
	for rs.Next() {
		var r row
		if err := rs.Scan(&r.ID, &r.CityID, &r.CampaignID, &r.StartsAt, &r.EndsAt, &r.TimeZone); err != nil {
			rs.Close()
			return fmt.Errorf("events off UTC: %w", err)
		}
		rows = append(rows, r)
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return fmt.Errorf("events off UTC: %w", err)
	}
	var keys []key29
	var ids []uint
	for _, r := range rows {
		utc := key29{city: r.CityID, campaign: r.CampaignID, month: monthOf29(r.StartsAt), day: dayOf29(r.StartsAt)}
		filed := r.StartsAt // SQLite: the text's own clock
		if engine != SQLite {
			filed = r.StartsAt.In(location29(r.TimeZone))
		}
		wall := filed.Year()*100 + int(filed.Month())
		if engine != SQLite && wall == utc.month {
			continue
		}
		keys = append(keys, utc, key29{city: r.CityID, campaign: r.CampaignID, month: wall, day: wall*100 + filed.Day()})
		ids = append(ids, r.ID)
		if engine == SQLite {
			if err := db.Exec("UPDATE events SET starts_at = ?, ends_at = ? WHERE id = ?", r.StartsAt.UTC(), r.EndsAt.UTC(), r.ID); err != nil {
				return err
			}
		}
	}
	if len(keys) == 0 {
		return nil
	}
	var partnerIDs []uint
	for chunk := range slices.Chunk(ids, 10000) {
		some, err := u.uints("SELECT DISTINCT partner_id FROM event_partners WHERE event_id IN ?", chunk)
		if err != nil {
			return err
		}
		partnerIDs = append(partnerIDs, some...)
	}
	return u.refresh(keys, partnerIDs)
}

// location29 is the time zone a city's time_zone names, UTC for none.
func location29(name string) *time.Location {
	if name == "" || name == "Local" {
		return time.UTC
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	return loc
}

// utc29 refreshes the roll-ups of migration 29's keys on one engine.
type utc29 struct {
	db     DB
	engine Engine
}

// key29 names the roll-up rows of one city, campaign and month, and the
// day of that month (yyyymmdd) a change touched.
type key29 struct {
	city, campaign uint
	month, day     int
}

// monthOf29 is the yyyymm of t, in UTC.
func monthOf29(t time.Time) int {
	t = t.UTC()
	return t.Year()*100 + int(t.Month())
}

// dayOf29 is the yyyymmdd of t, in UTC.
func dayOf29(t time.Time) int { return monthOf29(t)*100 + t.UTC().Day() }

// monthStart29 is the first instant of yyyymm m, UTC.
func monthStart29(m int) time.Time {
	return time.Date(m/100, time.Month(m%100), 1, 0, 0, 0, 0, time.UTC)
}

// dayStart29 is the first instant of yyyymmdd d, UTC.
func dayStart29(d int) time.Time {
	return time.Date(d/10000, time.Month(d/100%100), d%100, 0, 0, 0, 0, time.UTC)
}

// month turns a timestamp column into yyyymm, in UTC.
func (u utc29) month(col string) string {
	if u.engine == Postgres {
		return fmt.Sprintf("(CAST(EXTRACT(YEAR FROM %[1]s) AS INTEGER) * 100 + CAST(EXTRACT(MONTH FROM %[1]s) AS INTEGER))", col)
	}
	return fmt.Sprintf("(CAST(substr(%[1]s, 1, 4) AS INTEGER) * 100 + CAST(substr(%[1]s, 6, 2) AS INTEGER))", col)
}

// year turns a timestamp column into yyyy, in UTC.
func (u utc29) year(col string) string {
	if u.engine == Postgres {
		return fmt.Sprintf("CAST(EXTRACT(YEAR FROM %s) AS INTEGER)", col)
	}
	return fmt.Sprintf("CAST(substr(%s, 1, 4) AS INTEGER)", col)
}

// dayOfMonth turns a timestamp column into its day of the month, in UTC.
func (u utc29) dayOfMonth(col string) string {
	if u.engine == Postgres {
		return fmt.Sprintf("CAST(EXTRACT(DAY FROM %s) AS INTEGER)", col)
	}
	return fmt.Sprintf("CAST(substr(%s, 9, 2) AS INTEGER)", col)
}

// day turns a timestamp column into yyyymmdd, in UTC.
func (u utc29) day(col string) string {
	return fmt.Sprintf("(%s * 100 + %s)", u.month(col), u.dayOfMonth(col))
}

// uints reads a column of ids.
func (u utc29) uints(query string, args ...any) ([]uint, error) {
	rs, err := u.db.Rows(query, args...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var out []uint
	for rs.Next() {
		var id uint
		if err := rs.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rs.Err()
}

// unique29 is xs without repeats, in their first order.
func unique29[T comparable](xs []T) []T {
	seen := make(map[T]bool, len(xs))
	out := make([]T, 0, len(xs))
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

// touched29 holds, per group of roll-up rows, the months or days of it
// that changed.
type touched29[G comparable] map[G]map[int]bool

func (t touched29[G]) add(g G, p int) {
	if t[g] == nil {
		t[g] = map[int]bool{}
	}
	t[g][p] = true
}

func (t touched29[G]) periods(g G) []int { return slices.Sorted(maps.Keys(t[g])) }

type cityCampaign29 struct{ city, campaign uint }

type regionCampaign29 struct {
	region   string
	campaign uint
}

// refresh recomputes the roll-up rows of the keys and of the partners.
func (u utc29) refresh(keys []key29, partnerIDs []uint) error {
	var cities []uint
	for _, k := range keys {
		cities = append(cities, k.city)
	}
	if err := u.bumpDataVersion(cities); err != nil {
		return err
	}
	keys = unique29(keys)
	cityMonths, monthsOfCity := touched29[cityCampaign29]{}, touched29[uint]{}
	regionMonths, networkMonths, regionDays := touched29[regionCampaign29]{}, touched29[uint]{}, touched29[regionCampaign29]{}
	regionOf := map[uint]string{}
	for _, k := range keys {
		if _, known := regionOf[k.city]; !known {
			rs, err := u.db.Rows("SELECT region FROM cities WHERE id = ?", k.city)
			if err != nil {
				return err
			}
			var region string
			found := rs.Next()
			if found {
				err = rs.Scan(&region)
			}
			rs.Close()
			if err == nil {
				err = rs.Err()
			}
			if err != nil {
				return err
			}
			if !found {
				return fmt.Errorf("region of city %d: not found", k.city)
			}
			regionOf[k.city] = region
		}
		rc := regionCampaign29{regionOf[k.city], k.campaign}
		cityMonths.add(cityCampaign29{k.city, k.campaign}, k.month)
		monthsOfCity.add(k.city, k.month)
		regionMonths.add(rc, k.month)
		networkMonths.add(k.campaign, k.month)
		regionDays.add(rc, k.day)
	}
	steps := []func() error{
		func() error { return u.refreshCityMonths(cityMonths) },
		func() error { return u.refreshMonthPartners(monthsOfCity) },
		func() error { return u.refreshRegionMonths(regionMonths) },
		func() error {
			for campaign := range networkMonths {
				if err := u.sumNetwork("month", campaign, networkMonths.periods(campaign)); err != nil {
					return err
				}
			}
			return nil
		},
		func() error { return u.refreshDays(regionDays) },
		func() error {
			var months []int
			for _, ms := range monthsOfCity {
				months = append(months, slices.Collect(maps.Keys(ms))...)
			}
			return u.refreshTotals(cities, months)
		},
		func() error { return u.refreshPartners(keys, partnerIDs) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// bumpDataVersion marks that report figures of the cities changed: the
// data version goes up, and each city's version becomes it.
func (u utc29) bumpDataVersion(cities []uint) error {
	if err := u.db.Exec("UPDATE data_version SET v = v + 1 WHERE id = 1"); err != nil {
		return err
	}
	for _, id := range unique29(cities) {
		if err := u.db.Exec(`INSERT INTO city_versions (city_id, v) SELECT ?, v FROM data_version WHERE id = 1
			ON CONFLICT (city_id) DO UPDATE SET v = excluded.v`, id); err != nil {
			return err
		}
	}
	return nil
}

// refreshCityMonths recomputes the per-city month and day roll-ups of the
// touched months, one round of statements per city and campaign.
func (u utc29) refreshCityMonths(t touched29[cityCampaign29]) error {
	for cc := range t {
		months := t.periods(cc)
		for _, table := range []string{"ru_city", "ru_dim"} {
			if err := u.db.Exec("DELETE FROM "+table+" WHERE city_id = ? AND campaign_id = ? AND month IN ?", cc.city, cc.campaign, months); err != nil {
				return err
			}
		}
		if err := u.db.Exec("DELETE FROM ru_city_day WHERE city_id = ? AND campaign_id = ? AND day > ? AND day < ? AND day / 100 IN ?",
			cc.city, cc.campaign, months[0]*100, months[len(months)-1]*100+32, months); err != nil {
			return err
		}
		from, to := monthStart29(months[0]), monthStart29(months[len(months)-1]).AddDate(0, 1, 0)
		// The unary plus keeps SQLite from reading the campaign's index on
		// dates, over every city: the city's own reads far fewer rows.
		evScope := "e.city_id = ? AND +e.campaign_id = ? AND e.starts_at >= ? AND e.starts_at < ? AND " + u.month("e.starts_at") + " IN ?"
		stScope := "st.city_id = ? AND +st.campaign_id = ? AND st.submitted_at >= ? AND st.submitted_at < ? AND " + u.month("st.submitted_at") + " IN ?"
		args := []any{cc.city, cc.campaign, from, to, months}
		if err := u.fillCityMonths(evScope, stScope, args); err != nil {
			return err
		}
	}
	return nil
}

// fillCityMonths inserts the per-city month and day roll-up rows of the
// events and stories that match the scopes, which both take args.
func (u utc29) fillCityMonths(evScope, stScope string, args []any) error {
	mE, mS := u.month("e.starts_at"), u.month("st.submitted_at")
	dE, dS := u.day("e.starts_at"), u.day("st.submitted_at")
	both := append(append([]any{}, args...), args...)
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
			) t WHERE ru_city.city_id = t.city_id AND ru_city.campaign_id = t.campaign_id AND ru_city.month = t.month`, args},
		{`INSERT INTO ru_dim (city_id, campaign_id, month, dim, dkey, events_held, participants, stories_published)
			SELECT city_id, campaign_id, month, 'area', dkey, SUM(ev), SUM(pa), SUM(st) FROM (
				SELECT e.city_id, e.campaign_id, ` + mE + ` AS month, a.area AS dkey, 1 AS ev, COALESCE(e.participants, 0) AS pa, 0 AS st
				FROM events e JOIN event_learning_areas a ON a.event_id = e.id WHERE e.status = 'held' AND ` + evScope + `
				UNION ALL
				SELECT st.city_id, st.campaign_id, ` + mS + `, a.area, 0, 0, 1
				FROM stories st JOIN story_learning_areas a ON a.story_id = st.id WHERE st.status = 'published' AND ` + stScope + `
			) f GROUP BY city_id, campaign_id, month, dkey`, both},
		{`INSERT INTO ru_dim (city_id, campaign_id, month, dim, dkey, events_held, participants, stories_published)
			SELECT city_id, campaign_id, month, 'age', dkey, SUM(ev), SUM(pa), SUM(st) FROM (
				SELECT e.city_id, e.campaign_id, ` + mE + ` AS month, g.age_group AS dkey, 1 AS ev, COALESCE(g.participants, 0) AS pa, 0 AS st
				FROM events e JOIN event_age_groups g ON g.event_id = e.id WHERE e.status = 'held' AND ` + evScope + `
				UNION ALL
				SELECT st.city_id, st.campaign_id, ` + mS + `, st.age_group, 0, 0, 1
				FROM stories st WHERE st.status = 'published' AND ` + stScope + `
			) f GROUP BY city_id, campaign_id, month, dkey`, both},
		{`INSERT INTO ru_dim (city_id, campaign_id, month, dim, dkey, events_held, participants, stories_published)
			SELECT e.city_id, e.campaign_id, ` + mE + `, 'format', e.format, COUNT(*), COALESCE(SUM(e.participants), 0), 0
			FROM events e WHERE e.status = 'held' AND ` + evScope + `
			GROUP BY e.city_id, e.campaign_id, ` + mE + `, e.format`, args},
		{`INSERT INTO ru_dim (city_id, campaign_id, month, dim, dkey, events_held, participants, stories_published)
			SELECT e.city_id, e.campaign_id, ` + mE + `, 'sector', p.sector, COUNT(DISTINCT e.id), 0, 0
			FROM events e JOIN event_partners ep ON ep.event_id = e.id JOIN partners p ON p.id = ep.partner_id
			WHERE e.status = 'held' AND ` + evScope + `
			GROUP BY e.city_id, e.campaign_id, ` + mE + `, p.sector`, args},
		{`INSERT INTO ru_city_day (city_id, campaign_id, day, events_held, participants, stories_published)
			SELECT city_id, campaign_id, day, SUM(ev), SUM(pa), SUM(st) FROM (
				SELECT e.city_id, e.campaign_id, ` + dE + ` AS day, 1 AS ev, COALESCE(e.participants, 0) AS pa, 0 AS st
				FROM events e WHERE e.status = 'held' AND ` + evScope + `
				UNION ALL
				SELECT st.city_id, st.campaign_id, ` + dS + `, 0, 0, 1
				FROM stories st WHERE st.status = 'published' AND ` + stScope + `
			) f GROUP BY city_id, campaign_id, day`, both},
	}
	for i, step := range steps {
		if err := u.db.Exec(step.sql, step.args...); err != nil {
			return fmt.Errorf("fill roll-ups, step %d: %w", i+1, err)
		}
	}
	return nil
}

// refreshMonthPartners recomputes the distinct partners of each touched
// city and month, over all campaigns.
func (u utc29) refreshMonthPartners(t touched29[uint]) error {
	mE := u.month("e.starts_at")
	for city := range t {
		months := t.periods(city)
		if err := u.db.Exec("DELETE FROM ru_city_month_partners WHERE city_id = ? AND month IN ?", city, months); err != nil {
			return err
		}
		from, to := monthStart29(months[0]), monthStart29(months[len(months)-1]).AddDate(0, 1, 0)
		if err := u.db.Exec(`INSERT INTO ru_city_month_partners (city_id, month, partners)
			SELECT e.city_id, `+mE+`, COUNT(DISTINCT ep.partner_id)
			FROM events e JOIN event_partners ep ON ep.event_id = e.id
			WHERE e.status = 'held' AND e.city_id = ? AND e.starts_at >= ? AND e.starts_at < ? AND `+mE+` IN ?
			GROUP BY e.city_id, `+mE, city, from, to, months); err != nil {
			return err
		}
	}
	return nil
}

// refreshRegionMonths recomputes the regions' month rows of the touched
// campaign months from the per-city rows, which are up to date.
func (u utc29) refreshRegionMonths(t touched29[regionCampaign29]) error {
	for rc := range t {
		months := t.periods(rc)
		if err := u.db.Exec("DELETE FROM rr_dim WHERE region = ? AND campaign_id = ? AND month IN ?", rc.region, rc.campaign, months); err != nil {
			return err
		}
		if err := u.db.Exec(`INSERT INTO rr_dim (region, campaign_id, month, dim, dkey, events_held, participants, stories_published)
			SELECT c.region, d.campaign_id, d.month, d.dim, d.dkey, SUM(d.events_held), SUM(d.participants), SUM(d.stories_published)
			FROM ru_dim d JOIN cities c ON c.id = d.city_id WHERE c.region = ? AND d.campaign_id = ? AND d.month IN ?
			GROUP BY c.region, d.campaign_id, d.month, d.dim, d.dkey`, rc.region, rc.campaign, months); err != nil {
			return err
		}
	}
	return nil
}

// sumNetwork recomputes the network's dimension rows of a campaign's
// periods, days or months by grain, as the sums of the regions'.
func (u utc29) sumNetwork(grain string, campaign uint, periods []int) error {
	network, regions := "rn_dim", "rr_dim"
	if grain == "day" {
		network, regions = "rn_dim_day", "rr_dim_day"
	}
	if err := u.db.Exec("DELETE FROM "+network+" WHERE campaign_id = ? AND "+grain+" IN ?", campaign, periods); err != nil {
		return err
	}
	return u.db.Exec(`INSERT INTO `+network+` (campaign_id, `+grain+`, dim, dkey, events_held, participants, stories_published)
		SELECT campaign_id, `+grain+`, dim, dkey, SUM(events_held), SUM(participants), SUM(stories_published)
		FROM `+regions+` WHERE campaign_id = ? AND `+grain+` IN ? GROUP BY campaign_id, `+grain+`, dim, dkey`, campaign, periods)
}

// maxDaysARound29 is how many days one round of day-grain statements
// takes: SQLite binds at most 32,766 values a statement.
const maxDaysARound29 = 2000

// refreshDays recomputes the regions' day-grain dimension rows of the
// touched days, then the network's rows of those days as their sums.
func (u utc29) refreshDays(days touched29[regionCampaign29]) error {
	network := touched29[uint]{}
	for rc := range days {
		for ds := range slices.Chunk(days.periods(rc), maxDaysARound29) {
			if err := u.refreshRegionDays(rc, ds); err != nil {
				return err
			}
			for _, d := range ds {
				network.add(rc.campaign, d)
			}
		}
	}
	for campaign := range network {
		for ds := range slices.Chunk(network.periods(campaign), maxDaysARound29) {
			if err := u.sumNetwork("day", campaign, ds); err != nil {
				return err
			}
		}
	}
	return nil
}

// refreshRegionDays recomputes one region's day-grain dimension rows of a
// campaign on the days (sorted), from those days' raw rows.
func (u utc29) refreshRegionDays(rc regionCampaign29, days []int) error {
	from, to := dayStart29(days[0]), dayStart29(days[len(days)-1]).AddDate(0, 0, 1)
	dE, dS := u.day("e.starts_at"), u.day("st.submitted_at")
	// The region's cities' indexes on dates read the region's rows of the
	// range only; the unary plus keeps SQLite from reading the campaign's
	// index instead, over every region.
	inRegion := " IN (SELECT id FROM cities WHERE region = ?) AND "
	ev := "+e.campaign_id = ? AND e.starts_at >= ? AND e.starts_at < ? AND e.city_id" + inRegion + dE + " IN ?"
	st := "+st.campaign_id = ? AND st.submitted_at >= ? AND st.submitted_at < ? AND st.city_id" + inRegion + dS + " IN ?"
	args := []any{rc.campaign, from, to, rc.region, days}
	both := append(append([]any{}, args...), args...)
	if err := u.db.Exec("DELETE FROM rr_dim_day WHERE region = ? AND campaign_id = ? AND day IN ?", rc.region, rc.campaign, days); err != nil {
		return err
	}
	insert := "INSERT INTO rr_dim_day (region, day, campaign_id, dim, dkey, events_held, participants, stories_published) "
	steps := []struct {
		sql  string
		args []any
	}{
		{insert + `SELECT region, day, campaign_id, 'area', dkey, SUM(ev), SUM(pa), SUM(st) FROM (
			SELECT c.region, ` + dE + ` AS day, e.campaign_id, a.area AS dkey, 1 AS ev, COALESCE(e.participants, 0) AS pa, 0 AS st
			FROM events e JOIN cities c ON c.id = e.city_id JOIN event_learning_areas a ON a.event_id = e.id WHERE e.status = 'held' AND ` + ev + `
			UNION ALL
			SELECT c.region, ` + dS + `, st.campaign_id, a.area, 0, 0, 1
			FROM stories st JOIN cities c ON c.id = st.city_id JOIN story_learning_areas a ON a.story_id = st.id WHERE st.status = 'published' AND ` + st + `
		) f GROUP BY region, day, campaign_id, dkey`, both},
		{insert + `SELECT region, day, campaign_id, 'age', dkey, SUM(ev), SUM(pa), SUM(st) FROM (
			SELECT c.region, ` + dE + ` AS day, e.campaign_id, g.age_group AS dkey, 1 AS ev, COALESCE(g.participants, 0) AS pa, 0 AS st
			FROM events e JOIN cities c ON c.id = e.city_id JOIN event_age_groups g ON g.event_id = e.id WHERE e.status = 'held' AND ` + ev + `
			UNION ALL
			SELECT c.region, ` + dS + `, st.campaign_id, st.age_group, 0, 0, 1
			FROM stories st JOIN cities c ON c.id = st.city_id WHERE st.status = 'published' AND ` + st + `
		) f GROUP BY region, day, campaign_id, dkey`, both},
		{insert + `SELECT c.region, ` + dE + `, e.campaign_id, 'format', e.format, COUNT(*), COALESCE(SUM(e.participants), 0), 0
			FROM events e JOIN cities c ON c.id = e.city_id WHERE e.status = 'held' AND ` + ev + `
			GROUP BY c.region, ` + dE + `, e.campaign_id, e.format`, args},
		{insert + `SELECT c.region, ` + dE + `, e.campaign_id, 'sector', p.sector, COUNT(DISTINCT e.id), 0, 0
			FROM events e JOIN cities c ON c.id = e.city_id JOIN event_partners ep ON ep.event_id = e.id JOIN partners p ON p.id = ep.partner_id
			WHERE e.status = 'held' AND ` + ev + `
			GROUP BY c.region, ` + dE + `, e.campaign_id, p.sector`, args},
	}
	for i, step := range steps {
		if err := u.db.Exec(step.sql, step.args...); err != nil {
			return fmt.Errorf("refresh rr_dim_day, step %d: %w", i+1, err)
		}
	}
	return nil
}

// refreshTotals recomputes the all-time totals of the cities (rt_city)
// and of the months over the network (rt_month) from the monthly
// roll-ups, which are up to date.
func (u utc29) refreshTotals(cities []uint, months []int) error {
	if cities = unique29(cities); len(cities) > 0 {
		if err := u.db.Exec("DELETE FROM rt_city WHERE city_id IN ?", cities); err != nil {
			return err
		}
		if err := u.db.Exec(`INSERT INTO rt_city (city_id, events_held, participants, stories_published)
			SELECT city_id, SUM(events_held), SUM(participants), SUM(stories_published) FROM ru_city WHERE city_id IN ? GROUP BY city_id`, cities); err != nil {
			return err
		}
	}
	if months = unique29(months); len(months) > 0 {
		if err := u.db.Exec("DELETE FROM rt_month WHERE month IN ?", months); err != nil {
			return err
		}
		if err := u.db.Exec(`INSERT INTO rt_month (month, events_held, participants, stories_published, active, partners)
			SELECT month, SUM(events_held), SUM(participants), SUM(stories_published), COUNT(DISTINCT city_id), 0 FROM ru_city WHERE month IN ? GROUP BY month`, months); err != nil {
			return err
		}
		if err := u.db.Exec(`UPDATE rt_month SET partners = COALESCE((SELECT SUM(p.partners) FROM ru_city_month_partners p WHERE p.month = rt_month.month), 0)
			WHERE month IN ?`, months); err != nil {
			return err
		}
	}
	return nil
}

// refreshPartners recomputes the partners' own roll-ups, and the counts
// of distinct partners of their cities: over all time, and in the years
// of the keys' months.
func (u utc29) refreshPartners(keys []key29, partnerIDs []uint) error {
	if partnerIDs = unique29(partnerIDs); len(partnerIDs) == 0 {
		return nil
	}
	for _, table := range []string{"ru_partner_all", "ru_partner_year", "ru_partner_month"} {
		if err := u.db.Exec("DELETE FROM "+table+" WHERE partner_id IN ?", partnerIDs); err != nil {
			return err
		}
	}
	year, month := u.year("e.starts_at"), u.month("e.starts_at")
	if err := u.db.Exec(`INSERT INTO ru_partner_all (partner_id, campaign_id, city_id, sector, events_held)
		SELECT p.id, e.campaign_id, p.city_id, p.sector, COUNT(*)
		FROM partners p JOIN event_partners ep ON ep.partner_id = p.id JOIN events e ON e.id = ep.event_id
		WHERE e.status = 'held' AND p.id IN ?
		GROUP BY p.id, e.campaign_id, p.city_id, p.sector`, partnerIDs); err != nil {
		return fmt.Errorf("fill partner roll-ups: %w", err)
	}
	// months is a bit set: bit m-1 for each month m of the year with a held
	// event; the sum of distinct powers of two is their union.
	if err := u.db.Exec(`INSERT INTO ru_partner_year (partner_id, campaign_id, year, city_id, sector, months)
		SELECT p.id, e.campaign_id, `+year+`, p.city_id, p.sector, SUM(DISTINCT 1 << (`+month+` % 100 - 1))
		FROM partners p JOIN event_partners ep ON ep.partner_id = p.id JOIN events e ON e.id = ep.event_id
		WHERE e.status = 'held' AND p.id IN ?
		GROUP BY p.id, e.campaign_id, `+year+`, p.city_id, p.sector`, partnerIDs); err != nil {
		return fmt.Errorf("fill partner year roll-ups: %w", err)
	}
	// days is a bit set too: bit d-1 for each day d of the month with a
	// held event.
	if err := u.db.Exec(`INSERT INTO ru_partner_month (partner_id, campaign_id, month, city_id, sector, days)
		SELECT p.id, e.campaign_id, `+month+`, p.city_id, p.sector, SUM(DISTINCT 1 << (`+u.dayOfMonth("e.starts_at")+` - 1))
		FROM partners p JOIN event_partners ep ON ep.partner_id = p.id JOIN events e ON e.id = ep.event_id
		WHERE e.status = 'held' AND p.id IN ?
		GROUP BY p.id, e.campaign_id, `+month+`, p.city_id, p.sector`, partnerIDs); err != nil {
		return fmt.Errorf("fill partner month roll-ups: %w", err)
	}
	scope := "city_id IN (SELECT city_id FROM partners WHERE id IN ?)"
	if err := u.db.Exec("DELETE FROM rt_partner_city WHERE "+scope, partnerIDs); err != nil {
		return err
	}
	if err := u.db.Exec(`INSERT INTO rt_partner_city (city_id, sector, partners)
		SELECT city_id, sector, COUNT(DISTINCT partner_id) FROM ru_partner_all WHERE `+scope+` GROUP BY city_id, sector`, partnerIDs); err != nil {
		return fmt.Errorf("count partners into rt_partner_city: %w", err)
	}
	years := map[int]bool{}
	for _, k := range keys {
		years[k.month/100] = true
	}
	args := []any{partnerIDs, slices.Collect(maps.Keys(years))}
	if err := u.db.Exec("DELETE FROM ry_partner_city WHERE "+scope+" AND year IN ?", args...); err != nil {
		return err
	}
	if err := u.db.Exec(`INSERT INTO ry_partner_city (year, city_id, sector, partners)
		SELECT year, city_id, sector, COUNT(DISTINCT partner_id) FROM ru_partner_year WHERE `+scope+` AND year IN ? GROUP BY year, city_id, sector`, args...); err != nil {
		return fmt.Errorf("count partners into ry_partner_city: %w", err)
	}
	return nil
}
