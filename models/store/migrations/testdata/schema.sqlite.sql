-- index idx_audit_action on audit_entries
CREATE INDEX idx_audit_action ON audit_entries(action, created_at);

-- index idx_audit_city on audit_entries
CREATE INDEX idx_audit_city ON audit_entries(city_id, created_at);

-- index idx_audit_created on audit_entries
CREATE INDEX idx_audit_created ON audit_entries(created_at);

-- index idx_audit_who on audit_entries
CREATE INDEX idx_audit_who ON audit_entries(user_email, created_at);

-- index idx_campaign_co_leads_city on campaign_co_leads
CREATE INDEX idx_campaign_co_leads_city ON campaign_co_leads(city_id);

-- index idx_campaigns_running on campaigns
CREATE INDEX idx_campaigns_running ON campaigns(starts_on, ends_on);

-- index idx_campaigns_slug on campaigns
CREATE UNIQUE INDEX idx_campaigns_slug ON campaigns(slug);

-- index idx_cities_country on cities
CREATE INDEX idx_cities_country ON cities(country);

-- index idx_cities_region on cities
CREATE INDEX idx_cities_region ON cities(region);

-- index idx_city_report_steps on city_report_steps
CREATE INDEX idx_city_report_steps ON city_report_steps(report_id, created_at);

-- index idx_city_reports_status on city_reports
CREATE INDEX idx_city_reports_status ON city_reports(status, updated_at);

-- index idx_document_intros_period_lang on document_intros
CREATE UNIQUE INDEX idx_document_intros_period_lang ON document_intros(from_day, to_day, lang);

-- index idx_event_partners_partner on event_partners
CREATE INDEX idx_event_partners_partner ON event_partners(partner_id);

-- index idx_events_campaign_status_start on events
CREATE INDEX idx_events_campaign_status_start ON events(campaign_id, status, starts_at);

-- index idx_events_city_start on events
CREATE INDEX idx_events_city_start ON events(city_id, starts_at);

-- index idx_events_external_ref on events
CREATE UNIQUE INDEX idx_events_external_ref ON events(city_id, external_ref) WHERE external_ref IS NOT NULL;

-- index idx_events_start on events
CREATE INDEX idx_events_start ON events(starts_at);

-- index idx_events_status_start on events
CREATE INDEX idx_events_status_start ON events(status, starts_at);

-- index idx_global_days_date on global_days
CREATE INDEX idx_global_days_date ON global_days(month, day);

-- index idx_login_failures_email on login_failures
CREATE INDEX idx_login_failures_email ON login_failures(email, created_at);

-- index idx_login_failures_ip on login_failures
CREATE INDEX idx_login_failures_ip ON login_failures(client_ip, created_at);

-- index idx_login_failures_pair on login_failures
CREATE INDEX idx_login_failures_pair ON login_failures(email, client_ip, created_at);

-- index idx_outbox_due on outbox
CREATE INDEX idx_outbox_due ON outbox(status, next_attempt_at);

-- index idx_partners_city on partners
CREATE INDEX idx_partners_city ON partners(city_id, name);

-- index idx_rate_events on rate_events
CREATE INDEX idx_rate_events ON rate_events(bucket, client, created_at);

-- index idx_recovery_codes_user on recovery_codes
CREATE INDEX idx_recovery_codes_user ON recovery_codes(user_id);

-- index idx_rn_dim_day_campaign on rn_dim_day
CREATE INDEX idx_rn_dim_day_campaign ON rn_dim_day(campaign_id, day);

-- index idx_rr_dim_day_campaign on rr_dim_day
CREATE INDEX idx_rr_dim_day_campaign ON rr_dim_day(campaign_id, day);

-- index idx_ru_city_day on ru_city_day
CREATE INDEX idx_ru_city_day ON ru_city_day(day, campaign_id);

-- index idx_ru_city_month on ru_city
CREATE INDEX idx_ru_city_month ON ru_city(month, campaign_id, city_id, events_held, participants, stories_published, partners);

-- index idx_ru_partner_all_city on ru_partner_all
CREATE INDEX idx_ru_partner_all_city ON ru_partner_all(city_id, sector, partner_id);

