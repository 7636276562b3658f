// Package report is the read side of the report engine: the one place
// where every page, export and API gets its figures. It reads the roll-ups
// that package rollup keeps, and the raw tables, through a Source (the
// store, or one of its transactions), and assembles them into
// models.Report.
package report

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report/rollup"
)

// The report engine. Every page, export and API reads its figures here.
// Each figure has one definition (DESIGN.md, "Reports"):
//
//	member cities / countries  cities (countries) in the query's scope
//	active cities              cities with at least one held event or
//	                           published story in the period
//	events held                events with status held starting in the period
//	participants               sum of participants over those events
//	stories published          published stories submitted in the period
//	partners engaged           distinct partners involved in events held in
//	                           the period
//
// Two sources give the same figures: the roll-up tables (fast: used when
// the period is whole months, as the report pages ask) and the raw tables
// (used for any other period, and by the tests as the reference). Both
// produce the same intermediate facts, assembled into a report by one
// function, so the engines cannot disagree on how figures combine.

// Source is what the engine reads: *store.Store, or a transaction of it.
// Rows runs the engine's own SQL (? placeholders; a slice argument stands
// for a list); the other methods are the store's reads of the same name.
type Source interface {
	Dialect() rollup.Dialect
	Rows(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	Cities(ctx context.Context, f models.CityFilter) ([]models.City, error)
	Campaign(ctx context.Context, id uint) (*models.Campaign, error)
	PeriodCampaign(ctx context.Context, p models.Period) (*models.Campaign, error)
	CityReports(ctx context.Context, f models.CityReportFilter) ([]models.CityReport, error)
	PendingCounts(ctx context.Context, cityIDs []uint) (map[uint]int64, error)
}

// Engine computes reports from a Source, and keeps the recent ones for as
// long as the data of their scope does not change. Safe for concurrent
// use.
type Engine struct {
	src     Source
	dialect rollup.Dialect
	cache   *reportCache
	// hits counts the reports the cache answered.
	hits *atomic.Int64
}

// New is the engine of src, with an empty cache.
func New(src Source) *Engine {
	return &Engine{src: src, dialect: src.Dialect(), cache: newReportCache(256), hits: new(atomic.Int64)}
}

// With is the engine reading through src (a transaction of its store),
// sharing e's cache.
func (e *Engine) With(src Source) *Engine {
	w := *e
	w.src = src
	return &w
}

// Query scopes a report. Zero values match everything. From is
// inclusive and To exclusive; both are dates (midnight UTC).
type Query struct {
	From, To   time.Time
	CampaignID uint
	Region     models.Region
	Country    string
	CityID     uint
	// Cohort is the year cities joined the network.
	Cohort int
}

// measures are summed figures of one group.
type measures struct {
	events, participants, stories, partners, active int64
}

// value is the figure f of the group (0 for the figures that count
// places, which a group of places keeps itself).
func (m *measures) value(f models.Figure) int64 {
	switch f {
	case models.FigureActiveCities:
		return m.active
	case models.FigureEventsHeld:
		return m.events
	case models.FigureParticipants:
		return m.participants
	case models.FigureStoriesPublished:
		return m.stories
	case models.FigurePartnersEngaged:
		return m.partners
	}
	return 0
}

// facts are what an engine reads; assemble turns them into a report.
type facts struct {
	city  map[uint]*measures // per city over the period; partners distinct over the period
	month map[int]*measures  // per month; partners distinct within the month, active = cities
	// dims are the figures per dimension and key; the sectors' partners
	// are distinct over the period.
	dims map[models.Dimension]map[string]*measures
}

func newFacts() *facts {
	return &facts{city: map[uint]*measures{}, month: map[int]*measures{}, dims: map[models.Dimension]map[string]*measures{}}
}

func (f *facts) cityM(id uint) *measures {
	if f.city[id] == nil {
		f.city[id] = &measures{}
	}
	return f.city[id]
}

func (f *facts) monthM(m int) *measures {
	if f.month[m] == nil {
		f.month[m] = &measures{}
	}
	return f.month[m]
}

func (f *facts) dimM(dim models.Dimension, key string) *measures {
	if f.dims[dim] == nil {
		f.dims[dim] = map[string]*measures{}
	}
	if f.dims[dim][key] == nil {
		f.dims[dim][key] = &measures{}
	}
	return f.dims[dim][key]
}

// monthRange is the first and last month of the period (0 when open).
func (q Query) monthRange() (int, int) {
	m1, m2 := 0, 0
	if !q.From.IsZero() {
		m1 = rollup.MonthOf(q.From.UTC())
	}
	if !q.To.IsZero() {
		m2 = rollup.MonthOf(q.To.UTC().Add(-time.Nanosecond))
	}
	return m1, m2
}

// monthCond is the condition on a monthly roll-up table's rows of q: the
// place (a condition on its place columns, with its arguments), q's
// campaign and the months of q's period.
func (q Query) monthCond(place string, placeArgs []any) *where {
	m1, m2 := q.monthRange()
	w := (&where{}).add(place, placeArgs...)
	if q.CampaignID != 0 {
		w.add("campaign_id = ?", q.CampaignID)
	}
	if m1 != 0 {
		w.add("month >= ?", m1)
	}
	if m2 != 0 {
		w.add("month <= ?", m2)
	}
	return w
}

// placeCond is the condition on a city id column for the query's place
// filters, or "" when it has none.
func (q Query) placeCond(col string) (string, []any) {
	if q.CityID != 0 {
		return col + " = ?", []any{q.CityID}
	}
	var conds []string
	var args []any
	if q.Region != "" {
		conds, args = append(conds, "region = ?"), append(args, q.Region)
	}
	if q.Country != "" {
		conds, args = append(conds, "country = ?"), append(args, q.Country)
	}
	if q.Cohort != 0 {
		conds, args = append(conds, "joined_year = ?"), append(args, q.Cohort)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return col + " IN (SELECT id FROM cities WHERE " + strings.Join(conds, " AND ") + ")", args
}

// where joins conditions with AND, skipping empty ones.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) *where {
	if cond != "" {
		w.conds = append(w.conds, cond)
		w.args = append(w.args, args...)
	}
	return w
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return "1=1"
	}
	return strings.Join(w.conds, " AND ")
}

