-- 32: an import writes an audit entry for each row it creates or
-- changes, and one more for the file ("import", the file's name and its
-- counts) that stands for them all; part_of points each row's entry at
-- it, so that the activity feed shows one line for the file, and the
-- audit log still every change.

	ALTER TABLE audit_entries ADD COLUMN part_of BIGINT;
