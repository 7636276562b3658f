CREATE FUNCTION story_counts_keep() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
	BEGIN
		IF TG_OP IN ('UPDATE', 'DELETE') THEN
			UPDATE story_counts SET n = n - 1 WHERE city_id = OLD.city_id AND status = OLD.status;
		END IF;
		IF TG_OP IN ('INSERT', 'UPDATE') THEN
			INSERT INTO story_counts (city_id, status, n) VALUES (NEW.city_id, NEW.status, 1)
				ON CONFLICT (city_id, status) DO UPDATE SET n = story_counts.n + 1;
		END IF;
		RETURN NULL;
	END $$;

CREATE FUNCTION story_search_fold(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT regexp_replace(normalize(lower(t), NFD), '[\u0300-\u036f\u0640\u064b-\u065f\u0670]', '', 'g') $$;

CREATE FUNCTION story_search_vector(title text, body text, display_name text, anonymous boolean, minor boolean, city_id bigint) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT to_tsvector('simple', regexp_replace(normalize(lower(title || ' ' || body || CASE WHEN anonymous OR minor THEN '' ELSE ' ' || display_name END), NFD), '[\u0300-\u036f\u0640\u064b-\u065f\u0670]', '', 'g'))
			|| setweight(to_tsvector('simple', 'c' || city_id::text), 'A') $$;

CREATE TABLE audit_entries (
    id bigint NOT NULL,
    user_id bigint,
    user_email text NOT NULL,
    action text NOT NULL,
    entity text NOT NULL,
    entity_id bigint NOT NULL,
    city_id bigint,
    summary text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    part_of bigint
);

CREATE SEQUENCE audit_entries_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE audit_entries_id_seq OWNED BY audit_entries.id;

CREATE TABLE campaign_co_leads (
    campaign_id bigint NOT NULL,
    city_id bigint NOT NULL
);

CREATE TABLE campaigns (
    id bigint NOT NULL,
    hashtag text NOT NULL,
    name text NOT NULL,
    starts_on timestamp with time zone NOT NULL,
    ends_on timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    slug text DEFAULT ''::text NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    texts text DEFAULT '{}'::text NOT NULL,
    due_days integer DEFAULT 30 NOT NULL,
    due_on timestamp with time zone,
    report_periods text DEFAULT 'campaign,quarter,year'::text NOT NULL,
    archived_at timestamp with time zone
);

CREATE SEQUENCE campaigns_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE campaigns_id_seq OWNED BY campaigns.id;

CREATE TABLE cities (
    id bigint NOT NULL,
    name text NOT NULL,
    slug text NOT NULL,
    country text NOT NULL,
    region text NOT NULL,
    joined_year integer NOT NULL,
    co_lead boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    time_zone text DEFAULT 'UTC'::text NOT NULL,
    latitude double precision,
    longitude double precision
);

CREATE SEQUENCE cities_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE cities_id_seq OWNED BY cities.id;

CREATE TABLE city_names (
    city_id bigint NOT NULL,
    lang text NOT NULL,
    name text NOT NULL,
    folded text NOT NULL
);

CREATE TABLE city_report_steps (
    id bigint NOT NULL,
    report_id bigint NOT NULL,
    user_email text NOT NULL,
    action text NOT NULL,
    comment text DEFAULT ''::text NOT NULL,
    created_at timestamp with time zone NOT NULL
);

CREATE SEQUENCE city_report_steps_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE city_report_steps_id_seq OWNED BY city_report_steps.id;

CREATE TABLE city_reports (
    id bigint NOT NULL,
    city_id bigint NOT NULL,
    period_kind text NOT NULL,
    period_key text NOT NULL,
    status text NOT NULL,
    version integer NOT NULL,
    worked text DEFAULT ''::text NOT NULL,
    hard text DEFAULT ''::text NOT NULL,
    plans text DEFAULT ''::text NOT NULL,
    ratings text DEFAULT '[]'::text NOT NULL,
    story_ids text DEFAULT ''::text NOT NULL,
    event_ids text DEFAULT ''::text NOT NULL,
    figures text DEFAULT ''::text NOT NULL,
    figures_at timestamp with time zone,
    due_on timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    submitted_at timestamp with time zone,
    approved_at timestamp with time zone
);

CREATE SEQUENCE city_reports_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE city_reports_id_seq OWNED BY city_reports.id;

CREATE TABLE city_versions (
    city_id bigint NOT NULL,
    v bigint NOT NULL
);

CREATE TABLE data_version (
    id integer NOT NULL,
    v bigint NOT NULL
);

CREATE TABLE document_intros (
    id bigint NOT NULL,
    from_day text NOT NULL,
    to_day text NOT NULL,
    lang text NOT NULL,
    body text NOT NULL,
    updated_at timestamp with time zone NOT NULL
);

CREATE SEQUENCE document_intros_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE document_intros_id_seq OWNED BY document_intros.id;

CREATE TABLE event_age_groups (
    event_id bigint NOT NULL,
    age_group text NOT NULL,
    participants bigint
);

CREATE TABLE event_learning_areas (
    event_id bigint NOT NULL,
    area text NOT NULL
);

CREATE TABLE event_partners (
    event_id bigint NOT NULL,
    partner_id bigint NOT NULL
);

CREATE TABLE events (
    id bigint NOT NULL,
    city_id bigint NOT NULL,
    campaign_id bigint NOT NULL,
    title text NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    starts_at timestamp with time zone NOT NULL,
    ends_at timestamp with time zone NOT NULL,
    venue text DEFAULT ''::text NOT NULL,
    format text NOT NULL,
    status text NOT NULL,
    participants integer,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    lang text DEFAULT ''::text NOT NULL,
    external_ref text
);

CREATE SEQUENCE events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE events_id_seq OWNED BY events.id;

CREATE TABLE global_days (
    id bigint NOT NULL,
    month integer NOT NULL,
    day integer NOT NULL,
    name text NOT NULL,
    texts text DEFAULT '{}'::text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);

CREATE SEQUENCE global_days_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE global_days_id_seq OWNED BY global_days.id;

CREATE TABLE login_addresses (
    user_id bigint NOT NULL,
    client_ip text NOT NULL,
    last_success_at timestamp with time zone NOT NULL
);

CREATE TABLE login_failures (
    id bigint NOT NULL,
    email text NOT NULL,
    client_ip text NOT NULL,
    created_at timestamp with time zone NOT NULL
);

CREATE SEQUENCE login_failures_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE login_failures_id_seq OWNED BY login_failures.id;

CREATE TABLE notification_runs (
    kind text NOT NULL,
    user_id bigint NOT NULL,
    ref text NOT NULL,
    created_at timestamp with time zone NOT NULL
);

CREATE TABLE outbox (
    id bigint NOT NULL,
    recipient text NOT NULL,
    lang text NOT NULL,
    kind text NOT NULL,
    subject text NOT NULL,
    text_body text NOT NULL,
    html_body text NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    claimed_at timestamp with time zone,
    sent_at timestamp with time zone,
    last_error text DEFAULT ''::text NOT NULL,
    created_at timestamp with time zone NOT NULL
);

CREATE SEQUENCE outbox_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE outbox_id_seq OWNED BY outbox.id;

CREATE TABLE partners (
    id bigint NOT NULL,
    city_id bigint NOT NULL,
    name text NOT NULL,
    sector text NOT NULL,
    contact_name text DEFAULT ''::text NOT NULL,
    contact_email text DEFAULT ''::text NOT NULL,
    website text DEFAULT ''::text NOT NULL,
    active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    lang text DEFAULT ''::text NOT NULL
);

CREATE SEQUENCE partners_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE partners_id_seq OWNED BY partners.id;

CREATE TABLE rate_events (
    id bigint NOT NULL,
    bucket text NOT NULL,
    client text NOT NULL,
    created_at timestamp with time zone NOT NULL
);

CREATE SEQUENCE rate_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE rate_events_id_seq OWNED BY rate_events.id;

CREATE TABLE recovery_codes (
    id bigint NOT NULL,
    user_id bigint NOT NULL,
    code_hash text NOT NULL,
    used_at timestamp with time zone
);

CREATE SEQUENCE recovery_codes_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE recovery_codes_id_seq OWNED BY recovery_codes.id;

CREATE TABLE report_reminders (
    city_id bigint NOT NULL,
    period_kind text NOT NULL,
    period_key text NOT NULL,
    day text NOT NULL,
    sent_by bigint NOT NULL,
    sent_at timestamp with time zone NOT NULL
);

CREATE TABLE rn_dim (
    campaign_id bigint NOT NULL,
    month integer NOT NULL,
    dim text NOT NULL,
    dkey text NOT NULL,
    events_held bigint NOT NULL,
    participants bigint NOT NULL,
    stories_published bigint NOT NULL
);

CREATE TABLE rn_dim_day (
    day integer NOT NULL,
    campaign_id bigint NOT NULL,
    dim text NOT NULL,
    dkey text NOT NULL,
    events_held bigint NOT NULL,
    participants bigint NOT NULL,
    stories_published bigint NOT NULL
);

CREATE TABLE rr_dim (
    region text NOT NULL,
    campaign_id bigint NOT NULL,
    month integer NOT NULL,
    dim text NOT NULL,
    dkey text NOT NULL,
    events_held bigint NOT NULL,
    participants bigint NOT NULL,
    stories_published bigint NOT NULL
);

CREATE TABLE rr_dim_day (
    region text NOT NULL,
    day integer NOT NULL,
    campaign_id bigint NOT NULL,
    dim text NOT NULL,
    dkey text NOT NULL,
    events_held bigint NOT NULL,
    participants bigint NOT NULL,
    stories_published bigint NOT NULL
);

CREATE TABLE rt_city (
    city_id bigint NOT NULL,
    events_held bigint NOT NULL,
    participants bigint NOT NULL,
    stories_published bigint NOT NULL
);

CREATE TABLE rt_month (
    month integer NOT NULL,
    events_held bigint NOT NULL,
    participants bigint NOT NULL,
    stories_published bigint NOT NULL,
    active bigint NOT NULL,
    partners bigint NOT NULL
);

CREATE TABLE rt_partner_city (
    city_id bigint NOT NULL,
    sector text NOT NULL,
    partners bigint NOT NULL
);

CREATE TABLE ru_city (
    city_id bigint NOT NULL,
    campaign_id bigint NOT NULL,
    month integer NOT NULL,
    events_held bigint NOT NULL,
    participants bigint NOT NULL,
    stories_published bigint NOT NULL,
    partners bigint NOT NULL
);

CREATE TABLE ru_city_day (
    city_id bigint NOT NULL,
    campaign_id bigint NOT NULL,
    day integer NOT NULL,
    events_held bigint NOT NULL,
    participants bigint NOT NULL,
    stories_published bigint NOT NULL
);

CREATE TABLE ru_city_month_partners (
    city_id bigint NOT NULL,
    month integer NOT NULL,
    partners bigint NOT NULL
);

CREATE TABLE ru_dim (
    city_id bigint NOT NULL,
    campaign_id bigint NOT NULL,
    month integer NOT NULL,
    dim text NOT NULL,
    dkey text NOT NULL,
    events_held bigint NOT NULL,
    participants bigint NOT NULL,
    stories_published bigint NOT NULL
);

CREATE TABLE ru_partner_all (
    partner_id bigint NOT NULL,
    campaign_id bigint NOT NULL,
    city_id bigint NOT NULL,
    sector text NOT NULL,
    events_held bigint NOT NULL
);

CREATE TABLE ru_partner_month (
    partner_id bigint NOT NULL,
    campaign_id bigint NOT NULL,
    month integer NOT NULL,
    city_id bigint NOT NULL,
    sector text NOT NULL,
    days bigint NOT NULL
);

CREATE TABLE ru_partner_year (
    partner_id bigint NOT NULL,
    campaign_id bigint NOT NULL,
    year integer NOT NULL,
    city_id bigint NOT NULL,
    sector text NOT NULL,
    months integer NOT NULL
);

CREATE TABLE ry_partner_city (
    year integer NOT NULL,
    city_id bigint NOT NULL,
    sector text NOT NULL,
    partners bigint NOT NULL
);

CREATE TABLE schema_migrations (
    version integer NOT NULL,
    applied_at timestamp with time zone NOT NULL
);

CREATE TABLE sessions (
    token text NOT NULL,
    data bytea NOT NULL,
    expiry timestamp with time zone NOT NULL
);

CREATE TABLE stories (
    id bigint NOT NULL,
    city_id bigint NOT NULL,
    campaign_id bigint NOT NULL,
    title text DEFAULT ''::text NOT NULL,
    body text DEFAULT ''::text NOT NULL,
    display_name text DEFAULT ''::text NOT NULL,
    anonymous boolean DEFAULT false NOT NULL,
    age_group text NOT NULL,
    minor boolean DEFAULT false NOT NULL,
    photo_key text DEFAULT ''::text NOT NULL,
    photo_alt text DEFAULT ''::text NOT NULL,
    publication_consent boolean DEFAULT false NOT NULL,
    guardian_consent boolean DEFAULT false NOT NULL,
    contact_email text DEFAULT ''::text NOT NULL,
    status text NOT NULL,
    reject_reason text DEFAULT ''::text NOT NULL,
    featured boolean DEFAULT false NOT NULL,
    receipt_hash text NOT NULL,
    submitted_at timestamp with time zone NOT NULL,
    decided_at timestamp with time zone,
    published_at timestamp with time zone,
    withdrawn_at timestamp with time zone,
    updated_at timestamp with time zone NOT NULL,
    lang text DEFAULT ''::text NOT NULL,
    consent_rule boolean DEFAULT true NOT NULL,
    notify_published boolean DEFAULT false NOT NULL,
    CONSTRAINT stories_consent CHECK (((status <> 'published'::text) OR (publication_consent AND (((NOT minor) AND (age_group <> 'children'::text)) OR guardian_consent))))
);

CREATE SEQUENCE stories_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE stories_id_seq OWNED BY stories.id;

CREATE TABLE story_counts (
    city_id bigint NOT NULL,
    status text NOT NULL,
    n bigint NOT NULL
);

CREATE TABLE story_erasures (
    story_id bigint NOT NULL,
    receipt text NOT NULL,
    photo_key text DEFAULT ''::text NOT NULL,
    reason text NOT NULL,
    erased_at timestamp with time zone NOT NULL
);

CREATE TABLE story_learning_areas (
    story_id bigint NOT NULL,
    area text NOT NULL
);

CREATE TABLE story_revisions (
    id bigint NOT NULL,
    story_id bigint NOT NULL,
    title text NOT NULL,
    body text NOT NULL,
    display_name text NOT NULL,
    author text NOT NULL,
    replaced_by text NOT NULL,
    replaced_at timestamp with time zone NOT NULL
);

CREATE SEQUENCE story_revisions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE story_revisions_id_seq OWNED BY story_revisions.id;

CREATE TABLE uploads (
    token_hash text NOT NULL,
    user_id bigint NOT NULL,
    city_id bigint NOT NULL,
    kind text NOT NULL,
    name text NOT NULL,
    data bytea NOT NULL,
    created_at timestamp with time zone NOT NULL,
    state text DEFAULT ''::text NOT NULL,
    runner text DEFAULT ''::text NOT NULL,
    started_at timestamp with time zone,
    created_rows integer DEFAULT 0 NOT NULL,
    updated_rows integer DEFAULT 0 NOT NULL,
    failure text DEFAULT ''::text NOT NULL,
    beat_at timestamp with time zone
);

CREATE TABLE user_cities (
    user_id bigint NOT NULL,
    city_id bigint NOT NULL
);

CREATE TABLE user_tokens (
    id bigint NOT NULL,
    user_id bigint NOT NULL,
    purpose text NOT NULL,
    token_hash text NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL
);

CREATE SEQUENCE user_tokens_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE user_tokens_id_seq OWNED BY user_tokens.id;

CREATE TABLE users (
    id bigint NOT NULL,
    email text NOT NULL,
    name text NOT NULL,
    password_hash text NOT NULL,
    role text NOT NULL,
    disabled boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    language text DEFAULT ''::text NOT NULL,
    session_epoch bigint DEFAULT 0 NOT NULL,
    totp_secret text DEFAULT ''::text NOT NULL,
    totp_last_step bigint DEFAULT 0 NOT NULL,
    notify_off text DEFAULT ''::text NOT NULL,
    mail_language text DEFAULT ''::text NOT NULL
);

CREATE SEQUENCE users_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE users_id_seq OWNED BY users.id;

ALTER TABLE ONLY audit_entries ALTER COLUMN id SET DEFAULT nextval('audit_entries_id_seq'::regclass);

ALTER TABLE ONLY campaigns ALTER COLUMN id SET DEFAULT nextval('campaigns_id_seq'::regclass);

ALTER TABLE ONLY cities ALTER COLUMN id SET DEFAULT nextval('cities_id_seq'::regclass);

ALTER TABLE ONLY city_report_steps ALTER COLUMN id SET DEFAULT nextval('city_report_steps_id_seq'::regclass);

ALTER TABLE ONLY city_reports ALTER COLUMN id SET DEFAULT nextval('city_reports_id_seq'::regclass);

ALTER TABLE ONLY document_intros ALTER COLUMN id SET DEFAULT nextval('document_intros_id_seq'::regclass);

ALTER TABLE ONLY events ALTER COLUMN id SET DEFAULT nextval('events_id_seq'::regclass);

ALTER TABLE ONLY global_days ALTER COLUMN id SET DEFAULT nextval('global_days_id_seq'::regclass);

ALTER TABLE ONLY login_failures ALTER COLUMN id SET DEFAULT nextval('login_failures_id_seq'::regclass);

ALTER TABLE ONLY outbox ALTER COLUMN id SET DEFAULT nextval('outbox_id_seq'::regclass);

ALTER TABLE ONLY partners ALTER COLUMN id SET DEFAULT nextval('partners_id_seq'::regclass);

ALTER TABLE ONLY rate_events ALTER COLUMN id SET DEFAULT nextval('rate_events_id_seq'::regclass);

ALTER TABLE ONLY recovery_codes ALTER COLUMN id SET DEFAULT nextval('recovery_codes_id_seq'::regclass);

ALTER TABLE ONLY stories ALTER COLUMN id SET DEFAULT nextval('stories_id_seq'::regclass);

ALTER TABLE ONLY story_revisions ALTER COLUMN id SET DEFAULT nextval('story_revisions_id_seq'::regclass);

ALTER TABLE ONLY user_tokens ALTER COLUMN id SET DEFAULT nextval('user_tokens_id_seq'::regclass);

ALTER TABLE ONLY users ALTER COLUMN id SET DEFAULT nextval('users_id_seq'::regclass);

ALTER TABLE ONLY audit_entries
    ADD CONSTRAINT audit_entries_pkey PRIMARY KEY (id);

ALTER TABLE ONLY campaign_co_leads
    ADD CONSTRAINT campaign_co_leads_pkey PRIMARY KEY (campaign_id, city_id);

ALTER TABLE ONLY campaigns
    ADD CONSTRAINT campaigns_hashtag_key UNIQUE (hashtag);

ALTER TABLE ONLY campaigns
    ADD CONSTRAINT campaigns_pkey PRIMARY KEY (id);

ALTER TABLE ONLY cities
    ADD CONSTRAINT cities_pkey PRIMARY KEY (id);

ALTER TABLE ONLY cities
    ADD CONSTRAINT cities_slug_key UNIQUE (slug);

ALTER TABLE ONLY city_names
    ADD CONSTRAINT city_names_pkey PRIMARY KEY (city_id, lang);

ALTER TABLE ONLY city_report_steps
    ADD CONSTRAINT city_report_steps_pkey PRIMARY KEY (id);

ALTER TABLE ONLY city_reports
    ADD CONSTRAINT city_reports_city_id_period_kind_period_key_key UNIQUE (city_id, period_kind, period_key);

ALTER TABLE ONLY city_reports
    ADD CONSTRAINT city_reports_pkey PRIMARY KEY (id);

ALTER TABLE ONLY city_versions
    ADD CONSTRAINT city_versions_pkey PRIMARY KEY (city_id);

ALTER TABLE ONLY data_version
    ADD CONSTRAINT data_version_pkey PRIMARY KEY (id);

ALTER TABLE ONLY document_intros
    ADD CONSTRAINT document_intros_pkey PRIMARY KEY (id);

ALTER TABLE ONLY event_age_groups
    ADD CONSTRAINT event_age_groups_pkey PRIMARY KEY (event_id, age_group);

ALTER TABLE ONLY event_learning_areas
    ADD CONSTRAINT event_learning_areas_pkey PRIMARY KEY (event_id, area);

ALTER TABLE ONLY event_partners
    ADD CONSTRAINT event_partners_pkey PRIMARY KEY (event_id, partner_id);

ALTER TABLE ONLY events
    ADD CONSTRAINT events_pkey PRIMARY KEY (id);

ALTER TABLE ONLY global_days
    ADD CONSTRAINT global_days_pkey PRIMARY KEY (id);

ALTER TABLE ONLY login_addresses
    ADD CONSTRAINT login_addresses_pkey PRIMARY KEY (user_id, client_ip);

ALTER TABLE ONLY login_failures
    ADD CONSTRAINT login_failures_pkey PRIMARY KEY (id);

ALTER TABLE ONLY notification_runs
    ADD CONSTRAINT notification_runs_pkey PRIMARY KEY (kind, user_id, ref);

ALTER TABLE ONLY outbox
    ADD CONSTRAINT outbox_pkey PRIMARY KEY (id);

ALTER TABLE ONLY partners
    ADD CONSTRAINT partners_pkey PRIMARY KEY (id);

ALTER TABLE ONLY rate_events
    ADD CONSTRAINT rate_events_pkey PRIMARY KEY (id);

ALTER TABLE ONLY recovery_codes
    ADD CONSTRAINT recovery_codes_pkey PRIMARY KEY (id);

ALTER TABLE ONLY report_reminders
    ADD CONSTRAINT report_reminders_pkey PRIMARY KEY (city_id, period_kind, period_key, day);

ALTER TABLE ONLY rn_dim_day
    ADD CONSTRAINT rn_dim_day_pkey PRIMARY KEY (day, campaign_id, dim, dkey);

ALTER TABLE ONLY rn_dim
    ADD CONSTRAINT rn_dim_pkey PRIMARY KEY (campaign_id, month, dim, dkey);

ALTER TABLE ONLY rr_dim_day
    ADD CONSTRAINT rr_dim_day_pkey PRIMARY KEY (region, day, campaign_id, dim, dkey);

ALTER TABLE ONLY rr_dim
    ADD CONSTRAINT rr_dim_pkey PRIMARY KEY (region, campaign_id, month, dim, dkey);

ALTER TABLE ONLY rt_city
    ADD CONSTRAINT rt_city_pkey PRIMARY KEY (city_id);

ALTER TABLE ONLY rt_month
    ADD CONSTRAINT rt_month_pkey PRIMARY KEY (month);

ALTER TABLE ONLY rt_partner_city
    ADD CONSTRAINT rt_partner_city_pkey PRIMARY KEY (city_id, sector);

ALTER TABLE ONLY ru_city_day
    ADD CONSTRAINT ru_city_day_pkey PRIMARY KEY (city_id, campaign_id, day);

ALTER TABLE ONLY ru_city_month_partners
    ADD CONSTRAINT ru_city_month_partners_pkey PRIMARY KEY (city_id, month);

ALTER TABLE ONLY ru_city
    ADD CONSTRAINT ru_city_pkey PRIMARY KEY (city_id, campaign_id, month);

ALTER TABLE ONLY ru_dim
    ADD CONSTRAINT ru_dim_pkey PRIMARY KEY (city_id, campaign_id, month, dim, dkey);

ALTER TABLE ONLY ru_partner_all
    ADD CONSTRAINT ru_partner_all_pkey PRIMARY KEY (partner_id, campaign_id);

ALTER TABLE ONLY ru_partner_month
    ADD CONSTRAINT ru_partner_month_pkey PRIMARY KEY (partner_id, campaign_id, month);

ALTER TABLE ONLY ru_partner_year
    ADD CONSTRAINT ru_partner_year_pkey PRIMARY KEY (partner_id, campaign_id, year);

ALTER TABLE ONLY ry_partner_city
    ADD CONSTRAINT ry_partner_city_pkey PRIMARY KEY (year, city_id, sector);

ALTER TABLE ONLY schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);

