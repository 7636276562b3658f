-- 16: the public stories gallery: indexes for its newest-first pages
-- (all stories, or one language), and full-text search over published
-- stories only. SQLite keeps an FTS5 index that holds no text of its
-- own (content is the stories table), kept in step by triggers, so
-- that whatever writes a story updates it; secure-delete removes a
-- story's words from the index itself, not only its pointer, when it is
-- unpublished, withdrawn or erased. PostgreSQL indexes the same words
-- with a GIN expression index (see pgSearchVector in gallery.go, which
-- searches with the same text) over every story:
-- a partial one would get no statistics, and without them the planner
-- walks every story for a word that none has.

	CREATE INDEX idx_stories_lang_published ON stories(lang, status, published_at, id);
	CREATE VIRTUAL TABLE stories_fts USING fts5(title, body, content='stories', content_rowid='id', tokenize='unicode61 remove_diacritics 0');
	INSERT INTO stories_fts(stories_fts, rank) VALUES ('secure-delete', 1);
	INSERT INTO stories_fts(rowid, title, body) SELECT id, title, body FROM stories WHERE status = 'published';
	CREATE TRIGGER stories_fts_insert AFTER INSERT ON stories WHEN new.status = 'published' BEGIN
		INSERT INTO stories_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
	END;
	CREATE TRIGGER stories_fts_update AFTER UPDATE OF title, body, status ON stories WHEN old.status = 'published' OR new.status = 'published' BEGIN
		INSERT INTO stories_fts(stories_fts, rowid, title, body) SELECT 'delete', old.id, old.title, old.body WHERE old.status = 'published';
		INSERT INTO stories_fts(rowid, title, body) SELECT new.id, new.title, new.body WHERE new.status = 'published';
	END;
	CREATE TRIGGER stories_fts_delete AFTER DELETE ON stories WHEN old.status = 'published' BEGIN
		INSERT INTO stories_fts(stories_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
	END;