// Report computes the report of q (Compute). Reports are kept for as
// long as no write has changed the data of their scope (see
// rollup.Writer.BumpDataVersion), so a busy page does not recompute what it already
// knows, and a write to one city leaves the other cities' reports be;
// the caller gets its own copy to change.
func (e *Engine) Report(ctx context.Context, q Query) (*models.Report, error) {
	version, err := e.scopeVersion(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	if r, ok := e.cache.get(q, version); ok {
		e.hits.Add(1)
		return r, nil
	}
	r, err := e.Compute(ctx, q)
	if err != nil {
		return nil, err
	}
	e.cache.put(q, version, r)
	return cloneReport(r), nil
}

// CacheHits is how many reports the cache has answered.
func (e *Engine) CacheHits() int64 { return e.hits.Load() }

// Compute computes the report of q without the cache: the whole
// months of its period from the roll-ups, the days of the months at its
// ends from the raw tables.
func (e *Engine) Compute(ctx context.Context, q Query) (*models.Report, error) {
	f, err := e.periodFacts(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return e.assemble(ctx, q, f)
}

// FromRaw computes the report of q straight from the raw tables: the
// reference the roll-ups must always equal.
func (e *Engine) FromRaw(ctx context.Context, q Query) (*models.Report, error) {
	f, err := e.rawFacts(ctx, q, true)
	if err != nil {
		return nil, fmt.Errorf("report from raw tables: %w", err)
	}
	return e.assemble(ctx, q, f)
}

// Totals computes only the headline figures of q, from the cache when it
// has the report (without copying its breakdowns).
func (e *Engine) Totals(ctx context.Context, q Query) (models.Totals, error) {
	version, err := e.scopeVersion(ctx, q)
	if err != nil {
		return models.Totals{}, fmt.Errorf("report: %w", err)
	}
	if t, ok := e.cache.totals(q, version); ok {
		e.hits.Add(1)
		return t, nil
	}
	r, err := e.Report(ctx, q)
	if err != nil {
		return models.Totals{}, err
	}
	return r.Totals, nil
}

// scan runs a query and hands each row's values to fn.
func (e *Engine) scan(ctx context.Context, query string, args []any, fn func(vals []any) error, dst ...any) error {
	rows, err := e.src.Rows(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := rows.Scan(dst...); err != nil {
			return err
		}
		if err := fn(dst); err != nil {
			return err
		}
	}
	return rows.Err()
}

// rollupFacts reads the facts of a whole-month query from the roll-ups.
func (e *Engine) rollupFacts(ctx context.Context, q Query) (*facts, error) {
	f := newFacts()
	m1, m2 := q.monthRange()
	place, placeArgs := q.placeCond("city_id")
	var (
		id            uint
		m             int
		a, b, c, d, n int64
	)
	w := q.monthCond(place, placeArgs)
	// Over all time and campaigns, the totals kept per city and per month
	// answer (rt_city, rt_month); otherwise the monthly rows are summed.
	allTime := q.allTime()
	cities, months := "SELECT city_id, CAST(SUM(events_held) AS BIGINT), CAST(SUM(participants) AS BIGINT), CAST(SUM(stories_published) AS BIGINT) FROM ru_city WHERE "+w.sql()+" GROUP BY city_id",
		"SELECT month, CAST(SUM(events_held) AS BIGINT), CAST(SUM(participants) AS BIGINT), CAST(SUM(stories_published) AS BIGINT), COUNT(DISTINCT city_id), CAST(SUM(partners) AS BIGINT) FROM ru_city WHERE "+w.sql()+" GROUP BY month"
	if allTime {
		cities = "SELECT city_id, events_held, participants, stories_published FROM rt_city WHERE " + w.sql()
		if place == "" {
			months = "SELECT month, events_held, participants, stories_published, active, partners FROM rt_month"
		}
	}
	if err := e.scan(ctx, cities, w.args,
		func([]any) error {
			cm := f.cityM(id)
			cm.events, cm.participants, cm.stories = a, b, c
			return nil
		}, &id, &a, &b, &c); err != nil {
		return nil, err
	}
	if err := e.scan(ctx, months, w.args,
		func([]any) error {
			mm := f.monthM(m)
			mm.events, mm.participants, mm.stories, mm.active, mm.partners = a, b, c, d, n
			return nil
		}, &m, &a, &b, &c, &d, &n); err != nil {
		return nil, err
	}
	if q.CampaignID == 0 && !(allTime && place == "") {
		// Partners of several campaigns in one month count once.
		for k := range f.month {
			f.month[k].partners = 0
		}
		w := (&where{}).add(place, placeArgs...)
		if m1 != 0 {
			w.add("month >= ?", m1)
		}
		if m2 != 0 {
			w.add("month <= ?", m2)
		}
		if err := e.scan(ctx, "SELECT month, CAST(SUM(partners) AS BIGINT) FROM ru_city_month_partners WHERE "+w.sql()+" GROUP BY month", w.args,
			func([]any) error { f.monthM(m).partners = n; return nil }, &m, &n); err != nil {
			return nil, err
		}
	}
	// The smallest table that answers: network, region, or per city.
	dimTable, dw := "rn_dim", q.monthCond("", nil)
	switch {
	case q.Region != "" && q.Country == "" && q.CityID == 0 && q.Cohort == 0:
		dimTable, dw = "rr_dim", q.monthCond("region = ?", []any{q.Region})
	case place != "":
		dimTable, dw = "ru_dim", q.monthCond(place, placeArgs)
	}
	if err := e.scanDims(ctx, f, dimTable, dw); err != nil {
		return nil, err
	}
	return f, nil
}

// scanDims reads into f the dimension rows of a roll-up table that match
// w, summed by dimension and key.
func (e *Engine) scanDims(ctx context.Context, f *facts, table string, w *where) error {
	var (
		dim     models.Dimension
		key     string
		a, b, c int64
	)
	return e.scan(ctx, "SELECT dim, dkey, CAST(SUM(events_held) AS BIGINT), CAST(SUM(participants) AS BIGINT), CAST(SUM(stories_published) AS BIGINT) FROM "+table+" WHERE "+w.sql()+" GROUP BY dim, dkey", w.args,
		func([]any) error {
			dm := f.dimM(dim, key)
			dm.events, dm.participants, dm.stories = a, b, c
			return nil
		}, &dim, &key, &a, &b, &c)
}

// partnerSource is a query of the partners (partner_id, city_id, sector)
// engaged in some part of a period.
type partnerSource struct {
	// rows selects the partners; counted counts them per city and sector,
	// with countedArgs when its arguments are not those of rows.
	rows, counted     string
	args, countedArgs []any
}

// allTime reports whether q is over all time and every campaign, which
// the totals kept per city and month answer.
func (q Query) allTime() bool {
	return q.From.IsZero() && q.To.IsZero() && q.CampaignID == 0
}

// rollupPartners are the partners engaged in the whole months of q, from
// the partner roll-ups.
func rollupPartners(q Query) partnerSource {
	m1, m2 := q.monthRange()
	place, placeArgs := q.placeCond("city_id")
	pw := (&where{}).add(place, placeArgs...)
	if q.CampaignID != 0 {
		pw.add("campaign_id = ?", q.CampaignID)
	}
	table := "ru_partner_all"
	if m1 != 0 || m2 != 0 {
		table = "ru_partner_year"
		cond, args := yearMonthsCond(m1, m2)
		pw.add(cond, args...)
	}
	src := newPartnerSource("partner_id", "city_id", "sector", " FROM "+table+" WHERE "+pw.sql(), pw.args)
	// The same partners, counted per city and sector already: over all
	// time, or over one calendar year, of every campaign.
	switch {
	case q.allTime():
		src.counted = "SELECT city_id, sector, partners FROM rt_partner_city WHERE " + pw.sql()
	case q.CampaignID == 0 && m1 != 0 && m1%100 == 1 && m2 == m1+11:
		yw := (&where{}).add(place, placeArgs...).add("year = ?", m1/100)
		src.counted = "SELECT city_id, sector, partners FROM ry_partner_city WHERE " + yw.sql()
		src.countedArgs = yw.args
	}
	return src
}

// rawPartners are the partners engaged in the period of q, from the raw
// tables.
func rawPartners(q Query) partnerSource {
	ev := q.heldEvents()
	return newPartnerSource("p.id", "p.city_id", "p.sector",
		" FROM events e JOIN event_partners ep ON ep.event_id = e.id JOIN partners p ON p.id = ep.partner_id WHERE "+ev.sql(), ev.args)
}

// newPartnerSource is the source of the partners (their id, city and
// sector columns) of from, a FROM and WHERE clause with its arguments.
func newPartnerSource(id, city, sector, from string, args []any) partnerSource {
	return partnerSource{
		rows:    "SELECT " + id + " AS partner_id, " + city + " AS city_id, " + sector + " AS sector" + from,
		counted: "SELECT " + city + ", " + sector + ", COUNT(DISTINCT " + id + ")" + from + " GROUP BY " + city + ", " + sector,
		args:    args,
	}
}

// countPartners sets the distinct partners per city and sector of the
// union of the sources: a partner engaged in several parts of the period
// counts once.
func (e *Engine) countPartners(ctx context.Context, f *facts, sources ...partnerSource) error {
	var sqls []string
	var args []any
	for _, src := range sources {
		sqls = append(sqls, src.rows)
		args = append(args, src.args...)
	}
	var (
		id  uint
		key string
		n   int64
	)
	query := "SELECT city_id, sector, COUNT(DISTINCT partner_id) FROM (" + strings.Join(sqls, " UNION ALL ") + ") u GROUP BY city_id, sector"
	if len(sources) == 1 {
		// The same count, without a subquery.
		query = sources[0].counted
		if sources[0].countedArgs != nil {
			args = sources[0].countedArgs
		}
	}
	return e.scan(ctx, query, args,
		func([]any) error {
			f.cityM(id).partners += n
			f.dimM(models.DimSector, key).partners += n
			return nil
		}, &id, &key, &n)
}

// periodFacts reads the facts of q: the whole months of its period from
// the roll-ups, and the days before its first whole month and after its
// last from the raw tables, restricted to those days through the indexes
// on dates. A period within two months reads the raw tables only.
func (e *Engine) periodFacts(ctx context.Context, q Query) (*facts, error) {
	whole, parts, ok := q.split()
	if !ok {
		return e.rawFacts(ctx, q, true)
	}
	f, err := e.rollupFacts(ctx, whole)
	if err != nil {
		return nil, err
	}
	sources := []partnerSource{rollupPartners(whole)}
	for _, part := range parts {
		// The day roll-ups answer whole days; a period that starts or
		// ends within a day (the API only asks for dates) reads raw.
		days := midnight(part.From) && midnight(part.To)
		var pf *facts
		if days && part.CityID == 0 && part.Country == "" && part.Cohort == 0 {
			pf, err = e.dayFacts(ctx, part)
		} else {
			// A country, a cohort or a city: few rows, read raw.
			pf, err = e.rawFacts(ctx, part, false)
		}
		if err != nil {
			return nil, err
		}
		f.add(pf)
		if days {
			sources = append(sources, dayPartners(part))
		} else {
			sources = append(sources, rawPartners(part))
		}
	}
	return f, e.countPartners(ctx, f, sources...)
}

// midnight reports whether t is the start of a day, UTC.
func midnight(t time.Time) bool {
	t = t.UTC()
	return t.Equal(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC))
}

// dayRange is the month of a part of a period within one month, and the
// bit set of its days (bit d-1 for day d).
func (q Query) dayRange() (month int, d1, d2 int, days int64) {
	d1, d2 = rollup.DayOf(q.From), rollup.DayOf(q.To.Add(-time.Nanosecond))
	for d := d1 % 100; d <= d2%100; d++ {
		days |= 1 << (d - 1)
	}
	return d1 / 100, d1, d2, days
}

// dayPartners are the partners engaged in a part of a period within one
// month, from the partners' day bit sets.
func dayPartners(q Query) partnerSource {
	month, _, _, days := q.dayRange()
	place, placeArgs := q.placeCond("city_id")
	w := (&where{}).add(place, placeArgs...).add("month = ?", month).add("(days & ?) != 0", days)
	if q.CampaignID != 0 {
		w.add("campaign_id = ?", q.CampaignID)
	}
	return newPartnerSource("partner_id", "city_id", "sector", " FROM ru_partner_month WHERE "+w.sql(), w.args)
}

// dayFacts reads the facts of a part of a period within one month, for
// the network or a region, from the day-grain roll-ups; its partners are
// counted with the whole period's (countPartners).
func (e *Engine) dayFacts(ctx context.Context, q Query) (*facts, error) {
	f := newFacts()
	month, d1, d2, _ := q.dayRange()
	place, placeArgs := q.placeCond("city_id")
	w := (&where{}).add(place, placeArgs...).add("day >= ? AND day <= ?", d1, d2)
	if q.CampaignID != 0 {
		w.add("campaign_id = ?", q.CampaignID)
	}
	var (
		id      uint
		n       int64
		a, b, c int64
	)
	mm := f.monthM(month)
	if err := e.scan(ctx, "SELECT city_id, CAST(SUM(events_held) AS BIGINT), CAST(SUM(participants) AS BIGINT), CAST(SUM(stories_published) AS BIGINT) FROM ru_city_day WHERE "+w.sql()+" GROUP BY city_id", w.args,
		func([]any) error {
			cm := f.cityM(id)
			cm.events, cm.participants, cm.stories = a, b, c
			mm.events, mm.participants, mm.stories, mm.active = mm.events+a, mm.participants+b, mm.stories+c, mm.active+1
			return nil
		}, &id, &a, &b, &c); err != nil {
		return nil, err
	}
	partners := dayPartners(q)
	if err := e.scan(ctx, "SELECT COUNT(DISTINCT partner_id) FROM ("+partners.rows+") p", partners.args,
		func([]any) error { mm.partners = n; return nil }, &n); err != nil {
		return nil, err
	}
	table, dw := "rn_dim_day", (&where{}).add("day >= ? AND day <= ?", d1, d2)
	if q.Region != "" {
		table = "rr_dim_day"
		dw.add("region = ?", q.Region)
	}
	if q.CampaignID != 0 {
		dw.add("campaign_id = ?", q.CampaignID)
	}
	if err := e.scanDims(ctx, f, table, dw); err != nil {
		return nil, err
	}
	return f, nil
}

// split divides the period of q into its whole months and the days before
// and after them. ok is false when the period holds no whole month.
func (q Query) split() (whole Query, parts []Query, ok bool) {
	first := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC) }
	whole = q
	if !q.From.IsZero() {
		if from := q.From.UTC(); !first(from).Equal(from) {
			whole.From = first(from).AddDate(0, 1, 0)
		}
	}
	if !q.To.IsZero() {
		whole.To = first(q.To.UTC())
	}
	if !whole.From.IsZero() && !whole.To.IsZero() && !whole.From.Before(whole.To) {
		return q, nil, false
	}
	if !q.From.IsZero() && !whole.From.Equal(q.From.UTC()) {
		head := q
		head.To = whole.From
		parts = append(parts, head)
	}
	if !q.To.IsZero() && !whole.To.Equal(q.To.UTC()) {
		tail := q
		tail.From = whole.To
		parts = append(parts, tail)
	}
	return whole, parts, true
}

