-- 35: a city's names in other languages and scripts (فاس and Fès for
-- Fez, issue 33), one per language, by which the city directory and the
-- gallery's search find it. folded is the name as the searches compare
-- it (models.FoldSearch: lower case, no accents or Arabic marks), written
-- with the name, so that a search folds only what is typed.

	CREATE TABLE city_names (
		city_id BIGINT NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
		lang TEXT NOT NULL,
		name TEXT NOT NULL,
		folded TEXT NOT NULL,
		PRIMARY KEY (city_id, lang)
	);
