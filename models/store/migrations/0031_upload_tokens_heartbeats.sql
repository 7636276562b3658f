-- 31: an upload's token is kept hashed (sha256, hex), as invitation and
-- reset links are: a leaked database hands out no working preview or
-- import status link. The fill (0031_upload_tokens_heartbeats.go) hashes
-- the tokens of the uploads there are, in place, so that previews
-- waiting and imports' status pages keep working.
-- A running import beats (beat_at, every few seconds): an upload running
-- with no beat for a while had its server stop, and is settled failed.

	ALTER TABLE uploads RENAME COLUMN token TO token_hash;
	ALTER TABLE uploads ADD COLUMN beat_at {{ts}};
	CREATE INDEX idx_uploads_user_city ON uploads(user_id, city_id);
