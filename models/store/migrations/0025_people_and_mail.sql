-- 25: people and mail. The outbox holds every mail, written in the
-- transaction of the change that causes it and claimed by one sender
-- (status, claimed_at); user_tokens the single-use invitation and
-- password-reset links, by the SHA-256 of their secret; a user's
-- session_epoch, kept in each session at sign-in, ends every session
-- at once when it moves (disable, password change, sign out everywhere);
-- staff's TOTP secret (empty: two-factor off), the last time step a
-- code was accepted for (a code works once), and single-use recovery
-- codes, by their SHA-256; the notifications each user turned off, a
-- learner's wish to hear when their story is published, and the
-- digests and reminders already written (one per user and day or
-- report, whichever instance writes it).

	CREATE TABLE outbox (
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
	);
