from backend.infra.migrations import sql_migration

ID = "2026-12-01T21:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "what the dashboard table needs and Piccolo cannot express: checks, a descending index"

forwards = sql_migration("dashboard", ID, DESCRIPTION, """
-- Piccolo's choices are not enforced by the database: these checks are.
ALTER TABLE invoice_export ADD CONSTRAINT invoice_export_format_check CHECK (format IN ('xlsx', 'csv'));
ALTER TABLE invoice_export ADD CONSTRAINT invoice_export_status_check
    CHECK (status IN ('en_attente', 'en_cours', 'pret', 'erreur'));
-- A user's exports, newest first: multi-column and descending.
CREATE INDEX invoice_export_user ON invoice_export (user_id, created_at DESC);
""")
