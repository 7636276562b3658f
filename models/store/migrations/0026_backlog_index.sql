-- 26: the moderation backlog of one campaign per city, counted from
-- an index alone (the report's follow-up with a campaign chosen).

	CREATE INDEX idx_stories_status_campaign_city ON stories(status, campaign_id, city_id);
