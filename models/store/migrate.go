package store

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/unesco-gnlc/learnthroughlife/models/report/rollup"
)

// migrations is the ordered list of schema changes. Append only: a
// migration that has run on some database is never edited. {{id}} and
// {{ts}} are replaced by the engine's auto-increment key and timestamp
// types so one list serves every engine.
var migrations = []string{
	// 1: cities, users, sessions, throttling, audit log
	`CREATE TABLE cities (
		id {{id}},
		name TEXT NOT NULL,
		slug TEXT NOT NULL UNIQUE,
		country TEXT NOT NULL,
		region TEXT NOT NULL,
		joined_year INTEGER NOT NULL,
		co_lead BOOLEAN NOT NULL DEFAULT FALSE,
		created_at {{ts}} NOT NULL,
		updated_at {{ts}} NOT NULL
	);
	CREATE INDEX idx_cities_region ON cities(region);
	CREATE INDEX idx_cities_country ON cities(country);
	CREATE TABLE users (
		id {{id}},
		email TEXT NOT NULL UNIQUE,
		name TEXT NOT NULL,
		password_hash TEXT NOT NULL,
		role TEXT NOT NULL,
		disabled BOOLEAN NOT NULL DEFAULT FALSE,
		created_at {{ts}} NOT NULL,
		updated_at {{ts}} NOT NULL
	);
	CREATE TABLE user_cities (
		user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		city_id BIGINT NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
		PRIMARY KEY (user_id, city_id)
	);
	CREATE INDEX idx_user_cities_city ON user_cities(city_id);
	CREATE TABLE sessions (
		token TEXT PRIMARY KEY,
		data {{blob}} NOT NULL,
		expiry {{ts}} NOT NULL
	);
	CREATE INDEX idx_sessions_expiry ON sessions(expiry);
	CREATE TABLE login_failures (
		id {{id}},
		email TEXT NOT NULL,
		client_ip TEXT NOT NULL,
		created_at {{ts}} NOT NULL
	);
	CREATE INDEX idx_login_failures_email ON login_failures(email, created_at);
	CREATE INDEX idx_login_failures_ip ON login_failures(client_ip, created_at);
	CREATE TABLE audit_entries (
		id {{id}},
		user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
		user_email TEXT NOT NULL,
		action TEXT NOT NULL,
		entity TEXT NOT NULL,
		entity_id BIGINT NOT NULL,
		city_id BIGINT REFERENCES cities(id) ON DELETE SET NULL,
		summary TEXT NOT NULL,
		created_at {{ts}} NOT NULL
	);
	CREATE INDEX idx_audit_city ON audit_entries(city_id, created_at);
	CREATE INDEX idx_audit_created ON audit_entries(created_at);`,

	// 2: campaigns, partners, events
	`CREATE TABLE campaigns (
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
	CREATE INDEX idx_event_partners_partner ON event_partners(partner_id);`,

	// 3: learners' stories and rate limits
	`CREATE TABLE stories (
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
	CREATE INDEX idx_rate_events ON rate_events(bucket, client, created_at);`,

	// 4: report roll-ups, kept exact in the transaction of every write.
	// Months are integers yyyymm. ru_* rows are per city, campaign and
	// month; rr_* rows sum them per region, rn_* over all cities; partner
	// rows are per partner.
	`CREATE TABLE ru_city (
		city_id BIGINT NOT NULL, campaign_id BIGINT NOT NULL, month INTEGER NOT NULL,
		events_held BIGINT NOT NULL, participants BIGINT NOT NULL, stories_published BIGINT NOT NULL,
		partners BIGINT NOT NULL,
		PRIMARY KEY (city_id, campaign_id, month)
	);
	CREATE INDEX idx_ru_city_month ON ru_city(month, campaign_id);
	CREATE TABLE ru_city_month_partners (
		city_id BIGINT NOT NULL, month INTEGER NOT NULL, partners BIGINT NOT NULL,
		PRIMARY KEY (city_id, month)
	);
	CREATE TABLE ru_dim (
		city_id BIGINT NOT NULL, campaign_id BIGINT NOT NULL, month INTEGER NOT NULL,
		dim TEXT NOT NULL, dkey TEXT NOT NULL,
		events_held BIGINT NOT NULL, participants BIGINT NOT NULL, stories_published BIGINT NOT NULL,
		PRIMARY KEY (city_id, campaign_id, month, dim, dkey)
	);
	CREATE TABLE rr_dim (
		region TEXT NOT NULL, campaign_id BIGINT NOT NULL, month INTEGER NOT NULL, dim TEXT NOT NULL, dkey TEXT NOT NULL,
		events_held BIGINT NOT NULL, participants BIGINT NOT NULL, stories_published BIGINT NOT NULL,
		PRIMARY KEY (region, campaign_id, month, dim, dkey)
	);
	CREATE TABLE rn_dim (
		campaign_id BIGINT NOT NULL, month INTEGER NOT NULL, dim TEXT NOT NULL, dkey TEXT NOT NULL,
		events_held BIGINT NOT NULL, participants BIGINT NOT NULL, stories_published BIGINT NOT NULL,
		PRIMARY KEY (campaign_id, month, dim, dkey)
	);
	CREATE TABLE ru_partner_all (
		partner_id BIGINT NOT NULL, campaign_id BIGINT NOT NULL, city_id BIGINT NOT NULL, sector TEXT NOT NULL,
		events_held BIGINT NOT NULL,
		PRIMARY KEY (partner_id, campaign_id)
	);
	CREATE INDEX idx_ru_partner_all_city ON ru_partner_all(city_id, sector, partner_id);
	CREATE TABLE ru_partner_year (
		partner_id BIGINT NOT NULL, campaign_id BIGINT NOT NULL, year INTEGER NOT NULL,
		city_id BIGINT NOT NULL, sector TEXT NOT NULL, months INTEGER NOT NULL,
		PRIMARY KEY (partner_id, campaign_id, year)
	);
	CREATE INDEX idx_ru_partner_year ON ru_partner_year(year, city_id, sector, partner_id);
	CREATE TABLE data_version (id INTEGER PRIMARY KEY, v BIGINT NOT NULL);
	INSERT INTO data_version (id, v) VALUES (1, 0);`,

	// 5: indexes for the public pages: upcoming events, a city's stories
	`CREATE INDEX idx_events_status_start ON events(status, starts_at);
	CREATE INDEX idx_stories_city_published ON stories(city_id, status, published_at);`,

	// 6: city campaign reports and their review history
	`CREATE TABLE city_reports (
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
	CREATE INDEX idx_city_report_steps ON city_report_steps(report_id, created_at);`,

	// 7: languages: a user's interface language; the language content is written in
	`ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';
	ALTER TABLE stories ADD COLUMN lang TEXT NOT NULL DEFAULT '';
	ALTER TABLE events ADD COLUMN lang TEXT NOT NULL DEFAULT '';
	ALTER TABLE partners ADD COLUMN lang TEXT NOT NULL DEFAULT '';`,

	// 8: login throttling per account and address; the addresses each
	// account has signed in from, which a spread-out attack cannot block
	`CREATE TABLE login_addresses (
		user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		client_ip TEXT NOT NULL,
		last_success_at {{ts}} NOT NULL,
		PRIMARY KEY (user_id, client_ip)
	);
	CREATE INDEX idx_login_failures_pair ON login_failures(email, client_ip, created_at);`,

	// 9: audit entries about stories name records and fields only; older
	// entries carried a story's title, which must not outlive its erasure
	`UPDATE audit_entries SET summary = '' WHERE entity = 'story';`,

	// 10: the ledger of erased stories (ids, no content), also kept in a
	// file that a restore does not roll back; withdrawals so far go in it
	`CREATE TABLE story_erasures (
		story_id BIGINT NOT NULL,
		receipt TEXT NOT NULL,
		photo_key TEXT NOT NULL DEFAULT '',
		reason TEXT NOT NULL,
		erased_at {{ts}} NOT NULL,
		PRIMARY KEY (story_id, receipt)
	);
	INSERT INTO story_erasures (story_id, receipt, reason, erased_at)
		SELECT id, substr(receipt_hash, 1, 16), 'withdrawn', COALESCE(withdrawn_at, updated_at) FROM stories WHERE status = 'withdrawn';`,

	// 11: consent is a rule of the database, whatever writes the row: a
	// story is published only with its author's consent, and a minor's
	// (a child, or a youth who said so) with a guardian's too. Neither
	// engine's ALTER TABLE adds a table constraint the same way, so the
	// check rides on a column added for it. Rows that break the rule (none
	// were written through the app) go back to moderation first.
	`UPDATE stories SET status = 'pending', featured = FALSE, published_at = NULL
		WHERE status = 'published' AND NOT (publication_consent AND ((NOT minor AND age_group <> 'children') OR guardian_consent));
	ALTER TABLE stories ADD COLUMN consent_rule BOOLEAN NOT NULL DEFAULT TRUE
		CONSTRAINT stories_consent CHECK (status <> 'published' OR (publication_consent AND ((NOT minor AND age_group <> 'children') OR guardian_consent)));`,

	// 12: lists that never count the whole network. Stories per city and
	// status are counted by triggers in the transaction of every write,
	// whatever writes the row; the moderation queue across all cities and
	// the network feed read in index order.
	`CREATE TABLE story_counts (
		city_id BIGINT NOT NULL, status TEXT NOT NULL, n BIGINT NOT NULL,
		PRIMARY KEY (city_id, status)
	);
	INSERT INTO story_counts (city_id, status, n) SELECT city_id, status, COUNT(*) FROM stories GROUP BY city_id, status;
	{{sqlite}}
	CREATE TRIGGER story_counts_insert AFTER INSERT ON stories BEGIN
		INSERT INTO story_counts (city_id, status, n) VALUES (NEW.city_id, NEW.status, 1)
			ON CONFLICT (city_id, status) DO UPDATE SET n = n + 1;
	END;
	CREATE TRIGGER story_counts_update AFTER UPDATE OF city_id, status ON stories
		WHEN OLD.city_id <> NEW.city_id OR OLD.status <> NEW.status BEGIN
		UPDATE story_counts SET n = n - 1 WHERE city_id = OLD.city_id AND status = OLD.status;
		INSERT INTO story_counts (city_id, status, n) VALUES (NEW.city_id, NEW.status, 1)
			ON CONFLICT (city_id, status) DO UPDATE SET n = n + 1;
	END;
	CREATE TRIGGER story_counts_delete AFTER DELETE ON stories BEGIN
		UPDATE story_counts SET n = n - 1 WHERE city_id = OLD.city_id AND status = OLD.status;
	END;
	{{end}}
	{{postgres}}
	CREATE FUNCTION story_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		IF TG_OP IN ('UPDATE', 'DELETE') THEN
			UPDATE story_counts SET n = n - 1 WHERE city_id = OLD.city_id AND status = OLD.status;
		END IF;
		IF TG_OP IN ('INSERT', 'UPDATE') THEN
			INSERT INTO story_counts (city_id, status, n) VALUES (NEW.city_id, NEW.status, 1)
				ON CONFLICT (city_id, status) DO UPDATE SET n = story_counts.n + 1;
		END IF;
		RETURN NULL;
	END $$;
	CREATE TRIGGER story_counts_insert_delete AFTER INSERT OR DELETE ON stories
		FOR EACH ROW EXECUTE FUNCTION story_counts_keep();
	CREATE TRIGGER story_counts_update AFTER UPDATE OF city_id, status ON stories
		FOR EACH ROW WHEN (OLD.city_id <> NEW.city_id OR OLD.status <> NEW.status) EXECUTE FUNCTION story_counts_keep();
	{{end}}
	CREATE INDEX idx_stories_status_submitted ON stories(status, submitted_at, id);
	CREATE INDEX idx_stories_status_published_at ON stories(status, published_at, id);
	CREATE INDEX idx_stories_submitted ON stories(submitted_at, id);
	ANALYZE stories;`,

	// 13: day-grain roll-ups, for periods that start or end inside a
	// month: per city and day; the dimensions per day over the network and
	// per region; a partner's days with a held event, as a bit set per
	// month. Filled by fillDays (migrationFills).
	`CREATE TABLE ru_city_day (
		city_id BIGINT NOT NULL, campaign_id BIGINT NOT NULL, day INTEGER NOT NULL,
		events_held BIGINT NOT NULL, participants BIGINT NOT NULL, stories_published BIGINT NOT NULL,
		PRIMARY KEY (city_id, campaign_id, day)
	);
	CREATE INDEX idx_ru_city_day ON ru_city_day(day, campaign_id);
	CREATE TABLE rn_dim_day (
		day INTEGER NOT NULL, campaign_id BIGINT NOT NULL, dim TEXT NOT NULL, dkey TEXT NOT NULL,
		events_held BIGINT NOT NULL, participants BIGINT NOT NULL, stories_published BIGINT NOT NULL,
		PRIMARY KEY (day, campaign_id, dim, dkey)
	);
	CREATE INDEX idx_rn_dim_day_campaign ON rn_dim_day(campaign_id, day);
	CREATE TABLE rr_dim_day (
		region TEXT NOT NULL, day INTEGER NOT NULL, campaign_id BIGINT NOT NULL, dim TEXT NOT NULL, dkey TEXT NOT NULL,
		events_held BIGINT NOT NULL, participants BIGINT NOT NULL, stories_published BIGINT NOT NULL,
		PRIMARY KEY (region, day, campaign_id, dim, dkey)
	);
	CREATE INDEX idx_rr_dim_day_campaign ON rr_dim_day(campaign_id, day);
	CREATE TABLE ru_partner_month (
		partner_id BIGINT NOT NULL, campaign_id BIGINT NOT NULL, month INTEGER NOT NULL,
		city_id BIGINT NOT NULL, sector TEXT NOT NULL, days BIGINT NOT NULL,
		PRIMARY KEY (partner_id, campaign_id, month)
	);
	CREATE INDEX idx_ru_partner_month ON ru_partner_month(month, city_id, sector, partner_id, days);`,

	// 14: the version of each city's report data, so that a write to one
	// city keeps the cached reports of the others (bumpDataVersion)
	`CREATE TABLE city_versions (city_id BIGINT PRIMARY KEY, v BIGINT NOT NULL);
	INSERT INTO city_versions (city_id, v) SELECT 0, v FROM data_version WHERE id = 1;`,

	// 15: a city's time zone (an IANA name), in which its events are
	// entered and shown. Events stored before it were wall-clock times
	// kept as UTC, so UTC keeps them as they were.
	`ALTER TABLE cities ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';`,

	// 16: the public stories gallery: indexes for its newest-first pages
	// (all stories, or one language), and full-text search over published
	// stories only. SQLite keeps an FTS5 index that holds no text of its
	// own (content is the stories table), kept in step by triggers, so
	// that whatever writes a story updates it; secure-delete removes a
	// story's words from the index itself, not only its pointer, when it is
	// unpublished, withdrawn or erased. PostgreSQL indexes the same words
	// with a GIN expression index (see pgSearchVector) over every story:
	// a partial one would get no statistics, and without them the planner
	// walks every story for a word that none has.
	`CREATE INDEX idx_stories_lang_published ON stories(lang, status, published_at, id);
	{{sqlite}}
	CREATE VIRTUAL TABLE stories_fts USING fts5(title, body, content='stories', content_rowid='id', tokenize='unicode61 remove_diacritics 0');
	INSERT INTO stories_fts(stories_fts, rank) VALUES ('secure-delete', 1);
	INSERT INTO stories_fts(rowid, title, body) SELECT id, title, body FROM stories WHERE status = 'published';
	CREATE TRIGGER stories_fts_insert AFTER INSERT ON stories WHEN new.status = 'published' BEGIN
		INSERT INTO stories_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
	END;
	CREATE TRIGGER stories_fts_update AFTER UPDATE OF title, body, status ON stories WHEN old.status = 'published' OR new.status = 'published' BEGIN
		INSERT INTO stories_fts(stories_fts, rowid, title, body) SELECT 'delete', old.id, old.title, old.body WHERE old.status = 'published';
		INSERT INTO stories_fts(rowid, title, body) SELECT new.id, new.title, new.body WHERE new.status = 'published';
	END;
	CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories WHEN old.status = 'published' BEGIN
		INSERT INTO stories_fts(stories_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
	END;
	{{end}}
	{{postgres}}
	CREATE INDEX idx_stories_search ON stories USING GIN ((` + pgSearchVector + `));
	{{end}}`,
	// 17: the partner-year roll-up's index covers the months bit set too,
	// so a report over some months counts distinct partners from the index
	// alone (PostgreSQL: an index-only scan instead of a heap fetch per
	// partner row; see README, PostgreSQL at scale)
	`DROP INDEX idx_ru_partner_year;
	CREATE INDEX idx_ru_partner_year ON ru_partner_year(year, city_id, sector, partner_id, months);`,

	// 18: totals over all time and every campaign, what /reports shows
	// first: per city, per month over the network, and the distinct
	// partners per city and sector. Filled by fillTotals (migrationFills).
	`CREATE TABLE rt_city (
		city_id BIGINT PRIMARY KEY, events_held BIGINT NOT NULL, participants BIGINT NOT NULL, stories_published BIGINT NOT NULL
	);
	CREATE TABLE rt_month (
		month INTEGER PRIMARY KEY, events_held BIGINT NOT NULL, participants BIGINT NOT NULL, stories_published BIGINT NOT NULL,
		active BIGINT NOT NULL, partners BIGINT NOT NULL
	);
	CREATE TABLE rt_partner_city (
		city_id BIGINT NOT NULL, sector TEXT NOT NULL, partners BIGINT NOT NULL,
		PRIMARY KEY (city_id, sector)
	);`,

	// 19: where a city is, for the network's map: WGS 84 degrees, both or
	// neither.
	`ALTER TABLE cities ADD COLUMN latitude DOUBLE PRECISION;
	ALTER TABLE cities ADD COLUMN longitude DOUBLE PRECISION;`,

	// 20: a report over some months reads the city roll-up from its month
	// index alone (the figures are in it), and a report over one calendar
	// year and every campaign reads its partners counted per city and
	// sector (ry_partner_city, kept with rt_partner_city by
	// refreshPartnerTotals) instead of counting them from the partner-year
	// rows.
	`DROP INDEX idx_ru_city_month;
	CREATE INDEX idx_ru_city_month ON ru_city(month, campaign_id, city_id, events_held, participants, stories_published, partners);
	CREATE TABLE ry_partner_city (
		year INTEGER NOT NULL, city_id BIGINT NOT NULL, sector TEXT NOT NULL, partners BIGINT NOT NULL,
		PRIMARY KEY (year, city_id, sector)
	);`,

	// 21: the audit log filtered by who or by what, newest first, read
	// through an index rather than the whole log.
	`CREATE INDEX idx_audit_who ON audit_entries(user_email, created_at);
	CREATE INDEX idx_audit_action ON audit_entries(action, created_at);`,

	// 22: campaigns on the web: a public address name (the hashtag in lower
	// case, unique), texts in the other interface languages, the rule of
	// their city reports' due dates and periods, archiving, the cities
	// that co-lead each, and an index for a campaign's upcoming events.
	`ALTER TABLE campaigns ADD COLUMN slug TEXT NOT NULL DEFAULT '';
	ALTER TABLE campaigns ADD COLUMN description TEXT NOT NULL DEFAULT '';
	ALTER TABLE campaigns ADD COLUMN texts TEXT NOT NULL DEFAULT '{}';
	ALTER TABLE campaigns ADD COLUMN due_days INTEGER NOT NULL DEFAULT 30;
	ALTER TABLE campaigns ADD COLUMN due_on {{ts}};
	ALTER TABLE campaigns ADD COLUMN report_periods TEXT NOT NULL DEFAULT 'campaign,quarter,year';
	ALTER TABLE campaigns ADD COLUMN archived_at {{ts}};
	UPDATE campaigns SET slug = LOWER(REPLACE(hashtag, '#', ''));
	CREATE UNIQUE INDEX idx_campaigns_slug ON campaigns(slug);
	CREATE INDEX idx_campaigns_running ON campaigns(starts_on, ends_on);
	CREATE TABLE campaign_co_leads (
		campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
		city_id BIGINT NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
		PRIMARY KEY (campaign_id, city_id)
	);
	CREATE INDEX idx_campaign_co_leads_city ON campaign_co_leads(city_id);
	CREATE INDEX idx_events_campaign_status_start ON events(campaign_id, status, starts_at);`,

	// 23: the calendar's global days, which staff manage: one day of the
	// year each (month and day), named in each interface language. Seeded
	// with the United Nations days that fit lifelong learning.
	`CREATE TABLE global_days (
		id {{id}},
		month INTEGER NOT NULL,
		day INTEGER NOT NULL,
		name TEXT NOT NULL,
		texts TEXT NOT NULL DEFAULT '{}',
		created_at {{ts}} NOT NULL,
		updated_at {{ts}} NOT NULL
	);
	CREATE INDEX idx_global_days_date ON global_days(month, day);
	INSERT INTO global_days (month, day, name, texts, created_at, updated_at) VALUES
		(1, 24, 'International Day of Education', '{"fr":{"name":"Journée internationale de l''éducation"},"es":{"name":"Día Internacional de la Educación"},"ar":{"name":"اليوم الدولي للتعليم"}}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
		(9, 8, 'International Literacy Day', '{"fr":{"name":"Journée internationale de l''alphabétisation"},"es":{"name":"Día Internacional de la Alfabetización"},"ar":{"name":"اليوم الدولي لمحو الأمية"}}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
		(10, 1, 'International Day of Older Persons', '{"fr":{"name":"Journée internationale des personnes âgées"},"es":{"name":"Día Internacional de las Personas de Edad"},"ar":{"name":"اليوم الدولي لكبار السن"}}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
		(12, 3, 'International Day of Persons with Disabilities', '{"fr":{"name":"Journée internationale des personnes handicapées"},"es":{"name":"Día Internacional de las Personas con Discapacidad"},"ar":{"name":"اليوم الدولي للأشخاص ذوي الإعاقة"}}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);`,

	// 24: bulk entry (issue 13): an event's optional reference in the
	// city's own spreadsheet, so that importing a file again updates
	// rather than duplicates; and uploaded files waiting for the
	// coordinator to confirm their import, kept for an hour.
	`ALTER TABLE events ADD COLUMN external_ref TEXT;
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
	CREATE INDEX idx_uploads_created ON uploads(created_at);`,

	// 25: people and mail. The outbox holds every mail, written in the
	// transaction of the change that causes it and claimed by one sender
	// (status, claimed_at); user_tokens the single-use invitation and
	// password-reset links, by the SHA-256 of their secret; a user's
	// session_epoch, kept in each session at sign-in, ends every session
	// at once when it moves (disable, password change, sign out everywhere);
	// staff's TOTP secret (empty: two-factor off), the last time step a
	// code was accepted for (a code works once), and single-use recovery
	// codes, by their SHA-256; the notifications each user turned off, a
	// learner's wish to hear when their story is published, and the
	// digests and reminders already written (one per user and day or
	// report, whichever instance writes it).
	`CREATE TABLE outbox (
		id {{id}},
		recipient TEXT NOT NULL,
		lang TEXT NOT NULL,
		kind TEXT NOT NULL,
		subject TEXT NOT NULL,
		text_body TEXT NOT NULL,
		html_body TEXT NOT NULL,
		status TEXT NOT NULL DEFAULT 'pending',
		attempts INTEGER NOT NULL DEFAULT 0,
		next_attempt_at {{ts}} NOT NULL,
		claimed_at {{ts}},
		sent_at {{ts}},
		last_error TEXT NOT NULL DEFAULT '',
		created_at {{ts}} NOT NULL
	);
	CREATE INDEX idx_outbox_due ON outbox(status, next_attempt_at);
	CREATE TABLE user_tokens (
		id {{id}},
		user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		purpose TEXT NOT NULL,
		token_hash TEXT NOT NULL UNIQUE,
		expires_at {{ts}} NOT NULL,
		used_at {{ts}},
		created_at {{ts}} NOT NULL
	);
	CREATE INDEX idx_user_tokens_user ON user_tokens(user_id, purpose);
	ALTER TABLE users ADD COLUMN session_epoch BIGINT NOT NULL DEFAULT 0;
	ALTER TABLE users ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
	ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
	CREATE TABLE recovery_codes (
		id {{id}},
		user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		code_hash TEXT NOT NULL,
		used_at {{ts}}
	);
	CREATE INDEX idx_recovery_codes_user ON recovery_codes(user_id);
	ALTER TABLE users ADD COLUMN notify_off TEXT NOT NULL DEFAULT '';
	ALTER TABLE stories ADD COLUMN notify_published BOOLEAN NOT NULL DEFAULT FALSE;
	CREATE TABLE notification_runs (
		kind TEXT NOT NULL,
		user_id BIGINT NOT NULL,
		ref TEXT NOT NULL,
		created_at {{ts}} NOT NULL,
		PRIMARY KEY (kind, user_id, ref)
	);`,

	// 26: the moderation backlog of one campaign per city, counted from
	// an index alone (the report's follow-up with a campaign chosen).
	`CREATE INDEX idx_stories_status_campaign_city ON stories(status, campaign_id, city_id);`,

	// 27: an event's participants by age group (issue 13), when recorded;
	// they add up to its participants. An event that reached one age group
	// has all its participants in it. The age group roll-ups then count
	// these rather than the whole event's participants (refillAges).
	// And on SQLite, the statistics of migration 26's index: a database
	// analysed before it had none, so the planner took it for the most
	// selective and sorted the whole gallery with it (/stories: 2.3 s at
	// network scale instead of a few ms).
	`ALTER TABLE event_age_groups ADD COLUMN participants BIGINT;
	UPDATE event_age_groups SET participants = (SELECT e.participants FROM events e WHERE e.id = event_age_groups.event_id AND e.status = 'held')
	WHERE event_id IN (SELECT event_id FROM event_age_groups GROUP BY event_id HAVING COUNT(*) = 1);
	{{sqlite}}ANALYZE idx_stories_status_campaign_city;{{end}}`,

	// 28: a confirmed import runs in the background: its upload is claimed
	// once (state running, by which server, since when), then keeps the
	// outcome (done with its counts, or failed with the reason) for the
	// status page of every instance, until the upload is pruned.
	`ALTER TABLE uploads ADD COLUMN state TEXT NOT NULL DEFAULT '';
	ALTER TABLE uploads ADD COLUMN runner TEXT NOT NULL DEFAULT '';
	ALTER TABLE uploads ADD COLUMN started_at {{ts}};
	ALTER TABLE uploads ADD COLUMN created_rows INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE uploads ADD COLUMN updated_rows INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE uploads ADD COLUMN failure TEXT NOT NULL DEFAULT '';`,

	// 29: events' times in UTC on both engines; the fill rewrites those
	// written on a city's clock and refreshes their roll-ups.
	``,
}

