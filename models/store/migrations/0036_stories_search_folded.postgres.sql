-- 36: the gallery's search ignores accents (ecole finds École, Arabic
-- marks aside too), finds the author by the name the public sees (none
-- for an anonymous story or a learner under 18) and the city by its
-- token "c<id>", weighted A so that no word of a story is taken for it
-- (the store turns the words that name a city, in any of its names,
-- into its token, so a renamed city needs no reindexing). Built-in
-- functions only (normalize, regexp_replace), no extension: unaccent
-- would need CREATE EXTENSION and lives in one schema. story_search_fold
-- folds a search as story_search_vector folds a story (keep them in
-- step); pgSearchVector in gallery.go repeats the index's expression.

	CREATE FUNCTION story_search_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
		AS $$ SELECT regexp_replace(normalize(lower(t), NFD), '[\u0300-\u036f\u0640\u064b-\u065f\u0670]', '', 'g') $$;
	CREATE FUNCTION story_search_vector(title text, body text, display_name text, anonymous boolean, minor boolean, city_id bigint) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
		AS $$ SELECT to_tsvector('simple', regexp_replace(normalize(lower(title || ' ' || body || CASE WHEN anonymous OR minor THEN '' ELSE ' ' || display_name END), NFD), '[\u0300-\u036f\u0640\u064b-\u065f\u0670]', '', 'g'))
			|| setweight(to_tsvector('simple', 'c' || city_id::text), 'A') $$;
	DROP INDEX idx_stories_search;
	CREATE INDEX idx_stories_search ON stories USING GIN ((story_search_vector(title, body, display_name, anonymous, minor, city_id)));