-- index idx_ru_partner_month on ru_partner_month
CREATE INDEX idx_ru_partner_month ON ru_partner_month(month, city_id, sector, partner_id, days);

-- index idx_ru_partner_year on ru_partner_year
CREATE INDEX idx_ru_partner_year ON ru_partner_year(year, city_id, sector, partner_id, months);

-- index idx_sessions_expiry on sessions
CREATE INDEX idx_sessions_expiry ON sessions(expiry);

-- index idx_stories_city_published on stories
CREATE INDEX idx_stories_city_published ON stories(city_id, status, published_at);

-- index idx_stories_city_status on stories
CREATE INDEX idx_stories_city_status ON stories(city_id, status, submitted_at);

-- index idx_stories_lang_published on stories
CREATE INDEX idx_stories_lang_published ON stories(lang, status, published_at, id);

-- index idx_stories_status_campaign_city on stories
CREATE INDEX idx_stories_status_campaign_city ON stories(status, campaign_id, city_id);

-- index idx_stories_status_published on stories
CREATE INDEX idx_stories_status_published ON stories(status, featured, published_at);

-- index idx_stories_status_published_at on stories
CREATE INDEX idx_stories_status_published_at ON stories(status, published_at, id);

-- index idx_stories_status_submitted on stories
CREATE INDEX idx_stories_status_submitted ON stories(status, submitted_at, id);

-- index idx_stories_submitted on stories
CREATE INDEX idx_stories_submitted ON stories(submitted_at, id);

-- index idx_story_revisions_story on story_revisions
CREATE INDEX idx_story_revisions_story ON story_revisions(story_id, id);

-- index idx_uploads_created on uploads
CREATE INDEX idx_uploads_created ON uploads(created_at);

-- index idx_uploads_user_city on uploads
CREATE INDEX idx_uploads_user_city ON uploads(user_id, city_id);

-- index idx_user_cities_city on user_cities
CREATE INDEX idx_user_cities_city ON user_cities(city_id);

-- index idx_user_tokens_user on user_tokens
CREATE INDEX idx_user_tokens_user ON user_tokens(user_id, purpose);

-- index sqlite_autoindex_campaign_co_leads_1 on campaign_co_leads

-- index sqlite_autoindex_campaigns_1 on campaigns

-- index sqlite_autoindex_cities_1 on cities

-- index sqlite_autoindex_city_names_1 on city_names

-- index sqlite_autoindex_city_reports_1 on city_reports

-- index sqlite_autoindex_city_versions_1 on city_versions

-- index sqlite_autoindex_event_age_groups_1 on event_age_groups

-- index sqlite_autoindex_event_learning_areas_1 on event_learning_areas

-- index sqlite_autoindex_event_partners_1 on event_partners

-- index sqlite_autoindex_login_addresses_1 on login_addresses

-- index sqlite_autoindex_notification_runs_1 on notification_runs

-- index sqlite_autoindex_report_reminders_1 on report_reminders

-- index sqlite_autoindex_rn_dim_1 on rn_dim

-- index sqlite_autoindex_rn_dim_day_1 on rn_dim_day

-- index sqlite_autoindex_rr_dim_1 on rr_dim

-- index sqlite_autoindex_rr_dim_day_1 on rr_dim_day

-- index sqlite_autoindex_rt_city_1 on rt_city

-- index sqlite_autoindex_rt_partner_city_1 on rt_partner_city

-- index sqlite_autoindex_ru_city_1 on ru_city

-- index sqlite_autoindex_ru_city_day_1 on ru_city_day

-- index sqlite_autoindex_ru_city_month_partners_1 on ru_city_month_partners

-- index sqlite_autoindex_ru_dim_1 on ru_dim

-- index sqlite_autoindex_ru_partner_all_1 on ru_partner_all

-- index sqlite_autoindex_ru_partner_month_1 on ru_partner_month

-- index sqlite_autoindex_ru_partner_year_1 on ru_partner_year

-- index sqlite_autoindex_ry_partner_city_1 on ry_partner_city

-- index sqlite_autoindex_sessions_1 on sessions

-- index sqlite_autoindex_stories_1 on stories

