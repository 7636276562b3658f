-- 3: learners' stories and rate limits

	CREATE TABLE stories (
		id {{id}},
		city_id BIGINT NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
		campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
		title TEXT NOT NULL DEFAULT '',
		body TEXT NOT NULL DEFAULT '',
		display_name TEXT NOT NULL DEFAULT '',
		anonymous BOOLEAN NOT NULL DEFAULT FALSE,
		age_group TEXT NOT NULL,
		minor BOOLEAN NOT NULL DEFAULT FALSE,
		photo_key TEXT NOT NULL DEFAULT '',
		photo_alt TEXT NOT NULL DEFAULT '',
		publication_consent BOOLEAN NOT NULL DEFAULT FALSE,
		guardian_consent BOOLEAN NOT NULL DEFAULT FALSE,
		contact_email TEXT NOT NULL DEFAULT '',
		status TEXT NOT NULL,
		reject_reason TEXT NOT NULL DEFAULT '',
		featured BOOLEAN NOT NULL DEFAULT FALSE,
		receipt_hash TEXT NOT NULL UNIQUE,
		submitted_at {{ts}} NOT NULL,
		decided_at {{ts}},
		published_at {{ts}},
		withdrawn_at {{ts}},
		updated_at {{ts}} NOT NULL
	);
	CREATE INDEX idx_stories_city_status ON stories(city_id, status, submitted_at);
	CREATE INDEX idx_stories_status_published ON stories(status, featured, published_at);
	CREATE TABLE story_learning_areas (
		story_id BIGINT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
		area TEXT NOT NULL,
		PRIMARY KEY (story_id, area)
	);
	CREATE TABLE rate_events (
		id {{id}},
		bucket TEXT NOT NULL,
		client TEXT NOT NULL,
		created_at {{ts}} NOT NULL
	);
	CREATE INDEX idx_rate_events ON rate_events(bucket, client, created_at);
