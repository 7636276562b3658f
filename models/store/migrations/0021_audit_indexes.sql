-- 21: the audit log filtered by who or by what, newest first, read
-- through an index rather than the whole log.

	CREATE INDEX idx_audit_who ON audit_entries(user_email, created_at);
	CREATE INDEX idx_audit_action ON audit_entries(action, created_at);
