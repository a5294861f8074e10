from backend.infra.migrations import sql_migration

ID = "2026-12-02T00:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "what the connections tables need and Piccolo cannot express: checks and two-column unique keys"

forwards = sql_migration("connections", ID, DESCRIPTION, """
-- Piccolo's choices are not enforced by the database: these checks are.
ALTER TABLE webhook_delivery ADD CONSTRAINT webhook_delivery_status_check CHECK (status IN ('EN_ATTENTE', 'LIVRE', 'ECHEC'));
ALTER TABLE api_client ADD CONSTRAINT api_client_scopes_check CHECK (scopes <@ ARRAY['deposit', 'search', 'process', 'directory']::varchar[]);
-- One event reaches one endpoint once, however many workers saw it: two columns, Piccolo has no word for it.
ALTER TABLE webhook_delivery ADD CONSTRAINT webhook_delivery_endpoint_event_key UNIQUE (endpoint_id, event_key);
-- An idempotency key is a client's own: two clients may send the same one.
ALTER TABLE idempotent_call ADD CONSTRAINT idempotent_call_client_key UNIQUE (client_id, key);
-- A structure's journal, newest first.
CREATE INDEX connection_journal_structure ON connection_journal (structure_id, id DESC);
""")