ALTER TABLE ONLY sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (token);

ALTER TABLE ONLY stories
    ADD CONSTRAINT stories_pkey PRIMARY KEY (id);

ALTER TABLE ONLY stories
    ADD CONSTRAINT stories_receipt_hash_key UNIQUE (receipt_hash);

ALTER TABLE ONLY story_counts
    ADD CONSTRAINT story_counts_pkey PRIMARY KEY (city_id, status);

ALTER TABLE ONLY story_erasures
    ADD CONSTRAINT story_erasures_pkey PRIMARY KEY (story_id, receipt);

ALTER TABLE ONLY story_learning_areas
    ADD CONSTRAINT story_learning_areas_pkey PRIMARY KEY (story_id, area);

ALTER TABLE ONLY story_revisions
    ADD CONSTRAINT story_revisions_pkey PRIMARY KEY (id);

ALTER TABLE ONLY uploads
    ADD CONSTRAINT uploads_pkey PRIMARY KEY (token_hash);

ALTER TABLE ONLY user_cities
    ADD CONSTRAINT user_cities_pkey PRIMARY KEY (user_id, city_id);

ALTER TABLE ONLY user_tokens
    ADD CONSTRAINT user_tokens_pkey PRIMARY KEY (id);

ALTER TABLE ONLY user_tokens
    ADD CONSTRAINT user_tokens_token_hash_key UNIQUE (token_hash);

