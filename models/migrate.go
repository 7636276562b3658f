package models

import (
	"context"
	"fmt"
	"strings"
	"time"
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

	// 12: the partner-year roll-up's index covers the months bit set too,
	// so a report over some months counts distinct partners from the index
	// alone (PostgreSQL: an index-only scan instead of a heap fetch per
	// partner row; see README, PostgreSQL at scale)
	`DROP INDEX idx_ru_partner_year;
	CREATE INDEX idx_ru_partner_year ON ru_partner_year(year, city_id, sector, partner_id, months);`,
}

// dialectTypes holds the engine-specific column types of the migrations.
var dialectTypes = map[string]*strings.Replacer{
	"sqlite":   strings.NewReplacer("{{id}}", "INTEGER PRIMARY KEY AUTOINCREMENT", "{{ts}}", "DATETIME", "{{blob}}", "BLOB"),
	"postgres": strings.NewReplacer("{{id}}", "BIGSERIAL PRIMARY KEY", "{{ts}}", "TIMESTAMPTZ", "{{blob}}", "BYTEA"),
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
			for _, stmt := range strings.Split(dialectTypes[s.dialect].Replace(m), ";") {
				if strings.TrimSpace(stmt) == "" {
					continue
				}
				if err := tx.db.Exec(stmt).Error; err != nil {
					return err
				}
			}
			return tx.db.Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", version, time.Now().UTC()).Error
		})
		if err != nil {
			return fmt.Errorf("migrate to version %d: %w", version, err)
		}
	}
	return nil
}

// SchemaVersion is the number of migrations applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.WithContext(ctx).Raw("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v).Error
	return v, err
}
