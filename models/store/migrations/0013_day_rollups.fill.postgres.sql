-- The fill of migration 13, frozen as it was at its version: the day-grain
-- roll-ups from the raw events and stories, and the partners' roll-ups
-- made again from scratch, ru_partner_month with them. The age group rows
-- of the day tables wait for migration 27's column; its fill makes them.

-- Per city, campaign and day.
	INSERT INTO ru_city_day (city_id, campaign_id, day, events_held, participants, stories_published)
		SELECT city_id, campaign_id, day, SUM(ev), SUM(pa), SUM(st) FROM (
			SELECT e.city_id, e.campaign_id, ((CAST(EXTRACT(YEAR FROM e.starts_at) AS INTEGER) * 100 + CAST(EXTRACT(MONTH FROM e.starts_at) AS INTEGER)) * 100 + CAST(EXTRACT(DAY FROM e.starts_at) AS INTEGER)) AS day, 1 AS ev, COALESCE(e.participants, 0) AS pa, 0 AS st
			FROM events e WHERE e.status = 'held'
			UNION ALL
			SELECT st.city_id, st.campaign_id, ((CAST(EXTRACT(YEAR FROM st.submitted_at) AS INTEGER) * 100 + CAST(EXTRACT(MONTH FROM st.submitted_at) AS INTEGER)) * 100 + CAST(EXTRACT(DAY FROM st.submitted_at) AS INTEGER)), 0, 0, 1
			FROM stories st WHERE st.status = 'published'
		) f GROUP BY city_id, campaign_id, day;

-- The network's dimensions per day: learning areas, formats, sectors.
	INSERT INTO rn_dim_day (day, campaign_id, dim, dkey, events_held, participants, stories_published)
		SELECT day, campaign_id, 'area', dkey, SUM(ev), SUM(pa), SUM(st) FROM (
			SELECT ((CAST(EXTRACT(YEAR FROM e.starts_at) AS INTEGER) * 100 + CAST(EXTRACT(MONTH FROM e.starts_at) AS INTEGER)) * 100 + CAST(EXTRACT(DAY FROM e.starts_at) AS INTEGER)) AS day, e.campaign_id, a.area AS dkey, 1 AS ev, COALESCE(e.participants, 0) AS pa, 0 AS st
			FROM events e JOIN cities c ON c.id = e.city_id JOIN event_learning_areas a ON a.event_id = e.id WHERE e.status = 'held'
			UNION ALL
			SELECT ((CAST(EXTRACT(YEAR FROM st.submitted_at) AS INTEGER) * 100 + CAST(EXTRACT(MONTH FROM st.submitted_at) AS INTEGER)) * 100 + CAST(EXTRACT(DAY FROM st.submitted_at) AS INTEGER)), st.campaign_id, a.area, 0, 0, 1
			FROM stories st JOIN cities c ON c.id = st.city_id JOIN story_learning_areas a ON a.story_id = st.id WHERE st.status = 'published'
		) f GROUP BY day, campaign_id, dkey;
	INSERT INTO rn_dim_day (day, campaign_id, dim, dkey, events_held, participants, stories_published)
		SELECT ((CAST(EXTRACT(YEAR FROM e.starts_at) AS INTEGER) * 100 + CAST(EXTRACT(MONTH FROM e.starts_at) AS INTEGER)) * 100 + CAST(EXTRACT(DAY FROM e.starts_at) AS INTEGER)), e.campaign_id, 'format', e.format, COUNT(*), COALESCE(SUM(e.participants), 0), 0
			FROM events e JOIN cities c ON c.id = e.city_id WHERE e.status = 'held'
			GROUP BY ((CAST(EXTRACT(YEAR FROM e.starts_at) AS INTEGER) * 100 + CAST(EXTRACT(MONTH FROM e.starts_at) AS INTEGER)) * 100 + CAST(EXTRACT(DAY FROM e.starts_at) AS INTEGER)), e.campaign_id, e.format;
	INSERT INTO rn_dim_day (day, campaign_id, dim, dkey, events_held, participants, stories_published)
		SELECT ((CAST(EXTRACT(YEAR FROM e.starts_at) AS INTEGER) * 100 + CAST(EXTRACT(MONTH FROM e.starts_at) AS INTEGER)) * 100 + CAST(EXTRACT(DAY FROM e.starts_at) AS INTEGER)), e.campaign_id, 'sector', p.sector, COUNT(DISTINCT e.id), 0, 0
			FROM events e JOIN cities c ON c.id = e.city_id JOIN event_partners ep ON ep.event_id = e.id JOIN partners p ON p.id = ep.partner_id
			WHERE e.status = 'held'
			GROUP BY ((CAST(EXTRACT(YEAR FROM e.starts_at) AS INTEGER) * 100 + CAST(EXTRACT(MONTH FROM e.starts_at) AS INTEGER)) * 100 + CAST(EXTRACT(DAY FROM e.starts_at) AS INTEGER)), e.campaign_id, p.sector;

