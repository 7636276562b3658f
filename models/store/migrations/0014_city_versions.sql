-- 14: the version of each city's report data, so that a write to one
-- city keeps the cached reports of the others (bumpDataVersion)

	CREATE TABLE city_versions (city_id BIGINT PRIMARY KEY, v BIGINT NOT NULL);
	INSERT INTO city_versions (city_id, v) SELECT 0, v FROM data_version WHERE id = 1;
