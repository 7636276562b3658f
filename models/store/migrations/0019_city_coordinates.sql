-- 19: where a city is, for the network's map: WGS 84 degrees, both or
-- neither.

	ALTER TABLE cities ADD COLUMN latitude DOUBLE PRECISION;
	ALTER TABLE cities ADD COLUMN longitude DOUBLE PRECISION;
