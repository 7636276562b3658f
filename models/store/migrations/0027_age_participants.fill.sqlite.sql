-- The fill of migration 27, frozen as it was at its version: the age
-- group rows of every roll-up made again from the raw tables, now that
-- they count each age group's own participants (event_age_groups) rather
-- than the whole event's.

	DELETE FROM ru_dim WHERE dim = 'age';
	DELETE FROM rr_dim WHERE dim = 'age';
	DELETE FROM rn_dim WHERE dim = 'age';
	DELETE FROM rr_dim_day WHERE dim = 'age';
	DELETE FROM rn_dim_day WHERE dim = 'age';

-- Per city and month, then summed per region and over the network.
	INSERT INTO ru_dim (city_id, campaign_id, month, dim, dkey, events_held, participants, stories_published)
		SELECT city_id, campaign_id, month, 'age', dkey, SUM(ev), SUM(pa), SUM(st) FROM (
			SELECT e.city_id, e.campaign_id, (CAST(substr(e.starts_at, 1, 4) AS INTEGER) * 100 + CAST(substr(e.starts_at, 6, 2) AS INTEGER)) AS month, g.age_group AS dkey, 1 AS ev, COALESCE(g.participants, 0) AS pa, 0 AS st
			FROM events e JOIN event_age_groups g ON g.event_id = e.id WHERE e.status = 'held'
			UNION ALL
			SELECT st.city_id, st.campaign_id, (CAST(substr(st.submitted_at, 1, 4) AS INTEGER) * 100 + CAST(substr(st.submitted_at, 6, 2) AS INTEGER)), st.age_group, 0, 0, 1
			FROM stories st WHERE st.status = 'published'
		) f GROUP BY city_id, campaign_id, month, dkey;
	INSERT INTO rr_dim (region, campaign_id, month, dim, dkey, events_held, participants, stories_published)
		SELECT c.region, d.campaign_id, d.month, d.dim, d.dkey, SUM(d.events_held), SUM(d.participants), SUM(d.stories_published)
		FROM ru_dim d JOIN cities c ON c.id = d.city_id WHERE d.dim = 'age'
		GROUP BY c.region, d.campaign_id, d.month, d.dim, d.dkey;
	INSERT INTO rn_dim (campaign_id, month, dim, dkey, events_held, participants, stories_published)
		SELECT campaign_id, month, dim, dkey, SUM(events_held), SUM(participants), SUM(stories_published)
		FROM ru_dim WHERE dim = 'age' GROUP BY campaign_id, month, dim, dkey;

-- Per day, over the network and per region.
	INSERT INTO rn_dim_day (day, campaign_id, dim, dkey, events_held, participants, stories_published)
		SELECT day, campaign_id, 'age', dkey, SUM(ev), SUM(pa), SUM(st) FROM (
			SELECT ((CAST(substr(e.starts_at, 1, 4) AS INTEGER) * 100 + CAST(substr(e.starts_at, 6, 2) AS INTEGER)) * 100 + CAST(substr(e.starts_at, 9, 2) AS INTEGER)) AS day, e.campaign_id, g.age_group AS dkey, 1 AS ev, COALESCE(g.participants, 0) AS pa, 0 AS st
			FROM events e JOIN cities c ON c.id = e.city_id JOIN event_age_groups g ON g.event_id = e.id WHERE e.status = 'held'
			UNION ALL
			SELECT ((CAST(substr(st.submitted_at, 1, 4) AS INTEGER) * 100 + CAST(substr(st.submitted_at, 6, 2) AS INTEGER)) * 100 + CAST(substr(st.submitted_at, 9, 2) AS INTEGER)), st.campaign_id, st.age_group, 0, 0, 1
			FROM stories st JOIN cities c ON c.id = st.city_id WHERE st.status = 'published'
		) f GROUP BY day, campaign_id, dkey;
	INSERT INTO rr_dim_day (region, day, campaign_id, dim, dkey, events_held, participants, stories_published)
		SELECT region, day, campaign_id, 'age', dkey, SUM(ev), SUM(pa), SUM(st) FROM (
			SELECT c.region, ((CAST(substr(e.starts_at, 1, 4) AS INTEGER) * 100 + CAST(substr(e.starts_at, 6, 2) AS INTEGER)) * 100 + CAST(substr(e.starts_at, 9, 2) AS INTEGER)) AS day, e.campaign_id, g.age_group AS dkey, 1 AS ev, COALESCE(g.participants, 0) AS pa, 0 AS st
			FROM events e JOIN cities c ON c.id = e.city_id JOIN event_age_groups g ON g.event_id = e.id WHERE e.status = 'held'
			UNION ALL
			SELECT c.region, ((CAST(substr(st.submitted_at, 1, 4) AS INTEGER) * 100 + CAST(substr(st.submitted_at, 6, 2) AS INTEGER)) * 100 + CAST(substr(st.submitted_at, 9, 2) AS INTEGER)), st.campaign_id, st.age_group, 0, 0, 1
			FROM stories st JOIN cities c ON c.id = st.city_id WHERE st.status = 'published'
		) f GROUP BY region, day, campaign_id, dkey;
