package models

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// SetCommonWordScan sets how long a PostgreSQL search walks the stories
// before it takes a rare word's way, and returns the undoing.
func SetCommonWordScan(d time.Duration) func() {
	old := pgCommonWordScan
	pgCommonWordScan = d
	return func() { pgCommonWordScan = old }
}

// SetMaxDaysARound sets how many days a round of the day-grain refresh
// takes, and returns the undoing.
func SetMaxDaysARound(n int) func() {
	old := maxDaysARound
	maxDaysARound = n
	return func() { maxDaysARound = old }
}

// RollupDump is every row of every roll-up table, in a stable order: a
// test compares the maintained roll-ups with a rebuild from scratch.
func (s *Store) RollupDump() (string, error) {
	var out []byte
	for _, table := range []string{"ru_city", "ru_city_month_partners", "ru_dim", "rr_dim", "rn_dim", "ru_partner_all", "ru_partner_year",
		"ru_city_day", "rn_dim_day", "rr_dim_day", "ru_partner_month", "rt_city", "rt_month", "rt_partner_city", "ry_partner_city"} {
		rows, err := s.db.Raw("SELECT * FROM " + table).Rows()
		if err != nil {
			return "", err
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return "", err
			}
			lines = append(lines, fmt.Sprintf("%s %v", table, vals))
		}
		rows.Close()
		slices.Sort(lines)
		for _, l := range lines {
			out = append(out, l+"\n"...)
		}
	}
	return string(out), nil
}

// Expiry is the expiry of the session with token as the store last read
// or wrote it.
func (ss *SessionStore) Expiry(token string) time.Time {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.read[token].expiry.UTC()
}

// RefillAges recomputes the age group roll-ups as migration 27 does.
func (s *Store) RefillAges() error { return s.refillAges() }

// FileEventAsBefore29 writes event id's times as writes did before
// migration 29, on the clock they carry, and refreshes the roll-ups as
// they did: the months of its former start and of that clock, and the UTC
// day.
func (s *Store) FileEventAsBefore29(ctx context.Context, id uint, start, end time.Time) error {
	return s.Tx(ctx, func(tx *Store) error {
		var e Event
		if err := tx.db.First(&e, id).Error; err != nil {
			return err
		}
		if err := tx.db.Exec("UPDATE events SET starts_at = ?, ends_at = ? WHERE id = ?", start, end, id).Error; err != nil {
			return err
		}
		wall := start.Year()*100 + int(start.Month())
		return tx.refreshRollups([]rollupKey{{e.CityID, e.CampaignID, monthOf(e.StartsAt), dayOf(e.StartsAt)},
			{e.CityID, e.CampaignID, wall, dayOf(start)}}, nil)
	})
}

// EventsInUTC runs migration 29's fill again.
func (s *Store) EventsInUTC(ctx context.Context) error {
	return s.Tx(ctx, func(tx *Store) error { return tx.eventsInUTC() })
}
