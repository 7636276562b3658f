-- 4: report roll-ups, kept exact in the transaction of every write.
-- Months are integers yyyymm. ru_* rows are per city, campaign and
-- month; rr_* rows sum them per region, rn_* over all cities; partner
-- rows are per partner.

	CREATE TABLE ru_city (
		city_id BIGINT NOT NULL, campaign_id BIGINT NOT NULL, month INTEGER NOT NULL,
		events_held BIGINT NOT NULL, participants BIGINT NOT NULL, stories_published BIGINT NOT NULL,
		partners BIGINT NOT NULL,
		PRIMARY KEY (city_id, campaign_id, month)
	);
	CREATE INDEX idx_ru_city_month ON ru_city(month, campaign_id);
	CREATE TABLE ru_city_month_partners (
		city_id BIGINT NOT NULL, month INTEGER NOT NULL, partners BIGINT NOT NULL,
		PRIMARY KEY (city_id, month)
	);
	CREATE TABLE ru_dim (
		city_id BIGINT NOT NULL, campaign_id BIGINT NOT NULL, month INTEGER NOT NULL,
		dim TEXT NOT NULL, dkey TEXT NOT NULL,
		events_held BIGINT NOT NULL, participants BIGINT NOT NULL, stories_published BIGINT NOT NULL,
		PRIMARY KEY (city_id, campaign_id, month, dim, dkey)
	);
	CREATE TABLE rr_dim (
		region TEXT NOT NULL, campaign_id BIGINT NOT NULL, month INTEGER NOT NULL, dim TEXT NOT NULL, dkey TEXT NOT NULL,
		events_held BIGINT NOT NULL, participants BIGINT NOT NULL, stories_published BIGINT NOT NULL,
		PRIMARY KEY (region, campaign_id, month, dim, dkey)
	);
	CREATE TABLE rn_dim (
		campaign_id BIGINT NOT NULL, month INTEGER NOT NULL, dim TEXT NOT NULL, dkey TEXT NOT NULL,
		events_held BIGINT NOT NULL, participants BIGINT NOT NULL, stories_published BIGINT NOT NULL,
		PRIMARY KEY (campaign_id, month, dim, dkey)
	);
	CREATE TABLE ru_partner_all (
		partner_id BIGINT NOT NULL, campaign_id BIGINT NOT NULL, city_id BIGINT NOT NULL, sector TEXT NOT NULL,
		events_held BIGINT NOT NULL,
		PRIMARY KEY (partner_id, campaign_id)
	);
	CREATE INDEX idx_ru_partner_all_city ON ru_partner_all(city_id, sector, partner_id);
	CREATE TABLE ru_partner_year (
		partner_id BIGINT NOT NULL, campaign_id BIGINT NOT NULL, year INTEGER NOT NULL,
		city_id BIGINT NOT NULL, sector TEXT NOT NULL, months INTEGER NOT NULL,
		PRIMARY KEY (partner_id, campaign_id, year)
	);
	CREATE INDEX idx_ru_partner_year ON ru_partner_year(year, city_id, sector, partner_id);
	CREATE TABLE data_version (id INTEGER PRIMARY KEY, v BIGINT NOT NULL);
	INSERT INTO data_version (id, v) VALUES (1, 0);