-- index sqlite_autoindex_story_counts_1 on story_counts

-- index sqlite_autoindex_story_erasures_1 on story_erasures

-- index sqlite_autoindex_story_learning_areas_1 on story_learning_areas

-- index sqlite_autoindex_uploads_1 on uploads

-- index sqlite_autoindex_user_cities_1 on user_cities

-- index sqlite_autoindex_user_tokens_1 on user_tokens

-- index sqlite_autoindex_users_1 on users

-- table audit_entries on audit_entries
CREATE TABLE audit_entries (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
		user_email TEXT NOT NULL,
		action TEXT NOT NULL,
		entity TEXT NOT NULL,
		entity_id BIGINT NOT NULL,
		city_id BIGINT REFERENCES cities(id) ON DELETE SET NULL,
		summary TEXT NOT NULL,
		created_at DATETIME NOT NULL
	, part_of BIGINT);

-- table campaign_co_leads on campaign_co_leads
CREATE TABLE campaign_co_leads (
		campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
		city_id BIGINT NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
		PRIMARY KEY (campaign_id, city_id)
	);

-- table campaigns on campaigns
CREATE TABLE campaigns (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		hashtag TEXT NOT NULL UNIQUE,
		name TEXT NOT NULL,
		starts_on DATETIME NOT NULL,
		ends_on DATETIME,
		created_at DATETIME NOT NULL
	, slug TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '', texts TEXT NOT NULL DEFAULT '{}', due_days INTEGER NOT NULL DEFAULT 30, due_on DATETIME, report_periods TEXT NOT NULL DEFAULT 'campaign,quarter,year', archived_at DATETIME);

-- table cities on cities
CREATE TABLE cities (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		name TEXT NOT NULL,
		slug TEXT NOT NULL UNIQUE,
		country TEXT NOT NULL,
		region TEXT NOT NULL,
		joined_year INTEGER NOT NULL,
		co_lead BOOLEAN NOT NULL DEFAULT FALSE,
		created_at DATETIME NOT NULL,
		updated_at DATETIME NOT NULL
	, time_zone TEXT NOT NULL DEFAULT 'UTC', latitude DOUBLE PRECISION, longitude DOUBLE PRECISION);

-- table city_names on city_names
CREATE TABLE city_names (
		city_id BIGINT NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
		lang TEXT NOT NULL,
		name TEXT NOT NULL,
		folded TEXT NOT NULL,
		PRIMARY KEY (city_id, lang)
	);

-- table city_report_steps on city_report_steps
CREATE TABLE city_report_steps (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		report_id BIGINT NOT NULL REFERENCES city_reports(id) ON DELETE CASCADE,
		user_email TEXT NOT NULL,
		action TEXT NOT NULL,
		comment TEXT NOT NULL DEFAULT '',
		created_at DATETIME NOT NULL
	);

-- table city_reports on city_reports
CREATE TABLE city_reports (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
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
		figures_at DATETIME,
		due_on DATETIME,
		created_at DATETIME NOT NULL,
		updated_at DATETIME NOT NULL,
		submitted_at DATETIME,
		approved_at DATETIME,
		UNIQUE (city_id, period_kind, period_key)
	);

-- table city_versions on city_versions
CREATE TABLE city_versions (city_id BIGINT PRIMARY KEY, v BIGINT NOT NULL);

-- table data_version on data_version
CREATE TABLE data_version (id INTEGER PRIMARY KEY, v BIGINT NOT NULL);

-- table document_intros on document_intros
CREATE TABLE document_intros (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		from_day TEXT NOT NULL,
		to_day TEXT NOT NULL,
		lang TEXT NOT NULL,
		body TEXT NOT NULL,
		updated_at DATETIME NOT NULL
	);

-- table event_age_groups on event_age_groups
CREATE TABLE event_age_groups (
		event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
		age_group TEXT NOT NULL, participants BIGINT,
		PRIMARY KEY (event_id, age_group)
	);

-- table event_learning_areas on event_learning_areas
CREATE TABLE event_learning_areas (
		event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
		area TEXT NOT NULL,
		PRIMARY KEY (event_id, area)
	);

