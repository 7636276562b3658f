// Package models is the dictionary of the tracker's domain: its records
// (cities, partners, events, stories, campaigns, city reports, people),
// their enums, the rules a record must follow to be saved, the figures
// of a report, and the errors every layer shares. It holds no SQL and
// imports no database driver: package store persists these types, package
// report computes the figures, and the views render them.
package models

import "errors"

// Sentinel errors returned by the store and the rules; handlers map them
// to HTTP statuses in one place.
var (
	// ErrNotFound means the requested record does not exist.
	ErrNotFound = errors.New("not found")
	// ErrDuplicate means a unique value (email, slug) is already taken.
	ErrDuplicate = errors.New("already exists")
	// ErrForbidden means the acting user may not touch the record.
	ErrForbidden = errors.New("forbidden")
	// ErrConsent means a write would publish a story without the consents
	// it needs (see Story.MayBePublished); the database refused it.
	ErrConsent = errors.New("a story is published only with its author's consent, and a minor's with a guardian's")
)
