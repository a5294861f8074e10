from backend.infra.migrations import sql_migration

ID = "2026-12-01T21:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = ("what the lots tables need and Piccolo cannot express: checks, a two-column unique key, a descending "
               "index, and the invoice → lot foreign key")

forwards = sql_migration("lots", ID, DESCRIPTION, """
-- Piccolo's choices are not enforced by the database: these checks are.
ALTER TABLE lot ADD CONSTRAINT lot_deposit_format_check CHECK (deposit_format IN ('XML_STRUCTURE', 'PDF_FACTURX'));
ALTER TABLE lot ADD CONSTRAINT lot_syntax_check CHECK (syntax IN ('UBL', 'CII', 'FACTURX'));
ALTER TABLE lot ADD CONSTRAINT lot_archive_kind_check CHECK (archive_kind IN ('zip', 'tar.gz'));
ALTER TABLE lot ADD CONSTRAINT lot_status_check CHECK (status IN ('RECU', 'EN_COURS', 'TRAITE', 'PARTIEL', 'REJETE'));
ALTER TABLE lot_entry ADD CONSTRAINT lot_entry_status_check CHECK (status IN ('ATTENTE', 'INTEGREE', 'REJETEE'));
-- A structure's lots, newest first: multi-column and descending.
CREATE INDEX lot_structure ON lot (structure_id, id DESC);
-- An entry's position is unique within its lot: Piccolo has no multi-column unique.
ALTER TABLE lot_entry ADD CONSTRAINT lot_entry_lot_id_position_key UNIQUE (lot_id, position);
-- invoice.lot_id refers to lot, but the invoices' migrations run before the lots' (lots depend on invoices):
-- the foreign key is added here, where both tables exist.
ALTER TABLE invoice ADD CONSTRAINT invoice_lot_id_fkey FOREIGN KEY (lot_id) REFERENCES lot (id) ON DELETE SET NULL;
-- A lot's invoices: partial, most invoices come from no lot.
CREATE INDEX invoice_by_lot ON invoice (lot_id) WHERE lot_id IS NOT NULL;
""")