-- table event_partners on event_partners
CREATE TABLE event_partners (
		event_id BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
		partner_id BIGINT NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
		PRIMARY KEY (event_id, partner_id)
	);

-- table events on events
CREATE TABLE events (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		city_id BIGINT NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
		campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
		title TEXT NOT NULL,
		description TEXT NOT NULL DEFAULT '',
		starts_at DATETIME NOT NULL,
		ends_at DATETIME NOT NULL,
		venue TEXT NOT NULL DEFAULT '',
		format TEXT NOT NULL,
		status TEXT NOT NULL,
		participants INTEGER,
		created_at DATETIME NOT NULL,
		updated_at DATETIME NOT NULL
	, lang TEXT NOT NULL DEFAULT '', external_ref TEXT);

-- table global_days on global_days
CREATE TABLE global_days (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		month INTEGER NOT NULL,
		day INTEGER NOT NULL,
		name TEXT NOT NULL,
		texts TEXT NOT NULL DEFAULT '{}',
		created_at DATETIME NOT NULL,
		updated_at DATETIME NOT NULL
	);

-- table login_addresses on login_addresses
CREATE TABLE login_addresses (
		user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		client_ip TEXT NOT NULL,
		last_success_at DATETIME NOT NULL,
		PRIMARY KEY (user_id, client_ip)
	);

-- table login_failures on login_failures
CREATE TABLE login_failures (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		email TEXT NOT NULL,
		client_ip TEXT NOT NULL,
		created_at DATETIME NOT NULL
	);

-- table notification_runs on notification_runs
CREATE TABLE notification_runs (
		kind TEXT NOT NULL,
		user_id BIGINT NOT NULL,
		ref TEXT NOT NULL,
		created_at DATETIME NOT NULL,
		PRIMARY KEY (kind, user_id, ref)
	);

-- table outbox on outbox
CREATE TABLE outbox (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		recipient TEXT NOT NULL,
		lang TEXT NOT NULL,
		kind TEXT NOT NULL,
		subject TEXT NOT NULL,
		text_body TEXT NOT NULL,
		html_body TEXT NOT NULL,
		status TEXT NOT NULL DEFAULT 'pending',
		attempts INTEGER NOT NULL DEFAULT 0,
		next_attempt_at DATETIME NOT NULL,
		claimed_at DATETIME,
		sent_at DATETIME,
		last_error TEXT NOT NULL DEFAULT '',
		created_at DATETIME NOT NULL
	);

-- table partners on partners
CREATE TABLE partners (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		city_id BIGINT NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
		name TEXT NOT NULL,
		sector TEXT NOT NULL,
		contact_name TEXT NOT NULL DEFAULT '',
		contact_email TEXT NOT NULL DEFAULT '',
		website TEXT NOT NULL DEFAULT '',
		active BOOLEAN NOT NULL DEFAULT TRUE,
		created_at DATETIME NOT NULL,
		updated_at DATETIME NOT NULL
	, lang TEXT NOT NULL DEFAULT '');

-- table rate_events on rate_events
CREATE TABLE rate_events (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		bucket TEXT NOT NULL,
		client TEXT NOT NULL,
		created_at DATETIME NOT NULL
	);

-- table recovery_codes on recovery_codes
CREATE TABLE recovery_codes (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		code_hash TEXT NOT NULL,
		used_at DATETIME
	);

-- table report_reminders on report_reminders
CREATE TABLE report_reminders (
		city_id BIGINT NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
		period_kind TEXT NOT NULL,
		period_key TEXT NOT NULL,
		day TEXT NOT NULL,
		sent_by BIGINT NOT NULL,
		sent_at DATETIME NOT NULL,
		PRIMARY KEY (city_id, period_kind, period_key, day)
	);

-- table rn_dim on rn_dim
CREATE TABLE rn_dim (
		campaign_id BIGINT NOT NULL, month INTEGER NOT NULL, dim TEXT NOT NULL, dkey TEXT NOT NULL,
		events_held BIGINT NOT NULL, participants BIGINT NOT NULL, stories_published BIGINT NOT NULL,
		PRIMARY KEY (campaign_id, month, dim, dkey)
	);

