from backend.infra.migrations import sql_migration

ID = "2026-12-01T21:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "what the mail outbox needs and Piccolo cannot express: partial and descending indexes"

forwards = sql_migration("notifications", ID, DESCRIPTION, """
-- The sender reads the unsent mails in order: a partial index stays small.
CREATE INDEX mail_outbox_pending ON mail_outbox (created_at) WHERE sent_at IS NULL;
-- An address's mails, newest first (support and tests look them up): multi-column and descending.
CREATE INDEX mail_outbox_to ON mail_outbox (to_address, created_at DESC);
""")
