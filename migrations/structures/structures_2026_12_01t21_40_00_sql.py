from backend.infra.migrations import sql_migration

ID = "2026-12-01T21:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "what the structures tables need and Piccolo cannot express: multi-column and partial unique keys, checks"

forwards = sql_migration("structures", ID, DESCRIPTION, """
-- A structure is known once per identifier (the seed and signup upsert on it): Piccolo has no multi-column unique.
ALTER TABLE structure ADD CONSTRAINT structure_identifier_type_identifier_key UNIQUE (identifier_type, identifier);
-- A service code is unique within its structure.
ALTER TABLE service ADD CONSTRAINT service_structure_id_code_key UNIQUE (structure_id, code);
-- Piccolo's choices are not enforced by the database: these checks are.
ALTER TABLE attachment ADD CONSTRAINT attachment_status_check CHECK (status IN ('demande', 'approuve', 'detache'));
ALTER TABLE profile ADD CONSTRAINT profile_level_check CHECK (level IN ('consultation', 'modification'));
-- One attachment per user, structure and service (null: the whole structure): an expression index.
CREATE UNIQUE INDEX attachment_once ON attachment (user_id, structure_id, coalesce(service_id, 0));
-- One approved principal manager per structure: a partial unique index.
CREATE UNIQUE INDEX structure_one_principal ON attachment (structure_id) WHERE is_principal AND status = 'approuve';
-- One profile per user, structure and application (grants upsert on it).
ALTER TABLE profile ADD CONSTRAINT profile_user_id_structure_id_application_key UNIQUE (user_id, structure_id, application);
-- One workspace per user and application (opening one upserts on it).
ALTER TABLE workspace ADD CONSTRAINT workspace_user_id_application_key UNIQUE (user_id, application);
-- One mandate in force per structure: a partial unique index.
CREATE UNIQUE INDEX billing_mandate_active ON billing_mandate (structure_id) WHERE revoked_at IS NULL;
""")