// add adds the facts of g, read over other days than f's, to f. Months
// are never in both; partners are counted over the whole period apart.
func (f *facts) add(g *facts) {
	for id, m := range g.city {
		cm := f.cityM(id)
		cm.events += m.events
		cm.participants += m.participants
		cm.stories += m.stories
	}
	for month, m := range g.month {
		f.month[month] = m
	}
	for dim, keys := range g.dims {
		for key, m := range keys {
			dm := f.dimM(dim, key)
			dm.events += m.events
			dm.participants += m.participants
			dm.stories += m.stories
		}
	}
}

// yearMonthsCond selects the partner-year rows with a held event in the
// months m1..m2 (either may be 0 for open).
func yearMonthsCond(m1, m2 int) (string, []any) {
	y1, y2 := 0, 9999
	mo1, mo2 := 1, 12
	if m1 != 0 {
		y1, mo1 = m1/100, m1%100
	}
	if m2 != 0 {
		y2, mo2 = m2/100, m2%100
	}
	bits := func(from, to int) int64 {
		var b int64
		for m := from; m <= to; m++ {
			b |= 1 << (m - 1)
		}
		return b
	}
	if y1 == y2 {
		return "(year = ? AND (months & ?) != 0)", []any{y1, bits(mo1, mo2)}
	}
	return "((year = ? AND (months & ?) != 0) OR (year > ? AND year < ?) OR (year = ? AND (months & ?) != 0))",
		[]any{y1, bits(mo1, 12), y1, y2, y2, bits(1, mo2)}
}

