-- 1: cities, users, sessions, throttling, audit log

	CREATE TABLE cities (
		id {{id}},
		name TEXT NOT NULL,
		slug TEXT NOT NULL UNIQUE,
		country TEXT NOT NULL,
		region TEXT NOT NULL,
		joined_year INTEGER NOT NULL,
		co_lead BOOLEAN NOT NULL DEFAULT FALSE,
		created_at {{ts}} NOT NULL,
		updated_at {{ts}} NOT NULL
	);
	CREATE INDEX idx_cities_region ON cities(region);
	CREATE INDEX idx_cities_country ON cities(country);
	CREATE TABLE users (
		id {{id}},
		email TEXT NOT NULL UNIQUE,
		name TEXT NOT NULL,
		password_hash TEXT NOT NULL,
		role TEXT NOT NULL,
		disabled BOOLEAN NOT NULL DEFAULT FALSE,
		created_at {{ts}} NOT NULL,
		updated_at {{ts}} NOT NULL
	);
	CREATE TABLE user_cities (
		user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		city_id BIGINT NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
		PRIMARY KEY (user_id, city_id)
	);
	CREATE INDEX idx_user_cities_city ON user_cities(city_id);
	CREATE TABLE sessions (
		token TEXT PRIMARY KEY,
		data {{blob}} NOT NULL,
		expiry {{ts}} NOT NULL
	);
	CREATE INDEX idx_sessions_expiry ON sessions(expiry);
	CREATE TABLE login_failures (
		id {{id}},
		email TEXT NOT NULL,
		client_ip TEXT NOT NULL,
		created_at {{ts}} NOT NULL
	);
	CREATE INDEX idx_login_failures_email ON login_failures(email, created_at);
	CREATE INDEX idx_login_failures_ip ON login_failures(client_ip, created_at);
	CREATE TABLE audit_entries (
		id {{id}},
		user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
		user_email TEXT NOT NULL,
		action TEXT NOT NULL,
		entity TEXT NOT NULL,
		entity_id BIGINT NOT NULL,
		city_id BIGINT REFERENCES cities(id) ON DELETE SET NULL,
		summary TEXT NOT NULL,
		created_at {{ts}} NOT NULL
	);
	CREATE INDEX idx_audit_city ON audit_entries(city_id, created_at);
	CREATE INDEX idx_audit_created ON audit_entries(created_at);
