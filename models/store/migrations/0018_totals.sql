-- 18: totals over all time and every campaign, what /reports shows
-- first: per city, per month over the network, and the distinct
-- partners per city and sector. Filled by 0018_totals.fill.sql.

	CREATE TABLE rt_city (
		city_id BIGINT PRIMARY KEY, events_held BIGINT NOT NULL, participants BIGINT NOT NULL, stories_published BIGINT NOT NULL
	);
	CREATE TABLE rt_month (
		month INTEGER PRIMARY KEY, events_held BIGINT NOT NULL, participants BIGINT NOT NULL, stories_published BIGINT NOT NULL,
		active BIGINT NOT NULL, partners BIGINT NOT NULL
	);
	CREATE TABLE rt_partner_city (
		city_id BIGINT NOT NULL, sector TEXT NOT NULL, partners BIGINT NOT NULL,
		PRIMARY KEY (city_id, sector)
	);
