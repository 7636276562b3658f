-- 15: a city's time zone (an IANA name), in which its events are
-- entered and shown. Events stored before it were wall-clock times
-- kept as UTC, so UTC keeps them as they were.

	ALTER TABLE cities ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
