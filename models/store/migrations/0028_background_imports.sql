-- 28: a confirmed import runs in the background: its upload is claimed
-- once (state running, by which server, since when), then keeps the
-- outcome (done with its counts, or failed with the reason) for the
-- status page of every instance, until the upload is pruned.

	ALTER TABLE uploads ADD COLUMN state TEXT NOT NULL DEFAULT '';
	ALTER TABLE uploads ADD COLUMN runner TEXT NOT NULL DEFAULT '';
	ALTER TABLE uploads ADD COLUMN started_at {{ts}};
	ALTER TABLE uploads ADD COLUMN created_rows INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE uploads ADD COLUMN updated_rows INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE uploads ADD COLUMN failure TEXT NOT NULL DEFAULT '';
