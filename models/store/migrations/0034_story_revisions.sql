-- 34: the versions of a story's words that an edit replaced: the
-- learner's original when a moderator corrects it, and each version
-- replaced after, by a moderator or by the learner sending back a story
-- that was not published; who wrote each (author) and who replaced it
-- (replaced_by: learner or moderator). Moderators see them; the public
-- never does. They go with the story's content when it is erased (withdrawal,
-- retention, the ledger's replay), in the erasure's transaction.

	CREATE TABLE story_revisions (
		id {{id}},
		story_id BIGINT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
		title TEXT NOT NULL,
		body TEXT NOT NULL,
		display_name TEXT NOT NULL,
		author TEXT NOT NULL,
		replaced_by TEXT NOT NULL,
		replaced_at {{ts}} NOT NULL
	);
	CREATE INDEX idx_story_revisions_story ON story_revisions(story_id, id);
