-- 33: staff's introduction to the network document (issue 33), one row
-- per period and interface language. A period is the document's first
-- and last days ('' for an open end): the default document is a
-- calendar year, and a year's words are not shown on a quarter's
-- document. The document falls back to the English text.

	CREATE TABLE document_intros (
		id {{id}},
		from_day TEXT NOT NULL,
		to_day TEXT NOT NULL,
		lang TEXT NOT NULL,
		body TEXT NOT NULL,
		updated_at {{ts}} NOT NULL
	);
	CREATE UNIQUE INDEX idx_document_intros_period_lang ON document_intros(from_day, to_day, lang);
