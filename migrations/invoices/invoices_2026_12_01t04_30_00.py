from backend.infra.migrations import sql_migration

ID = "2026-12-01T04:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "the project manager (maîtrise d'œuvre) who validates a works invoice before its owner"

forwards = sql_migration("invoices", ID, DESCRIPTION, """
ALTER TABLE invoice ADD COLUMN project_manager_structure_id BIGINT REFERENCES structure(id);
CREATE INDEX invoice_project_manager ON invoice (project_manager_structure_id, status) WHERE project_manager_structure_id IS NOT NULL;
""")
