from backend.infra.migrations import sql_migration

ID = "2026-11-25T05:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "exports of invoice lists; index for invoice-date searches"

forwards = sql_migration("dashboard", ID, DESCRIPTION, """
CREATE TABLE invoice_export (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES user_account(id) ON DELETE CASCADE,
    params JSONB NOT NULL,
    format VARCHAR(4) NOT NULL CHECK (format IN ('xlsx', 'csv')),
    status VARCHAR(12) NOT NULL DEFAULT 'en_attente' CHECK (status IN ('en_attente', 'en_cours', 'pret', 'erreur')),
    rows INTEGER NOT NULL DEFAULT 0,
    path TEXT,
    error TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at TIMESTAMPTZ
);
CREATE INDEX invoice_export_user ON invoice_export (user_id, created_at DESC);
CREATE INDEX invoice_supplier_by_date ON invoice (supplier_structure_id, (coalesce(deposited_at, created_at)) DESC, id DESC);
CREATE INDEX invoice_recipient_by_date ON invoice (recipient_structure_id, (coalesce(deposited_at, created_at)) DESC, id DESC)
    WHERE recipient_structure_id IS NOT NULL;
""")
