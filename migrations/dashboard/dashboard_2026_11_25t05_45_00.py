from backend.infra.migrations import sql_migration

ID = "2026-11-25T05:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "list indexes by structure, status and date, so a column's first page is an ordered index scan"

forwards = sql_migration("dashboard", ID, DESCRIPTION, """
CREATE INDEX invoice_supplier_status_date ON invoice (supplier_structure_id, status, (coalesce(deposited_at, created_at)) DESC, id DESC);
CREATE INDEX invoice_recipient_status_date ON invoice (recipient_structure_id, status, (coalesce(deposited_at, created_at)) DESC, id DESC)
    WHERE recipient_structure_id IS NOT NULL;
""")
