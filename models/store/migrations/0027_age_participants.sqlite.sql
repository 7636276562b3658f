-- 27: an event's participants by age group (issue 13), when recorded;
-- they add up to its participants. An event that reached one age group
-- has all its participants in it. The age group roll-ups then count
-- these rather than the whole event's participants
-- (0027_age_participants.fill.*.sql).
-- And on SQLite, the statistics of migration 26's index: a database
-- analysed before it had none, so the planner took it for the most
-- selective and sorted the whole gallery with it (/stories: 2.3 s at
-- network scale instead of a few ms).

	ALTER TABLE event_age_groups ADD COLUMN participants BIGINT;
	UPDATE event_age_groups SET participants = (SELECT e.participants FROM events e WHERE e.id = event_age_groups.event_id AND e.status = 'held')
	WHERE event_id IN (SELECT event_id FROM event_age_groups GROUP BY event_id HAVING COUNT(*) = 1);
	ANALYZE idx_stories_status_campaign_city;
