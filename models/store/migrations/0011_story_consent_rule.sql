-- 11: consent is a rule of the database, whatever writes the row: a
-- story is published only with its author's consent, and a minor's
-- (a child, or a youth who said so) with a guardian's too. Neither
-- engine's ALTER TABLE adds a table constraint the same way, so the
-- check rides on a column added for it. Rows that break the rule (none
-- were written through the app) go back to moderation first.

	UPDATE stories SET status = 'pending', featured = FALSE, published_at = NULL
		WHERE status = 'published' AND NOT (publication_consent AND ((NOT minor AND age_group <> 'children') OR guardian_consent));
	ALTER TABLE stories ADD COLUMN consent_rule BOOLEAN NOT NULL DEFAULT TRUE
		CONSTRAINT stories_consent CHECK (status <> 'published' OR (publication_consent AND ((NOT minor AND age_group <> 'children') OR guardian_consent)));
