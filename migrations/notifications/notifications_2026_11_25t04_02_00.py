from backend.infra.migrations import sql_migration

ID = "2026-11-25T04:02:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "mail outbox"

forwards = sql_migration("notifications", ID, DESCRIPTION, """
CREATE TABLE mail_outbox (
    id BIGSERIAL PRIMARY KEY,
    to_address VARCHAR(254) NOT NULL,
    subject VARCHAR(300) NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT,
    kind VARCHAR(40) NOT NULL,
    user_id BIGINT REFERENCES user_account(id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at TIMESTAMPTZ,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX mail_outbox_pending ON mail_outbox (created_at) WHERE sent_at IS NULL;
CREATE INDEX mail_outbox_to ON mail_outbox (to_address, created_at DESC);
""")