ALTER TABLE ONLY users
    ADD CONSTRAINT users_email_key UNIQUE (email);

ALTER TABLE ONLY users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);

CREATE INDEX idx_audit_action ON audit_entries USING btree (action, created_at);

CREATE INDEX idx_audit_city ON audit_entries USING btree (city_id, created_at);

CREATE INDEX idx_audit_created ON audit_entries USING btree (created_at);

CREATE INDEX idx_audit_who ON audit_entries USING btree (user_email, created_at);

CREATE INDEX idx_campaign_co_leads_city ON campaign_co_leads USING btree (city_id);

CREATE INDEX idx_campaigns_running ON campaigns USING btree (starts_on, ends_on);

CREATE UNIQUE INDEX idx_campaigns_slug ON campaigns USING btree (slug);

CREATE INDEX idx_cities_country ON cities USING btree (country);

CREATE INDEX idx_cities_region ON cities USING btree (region);

CREATE INDEX idx_city_report_steps ON city_report_steps USING btree (report_id, created_at);

CREATE INDEX idx_city_reports_status ON city_reports USING btree (status, updated_at);

CREATE UNIQUE INDEX idx_document_intros_period_lang ON document_intros USING btree (from_day, to_day, lang);

CREATE INDEX idx_event_partners_partner ON event_partners USING btree (partner_id);

