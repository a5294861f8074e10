from backend.infra.migrations import sql_migration

ID = "2026-11-25T06:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "daily digest preference and digest bookkeeping"

forwards = sql_migration("processing", ID, DESCRIPTION, """
ALTER TABLE user_account ADD COLUMN notify_digest BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE notification ADD COLUMN digested_at TIMESTAMPTZ;
CREATE INDEX notification_to_digest ON notification (user_id, created_at) WHERE digested_at IS NULL;
""")
