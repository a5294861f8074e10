from backend.infra.migrations import sql_migration

ID = "2026-12-01T03:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "lots of invoices (ZIP / TAR.GZ of UBL, CII, Factur-X) and their integration report"

forwards = sql_migration("lots", ID, DESCRIPTION, """
CREATE TABLE lot (
    id BIGSERIAL PRIMARY KEY,
    number VARCHAR(30) UNIQUE,
    structure_id BIGINT NOT NULL REFERENCES structure(id),
    deposit_format VARCHAR(20) NOT NULL CHECK (deposit_format IN ('XML_STRUCTURE', 'PDF_FACTURX')),
    syntax VARCHAR(10) NOT NULL CHECK (syntax IN ('UBL', 'CII', 'FACTURX')),
    archive_kind VARCHAR(6) NOT NULL CHECK (archive_kind IN ('zip', 'tar.gz')),
    original_name VARCHAR(255) NOT NULL,
    size BIGINT NOT NULL,
    sha256 VARCHAR(64) NOT NULL,
    storage_key VARCHAR(255) NOT NULL UNIQUE,
    status VARCHAR(10) NOT NULL DEFAULT 'RECU' CHECK (status IN ('RECU', 'EN_COURS', 'TRAITE', 'PARTIEL', 'REJETE')),
    entry_count INTEGER NOT NULL,
    integrated_count INTEGER NOT NULL DEFAULT 0,
    rejected_count INTEGER NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES user_account(id) ON DELETE SET NULL,
    impersonator_user_id BIGINT REFERENCES user_account(id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    processed_at TIMESTAMPTZ
);
CREATE INDEX lot_structure ON lot (structure_id, id DESC);
CREATE TABLE lot_entry (
    id BIGSERIAL PRIMARY KEY,
    lot_id BIGINT NOT NULL REFERENCES lot(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name VARCHAR(255) NOT NULL,
    member VARCHAR(1024) NOT NULL,
    size BIGINT NOT NULL,
    status VARCHAR(10) NOT NULL DEFAULT 'ATTENTE' CHECK (status IN ('ATTENTE', 'INTEGREE', 'REJETEE')),
    invoice_id BIGINT REFERENCES invoice(id) ON DELETE SET NULL,
    invoice_number VARCHAR(100),
    anomalies JSONB NOT NULL DEFAULT '[]',
    processed_at TIMESTAMPTZ,
    UNIQUE (lot_id, position)
);
ALTER TABLE invoice ADD CONSTRAINT invoice_lot FOREIGN KEY (lot_id) REFERENCES lot(id) ON DELETE SET NULL;
CREATE INDEX invoice_by_lot ON invoice (lot_id) WHERE lot_id IS NOT NULL;
""")
