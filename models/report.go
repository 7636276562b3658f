package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
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

// ReportQuery scopes a report. Zero values match everything. From is
// inclusive and To exclusive; both are dates (midnight UTC).
type ReportQuery struct {
	From, To   time.Time
	CampaignID uint
	Region     Region
	Country    string
	CityID     uint
	// Cohort is the year cities joined the network.
	Cohort int
}

// Figure names one of the report's figures. Its value is the figure's key
// in JSON, CSV headers and catalog ids ("figure.<value>").
type Figure string

// The figures, defined above.
const (
	FigureMemberCities     Figure = "member_cities"
	FigureCountries        Figure = "countries"
	FigureActiveCities     Figure = "active_cities"
	FigureEventsHeld       Figure = "events_held"
	FigureParticipants     Figure = "participants"
	FigureStoriesPublished Figure = "stories_published"
	FigurePartnersEngaged  Figure = "partners_engaged"
)

// Figures lists every figure in the order reports show them.
func Figures() []Figure {
	return []Figure{FigureMemberCities, FigureCountries, FigureActiveCities, FigureEventsHeld,
		FigureParticipants, FigureStoriesPublished, FigurePartnersEngaged}
}

// Valid reports whether f is one of Figures.
func (f Figure) Valid() bool { return slices.Contains(Figures(), f) }

// Totals are the headline figures of a report.
type Totals struct {
	MemberCities     int64 `json:"member_cities"`
	Countries        int64 `json:"countries"`
	ActiveCities     int64 `json:"active_cities"`
	EventsHeld       int64 `json:"events_held"`
	Participants     int64 `json:"participants"`
	StoriesPublished int64 `json:"stories_published"`
	PartnersEngaged  int64 `json:"partners_engaged"`
}

// Value is the figure f of the totals (0 for an unknown figure).
func (t Totals) Value(f Figure) int64 {
	switch f {
	case FigureMemberCities:
		return t.MemberCities
	case FigureCountries:
		return t.Countries
	case FigureActiveCities:
		return t.ActiveCities
	case FigureEventsHeld:
		return t.EventsHeld
	case FigureParticipants:
		return t.Participants
	case FigureStoriesPublished:
		return t.StoriesPublished
	case FigurePartnersEngaged:
		return t.PartnersEngaged
	}
	return 0
}

// Row is one line of a breakdown: its key, its label and the figures that
// apply to it (the others are nil).
type Row struct {
	Key              string `json:"key"`
	Label            string `json:"label"`
	MemberCities     *int64 `json:"member_cities,omitempty"`
	Countries        *int64 `json:"countries,omitempty"`
	ActiveCities     *int64 `json:"active_cities,omitempty"`
	EventsHeld       *int64 `json:"events_held,omitempty"`
	Participants     *int64 `json:"participants,omitempty"`
	StoriesPublished *int64 `json:"stories_published,omitempty"`
	PartnersEngaged  *int64 `json:"partners_engaged,omitempty"`
}

// Value is the figure f of the row, or nil when f does not apply to it.
func (r Row) Value(f Figure) *int64 {
	switch f {
	case FigureMemberCities:
		return r.MemberCities
	case FigureCountries:
		return r.Countries
	case FigureActiveCities:
		return r.ActiveCities
	case FigureEventsHeld:
		return r.EventsHeld
	case FigureParticipants:
		return r.Participants
	case FigureStoriesPublished:
		return r.StoriesPublished
	case FigurePartnersEngaged:
		return r.PartnersEngaged
	}
	return nil
}

// Breakdowns split the figures by one dimension each.
type Breakdowns struct {
	ByRegion        []Row `json:"by_region"`
	ByCountry       []Row `json:"by_country"`
	ByCity          []Row `json:"by_city"`
	ByMonth         []Row `json:"by_month"`
	ByLearningArea  []Row `json:"by_learning_area"`
	ByAgeGroup      []Row `json:"by_age_group"`
	ByPartnerSector []Row `json:"by_partner_sector"`
	ByFormat        []Row `json:"by_format"`
}

// Report is the totals and breakdowns of a query.
type Report struct {
	Totals     Totals     `json:"totals"`
	Breakdowns Breakdowns `json:"breakdowns"`
}

