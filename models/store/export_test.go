package store

import (
	"context"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models"
	"github.com/unesco-gnlc/learnthroughlife/models/report/rollup"
	"github.com/unesco-gnlc/learnthroughlife/models/store/migrations"
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

// RefillAges recomputes the age group roll-ups: migration 27's frozen fill.
func (s *Store) RefillAges() error { return s.runFill(27) }

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

// EventsInUTC runs migration 29's frozen fill again.
func (s *Store) EventsInUTC(ctx context.Context) error {
	return s.Tx(ctx, func(tx *Store) error { return tx.runFill(29) })
}

// runFill runs the data fill of migration version alone, in s's session.
func (s *Store) runFill(version int) error {
	return migrations.For(migrations.Engine(s.dialect))[version-1].RunFill(sqlRunner{s.db})
}

// MigrateTo runs the pending migrations up to version last only.
func (s *Store) MigrateTo(ctx context.Context, last int) error { return s.migrateTo(ctx, last) }

// RawExec runs a statement as it is: for the upgrade tests, which write
// rows as they were at an older version.
func (s *Store) RawExec(ctx context.Context, query string, args ...any) error {
	return s.db.WithContext(ctx).Exec(query, args...).Error
}

// Rekeyed is s sealing two-factor secrets with current, and opening
// those of previous too (WithSecretKeys).
func (s *Store) Rekeyed(current, previous []byte) *Store {
	c := *s
	WithSecretKeys(current, previous)(&c)
	return &c
}