CREATE INDEX idx_events_campaign_status_start ON events USING btree (campaign_id, status, starts_at);

CREATE INDEX idx_events_city_start ON events USING btree (city_id, starts_at);

CREATE UNIQUE INDEX idx_events_external_ref ON events USING btree (city_id, external_ref) WHERE (external_ref IS NOT NULL);

CREATE INDEX idx_events_start ON events USING btree (starts_at);

CREATE INDEX idx_events_status_start ON events USING btree (status, starts_at);

CREATE INDEX idx_global_days_date ON global_days USING btree (month, day);

CREATE INDEX idx_login_failures_email ON login_failures USING btree (email, created_at);

CREATE INDEX idx_login_failures_ip ON login_failures USING btree (client_ip, created_at);

CREATE INDEX idx_login_failures_pair ON login_failures USING btree (email, client_ip, created_at);

CREATE INDEX idx_outbox_due ON outbox USING btree (status, next_attempt_at);

CREATE INDEX idx_partners_city ON partners USING btree (city_id, name);

CREATE INDEX idx_rate_events ON rate_events USING btree (bucket, client, created_at);

CREATE INDEX idx_recovery_codes_user ON recovery_codes USING btree (user_id);

CREATE INDEX idx_rn_dim_day_campaign ON rn_dim_day USING btree (campaign_id, day);