-- The regions' dimensions per day.
	INSERT INTO rr_dim_day (region, day, campaign_id, dim, dkey, events_held, participants, stories_published)
		SELECT region, day, campaign_id, 'area', dkey, SUM(ev), SUM(pa), SUM(st) FROM (
			SELECT c.region, ((CAST(EXTRACT(YEAR FROM e.starts_at) AS INTEGER) * 100 + CAST(EXTRACT(MONTH FROM e.starts_at) AS INTEGER)) * 100 + CAST(EXTRACT(DAY FROM e.starts_at) AS INTEGER)) AS day, e.campaign_id, a.area AS dkey, 1 AS ev, COALESCE(e.participants, 0) AS pa, 0 AS st
			FROM events e JOIN cities c ON c.id = e.city_id JOIN event_learning_areas a ON a.event_id = e.id WHERE e.status = 'held'
			UNION ALL
			SELECT c.region, ((CAST(EXTRACT(YEAR FROM st.submitted_at) AS INTEGER) * 100 + CAST(EXTRACT(MONTH FROM st.submitted_at) AS INTEGER)) * 100 + CAST(EXTRACT(DAY FROM st.submitted_at) AS INTEGER)), st.campaign_id, a.area, 0, 0, 1
			FROM stories st JOIN cities c ON c.id = st.city_id JOIN story_learning_areas a ON a.story_id = st.id WHERE st.status = 'published'
		) f GROUP BY region, day, campaign_id, dkey;
	INSERT INTO rr_dim_day (region, day, campaign_id, dim, dkey, events_held, participants, stories_published)
		SELECT c.region, ((CAST(EXTRACT(YEAR FROM e.starts_at) AS INTEGER) * 100 + CAST(EXTRACT(MONTH FROM e.starts_at) AS INTEGER)) * 100 + CAST(EXTRACT(DAY FROM e.starts_at) AS INTEGER)), e.campaign_id, 'format', e.format, COUNT(*), COALESCE(SUM(e.participants), 0), 0
			FROM events e JOIN cities c ON c.id = e.city_id WHERE e.status = 'held'
			GROUP BY c.region, ((CAST(EXTRACT(YEAR FROM e.starts_at) AS INTEGER) * 100 + CAST(EXTRACT(MONTH FROM e.starts_at) AS INTEGER)) * 100 + CAST(EXTRACT(DAY FROM e.starts_at) AS INTEGER)), e.campaign_id, e.format;
	INSERT INTO rr_dim_day (region, day, campaign_id, dim, dkey, events_held, participants, stories_published)
		SELECT c.region, ((CAST(EXTRACT(YEAR FROM e.starts_at) AS INTEGER) * 100 + CAST(EXTRACT(MONTH FROM e.starts_at) AS INTEGER)) * 100 + CAST(EXTRACT(DAY FROM e.starts_at) AS INTEGER)), e.campaign_id, 'sector', p.sector, COUNT(DISTINCT e.id), 0, 0
			FROM events e JOIN cities c ON c.id = e.city_id JOIN event_partners ep ON ep.event_id = e.id JOIN partners p ON p.id = ep.partner_id
			WHERE e.status = 'held'
			GROUP BY c.region, ((CAST(EXTRACT(YEAR FROM e.starts_at) AS INTEGER) * 100 + CAST(EXTRACT(MONTH FROM e.starts_at) AS INTEGER)) * 100 + CAST(EXTRACT(DAY FROM e.starts_at) AS INTEGER)), e.campaign_id, p.sector;

-- The partners': over all time, per year (months as a bit set: bit m-1
-- for each month m with a held event), per month (days as a bit set).
	DELETE FROM ru_partner_all;
	DELETE FROM ru_partner_year;
	INSERT INTO ru_partner_all (partner_id, campaign_id, city_id, sector, events_held)
		SELECT p.id, e.campaign_id, p.city_id, p.sector, COUNT(*)
		FROM partners p JOIN event_partners ep ON ep.partner_id = p.id JOIN events e ON e.id = ep.event_id
		WHERE e.status = 'held'
		GROUP BY p.id, e.campaign_id, p.city_id, p.sector;
	INSERT INTO ru_partner_year (partner_id, campaign_id, year, city_id, sector, months)
		SELECT p.id, e.campaign_id, CAST(EXTRACT(YEAR FROM e.starts_at) AS INTEGER), p.city_id, p.sector, SUM(DISTINCT 1 << ((CAST(EXTRACT(YEAR FROM e.starts_at) AS INTEGER) * 100 + CAST(EXTRACT(MONTH FROM e.starts_at) AS INTEGER)) % 100 - 1))
		FROM partners p JOIN event_partners ep ON ep.partner_id = p.id JOIN events e ON e.id = ep.event_id
		WHERE e.status = 'held'
		GROUP BY p.id, e.campaign_id, CAST(EXTRACT(YEAR FROM e.starts_at) AS INTEGER), p.city_id, p.sector;
	INSERT INTO ru_partner_month (partner_id, campaign_id, month, city_id, sector, days)
		SELECT p.id, e.campaign_id, (CAST(EXTRACT(YEAR FROM e.starts_at) AS INTEGER) * 100 + CAST(EXTRACT(MONTH FROM e.starts_at) AS INTEGER)), p.city_id, p.sector, SUM(DISTINCT 1 << (CAST(EXTRACT(DAY FROM e.starts_at) AS INTEGER) - 1))
		FROM partners p JOIN event_partners ep ON ep.partner_id = p.id JOIN events e ON e.id = ep.event_id
		WHERE e.status = 'held'
		GROUP BY p.id, e.campaign_id, (CAST(EXTRACT(YEAR FROM e.starts_at) AS INTEGER) * 100 + CAST(EXTRACT(MONTH FROM e.starts_at) AS INTEGER)), p.city_id, p.sector;
