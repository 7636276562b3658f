package rollup

import "slices"

// Grain is the period one row of a roll-up table covers.
type Grain string

// The grains of the roll-up tables.
const (
	AllTime Grain = "all"   // every period: a total, or a partner's whole life
	Year    Grain = "year"  // a calendar year (yyyy)
	Month   Grain = "month" // a month (yyyymm)
	Day     Grain = "day"   // a day (yyyymmdd)
)

// Table is a roll-up table: its name, the period one of its rows covers,
// and the columns that key a row.
type Table struct {
	Name  string
	Grain Grain
	Keys  []string
}

// Tables lists every roll-up table, the one list that rebuilds, refills
// and the tests range over. ru_ tables are per city (or partner), rr_ per
// region, rn_ over the network; rt_ and ry_ keep totals over all time and
// per year.
func Tables() []Table {
	return []Table{
		{"ru_city", Month, []string{"city_id", "campaign_id", "month"}},
		{"ru_city_month_partners", Month, []string{"city_id", "month"}},
		{"ru_dim", Month, []string{"city_id", "campaign_id", "month", "dim", "dkey"}},
		{"rr_dim", Month, []string{"region", "campaign_id", "month", "dim", "dkey"}},
		{"rn_dim", Month, []string{"campaign_id", "month", "dim", "dkey"}},
		{"ru_partner_all", AllTime, []string{"partner_id", "campaign_id"}},
		{"ru_partner_year", Year, []string{"partner_id", "campaign_id", "year"}},
		{"ru_city_day", Day, []string{"city_id", "campaign_id", "day"}},
		{"rn_dim_day", Day, []string{"day", "campaign_id", "dim", "dkey"}},
		{"rr_dim_day", Day, []string{"region", "day", "campaign_id", "dim", "dkey"}},
		{"ru_partner_month", Month, []string{"partner_id", "campaign_id", "month"}},
		{"rt_city", AllTime, []string{"city_id"}},
		{"rt_month", Month, []string{"month"}},
		{"rt_partner_city", AllTime, []string{"city_id", "sector"}},
		{"ry_partner_city", Year, []string{"year", "city_id", "sector"}},
	}
}

// Has reports whether col is one of the columns that key t's rows.
func (t Table) Has(col string) bool { return slices.Contains(t.Keys, col) }

// tablesWith lists the roll-up tables whose rows are keyed by all of cols,
// in the order of Tables.
func tablesWith(cols ...string) []Table {
	var out []Table
	for _, t := range Tables() {
		if !slices.ContainsFunc(cols, func(c string) bool { return !t.Has(c) }) {
			out = append(out, t)
		}
	}
	return out
}