CREATE INDEX idx_rr_dim_day_campaign ON rr_dim_day USING btree (campaign_id, day);

CREATE INDEX idx_ru_city_day ON ru_city_day USING btree (day, campaign_id);

CREATE INDEX idx_ru_city_month ON ru_city USING btree (month, campaign_id, city_id, events_held, participants, stories_published, partners);

CREATE INDEX idx_ru_partner_all_city ON ru_partner_all USING btree (city_id, sector, partner_id);

CREATE INDEX idx_ru_partner_month ON ru_partner_month USING btree (month, city_id, sector, partner_id, days);

CREATE INDEX idx_ru_partner_year ON ru_partner_year USING btree (year, city_id, sector, partner_id, months);

CREATE INDEX idx_sessions_expiry ON sessions USING btree (expiry);

CREATE INDEX idx_stories_city_published ON stories USING btree (city_id, status, published_at);

CREATE INDEX idx_stories_city_status ON stories USING btree (city_id, status, submitted_at);

CREATE INDEX idx_stories_lang_published ON stories USING btree (lang, status, published_at, id);

CREATE INDEX idx_stories_search ON stories USING gin (story_search_vector(title, body, display_name, anonymous, minor, city_id));

CREATE INDEX idx_stories_status_campaign_city ON stories USING btree (status, campaign_id, city_id);