-- table rn_dim_day on rn_dim_day
CREATE TABLE rn_dim_day (
		day INTEGER NOT NULL, campaign_id BIGINT NOT NULL, dim TEXT NOT NULL, dkey TEXT NOT NULL,
		events_held BIGINT NOT NULL, participants BIGINT NOT NULL, stories_published BIGINT NOT NULL,
		PRIMARY KEY (day, campaign_id, dim, dkey)
	);

-- table rr_dim on rr_dim
CREATE TABLE rr_dim (
		region TEXT NOT NULL, campaign_id BIGINT NOT NULL, month INTEGER NOT NULL, dim TEXT NOT NULL, dkey TEXT NOT NULL,
		events_held BIGINT NOT NULL, participants BIGINT NOT NULL, stories_published BIGINT NOT NULL,
		PRIMARY KEY (region, campaign_id, month, dim, dkey)
	);

-- table rr_dim_day on rr_dim_day
CREATE TABLE rr_dim_day (
		region TEXT NOT NULL, day INTEGER NOT NULL, campaign_id BIGINT NOT NULL, dim TEXT NOT NULL, dkey TEXT NOT NULL,
		events_held BIGINT NOT NULL, participants BIGINT NOT NULL, stories_published BIGINT NOT NULL,
		PRIMARY KEY (region, day, campaign_id, dim, dkey)
	);

-- table rt_city on rt_city
CREATE TABLE rt_city (
		city_id BIGINT PRIMARY KEY, events_held BIGINT NOT NULL, participants BIGINT NOT NULL, stories_published BIGINT NOT NULL
	);

-- table rt_month on rt_month
CREATE TABLE rt_month (
		month INTEGER PRIMARY KEY, events_held BIGINT NOT NULL, participants BIGINT NOT NULL, stories_published BIGINT NOT NULL,
		active BIGINT NOT NULL, partners BIGINT NOT NULL
	);

-- table rt_partner_city on rt_partner_city
CREATE TABLE rt_partner_city (
		city_id BIGINT NOT NULL, sector TEXT NOT NULL, partners BIGINT NOT NULL,
		PRIMARY KEY (city_id, sector)
	);

-- table ru_city on ru_city
CREATE TABLE ru_city (
		city_id BIGINT NOT NULL, campaign_id BIGINT NOT NULL, month INTEGER NOT NULL,
		events_held BIGINT NOT NULL, participants BIGINT NOT NULL, stories_published BIGINT NOT NULL,
		partners BIGINT NOT NULL,
		PRIMARY KEY (city_id, campaign_id, month)
	);

-- table ru_city_day on ru_city_day
CREATE TABLE ru_city_day (
		city_id BIGINT NOT NULL, campaign_id BIGINT NOT NULL, day INTEGER NOT NULL,
		events_held BIGINT NOT NULL, participants BIGINT NOT NULL, stories_published BIGINT NOT NULL,
		PRIMARY KEY (city_id, campaign_id, day)
	);

-- table ru_city_month_partners on ru_city_month_partners
CREATE TABLE ru_city_month_partners (
		city_id BIGINT NOT NULL, month INTEGER NOT NULL, partners BIGINT NOT NULL,
		PRIMARY KEY (city_id, month)
	);

-- table ru_dim on ru_dim
CREATE TABLE ru_dim (
		city_id BIGINT NOT NULL, campaign_id BIGINT NOT NULL, month INTEGER NOT NULL,
		dim TEXT NOT NULL, dkey TEXT NOT NULL,
		events_held BIGINT NOT NULL, participants BIGINT NOT NULL, stories_published BIGINT NOT NULL,
		PRIMARY KEY (city_id, campaign_id, month, dim, dkey)
	);

-- table ru_partner_all on ru_partner_all
CREATE TABLE ru_partner_all (
		partner_id BIGINT NOT NULL, campaign_id BIGINT NOT NULL, city_id BIGINT NOT NULL, sector TEXT NOT NULL,
		events_held BIGINT NOT NULL,
		PRIMARY KEY (partner_id, campaign_id)
	);

