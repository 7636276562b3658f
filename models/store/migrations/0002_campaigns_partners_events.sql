-- 2: campaigns, partners, events

	CREATE TABLE campaigns (
		id {{id}},
		hashtag TEXT NOT NULL UNIQUE,
		name TEXT NOT NULL,
		starts_on {{ts}} NOT NULL,
		ends_on {{ts}},
		created_at {{ts}} NOT NULL
	);
	CREATE TABLE partners (
		id {{id}},
		city_id BIGINT NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
		name TEXT NOT NULL,
		sector TEXT NOT NULL,
		contact_name TEXT NOT NULL DEFAULT '',
		contact_email TEXT NOT NULL DEFAULT '',
		website TEXT NOT NULL DEFAULT '',
		active BOOLEAN NOT NULL DEFAULT TRUE,
		created_at {{ts}} NOT NULL,
		updated_at {{ts}} NOT NULL
	);
	CREATE INDEX idx_partners_city ON partners(city_id, name);
	CREATE TABLE events (
		id {{id}},
		city_id BIGINT NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
		campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
		title TEXT NOT NULL,
		description TEXT NOT NULL DEFAULT '',
		starts_at {{ts}} NOT NULL,
		ends_at {{ts}} NOT NULL,
		venue TEXT NOT NULL DEFAULT '',
		format TEXT NOT NULL,
		status TEXT NOT NULL,
		participants INTEGER,
		created_at {{ts}} NOT NULL,
		updated_at {{ts}} NOT NULL
	);
	CREATE INDEX idx_events_city_start ON events(city_id, starts_at);
	CREATE INDEX idx_events_start ON events(starts_at);
	CREATE TABLE event_learning_areas (
		event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
		area TEXT NOT NULL,
		PRIMARY KEY (event_id, area)
	);
	CREATE TABLE event_age_groups (
		event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
		age_group TEXT NOT NULL,
		PRIMARY KEY (event_id, age_group)
	);
	CREATE TABLE event_partners (
		event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
		partner_id BIGINT NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
		PRIMARY KEY (event_id, partner_id)
	);
	CREATE INDEX idx_event_partners_partner ON event_partners(partner_id);