CREATE INDEX idx_stories_status_published ON stories USING btree (status, featured, published_at);

CREATE INDEX idx_stories_status_published_at ON stories USING btree (status, published_at, id);

CREATE INDEX idx_stories_status_submitted ON stories USING btree (status, submitted_at, id);

CREATE INDEX idx_stories_submitted ON stories USING btree (submitted_at, id);

CREATE INDEX idx_story_revisions_story ON story_revisions USING btree (story_id, id);

CREATE INDEX idx_uploads_created ON uploads USING btree (created_at);

CREATE INDEX idx_uploads_user_city ON uploads USING btree (user_id, city_id);

CREATE INDEX idx_user_cities_city ON user_cities USING btree (city_id);

CREATE INDEX idx_user_tokens_user ON user_tokens USING btree (user_id, purpose);

CREATE TRIGGER story_counts_insert_delete AFTER INSERT OR DELETE ON stories FOR EACH ROW EXECUTE FUNCTION story_counts_keep();

CREATE TRIGGER story_counts_update AFTER UPDATE OF city_id, status ON stories FOR EACH ROW WHEN (((old.city_id <> new.city_id) OR (old.status <> new.status))) EXECUTE FUNCTION story_counts_keep();

ALTER TABLE ONLY audit_entries
    ADD CONSTRAINT audit_entries_city_id_fkey FOREIGN KEY (city_id) REFERENCES cities(id) ON DELETE SET NULL;

