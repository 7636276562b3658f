-- 8: login throttling per account and address; the addresses each
-- account has signed in from, which a spread-out attack cannot block

	CREATE TABLE login_addresses (
		user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		client_ip TEXT NOT NULL,
		last_success_at {{ts}} NOT NULL,
		PRIMARY KEY (user_id, client_ip)
	);
	CREATE INDEX idx_login_failures_pair ON login_failures(email, client_ip, created_at);