// heldEvents is the condition on events e held in the scope and period of q.
func (q Query) heldEvents() *where { return q.rawCond("e", models.StatusHeld, "starts_at") }

// publishedStories is the condition on stories st published and
// submitted in the scope and period of q.
func (q Query) publishedStories() *where {
	return q.rawCond("st", models.StoryPublished, "submitted_at")
}

// rawCond is the condition on the rows of a raw table (alias) with the
// status that counts (models.StatusHeld, models.StoryPublished), in the
// scope of q and with the time column in its period.
func (q Query) rawCond(alias string, status any, at string) *where {
	place, args := q.placeCond(alias + ".city_id")
	w := (&where{}).add(alias+".status = ?", status).add(place, args...)
	if q.CampaignID != 0 {
		w.add(alias+".campaign_id = ?", q.CampaignID)
	}
	if !q.From.IsZero() {
		w.add(alias+"."+at+" >= ?", q.From.UTC())
	}
	if !q.To.IsZero() {
		w.add(alias+"."+at+" < ?", q.To.UTC())
	}
	return w
}

// rawFacts computes the facts of any query from the raw tables; the
// distinct partners per city and sector only when partners is true.
func (e *Engine) rawFacts(ctx context.Context, q Query, partners bool) (*facts, error) {
	f := newFacts()
	ev, st := q.heldEvents(), q.publishedStories()
	mE, mS := e.dialect.Month("e.starts_at"), e.dialect.Month("st.submitted_at")
	var (
		id      uint
		m       int
		key     string
		a, b, n int64
	)
	steps := []struct {
		sql  string
		args []any
		fn   func([]any) error
		dst  []any
	}{
		{"SELECT e.city_id, COUNT(*), COALESCE(SUM(e.participants), 0) FROM events e WHERE " + ev.sql() + " GROUP BY e.city_id", ev.args,
			func([]any) error { cm := f.cityM(id); cm.events, cm.participants = a, b; return nil }, []any{&id, &a, &b}},
		{"SELECT st.city_id, COUNT(*) FROM stories st WHERE " + st.sql() + " GROUP BY st.city_id", st.args,
			func([]any) error { f.cityM(id).stories = n; return nil }, []any{&id, &n}},
		{"SELECT " + mE + ", COUNT(*), COALESCE(SUM(e.participants), 0) FROM events e WHERE " + ev.sql() + " GROUP BY " + mE, ev.args,
			func([]any) error { mm := f.monthM(m); mm.events, mm.participants = a, b; return nil }, []any{&m, &a, &b}},
		{"SELECT " + mS + ", COUNT(*) FROM stories st WHERE " + st.sql() + " GROUP BY " + mS, st.args,
			func([]any) error { f.monthM(m).stories = n; return nil }, []any{&m, &n}},
		{"SELECT month, COUNT(DISTINCT city_id) FROM (SELECT e.city_id, " + mE + " AS month FROM events e WHERE " + ev.sql() +
			" UNION SELECT st.city_id, " + mS + " FROM stories st WHERE " + st.sql() + ") active GROUP BY month", append(append([]any{}, ev.args...), st.args...),
			func([]any) error { f.monthM(m).active = n; return nil }, []any{&m, &n}},
		{"SELECT " + mE + ", COUNT(DISTINCT ep.partner_id) FROM events e JOIN event_partners ep ON ep.event_id = e.id WHERE " + ev.sql() + " GROUP BY " + mE, ev.args,
			func([]any) error { f.monthM(m).partners = n; return nil }, []any{&m, &n}},
		{"SELECT a.area, COUNT(*), COALESCE(SUM(e.participants), 0) FROM events e JOIN event_learning_areas a ON a.event_id = e.id WHERE " + ev.sql() + " GROUP BY a.area", ev.args,
			func([]any) error { dm := f.dimM(models.DimArea, key); dm.events, dm.participants = a, b; return nil }, []any{&key, &a, &b}},
		{"SELECT a.area, COUNT(*) FROM stories st JOIN story_learning_areas a ON a.story_id = st.id WHERE " + st.sql() + " GROUP BY a.area", st.args,
			func([]any) error { f.dimM(models.DimArea, key).stories = n; return nil }, []any{&key, &n}},
		{"SELECT g.age_group, COUNT(*), COALESCE(SUM(g.participants), 0) FROM events e JOIN event_age_groups g ON g.event_id = e.id WHERE " + ev.sql() + " GROUP BY g.age_group", ev.args,
			func([]any) error { dm := f.dimM(models.DimAge, key); dm.events, dm.participants = a, b; return nil }, []any{&key, &a, &b}},
		{"SELECT st.age_group, COUNT(*) FROM stories st WHERE " + st.sql() + " GROUP BY st.age_group", st.args,
			func([]any) error { f.dimM(models.DimAge, key).stories = n; return nil }, []any{&key, &n}},
		{"SELECT e.format, COUNT(*), COALESCE(SUM(e.participants), 0) FROM events e WHERE " + ev.sql() + " GROUP BY e.format", ev.args,
			func([]any) error { dm := f.dimM(models.DimFormat, key); dm.events, dm.participants = a, b; return nil }, []any{&key, &a, &b}},
		{"SELECT p.sector, COUNT(DISTINCT e.id) FROM events e JOIN event_partners ep ON ep.event_id = e.id JOIN partners p ON p.id = ep.partner_id WHERE " + ev.sql() + " GROUP BY p.sector", ev.args,
			func([]any) error { f.dimM(models.DimSector, key).events = n; return nil }, []any{&key, &n}},
	}
	for i, step := range steps {
		if err := e.scan(ctx, step.sql, step.args, step.fn, step.dst...); err != nil {
			return nil, fmt.Errorf("step %d: %w", i+1, err)
		}
	}
	if partners {
		return f, e.countPartners(ctx, f, rawPartners(q))
	}
	return f, nil
}