ALTER TABLE ONLY audit_entries
    ADD CONSTRAINT audit_entries_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE SET NULL;

ALTER TABLE ONLY campaign_co_leads
    ADD CONSTRAINT campaign_co_leads_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES campaigns(id) ON DELETE CASCADE;

ALTER TABLE ONLY campaign_co_leads
    ADD CONSTRAINT campaign_co_leads_city_id_fkey FOREIGN KEY (city_id) REFERENCES cities(id) ON DELETE CASCADE;

ALTER TABLE ONLY city_names
    ADD CONSTRAINT city_names_city_id_fkey FOREIGN KEY (city_id) REFERENCES cities(id) ON DELETE CASCADE;

ALTER TABLE ONLY city_report_steps
    ADD CONSTRAINT city_report_steps_report_id_fkey FOREIGN KEY (report_id) REFERENCES city_reports(id) ON DELETE CASCADE;

ALTER TABLE ONLY city_reports
    ADD CONSTRAINT city_reports_city_id_fkey FOREIGN KEY (city_id) REFERENCES cities(id) ON DELETE CASCADE;

ALTER TABLE ONLY event_age_groups
    ADD CONSTRAINT event_age_groups_event_id_fkey FOREIGN KEY (event_id) REFERENCES events(id) ON DELETE CASCADE;

