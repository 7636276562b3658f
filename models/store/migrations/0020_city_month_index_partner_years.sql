-- 20: a report over some months reads the city roll-up from its month
-- index alone (the figures are in it), and a report over one calendar
-- year and every campaign reads its partners counted per city and
-- sector (ry_partner_city, kept with rt_partner_city by
-- refreshPartnerTotals, filled by this migration's fill) instead of
-- counting them from the partner-year rows.

	DROP INDEX idx_ru_city_month;
	CREATE INDEX idx_ru_city_month ON ru_city(month, campaign_id, city_id, events_held, participants, stories_published, partners);
	CREATE TABLE ry_partner_city (
		year INTEGER NOT NULL, city_id BIGINT NOT NULL, sector TEXT NOT NULL, partners BIGINT NOT NULL,
		PRIMARY KEY (year, city_id, sector)
	);
