from backend.infra.migrations import sql_migration

ID = "2026-12-01T21:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "what the support tables need and Piccolo cannot express: a check, descending indexes, append-only triggers"

forwards = sql_migration("support", ID, DESCRIPTION, """
-- An impersonation always says why.
ALTER TABLE impersonation ADD CONSTRAINT impersonation_reason_check CHECK (length(trim(reason)) > 0);
-- Sessions of a user, and of an agent, newest first: multi-column and descending.
CREATE INDEX impersonation_target ON impersonation (target_user_id, started_at DESC);
CREATE INDEX impersonation_support ON impersonation (support_user_id, started_at DESC);
-- The journal's pages, newest first, overall and per user.
CREATE INDEX support_journal_at ON support_journal (at DESC, id DESC);
CREATE INDEX support_journal_target ON support_journal (target_user_id, at DESC);
-- The journal is append-only: a trigger refuses any change or deletion, whoever asks.
CREATE FUNCTION support_journal_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'support_journal is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER support_journal_no_update BEFORE UPDATE OR DELETE ON support_journal
    FOR EACH ROW EXECUTE FUNCTION support_journal_append_only();
CREATE TRIGGER support_journal_no_truncate BEFORE TRUNCATE ON support_journal
    FOR EACH STATEMENT EXECUTE FUNCTION support_journal_append_only();
""")
