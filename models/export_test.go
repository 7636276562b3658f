package models

import "time"

// SetCommonWordScan sets how long a PostgreSQL search walks the stories
// before it takes a rare word's way, and returns the undoing.
func SetCommonWordScan(d time.Duration) func() {
	old := pgCommonWordScan
	pgCommonWordScan = d
	return func() { pgCommonWordScan = old }
}

// RefillAges recomputes the age group roll-ups as migration 27 does.
func (s *Store) RefillAges() error { return s.refillAges() }
