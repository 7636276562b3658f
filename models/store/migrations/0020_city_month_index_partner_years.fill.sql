-- The fill of migration 20, frozen as it was at its version: the
-- distinct partners per year, city and sector, from the partner-year
-- roll-up.

	DELETE FROM ry_partner_city;
	INSERT INTO ry_partner_city (year, city_id, sector, partners)
		SELECT year, city_id, sector, COUNT(DISTINCT partner_id) FROM ru_partner_year GROUP BY year, city_id, sector;
