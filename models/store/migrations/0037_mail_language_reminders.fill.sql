-- 35: existing people keep getting mails in the language they get them
-- in today, their interface language.

	UPDATE users SET mail_language = language;
