from backend.infra.migrations import sql_migration

ID = "2026-11-25T05:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "impersonation sessions and the append-only support journal"

forwards = sql_migration("support", ID, DESCRIPTION, """
CREATE TABLE impersonation (
    id BIGSERIAL PRIMARY KEY,
    support_user_id BIGINT NOT NULL REFERENCES user_account(id),
    target_user_id BIGINT NOT NULL REFERENCES user_account(id),
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL,
    ended_at TIMESTAMPTZ,
    actions_enabled_at TIMESTAMPTZ,
    client_ip TEXT
);
CREATE INDEX impersonation_target ON impersonation (target_user_id, started_at DESC);
CREATE INDEX impersonation_support ON impersonation (support_user_id, started_at DESC);
CREATE TABLE support_journal (
    id BIGSERIAL PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL DEFAULT now(),
    support_user_id BIGINT NOT NULL REFERENCES user_account(id),
    target_user_id BIGINT REFERENCES user_account(id),
    impersonation_id BIGINT REFERENCES impersonation(id),
    event VARCHAR(30) NOT NULL,
    method VARCHAR(10),
    path TEXT,
    status_code INTEGER,
    client_ip TEXT,
    detail TEXT
);
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
