package store

import (
	"context"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report/rollup"
)

// SetCommonWordScan sets how long a PostgreSQL search walks the stories
// before it takes a rare word's way, and returns the undoing.
func SetCommonWordScan(d time.Duration) func() {
	old := pgCommonWordScan
	pgCommonWordScan = d
	return func() { pgCommonWordScan = old }
}

// Expiry is the expiry of the session with token as the store last read
// or wrote it.
func (ss *SessionStore) Expiry(token string) time.Time {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.read[token].expiry.UTC()
}

// RefillAges recomputes the age group roll-ups as migration 27 does.
func (s *Store) RefillAges() error { return s.rollups().MigrationFill(27) }

// FileEventAsBefore29 writes event id's times as writes did before
// migration 29, on the clock they carry, and refreshes the roll-ups as
// they did: the months of its former start and of that clock, and the UTC
// day.
func (s *Store) FileEventAsBefore29(ctx context.Context, id uint, start, end time.Time) error {
	return s.Tx(ctx, func(tx *Store) error {
		var e models.Event
		if err := tx.db.First(&e, id).Error; err != nil {
			return err
		}
		if err := tx.db.Exec("UPDATE events SET starts_at = ?, ends_at = ? WHERE id = ?", start, end, id).Error; err != nil {
			return err
		}
		wall := start.Year()*100 + int(start.Month())
		return tx.refreshRollups([]rollup.Key{
			{City: e.CityID, Campaign: e.CampaignID, Month: rollup.MonthOf(e.StartsAt), Day: rollup.DayOf(e.StartsAt)},
			{City: e.CityID, Campaign: e.CampaignID, Month: wall, Day: rollup.DayOf(start)}}, nil)
	})
}

// EventsInUTC runs migration 29's fill again.
func (s *Store) EventsInUTC(ctx context.Context) error {
	return s.Tx(ctx, func(tx *Store) error { return tx.eventsInUTC() })
}
