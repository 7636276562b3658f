-- The fill of migration 18, frozen as it was at its version: the totals
-- from the monthly and partner roll-ups.

-- Per city over all time; per month over the network, with the cities
-- active and the partners engaged within it.
	DELETE FROM rt_city;
	DELETE FROM rt_month;
	INSERT INTO rt_city (city_id, events_held, participants, stories_published)
		SELECT city_id, SUM(events_held), SUM(participants), SUM(stories_published) FROM ru_city GROUP BY city_id;
	INSERT INTO rt_month (month, events_held, participants, stories_published, active, partners)
		SELECT month, SUM(events_held), SUM(participants), SUM(stories_published), COUNT(DISTINCT city_id), 0 FROM ru_city GROUP BY month;
	UPDATE rt_month SET partners = COALESCE((SELECT SUM(p.partners) FROM ru_city_month_partners p WHERE p.month = rt_month.month), 0);

-- The distinct partners per city and sector, over all time.
	DELETE FROM rt_partner_city;
	INSERT INTO rt_partner_city (city_id, sector, partners)
		SELECT city_id, sector, COUNT(DISTINCT partner_id) FROM ru_partner_all GROUP BY city_id, sector;
