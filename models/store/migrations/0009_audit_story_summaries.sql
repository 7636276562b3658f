-- 9: audit entries about stories name records and fields only; older
-- entries carried a story's title, which must not outlive its erasure

	UPDATE audit_entries SET summary = '' WHERE entity = 'story';