// scopeCities lists the cities of the query's place filters, by name.
func (e *Engine) scopeCities(ctx context.Context, q Query) ([]models.City, error) {
	return e.src.Cities(ctx, models.CityFilter{ID: q.CityID, Region: q.Region, Country: q.Country, Cohort: q.Cohort})
}

// group are the figures of a group of cities in scope: a region, a country.
type group struct {
	measures
	cities    int64
	countries map[string]bool
}

// value is the figure f of the group.
func (g *group) value(f models.Figure) int64 {
	switch f {
	case models.FigureMemberCities:
		return g.cities
	case models.FigureCountries:
		return int64(len(g.countries))
	}
	return g.measures.value(f)
}

// assemble builds the report from an engine's facts: the one place where
// figures are combined into totals and breakdowns. Each breakdown's rows
// have the figures the registry (models.AllBreakdowns) gives it.
func (e *Engine) assemble(ctx context.Context, q Query, f *facts) (*models.Report, error) {
	cities, err := e.scopeCities(ctx, q)
	if err != nil {
		return nil, err
	}
	r := &models.Report{}
	t := &r.Totals
	regions, countries := map[string]*group{}, map[string]*group{}
	perCity := make([]measures, len(cities))
	for i, c := range cities {
		cm := &perCity[i]
		if m := f.city[c.ID]; m != nil {
			*cm = *m
		}
		cm.active = 0
		if cm.events > 0 || cm.stories > 0 {
			cm.active = 1
		}
		t.MemberCities++
		t.ActiveCities += cm.active
		t.EventsHeld += cm.events
		t.Participants += cm.participants
		t.StoriesPublished += cm.stories
		t.PartnersEngaged += cm.partners
		for _, g := range []*group{ensure(regions, string(c.Region)), ensure(countries, c.Country)} {
			g.cities++
			if g.countries == nil {
				g.countries = map[string]bool{}
			}
			g.countries[c.Country] = true
			g.active += cm.active
			g.events += cm.events
			g.participants += cm.participants
			g.stories += cm.stories
			g.partners += cm.partners
		}
	}
	t.Countries = int64(len(countries))
	// row is a row of breakdown bd: the figures of the registry, from v.
	row := func(bd models.Breakdown, key, label string, v interface{ value(models.Figure) int64 }) models.Row {
		out := models.Row{Key: key, Label: label}
		for _, fig := range bd.Figures {
			out.Set(fig, v.value(fig))
		}
		return out
	}
	for _, bd := range models.AllBreakdowns() {
		var rows []models.Row
		switch bd.From {
		case models.FromRegions:
			for _, k := range bd.Keys() {
				if g := regions[k]; g != nil {
					rows = append(rows, row(bd, k, "", g))
				}
			}
		case models.FromCountries:
			for _, code := range slices.Sorted(maps.Keys(countries)) {
				rows = append(rows, row(bd, code, "", countries[code]))
			}
		case models.FromCities:
			for i, c := range cities {
				rows = append(rows, row(bd, c.Slug, c.Name, &perCity[i]))
			}
		case models.FromMonths:
			for _, m := range reportMonths(q, f) {
				rows = append(rows, row(bd, fmt.Sprintf("%04d-%02d", m/100, m%100), "", orZero(f.month[m])))
			}
		case models.FromDimension:
			for _, k := range bd.Keys() {
				rows = append(rows, row(bd, k, "", orZero(f.dims[bd.Dim][k])))
			}
		}
		*bd.Rows(&r.Breakdowns) = rows
	}
	return r, nil
}

