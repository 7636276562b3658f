-- 23: the calendar's global days, which staff manage: one day of the
-- year each (month and day), named in each interface language. Seeded
-- with the United Nations days that fit lifelong learning.

	CREATE TABLE global_days (
		id {{id}},
		month INTEGER NOT NULL,
		day INTEGER NOT NULL,
		name TEXT NOT NULL,
		texts TEXT NOT NULL DEFAULT '{}',
		created_at {{ts}} NOT NULL,
		updated_at {{ts}} NOT NULL
	);
	CREATE INDEX idx_global_days_date ON global_days(month, day);
	INSERT INTO global_days (month, day, name, texts, created_at, updated_at) VALUES
		(1, 24, 'International Day of Education', '{"fr":{"name":"Journée internationale de l''éducation"},"es":{"name":"Día Internacional de la Educación"},"ar":{"name":"اليوم الدولي للتعليم"}}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
		(9, 8, 'International Literacy Day', '{"fr":{"name":"Journée internationale de l''alphabétisation"},"es":{"name":"Día Internacional de la Alfabetización"},"ar":{"name":"اليوم الدولي لمحو الأمية"}}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
		(10, 1, 'International Day of Older Persons', '{"fr":{"name":"Journée internationale des personnes âgées"},"es":{"name":"Día Internacional de las Personas de Edad"},"ar":{"name":"اليوم الدولي لكبار السن"}}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
		(12, 3, 'International Day of Persons with Disabilities', '{"fr":{"name":"Journée internationale des personnes handicapées"},"es":{"name":"Día Internacional de las Personas con Discapacidad"},"ar":{"name":"اليوم الدولي للأشخاص ذوي الإعاقة"}}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);
