from backend.infra.migrations import sql_migration

ID = "2026-12-02T17:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "what the outbox needs and Piccolo cannot express: a partial index of the unrelayed events"

forwards = sql_migration("system", ID, DESCRIPTION, """
-- The relay's query (oldest unrelayed first) reads only the few rows not yet relayed, however many are kept.
CREATE INDEX outbox_event_unrelayed ON outbox_event (id) WHERE relayed_at IS NULL;
-- The purge's query (relayed rows older than some days).
CREATE INDEX outbox_event_relayed_at ON outbox_event (relayed_at) WHERE relayed_at IS NOT NULL;
""")
