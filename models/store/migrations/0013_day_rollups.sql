-- 13: day-grain roll-ups, for periods that start or end inside a
-- month: per city and day; the dimensions per day over the network and
-- per region; a partner's days with a held event, as a bit set per
-- month. Filled from the raw tables by 0013_day_rollups.fill.*.sql.

	CREATE TABLE ru_city_day (
		city_id BIGINT NOT NULL, campaign_id BIGINT NOT NULL, day INTEGER NOT NULL,
		events_held BIGINT NOT NULL, participants BIGINT NOT NULL, stories_published BIGINT NOT NULL,
		PRIMARY KEY (city_id, campaign_id, day)
	);
	CREATE INDEX idx_ru_city_day ON ru_city_day(day, campaign_id);
	CREATE TABLE rn_dim_day (
		day INTEGER NOT NULL, campaign_id BIGINT NOT NULL, dim TEXT NOT NULL, dkey TEXT NOT NULL,
		events_held BIGINT NOT NULL, participants BIGINT NOT NULL, stories_published BIGINT NOT NULL,
		PRIMARY KEY (day, campaign_id, dim, dkey)
	);
	CREATE INDEX idx_rn_dim_day_campaign ON rn_dim_day(campaign_id, day);
	CREATE TABLE rr_dim_day (
		region TEXT NOT NULL, day INTEGER NOT NULL, campaign_id BIGINT NOT NULL, dim TEXT NOT NULL, dkey TEXT NOT NULL,
		events_held BIGINT NOT NULL, participants BIGINT NOT NULL, stories_published BIGINT NOT NULL,
		PRIMARY KEY (region, day, campaign_id, dim, dkey)
	);
	CREATE INDEX idx_rr_dim_day_campaign ON rr_dim_day(campaign_id, day);
	CREATE TABLE ru_partner_month (
		partner_id BIGINT NOT NULL, campaign_id BIGINT NOT NULL, month INTEGER NOT NULL,
		city_id BIGINT NOT NULL, sector TEXT NOT NULL, days BIGINT NOT NULL,
		PRIMARY KEY (partner_id, campaign_id, month)
	);
	CREATE INDEX idx_ru_partner_month ON ru_partner_month(month, city_id, sector, partner_id, days);
