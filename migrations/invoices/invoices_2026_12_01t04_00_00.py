from backend.infra.migrations import sql_migration

ID = "2026-12-01T04:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "the contract holder (titulaire) who validates a subcontractor's or co-contractor's invoice (A9, A12)"

forwards = sql_migration("invoices", ID, DESCRIPTION, """
ALTER TABLE invoice ADD COLUMN holder_structure_id BIGINT REFERENCES structure(id);
CREATE INDEX invoice_holder ON invoice (holder_structure_id, status) WHERE holder_structure_id IS NOT NULL;
""")
