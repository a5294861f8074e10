from backend.infra.migrations import sql_migration

ID = "2026-12-02T03:49:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "profiles per service: one profile per user, structure, application and service (null: the whole structure)"

forwards = sql_migration("structures", ID, DESCRIPTION, """
-- A profile may now be on one service of the structure: the key takes the service (null counted as one
-- value, as attachment_once does): an expression index.
ALTER TABLE profile DROP CONSTRAINT profile_user_id_structure_id_application_key;
CREATE UNIQUE INDEX profile_once ON profile (user_id, structure_id, application, coalesce(service_id, 0));
""")
