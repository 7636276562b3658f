-- 10: the ledger of erased stories (ids, no content), also kept in a
-- file that a restore does not roll back; withdrawals so far go in it

	CREATE TABLE story_erasures (
		story_id BIGINT NOT NULL,
		receipt TEXT NOT NULL,
		photo_key TEXT NOT NULL DEFAULT '',
		reason TEXT NOT NULL,
		erased_at {{ts}} NOT NULL,
		PRIMARY KEY (story_id, receipt)
	);
	INSERT INTO story_erasures (story_id, receipt, reason, erased_at)
		SELECT id, substr(receipt_hash, 1, 16), 'withdrawn', COALESCE(withdrawn_at, updated_at) FROM stories WHERE status = 'withdrawn';
