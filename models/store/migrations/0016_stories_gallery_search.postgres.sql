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
	CREATE INDEX idx_stories_search ON stories USING GIN ((to_tsvector('simple', title || ' ' || body)));
