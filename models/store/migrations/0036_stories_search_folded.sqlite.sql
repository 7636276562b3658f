-- 36: the gallery's search ignores accents (ecole finds École, Arabic
-- marks aside too), finds the author by the name the public sees (none
-- for an anonymous story or a learner under 18) and the city by its
-- token "c<id>" (the store turns the words that name a city, in any of
-- its names, into its token, so a renamed city needs no reindexing).
-- The index holds no text of its own (contentless): the triggers delete
-- a story's words with the values they indexed, computed again from the
-- old row, so that secure-delete removes them from the index's pages
-- (contentless_delete's tombstones would leave them there). It is rebuilt
-- from the published stories. Prefix indexes of 4 to 6 letters let a
-- search find a short word as the start of longer ones (ecole: écoles)
-- still newest first, a page at a time: without them FTS5 reads every
-- match of a prefix before the first page.

	DROP TRIGGER stories_fts_insert;
	DROP TRIGGER stories_fts_update;
	DROP TRIGGER stories_fts_delete;
	DROP TABLE stories_fts;
	CREATE VIRTUAL TABLE stories_fts USING fts5(title, body, author, city, content='', prefix='4 5 6', tokenize='unicode61 remove_diacritics 2');
	INSERT INTO stories_fts(stories_fts, rank) VALUES ('secure-delete', 1);
	INSERT INTO stories_fts(rowid, title, body, author, city)
		SELECT id, title, body, CASE WHEN anonymous OR minor THEN '' ELSE display_name END, 'c' || city_id FROM stories WHERE status = 'published';
	CREATE TRIGGER stories_fts_insert AFTER INSERT ON stories WHEN new.status = 'published' BEGIN
		INSERT INTO stories_fts(rowid, title, body, author, city)
			VALUES (new.id, new.title, new.body, CASE WHEN new.anonymous OR new.minor THEN '' ELSE new.display_name END, 'c' || new.city_id);
	END;
	CREATE TRIGGER stories_fts_update AFTER UPDATE OF title, body, display_name, anonymous, minor, city_id, status ON stories WHEN old.status = 'published' OR new.status = 'published' BEGIN
		INSERT INTO stories_fts(stories_fts, rowid, title, body, author, city)
			SELECT 'delete', old.id, old.title, old.body, CASE WHEN old.anonymous OR old.minor THEN '' ELSE old.display_name END, 'c' || old.city_id WHERE old.status = 'published';
		INSERT INTO stories_fts(rowid, title, body, author, city)
			SELECT new.id, new.title, new.body, CASE WHEN new.anonymous OR new.minor THEN '' ELSE new.display_name END, 'c' || new.city_id WHERE new.status = 'published';
	END;
	CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories WHEN old.status = 'published' BEGIN
		INSERT INTO stories_fts(stories_fts, rowid, title, body, author, city)
			VALUES ('delete', old.id, old.title, old.body, CASE WHEN old.anonymous OR old.minor THEN '' ELSE old.display_name END, 'c' || old.city_id);
	END;