// dialectBlock is a part of a migration for one engine only:
// {{sqlite}}…{{end}} or {{postgres}}…{{end}}.
var dialectBlock = regexp.MustCompile(`(?s)\{\{(sqlite|postgres)\}\}(.*?)\{\{end\}\}`)

// forDialect is migration m as the engine runs it: its parts for other
// engines dropped, its placeholder types replaced.
func forDialect(m string, dialect rollup.Dialect) string {
	m = dialectBlock.ReplaceAllStringFunc(m, func(block string) string {
		parts := dialectBlock.FindStringSubmatch(block)
		if rollup.Dialect(parts[1]) != dialect {
			return ""
		}
		return parts[2]
	})
	return dialectTypes[dialect].Replace(m)
}

// statements splits a migration at its semicolons, but for those inside a
// trigger's BEGIN…END or a function's $$-quoted body.
func statements(m string) []string {
	var out []string
	start, quoted := 0, false
	for i := 0; i < len(m); i++ {
		switch {
		case strings.HasPrefix(m[i:], "$$"):
			quoted = !quoted
			i++
		case m[i] == ';' && !quoted:
			stmt := strings.TrimSpace(m[start:i])
			upper := strings.ToUpper(stmt)
			if strings.HasPrefix(upper, "CREATE TRIGGER") && strings.Contains(upper, "BEGIN") && !strings.HasSuffix(upper, "END") {
				continue // a statement of the trigger's body
			}
			if stmt != "" {
				out = append(out, stmt)
			}
			start = i + 1
		}
	}
	if stmt := strings.TrimSpace(m[start:]); stmt != "" {
		out = append(out, stmt)
	}
	return out
}

