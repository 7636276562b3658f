-- 12: lists that never count the whole network. Stories per city and
-- status are counted by triggers in the transaction of every write,
-- whatever writes the row; the moderation queue across all cities and
-- the network feed read in index order.

	CREATE TABLE story_counts (
		city_id BIGINT NOT NULL, status TEXT NOT NULL, n BIGINT NOT NULL,
		PRIMARY KEY (city_id, status)
	);
	INSERT INTO story_counts (city_id, status, n) SELECT city_id, status, COUNT(*) FROM stories GROUP BY city_id, status;
	CREATE FUNCTION story_counts_keep() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		IF TG_OP IN ('UPDATE', 'DELETE') THEN
			UPDATE story_counts SET n = n - 1 WHERE city_id = OLD.city_id AND status = OLD.status;
		END IF;
		IF TG_OP IN ('INSERT', 'UPDATE') THEN
			INSERT INTO story_counts (city_id, status, n) VALUES (NEW.city_id, NEW.status, 1)
				ON CONFLICT (city_id, status) DO UPDATE SET n = story_counts.n + 1;
		END IF;
		RETURN NULL;
	END $$;
	CREATE TRIGGER story_counts_insert_delete AFTER INSERT OR DELETE ON stories
		FOR EACH ROW EXECUTE FUNCTION story_counts_keep();
	CREATE TRIGGER story_counts_update AFTER UPDATE OF city_id, status ON stories
		FOR EACH ROW WHEN (OLD.city_id <> NEW.city_id OR OLD.status <> NEW.status) EXECUTE FUNCTION story_counts_keep();
	CREATE INDEX idx_stories_status_submitted ON stories(status, submitted_at, id);
	CREATE INDEX idx_stories_status_published_at ON stories(status, published_at, id);
	CREATE INDEX idx_stories_submitted ON stories(submitted_at, id);
	ANALYZE stories;
