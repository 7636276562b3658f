-- 35: the language of a person's mails, a setting of its own (issue 33):
-- the footer's language switch changes the pages' language only. And the
-- reminders staff send from "who has reported", at most one per city,
-- period and day (UTC), which the key enforces; the page says when the
-- last one went.

	ALTER TABLE users ADD COLUMN mail_language TEXT NOT NULL DEFAULT '';
	CREATE TABLE report_reminders (
		city_id BIGINT NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
		period_kind TEXT NOT NULL,
		period_key TEXT NOT NULL,
		day TEXT NOT NULL,
		sent_by BIGINT NOT NULL,
		sent_at {{ts}} NOT NULL,
		PRIMARY KEY (city_id, period_kind, period_key, day)
	);
