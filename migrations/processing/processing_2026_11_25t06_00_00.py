from backend.infra.migrations import sql_migration

ID = "2026-11-25T06:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "in-app notifications"

forwards = sql_migration("processing", ID, DESCRIPTION, """
CREATE TABLE notification (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES user_account(id) ON DELETE CASCADE,
    invoice_id BIGINT REFERENCES invoice(id) ON DELETE CASCADE,
    kind VARCHAR(30) NOT NULL,
    message TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    read_at TIMESTAMPTZ
);
CREATE INDEX notification_unread ON notification (user_id, created_at DESC) WHERE read_at IS NULL;
CREATE INDEX notification_user ON notification (user_id, created_at DESC);
""")
