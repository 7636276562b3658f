-- 6: city campaign reports and their review history

	CREATE TABLE city_reports (
		id {{id}},
		city_id BIGINT NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
		period_kind TEXT NOT NULL,
		period_key TEXT NOT NULL,
		status TEXT NOT NULL,
		version INTEGER NOT NULL,
		worked TEXT NOT NULL DEFAULT '',
		hard TEXT NOT NULL DEFAULT '',
		plans TEXT NOT NULL DEFAULT '',
		ratings TEXT NOT NULL DEFAULT '[]',
		story_ids TEXT NOT NULL DEFAULT '',
		event_ids TEXT NOT NULL DEFAULT '',
		figures TEXT NOT NULL DEFAULT '',
		figures_at {{ts}},
		due_on {{ts}},
		created_at {{ts}} NOT NULL,
		updated_at {{ts}} NOT NULL,
		submitted_at {{ts}},
		approved_at {{ts}},
		UNIQUE (city_id, period_kind, period_key)
	);
	CREATE INDEX idx_city_reports_status ON city_reports(status, updated_at);
	CREATE TABLE city_report_steps (
		id {{id}},
		report_id BIGINT NOT NULL REFERENCES city_reports(id) ON DELETE CASCADE,
		user_email TEXT NOT NULL,
		action TEXT NOT NULL,
		comment TEXT NOT NULL DEFAULT '',
		created_at {{ts}} NOT NULL
	);
	CREATE INDEX idx_city_report_steps ON city_report_steps(report_id, created_at);
