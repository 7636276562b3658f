-- 22: campaigns on the web: a public address name (the hashtag in lower
-- case, unique), texts in the other interface languages, the rule of
-- their city reports' due dates and periods, archiving, the cities
-- that co-lead each, and an index for a campaign's upcoming events.

	ALTER TABLE campaigns ADD COLUMN slug TEXT NOT NULL DEFAULT '';
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
	CREATE INDEX idx_events_campaign_status_start ON events(campaign_id, status, starts_at);
