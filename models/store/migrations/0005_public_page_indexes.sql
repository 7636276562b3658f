-- 5: indexes for the public pages: upcoming events, a city's stories

	CREATE INDEX idx_events_status_start ON events(status, starts_at);
	CREATE INDEX idx_stories_city_published ON stories(city_id, status, published_at);