ALTER TABLE ONLY event_learning_areas
    ADD CONSTRAINT event_learning_areas_event_id_fkey FOREIGN KEY (event_id) REFERENCES events(id) ON DELETE CASCADE;

ALTER TABLE ONLY event_partners
    ADD CONSTRAINT event_partners_event_id_fkey FOREIGN KEY (event_id) REFERENCES events(id) ON DELETE CASCADE;

ALTER TABLE ONLY event_partners
    ADD CONSTRAINT event_partners_partner_id_fkey FOREIGN KEY (partner_id) REFERENCES partners(id) ON DELETE CASCADE;

ALTER TABLE ONLY events
    ADD CONSTRAINT events_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES campaigns(id);

ALTER TABLE ONLY events
    ADD CONSTRAINT events_city_id_fkey FOREIGN KEY (city_id) REFERENCES cities(id) ON DELETE CASCADE;

ALTER TABLE ONLY login_addresses
    ADD CONSTRAINT login_addresses_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE;

ALTER TABLE ONLY partners
    ADD CONSTRAINT partners_city_id_fkey FOREIGN KEY (city_id) REFERENCES cities(id) ON DELETE CASCADE;

ALTER TABLE ONLY recovery_codes
    ADD CONSTRAINT recovery_codes_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE;

ALTER TABLE ONLY report_reminders
    ADD CONSTRAINT report_reminders_city_id_fkey FOREIGN KEY (city_id) REFERENCES cities(id) ON DELETE CASCADE;

ALTER TABLE ONLY stories
    ADD CONSTRAINT stories_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES campaigns(id);

ALTER TABLE ONLY stories
    ADD CONSTRAINT stories_city_id_fkey FOREIGN KEY (city_id) REFERENCES cities(id) ON DELETE CASCADE;

ALTER TABLE ONLY story_learning_areas
    ADD CONSTRAINT story_learning_areas_story_id_fkey FOREIGN KEY (story_id) REFERENCES stories(id) ON DELETE CASCADE;

ALTER TABLE ONLY story_revisions
    ADD CONSTRAINT story_revisions_story_id_fkey FOREIGN KEY (story_id) REFERENCES stories(id) ON DELETE CASCADE;

ALTER TABLE ONLY uploads
    ADD CONSTRAINT uploads_city_id_fkey FOREIGN KEY (city_id) REFERENCES cities(id) ON DELETE CASCADE;

ALTER TABLE ONLY uploads
    ADD CONSTRAINT uploads_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE;

ALTER TABLE ONLY user_cities
    ADD CONSTRAINT user_cities_city_id_fkey FOREIGN KEY (city_id) REFERENCES cities(id) ON DELETE CASCADE;

ALTER TABLE ONLY user_cities
    ADD CONSTRAINT user_cities_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE;

ALTER TABLE ONLY user_tokens
    ADD CONSTRAINT user_tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE;
