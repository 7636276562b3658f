-- 7: languages: a user's interface language; the language content is written in

	ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';
	ALTER TABLE stories ADD COLUMN lang TEXT NOT NULL DEFAULT '';
	ALTER TABLE events ADD COLUMN lang TEXT NOT NULL DEFAULT '';
	ALTER TABLE partners ADD COLUMN lang TEXT NOT NULL DEFAULT '';