-- table ru_partner_month on ru_partner_month
CREATE TABLE ru_partner_month (
		partner_id BIGINT NOT NULL, campaign_id BIGINT NOT NULL, month INTEGER NOT NULL,
		city_id BIGINT NOT NULL, sector TEXT NOT NULL, days BIGINT NOT NULL,
		PRIMARY KEY (partner_id, campaign_id, month)
	);

-- table ru_partner_year on ru_partner_year
CREATE TABLE ru_partner_year (
		partner_id BIGINT NOT NULL, campaign_id BIGINT NOT NULL, year INTEGER NOT NULL,
		city_id BIGINT NOT NULL, sector TEXT NOT NULL, months INTEGER NOT NULL,
		PRIMARY KEY (partner_id, campaign_id, year)
	);

-- table ry_partner_city on ry_partner_city
CREATE TABLE ry_partner_city (
		year INTEGER NOT NULL, city_id BIGINT NOT NULL, sector TEXT NOT NULL, partners BIGINT NOT NULL,
		PRIMARY KEY (year, city_id, sector)
	);

-- table schema_migrations on schema_migrations
CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at DATETIME NOT NULL);

-- table sessions on sessions
CREATE TABLE sessions (
		token TEXT PRIMARY KEY,
		data BLOB NOT NULL,
		expiry DATETIME NOT NULL
	);

-- table sqlite_sequence on sqlite_sequence
CREATE TABLE sqlite_sequence(name,seq);

-- table sqlite_stat1 on sqlite_stat1
CREATE TABLE sqlite_stat1(tbl,idx,stat);

-- table stories on stories
CREATE TABLE stories (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
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
		submitted_at DATETIME NOT NULL,
		decided_at DATETIME,
		published_at DATETIME,
		withdrawn_at DATETIME,
		updated_at DATETIME NOT NULL
	, lang TEXT NOT NULL DEFAULT '', consent_rule BOOLEAN NOT NULL DEFAULT TRUE
		CONSTRAINT stories_consent CHECK (status <> 'published' OR (publication_consent AND ((NOT minor AND age_group <> 'children') OR guardian_consent))), notify_published BOOLEAN NOT NULL DEFAULT FALSE);

-- table stories_fts on stories_fts
CREATE VIRTUAL TABLE stories_fts USING fts5(title, body, author, city, content='', prefix='4 5 6', tokenize='unicode61 remove_diacritics 2');

-- table stories_fts_config on stories_fts_config
CREATE TABLE 'stories_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;

-- table stories_fts_data on stories_fts_data
CREATE TABLE 'stories_fts_data'(id INTEGER PRIMARY KEY, block BLOB);

-- table stories_fts_docsize on stories_fts_docsize
CREATE TABLE 'stories_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);

-- table stories_fts_idx on stories_fts_idx
CREATE TABLE 'stories_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

-- table story_counts on story_counts
CREATE TABLE story_counts (
		city_id BIGINT NOT NULL, status TEXT NOT NULL, n BIGINT NOT NULL,
		PRIMARY KEY (city_id, status)
	);

-- table story_erasures on story_erasures
CREATE TABLE story_erasures (
		story_id BIGINT NOT NULL,
		receipt TEXT NOT NULL,
		photo_key TEXT NOT NULL DEFAULT '',
		reason TEXT NOT NULL,
		erased_at DATETIME NOT NULL,
		PRIMARY KEY (story_id, receipt)
	);

-- table story_learning_areas on story_learning_areas
CREATE TABLE story_learning_areas (
		story_id BIGINT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
		area TEXT NOT NULL,
		PRIMARY KEY (story_id, area)
	);

-- table story_revisions on story_revisions
CREATE TABLE story_revisions (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		story_id BIGINT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
		title TEXT NOT NULL,
		body TEXT NOT NULL,
		display_name TEXT NOT NULL,
		author TEXT NOT NULL,
		replaced_by TEXT NOT NULL,
		replaced_at DATETIME NOT NULL
	);

-- table uploads on uploads
CREATE TABLE uploads (
		token_hash TEXT PRIMARY KEY,
		user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		city_id BIGINT NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
		kind TEXT NOT NULL,
		name TEXT NOT NULL,
		data BLOB NOT NULL,
		created_at DATETIME NOT NULL
	, state TEXT NOT NULL DEFAULT '', runner TEXT NOT NULL DEFAULT '', started_at DATETIME, created_rows INTEGER NOT NULL DEFAULT 0, updated_rows INTEGER NOT NULL DEFAULT 0, failure TEXT NOT NULL DEFAULT '', beat_at DATETIME);

