-- 17: the partner-year roll-up's index covers the months bit set too,
-- so a report over some months counts distinct partners from the index
-- alone (PostgreSQL: an index-only scan instead of a heap fetch per
-- partner row; see README, PostgreSQL at scale)

	DROP INDEX idx_ru_partner_year;
	CREATE INDEX idx_ru_partner_year ON ru_partner_year(year, city_id, sector, partner_id, months);