// dialectTypes holds the engine-specific column types of the migrations.
var dialectTypes = map[rollup.Dialect]*strings.Replacer{
	rollup.SQLite:   strings.NewReplacer("{{id}}", "INTEGER PRIMARY KEY AUTOINCREMENT", "{{ts}}", "DATETIME", "{{blob}}", "BLOB"),
	rollup.Postgres: strings.NewReplacer("{{id}}", "BIGSERIAL PRIMARY KEY", "{{ts}}", "TIMESTAMPTZ", "{{blob}}", "BYTEA"),
}

// Migrate brings the schema up to date, running each pending migration in
// its own transaction. It is safe to call on every start.
func (s *Store) Migrate(ctx context.Context) error {
	db := s.db.WithContext(ctx)
	if err := db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at ` +
		dialectTypes[s.dialect].Replace("{{ts}}") + ` NOT NULL)`).Error; err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for i, m := range migrations {
		version := i + 1
		err := s.Tx(ctx, func(tx *Store) error {
			var n int64
			if err := tx.db.Table("schema_migrations").Where("version = ?", version).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			for _, stmt := range statements(forDialect(m, s.dialect)) {
				if err := tx.db.Exec(stmt).Error; err != nil {
					return err
				}
			}
			if err := tx.migrationFill(version); err != nil {
				return err
			}
			return tx.db.Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", version, time.Now().UTC()).Error
		})
		if err != nil {
			return fmt.Errorf("migrate to version %d: %w", version, err)
		}
	}
	return nil
}

// SchemaLatest is the schema version Migrate brings a database to.
func SchemaLatest() int { return len(migrations) }

// SchemaVersion is the number of migrations applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.WithContext(ctx).Raw("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v).Error
	return v, err
}

// migrationFill fills the tables migration version made from the raw
// tables, where that takes the engine's date functions, right after it.
func (s *Store) migrationFill(version int) error {
	if version == 29 {
		return s.eventsInUTC()
	}
	return s.rollups().MigrationFill(version)
}
