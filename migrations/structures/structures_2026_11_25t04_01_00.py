from backend.infra.migrations import sql_migration

ID = "2026-11-25T04:01:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "structures, services, attachments (rattachements), profiles, workspaces"

forwards = sql_migration("structures", ID, DESCRIPTION, """
CREATE TABLE structure (
    id BIGSERIAL PRIMARY KEY,
    identifier_type VARCHAR(30) NOT NULL DEFAULT 'SIRET',
    identifier VARCHAR(40) NOT NULL,
    siren VARCHAR(9),
    raison_sociale VARCHAR(200) NOT NULL,
    libelle VARCHAR(200),
    address VARCHAR(200) NOT NULL,
    complement1 VARCHAR(200),
    complement2 VARCHAR(200),
    postcode VARCHAR(10) NOT NULL,
    city VARCHAR(100) NOT NULL,
    country VARCHAR(2) NOT NULL DEFAULT 'FR',
    is_public BOOLEAN NOT NULL DEFAULT FALSE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    requires_engagement BOOLEAN NOT NULL DEFAULT FALSE,
    requires_service_code BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (identifier_type, identifier)
);
CREATE TABLE service (
    id BIGSERIAL PRIMARY KEY,
    structure_id BIGINT NOT NULL REFERENCES structure(id) ON DELETE CASCADE,
    code VARCHAR(100) NOT NULL,
    libelle VARCHAR(200) NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    UNIQUE (structure_id, code)
);
CREATE TABLE attachment (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES user_account(id) ON DELETE CASCADE,
    structure_id BIGINT NOT NULL REFERENCES structure(id) ON DELETE CASCADE,
    service_id BIGINT REFERENCES service(id) ON DELETE CASCADE,
    status VARCHAR(20) NOT NULL DEFAULT 'approuve' CHECK (status IN ('demande', 'approuve', 'detache')),
    is_principal BOOLEAN NOT NULL DEFAULT FALSE,
    comment TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX attachment_once ON attachment (user_id, structure_id, coalesce(service_id, 0));
CREATE INDEX attachment_structure ON attachment (structure_id);
CREATE UNIQUE INDEX structure_one_principal ON attachment (structure_id) WHERE is_principal AND status = 'approuve';
CREATE TABLE profile (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES user_account(id) ON DELETE CASCADE,
    structure_id BIGINT NOT NULL REFERENCES structure(id) ON DELETE CASCADE,
    application VARCHAR(40) NOT NULL,
    level VARCHAR(20) NOT NULL CHECK (level IN ('consultation', 'modification')),
    UNIQUE (user_id, structure_id, application)
);
CREATE TABLE workspace (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES user_account(id) ON DELETE CASCADE,
    application VARCHAR(40) NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    UNIQUE (user_id, application)
);
""")
