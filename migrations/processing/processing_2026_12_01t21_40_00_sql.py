from backend.infra.migrations import sql_migration

ID = "2026-12-01T21:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "what the notifications need and Piccolo cannot express: partial and descending indexes"

forwards = sql_migration("processing", ID, DESCRIPTION, """
-- The bell's unread count and list: partial, newest first.
CREATE INDEX notification_unread ON notification (user_id, created_at DESC) WHERE read_at IS NULL;
-- A user's notifications, newest first.
CREATE INDEX notification_user ON notification (user_id, created_at DESC);
-- The daily digest reads what it has not carried yet: partial.
CREATE INDEX notification_to_digest ON notification (user_id, created_at) WHERE digested_at IS NULL;
""")
