from backend.infra.migrations import sql_migration

ID = "2026-11-25T05:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "invoice files: the supplier structure an upload is for, and its extraction state"

# An upload lives before its invoice: it needs its own owner (for permission checks) and the
# extraction's outcome in the database, so any instance can resume or show it after a reload.
forwards = sql_migration("invoices", ID, DESCRIPTION, """
ALTER TABLE invoice_file
    ADD COLUMN structure_id BIGINT REFERENCES structure(id) ON DELETE CASCADE,
    ADD COLUMN extraction_status VARCHAR(12) CHECK (extraction_status IN ('attente', 'en_cours', 'pret', 'echec')),
    ADD COLUMN extraction JSONB;
CREATE INDEX invoice_file_pending_extraction ON invoice_file (created_at)
    WHERE extraction_status IN ('attente', 'en_cours');
""")