// orZero is m, or no figures when m is nil.
func orZero(m *measures) *measures {
	if m == nil {
		return &measures{}
	}
	return m
}

// reportMonths lists every month of the period; an open end stops at the
// first or last month with data.
func reportMonths(q Query, f *facts) []int {
	m1, m2 := q.monthRange()
	lo, hi := 0, 0
	for m := range f.month {
		if lo == 0 || m < lo {
			lo = m
		}
		if m > hi {
			hi = m
		}
	}
	if m1 == 0 {
		m1 = lo
	}
	if m2 == 0 {
		m2 = hi
	}
	var out []int
	for m := m1; m != 0 && m <= m2 && len(out) < 600; m = rollup.NextMonth(m) {
		out = append(out, m)
	}
	return out
}

func ensure[K comparable, V any](m map[K]*V, k K) *V {
	if m[k] == nil {
		m[k] = new(V)
	}
	return m[k]
}

// sortQuiet puts the longest quiet cities first: never active, then by
// the month they were last active.
func sortQuiet(cities []QuietCity) {
	slices.SortStableFunc(cities, func(a, b QuietCity) int {
		switch {
		case a.LastActive == nil && b.LastActive == nil:
			return 0
		case a.LastActive == nil:
			return -1
		case b.LastActive == nil:
			return 1
		}
		return a.LastActive.Compare(*b.LastActive)
	})
}

