-- 24: bulk entry (issue 13): an event's optional reference in the
-- city's own spreadsheet, so that importing a file again updates
-- rather than duplicates; and uploaded files waiting for the
-- coordinator to confirm their import, kept for an hour.

	ALTER TABLE events ADD COLUMN external_ref TEXT;
	CREATE UNIQUE INDEX idx_events_external_ref ON events(city_id, external_ref) WHERE external_ref IS NOT NULL;
	CREATE TABLE uploads (
		token TEXT PRIMARY KEY,
		user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		city_id BIGINT NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
		kind TEXT NOT NULL,
		name TEXT NOT NULL,
		data {{blob}} NOT NULL,
		created_at {{ts}} NOT NULL
	);
	CREATE INDEX idx_uploads_created ON uploads(created_at);
