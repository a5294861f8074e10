from backend.infra.migrations import sql_migration

ID = "2026-11-25T04:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "user accounts and single-use tokens"

forwards = sql_migration("accounts", ID, DESCRIPTION, """
CREATE TABLE user_account (
    id BIGSERIAL PRIMARY KEY,
    email VARCHAR(254) NOT NULL UNIQUE CHECK (email = lower(email)),
    contact_email VARCHAR(254),
    first_name VARCHAR(100) NOT NULL,
    last_name VARCHAR(100) NOT NULL,
    lang VARCHAR(2) NOT NULL DEFAULT 'fr' CHECK (lang IN ('fr', 'en')),
    status VARCHAR(20) NOT NULL DEFAULT 'en_attente' CHECK (status IN ('en_attente', 'actif', 'verrouille')),
    password_hash TEXT,
    secret_question TEXT,
    secret_answer_hash TEXT,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMPTZ,
    is_support BOOLEAN NOT NULL DEFAULT FALSE,
    is_admin BOOLEAN NOT NULL DEFAULT FALSE,
    notify_all BOOLEAN NOT NULL DEFAULT TRUE,
    notify_billing BOOLEAN NOT NULL DEFAULT TRUE,
    consent_survey BOOLEAN NOT NULL DEFAULT FALSE,
    purposes JSONB NOT NULL DEFAULT '[]',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    activated_at TIMESTAMPTZ,
    last_login_at TIMESTAMPTZ
);
CREATE TABLE account_token (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES user_account(id) ON DELETE CASCADE,
    kind VARCHAR(20) NOT NULL CHECK (kind IN ('activation', 'reinitialisation')),
    token_hash VARCHAR(64) NOT NULL UNIQUE,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX account_token_user ON account_token (user_id, kind);
""")
