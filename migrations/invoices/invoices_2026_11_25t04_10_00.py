from backend.infra.migrations import sql_migration

ID = "2026-11-25T04:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "invoices, lines, VAT breakdown, files, status history, daily counters"

forwards = sql_migration("invoices", ID, DESCRIPTION, """
CREATE TABLE invoice (
    id BIGSERIAL PRIMARY KEY,
    supplier_structure_id BIGINT NOT NULL REFERENCES structure(id),
    supplier_service_id BIGINT REFERENCES service(id),
    recipient_structure_id BIGINT REFERENCES structure(id),
    recipient_service_id BIGINT REFERENCES service(id),
    cadre VARCHAR(4) NOT NULL DEFAULT 'A1',
    kind VARCHAR(10) NOT NULL DEFAULT 'FACTURE' CHECK (kind IN ('FACTURE', 'AVOIR')),
    source VARCHAR(12) NOT NULL CHECK (source IN ('PDF', 'SAISIE', 'DUPLICATION', 'LOT')),
    number VARCHAR(20),
    number_norm VARCHAR(20),
    invoice_date DATE,
    due_date DATE,
    currency VARCHAR(3) NOT NULL DEFAULT 'EUR',
    engagement_number VARCHAR(50),
    purchase_order VARCHAR(50),
    payment_terms TEXT,
    comment TEXT,
    total_ht NUMERIC(14, 2),
    total_tva NUMERIC(14, 2),
    total_ttc NUMERIC(14, 2),
    net_a_payer NUMERIC(14, 2),
    iban VARCHAR(34),
    status VARCHAR(30) NOT NULL,
    status_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    deposited_at TIMESTAMPTZ,
    deposit_number VARCHAR(40) UNIQUE,
    content_sha256 VARCHAR(64),
    duplicated_from_id BIGINT REFERENCES invoice(id) ON DELETE SET NULL,
    credit_note_of_id BIGINT REFERENCES invoice(id) ON DELETE SET NULL,
    extraction JSONB,
    routing_error TEXT,
    lot_id BIGINT,
    paid_amount NUMERIC(14, 2),
    payment_date DATE,
    version INTEGER NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES user_account(id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- One number per supplier once deposited; drafts and abandoned forms may repeat it.
CREATE UNIQUE INDEX invoice_number_per_supplier ON invoice (supplier_structure_id, number_norm)
    WHERE number_norm IS NOT NULL AND status NOT IN ('BROUILLON', 'PROVISOIRE');
CREATE INDEX invoice_supplier_list ON invoice (supplier_structure_id, status, deposited_at DESC, id DESC);
CREATE INDEX invoice_supplier_recent ON invoice (supplier_structure_id, created_at DESC, id DESC);
CREATE INDEX invoice_recipient_list ON invoice (recipient_structure_id, status, deposited_at DESC, id DESC)
    WHERE recipient_structure_id IS NOT NULL;
CREATE TABLE invoice_line (
    id BIGSERIAL PRIMARY KEY,
    invoice_id BIGINT NOT NULL REFERENCES invoice(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    description TEXT NOT NULL,
    quantity NUMERIC(16, 4) NOT NULL,
    unit VARCHAR(10) NOT NULL DEFAULT 'C62',
    unit_price NUMERIC(16, 4) NOT NULL,
    discount NUMERIC(14, 2) NOT NULL DEFAULT 0,
    vat_rate NUMERIC(5, 2) NOT NULL,
    exemption_reason TEXT,
    net_amount NUMERIC(14, 2) NOT NULL,
    UNIQUE (invoice_id, position)
);
CREATE TABLE invoice_vat (
    id BIGSERIAL PRIMARY KEY,
    invoice_id BIGINT NOT NULL REFERENCES invoice(id) ON DELETE CASCADE,
    rate NUMERIC(5, 2) NOT NULL,
    category VARCHAR(2) NOT NULL,
    base NUMERIC(14, 2) NOT NULL,
    amount NUMERIC(14, 2) NOT NULL,
    exemption_reason TEXT
);
CREATE INDEX invoice_vat_invoice ON invoice_vat (invoice_id);
CREATE TABLE invoice_file (
    id BIGSERIAL PRIMARY KEY,
    invoice_id BIGINT REFERENCES invoice(id) ON DELETE CASCADE,
    role VARCHAR(20) NOT NULL CHECK (role IN ('principal', 'piece_jointe', 'facturx', 'attestation')),
    designation VARCHAR(200),
    original_name VARCHAR(255) NOT NULL,
    content_type VARCHAR(100) NOT NULL,
    size BIGINT NOT NULL,
    sha256 VARCHAR(64) NOT NULL,
    storage_key VARCHAR(255) NOT NULL UNIQUE,
    uploaded_by BIGINT REFERENCES user_account(id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX invoice_file_invoice ON invoice_file (invoice_id, role);
CREATE INDEX invoice_file_orphans ON invoice_file (created_at) WHERE invoice_id IS NULL;
CREATE TABLE invoice_status_history (
    id BIGSERIAL PRIMARY KEY,
    invoice_id BIGINT NOT NULL REFERENCES invoice(id) ON DELETE CASCADE,
    status_from VARCHAR(30),
    status_to VARCHAR(30) NOT NULL,
    action VARCHAR(30) NOT NULL,
    reason TEXT,
    actor_user_id BIGINT REFERENCES user_account(id) ON DELETE SET NULL,
    impersonator_user_id BIGINT REFERENCES user_account(id) ON DELETE SET NULL,
    acting_as TEXT,
    at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX invoice_status_history_invoice ON invoice_status_history (invoice_id, at);
CREATE TABLE invoice_daily_count (
    side CHAR(1) NOT NULL CHECK (side IN ('S', 'R')),
    structure_id BIGINT NOT NULL,
    status VARCHAR(30) NOT NULL,
    day DATE NOT NULL,
    count INTEGER NOT NULL DEFAULT 0,
    amount_ttc NUMERIC(16, 2) NOT NULL DEFAULT 0,
    PRIMARY KEY (side, structure_id, status, day)
);
""")