// QuietCity is a city with no activity since a date, and when it last had some.
type QuietCity struct {
	City models.City
	// LastActive is the last month with a held event or a published
	// story; nil when there was never any.
	LastActive *time.Time
}

// reportCache keeps recent reports by query, each with the data version
// it was computed at.
type reportCache struct {
	mu      sync.Mutex
	size    int
	entries map[Query]cachedReport
	order   []Query
}

type cachedReport struct {
	version int64
	report  *models.Report
}

func newReportCache(size int) *reportCache {
	return &reportCache{size: size, entries: map[Query]cachedReport{}}
}

// get returns a copy of the report of q if it was computed at version.
func (c *reportCache) get(q Query, version int64) (*models.Report, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[q]
	if !ok || e.version != version {
		return nil, false
	}
	return cloneReport(e.report), true
}

// totals returns the headline figures of q if its report was computed
// at version.
func (c *reportCache) totals(q Query, version int64) (models.Totals, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[q]
	if !ok || e.version != version {
		return models.Totals{}, false
	}
	return e.report.Totals, true
}

// put keeps r, forgetting the oldest query when full.
func (c *reportCache) put(q Query, version int64, r *models.Report) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[q]; !ok {
		c.order = append(c.order, q)
		if len(c.order) > c.size {
			delete(c.entries, c.order[0])
			c.order = c.order[1:]
		}
	}
	c.entries[q] = cachedReport{version, r}
}

// cloneReport copies the report's rows, so that a caller may label or
// sort them.
func cloneReport(r *models.Report) *models.Report {
	out := *r
	for _, bd := range models.AllBreakdowns() {
		rows := bd.Rows(&out.Breakdowns)
		*rows = append([]models.Row(nil), (*rows)...)
	}
	return &out
}
