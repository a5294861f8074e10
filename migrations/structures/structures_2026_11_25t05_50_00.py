from backend.infra.migrations import sql_migration

ID = "2026-11-25T05:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "billing mandates (mandat de facturation)"

forwards = sql_migration("structures", ID, DESCRIPTION, """
CREATE TABLE billing_mandate (
    id BIGSERIAL PRIMARY KEY,
    structure_id BIGINT NOT NULL REFERENCES structure(id) ON DELETE CASCADE,
    name VARCHAR(200) NOT NULL,
    postal_address TEXT NOT NULL,
    signatory VARCHAR(200) NOT NULL,
    signed_name VARCHAR(200) NOT NULL,
    signed_by BIGINT NOT NULL REFERENCES user_account(id),
    signed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX billing_mandate_active ON billing_mandate (structure_id) WHERE revoked_at IS NULL;
""")