-- table user_cities on user_cities
CREATE TABLE user_cities (
		user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		city_id BIGINT NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
		PRIMARY KEY (user_id, city_id)
	);

-- table user_tokens on user_tokens
CREATE TABLE user_tokens (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		purpose TEXT NOT NULL,
		token_hash TEXT NOT NULL UNIQUE,
		expires_at DATETIME NOT NULL,
		used_at DATETIME,
		created_at DATETIME NOT NULL
	);

-- table users on users
CREATE TABLE users (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		email TEXT NOT NULL UNIQUE,
		name TEXT NOT NULL,
		password_hash TEXT NOT NULL,
		role TEXT NOT NULL,
		disabled BOOLEAN NOT NULL DEFAULT FALSE,
		created_at DATETIME NOT NULL,
		updated_at DATETIME NOT NULL
	, language TEXT NOT NULL DEFAULT '', session_epoch BIGINT NOT NULL DEFAULT 0, totp_secret TEXT NOT NULL DEFAULT '', totp_last_step BIGINT NOT NULL DEFAULT 0, notify_off TEXT NOT NULL DEFAULT '', mail_language TEXT NOT NULL DEFAULT '');

-- trigger stories_fts_delete on stories
CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories WHEN old.status = 'published' BEGIN
		INSERT INTO stories_fts(stories_fts, rowid, title, body, author, city)
			VALUES ('delete', old.id, old.title, old.body, CASE WHEN old.anonymous OR old.minor THEN '' ELSE old.display_name END, 'c' || old.city_id);
	END;

-- trigger stories_fts_insert on stories
CREATE TRIGGER stories_fts_insert AFTER INSERT ON stories WHEN new.status = 'published' BEGIN
		INSERT INTO stories_fts(rowid, title, body, author, city)
			VALUES (new.id, new.title, new.body, CASE WHEN new.anonymous OR new.minor THEN '' ELSE new.display_name END, 'c' || new.city_id);
	END;

-- trigger stories_fts_update on stories
CREATE TRIGGER stories_fts_update AFTER UPDATE OF title, body, display_name, anonymous, minor, city_id, status ON stories WHEN old.status = 'published' OR new.status = 'published' BEGIN
		INSERT INTO stories_fts(stories_fts, rowid, title, body, author, city)
			SELECT 'delete', old.id, old.title, old.body, CASE WHEN old.anonymous OR old.minor THEN '' ELSE old.display_name END, 'c' || old.city_id WHERE old.status = 'published';
		INSERT INTO stories_fts(rowid, title, body, author, city)
			SELECT new.id, new.title, new.body, CASE WHEN new.anonymous OR new.minor THEN '' ELSE new.display_name END, 'c' || new.city_id WHERE new.status = 'published';
	END;

-- trigger story_counts_delete on stories
CREATE TRIGGER story_counts_delete AFTER DELETE ON stories BEGIN
		UPDATE story_counts SET n = n - 1 WHERE city_id = OLD.city_id AND status = OLD.status;
	END;

-- trigger story_counts_insert on stories
CREATE TRIGGER story_counts_insert AFTER INSERT ON stories BEGIN
		INSERT INTO story_counts (city_id, status, n) VALUES (NEW.city_id, NEW.status, 1)
			ON CONFLICT (city_id, status) DO UPDATE SET n = n + 1;
	END;

-- trigger story_counts_update on stories
CREATE TRIGGER story_counts_update AFTER UPDATE OF city_id, status ON stories
		WHEN OLD.city_id <> NEW.city_id OR OLD.status <> NEW.status BEGIN
		UPDATE story_counts SET n = n - 1 WHERE city_id = OLD.city_id AND status = OLD.status;
		INSERT INTO story_counts (city_id, status, n) VALUES (NEW.city_id, NEW.status, 1)
			ON CONFLICT (city_id, status) DO UPDATE SET n = n + 1;
	END;