// measures are summed figures of one group.
type measures struct {
	events, participants, stories, partners, active int64
}

// facts are what an engine reads; assemble turns them into a report.
type facts struct {
	city           map[uint]*measures              // per city over the period; partners distinct over the period
	sectorPartners map[string]int64                // distinct partners of the period per sector
	month          map[int]*measures               // per month; partners distinct within the month, active = cities
	dims           map[string]map[string]*measures // dimension → key → figures
}

func newFacts() *facts {
	return &facts{city: map[uint]*measures{}, sectorPartners: map[string]int64{}, month: map[int]*measures{}, dims: map[string]map[string]*measures{}}
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

func (f *facts) dimM(dim, key string) *measures {
	if f.dims[dim] == nil {
		f.dims[dim] = map[string]*measures{}
	}
	if f.dims[dim][key] == nil {
		f.dims[dim][key] = &measures{}
	}
	return f.dims[dim][key]
}

// monthRange is the first and last month of the period (0 when open).
func (q ReportQuery) monthRange() (int, int) {
	m1, m2 := 0, 0
	if !q.From.IsZero() {
		m1 = monthOf(q.From.UTC())
	}
	if !q.To.IsZero() {
		m2 = monthOf(q.To.UTC().Add(-time.Nanosecond))
	}
	return m1, m2
}

// placeCond is the condition on a city id column for the query's place
// filters, or "" when it has none.
func (q ReportQuery) placeCond(col string) (string, []any) {
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

// Report computes the report of q (ComputeReport). Reports are kept for
// as long as no write has changed the data of their scope (see
// bumpDataVersion), so a busy page does not recompute what it already
// knows, and a write to one city leaves the other cities' reports be;
// the caller gets its own copy to change.
func (s *Store) Report(ctx context.Context, q ReportQuery) (*Report, error) {
	version, err := s.scopeVersion(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	if r, ok := s.reports.get(q, version); ok {
		s.reportHits.Add(1)
		return r, nil
	}
	r, err := s.ComputeReport(ctx, q)
	if err != nil {
		return nil, err
	}
	s.reports.put(q, version, r)
	return r.clone(), nil
}

// ReportCacheHits is how many reports the cache has answered.
func (s *Store) ReportCacheHits() int64 { return s.reportHits.Load() }

// ComputeReport computes the report of q without the cache: the whole
// months of its period from the roll-ups, the days of the months at its
// ends from the raw tables.
func (s *Store) ComputeReport(ctx context.Context, q ReportQuery) (*Report, error) {
	f, err := s.periodFacts(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return s.assemble(ctx, q, f)
}

// ReportFromRaw computes the report of q straight from the raw tables: the
// reference the roll-ups must always equal.
func (s *Store) ReportFromRaw(ctx context.Context, q ReportQuery) (*Report, error) {
	f, err := s.rawFacts(ctx, q, true)
	if err != nil {
		return nil, fmt.Errorf("report from raw tables: %w", err)
	}
	return s.assemble(ctx, q, f)
}

// Totals computes only the headline figures of q, from the cache when it
// has the report (without copying its breakdowns).
func (s *Store) Totals(ctx context.Context, q ReportQuery) (Totals, error) {
	version, err := s.scopeVersion(ctx, q)
	if err != nil {
		return Totals{}, fmt.Errorf("report: %w", err)
	}
	if t, ok := s.reports.totals(q, version); ok {
		s.reportHits.Add(1)
		return t, nil
	}
	r, err := s.Report(ctx, q)
	if err != nil {
		return Totals{}, err
	}
	return r.Totals, nil
}

// scan runs a query and hands each row's values to fn.
func (s *Store) scan(ctx context.Context, query string, args []any, fn func(vals []any) error, dst ...any) error {
	rows, err := s.db.WithContext(ctx).Raw(query, args...).Rows()
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
func (s *Store) rollupFacts(ctx context.Context, q ReportQuery) (*facts, error) {
	f := newFacts()
	m1, m2 := q.monthRange()
	place, placeArgs := q.placeCond("city_id")
	// base is the condition on a roll-up table's place, campaign and months.
	base := func(place string, placeArgs []any) *where {
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
	var (
		id            uint
		m             int
		key, dim      string
		a, b, c, d, n int64
	)
	w := base(place, placeArgs)
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
	if err := s.scan(ctx, cities, w.args,
		func([]any) error {
			cm := f.cityM(id)
			cm.events, cm.participants, cm.stories = a, b, c
			return nil
		}, &id, &a, &b, &c); err != nil {
		return nil, err
	}
	if err := s.scan(ctx, months, w.args,
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
		if err := s.scan(ctx, "SELECT month, CAST(SUM(partners) AS BIGINT) FROM ru_city_month_partners WHERE "+w.sql()+" GROUP BY month", w.args,
			func([]any) error { f.monthM(m).partners = n; return nil }, &m, &n); err != nil {
			return nil, err
		}
	}
	// The smallest table that answers: network, region, or per city.
	dimTable, dw := "rn_dim", base("", nil)
	switch {
	case q.Region != "" && q.Country == "" && q.CityID == 0 && q.Cohort == 0:
		dimTable, dw = "rr_dim", base("region = ?", []any{q.Region})
	case place != "":
		dimTable, dw = "ru_dim", base(place, placeArgs)
	}
	if err := s.scan(ctx, "SELECT dim, dkey, CAST(SUM(events_held) AS BIGINT), CAST(SUM(participants) AS BIGINT), CAST(SUM(stories_published) AS BIGINT) FROM "+dimTable+" WHERE "+dw.sql()+" GROUP BY dim, dkey", dw.args,
		func([]any) error {
			dm := f.dimM(dim, key)
			dm.events, dm.participants, dm.stories = a, b, c
			return nil
		}, &dim, &key, &a, &b, &c); err != nil {
		return nil, err
	}
	return f, nil
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
func (q ReportQuery) allTime() bool {
	return q.From.IsZero() && q.To.IsZero() && q.CampaignID == 0
}

// rollupPartners are the partners engaged in the whole months of q, from
// the partner roll-ups.
func rollupPartners(q ReportQuery) partnerSource {
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
func rawPartners(q ReportQuery) partnerSource {
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
func (s *Store) countPartners(ctx context.Context, f *facts, sources ...partnerSource) error {
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
	return s.scan(ctx, query, args,
		func([]any) error {
			f.cityM(id).partners += n
			f.sectorPartners[key] += n
			return nil
		}, &id, &key, &n)
}

// periodFacts reads the facts of q: the whole months of its period from
// the roll-ups, and the days before its first whole month and after its
// last from the raw tables, restricted to those days through the indexes
// on dates. A period within two months reads the raw tables only.
func (s *Store) periodFacts(ctx context.Context, q ReportQuery) (*facts, error) {
	whole, parts, ok := q.split()
	if !ok {
		return s.rawFacts(ctx, q, true)
	}
	f, err := s.rollupFacts(ctx, whole)
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
			pf, err = s.dayFacts(ctx, part)
		} else {
			// A country, a cohort or a city: few rows, read raw.
			pf, err = s.rawFacts(ctx, part, false)
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
	return f, s.countPartners(ctx, f, sources...)
}

// midnight reports whether t is the start of a day, UTC.
func midnight(t time.Time) bool {
	t = t.UTC()
	return t.Equal(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC))
}

// dayRange is the month of a part of a period within one month, and the
// bit set of its days (bit d-1 for day d).
func (q ReportQuery) dayRange() (month int, d1, d2 int, days int64) {
	d1, d2 = dayOf(q.From), dayOf(q.To.Add(-time.Nanosecond))
	for d := d1 % 100; d <= d2%100; d++ {
		days |= 1 << (d - 1)
	}
	return d1 / 100, d1, d2, days
}

// dayPartners are the partners engaged in a part of a period within one
// month, from the partners' day bit sets.
func dayPartners(q ReportQuery) partnerSource {
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
func (s *Store) dayFacts(ctx context.Context, q ReportQuery) (*facts, error) {
	f := newFacts()
	month, d1, d2, _ := q.dayRange()
	place, placeArgs := q.placeCond("city_id")
	w := (&where{}).add(place, placeArgs...).add("day >= ? AND day <= ?", d1, d2)
	if q.CampaignID != 0 {
		w.add("campaign_id = ?", q.CampaignID)
	}
	var (
		id       uint
		n        int64
		dim, key string
		a, b, c  int64
	)
	mm := f.monthM(month)
	if err := s.scan(ctx, "SELECT city_id, CAST(SUM(events_held) AS BIGINT), CAST(SUM(participants) AS BIGINT), CAST(SUM(stories_published) AS BIGINT) FROM ru_city_day WHERE "+w.sql()+" GROUP BY city_id", w.args,
		func([]any) error {
			cm := f.cityM(id)
			cm.events, cm.participants, cm.stories = a, b, c
			mm.events, mm.participants, mm.stories, mm.active = mm.events+a, mm.participants+b, mm.stories+c, mm.active+1
			return nil
		}, &id, &a, &b, &c); err != nil {
		return nil, err
	}
	partners := dayPartners(q)
	if err := s.scan(ctx, "SELECT COUNT(DISTINCT partner_id) FROM ("+partners.rows+") p", partners.args,
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
	if err := s.scan(ctx, "SELECT dim, dkey, CAST(SUM(events_held) AS BIGINT), CAST(SUM(participants) AS BIGINT), CAST(SUM(stories_published) AS BIGINT) FROM "+table+" WHERE "+dw.sql()+" GROUP BY dim, dkey", dw.args,
		func([]any) error {
			dm := f.dimM(dim, key)
			dm.events, dm.participants, dm.stories = a, b, c
			return nil
		}, &dim, &key, &a, &b, &c); err != nil {
		return nil, err
	}
	return f, nil
}

// split divides the period of q into its whole months and the days before
// and after them. ok is false when the period holds no whole month.
func (q ReportQuery) split() (whole ReportQuery, parts []ReportQuery, ok bool) {
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
func (q ReportQuery) heldEvents() *where { return q.rawCond("e", "held", "starts_at") }

// publishedStories is the condition on stories st published and
// submitted in the scope and period of q.
func (q ReportQuery) publishedStories() *where { return q.rawCond("st", "published", "submitted_at") }

// rawCond is the condition on the rows of a raw table (alias) with the
// status that count, in the scope of q and with the time column in its
// period.
func (q ReportQuery) rawCond(alias, status, at string) *where {
	place, args := q.placeCond(alias + ".city_id")
	w := (&where{}).add(alias+".status = '"+status+"'").add(place, args...)
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
func (s *Store) rawFacts(ctx context.Context, q ReportQuery, partners bool) (*facts, error) {
	f := newFacts()
	ev, st := q.heldEvents(), q.publishedStories()
	mE, mS := s.sqlMonth("e.starts_at"), s.sqlMonth("st.submitted_at")
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
			func([]any) error { dm := f.dimM("area", key); dm.events, dm.participants = a, b; return nil }, []any{&key, &a, &b}},
		{"SELECT a.area, COUNT(*) FROM stories st JOIN story_learning_areas a ON a.story_id = st.id WHERE " + st.sql() + " GROUP BY a.area", st.args,
			func([]any) error { f.dimM("area", key).stories = n; return nil }, []any{&key, &n}},
		{"SELECT g.age_group, COUNT(*), COALESCE(SUM(g.participants), 0) FROM events e JOIN event_age_groups g ON g.event_id = e.id WHERE " + ev.sql() + " GROUP BY g.age_group", ev.args,
			func([]any) error { dm := f.dimM("age", key); dm.events, dm.participants = a, b; return nil }, []any{&key, &a, &b}},
		{"SELECT st.age_group, COUNT(*) FROM stories st WHERE " + st.sql() + " GROUP BY st.age_group", st.args,
			func([]any) error { f.dimM("age", key).stories = n; return nil }, []any{&key, &n}},
		{"SELECT e.format, COUNT(*), COALESCE(SUM(e.participants), 0) FROM events e WHERE " + ev.sql() + " GROUP BY e.format", ev.args,
			func([]any) error { dm := f.dimM("format", key); dm.events, dm.participants = a, b; return nil }, []any{&key, &a, &b}},
		{"SELECT p.sector, COUNT(DISTINCT e.id) FROM events e JOIN event_partners ep ON ep.event_id = e.id JOIN partners p ON p.id = ep.partner_id WHERE " + ev.sql() + " GROUP BY p.sector", ev.args,
			func([]any) error { f.dimM("sector", key).events = n; return nil }, []any{&key, &n}},
	}
	for i, step := range steps {
		if err := s.scan(ctx, step.sql, step.args, step.fn, step.dst...); err != nil {
			return nil, fmt.Errorf("step %d: %w", i+1, err)
		}
	}
	if partners {
		return f, s.countPartners(ctx, f, rawPartners(q))
	}
	return f, nil
}

// scopeCities lists the cities of the query's place filters.
func (s *Store) scopeCities(ctx context.Context, q ReportQuery) ([]City, error) {
	db := s.db.WithContext(ctx).Model(&City{})
	if q.CityID != 0 {
		db = db.Where("id = ?", q.CityID)
	}
	if q.Region != "" {
		db = db.Where("region = ?", q.Region)
	}
	if q.Country != "" {
		db = db.Where("country = ?", q.Country)
	}
	if q.Cohort != 0 {
		db = db.Where("joined_year = ?", q.Cohort)
	}
	var cities []City
	err := db.Order("name, id").Find(&cities).Error
	return cities, err
}

// assemble builds the report from an engine's facts: the one place where
// figures are combined into totals and breakdowns.
func (s *Store) assemble(ctx context.Context, q ReportQuery, f *facts) (*Report, error) {
	cities, err := s.scopeCities(ctx, q)
	if err != nil {
		return nil, err
	}
	r := &Report{}
	t := &r.Totals
	type group struct {
		m         measures
		cities    int64
		countries map[string]bool
	}
	regions, countries := map[Region]*group{}, map[string]*group{}
	countrySet := map[string]bool{}
	for _, c := range cities {
		cm := f.city[c.ID]
		if cm == nil {
			cm = &measures{}
		}
		active := int64(0)
		if cm.events > 0 || cm.stories > 0 {
			active = 1
		}
		t.MemberCities++
		countrySet[c.Country] = true
		t.ActiveCities += active
		t.EventsHeld += cm.events
		t.Participants += cm.participants
		t.StoriesPublished += cm.stories
		t.PartnersEngaged += cm.partners
		for _, g := range []*group{ensure(regions, c.Region), ensure(countries, c.Country)} {
			g.cities++
			if g.countries == nil {
				g.countries = map[string]bool{}
			}
			g.countries[c.Country] = true
			g.m.active += active
			g.m.events += cm.events
			g.m.participants += cm.participants
			g.m.stories += cm.stories
			g.m.partners += cm.partners
		}
		r.Breakdowns.ByCity = append(r.Breakdowns.ByCity, Row{
			Key: c.Slug, Label: c.Name, ActiveCities: ptr(active), EventsHeld: ptr(cm.events),
			Participants: ptr(cm.participants), StoriesPublished: ptr(cm.stories), PartnersEngaged: ptr(cm.partners),
		})
	}
	t.Countries = int64(len(countrySet))
	placeRow := func(key string, g *group) Row {
		return Row{
			Key: key, MemberCities: ptr(g.cities), Countries: ptr(int64(len(g.countries))), ActiveCities: ptr(g.m.active),
			EventsHeld: ptr(g.m.events), Participants: ptr(g.m.participants), StoriesPublished: ptr(g.m.stories), PartnersEngaged: ptr(g.m.partners),
		}
	}
	for _, reg := range Regions() {
		if g := regions[reg]; g != nil {
			r.Breakdowns.ByRegion = append(r.Breakdowns.ByRegion, placeRow(string(reg), g))
		}
	}
	codes := make([]string, 0, len(countries))
	for code := range countries {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		row := placeRow(code, countries[code])
		row.Countries = nil
		r.Breakdowns.ByCountry = append(r.Breakdowns.ByCountry, row)
	}
	for _, m := range reportMonths(q, f) {
		mm := f.month[m]
		if mm == nil {
			mm = &measures{}
		}
		r.Breakdowns.ByMonth = append(r.Breakdowns.ByMonth, Row{
			Key: fmt.Sprintf("%04d-%02d", m/100, m%100), ActiveCities: ptr(mm.active), EventsHeld: ptr(mm.events),
			Participants: ptr(mm.participants), StoriesPublished: ptr(mm.stories), PartnersEngaged: ptr(mm.partners),
		})
	}
	dimRows := func(dim string, keys []string, fill func(*measures) Row) []Row {
		out := make([]Row, 0, len(keys))
		for _, k := range keys {
			dm := f.dims[dim][k]
			if dm == nil {
				dm = &measures{}
			}
			row := fill(dm)
			row.Key = k
			out = append(out, row)
		}
		return out
	}
	full := func(dm *measures) Row {
		return Row{EventsHeld: ptr(dm.events), Participants: ptr(dm.participants), StoriesPublished: ptr(dm.stories)}
	}
	r.Breakdowns.ByLearningArea = dimRows("area", strs(LearningAreas()), full)
	r.Breakdowns.ByAgeGroup = dimRows("age", strs(AgeGroups()), full)
	r.Breakdowns.ByFormat = dimRows("format", strs(EventFormats()), func(dm *measures) Row {
		return Row{EventsHeld: ptr(dm.events), Participants: ptr(dm.participants)}
	})
	r.Breakdowns.ByPartnerSector = dimRows("sector", strs(Sectors()), func(dm *measures) Row {
		return Row{EventsHeld: ptr(dm.events)}
	})
	for i := range r.Breakdowns.ByPartnerSector {
		row := &r.Breakdowns.ByPartnerSector[i]
		row.PartnersEngaged = ptr(f.sectorPartners[row.Key])
	}
	return r, nil
}

// reportMonths lists every month of the period; an open end stops at the
// first or last month with data.
func reportMonths(q ReportQuery, f *facts) []int {
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
	for m := m1; m != 0 && m <= m2 && len(out) < 600; m = nextMonth(m) {
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

func strs[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// ParseMonth reads "YYYY-MM" as the first day of that month.
func ParseMonth(s string) (time.Time, error) {
	return time.Parse("2006-01", s)
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
	City City
	// LastActive is the last month with a held event or a published
	// story; nil when there was never any.
	LastActive *time.Time
}

// QuietCities lists the cities with no held event and no published story
// from the month of since on, the longest quiet first.
func (s *Store) QuietCities(ctx context.Context, since time.Time) ([]QuietCity, error) {
	cities, err := s.Cities(ctx, CityFilter{})
	if err != nil {
		return nil, err
	}
	last := map[uint]int{}
	var id uint
	var m int
	if err := s.scan(ctx, "SELECT city_id, MAX(month) FROM ru_city GROUP BY city_id", nil,
		func([]any) error { last[id] = m; return nil }, &id, &m); err != nil {
		return nil, err
	}
	cut := monthOf(since.UTC())
	var out []QuietCity
	for _, c := range cities {
		lm, ok := last[c.ID]
		if ok && lm >= cut {
			continue
		}
		q := QuietCity{City: c}
		if ok {
			t := monthStart(lm)
			q.LastActive = &t
		}
		out = append(out, q)
	}
	sortQuiet(out)
	return out, nil
}

// reportCache keeps recent reports by query, each with the data version
// it was computed at.
type reportCache struct {
	mu      sync.Mutex
	size    int
	entries map[ReportQuery]cachedReport
	order   []ReportQuery
}

type cachedReport struct {
	version int64
	report  *Report
}

func newReportCache(size int) *reportCache {
	return &reportCache{size: size, entries: map[ReportQuery]cachedReport{}}
}

// get returns a copy of the report of q if it was computed at version.
func (c *reportCache) get(q ReportQuery, version int64) (*Report, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[q]
	if !ok || e.version != version {
		return nil, false
	}
	return e.report.clone(), true
}

// totals returns the headline figures of q if its report was computed
// at version.
func (c *reportCache) totals(q ReportQuery, version int64) (Totals, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[q]
	if !ok || e.version != version {
		return Totals{}, false
	}
	return e.report.Totals, true
}

// put keeps r, forgetting the oldest query when full.
func (c *reportCache) put(q ReportQuery, version int64, r *Report) {
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

// clone copies the report's rows, so that a caller may label or sort them.
func (r *Report) clone() *Report {
	out := *r
	b := &out.Breakdowns
	for _, rows := range []*[]Row{&b.ByRegion, &b.ByCountry, &b.ByCity, &b.ByMonth, &b.ByLearningArea, &b.ByAgeGroup, &b.ByPartnerSector, &b.ByFormat} {
		*rows = append([]Row(nil), (*rows)...)
	}
	return &out
}
