from backend.infra.migrations import sql_migration

ID = "2026-12-01T21:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "what the directory tables need and Piccolo cannot express: C collation, a check, multi-column keys"

forwards = sql_migration("directory", ID, DESCRIPTION, """
-- COLLATE "C" lets one plain btree serve both prefix LIKE and ORDER BY (index-only scans); Piccolo has no collations.
ALTER TABLE establishment ALTER COLUMN siret TYPE VARCHAR(14) COLLATE "C",
                          ALTER COLUMN siren TYPE VARCHAR(9) COLLATE "C",
                          ALTER COLUMN postcode TYPE VARCHAR(10) COLLATE "C",
                          ALTER COLUMN name_norm TYPE TEXT COLLATE "C";
ALTER TABLE establishment_prefix ALTER COLUMN prefix TYPE VARCHAR(8) COLLATE "C";
-- A SIRET is 14 digits, whoever writes it (the stock loader bypasses the application's checks).
ALTER TABLE establishment ADD CONSTRAINT establishment_siret_check CHECK (siret ~ '^[0-9]{14}$');
-- Searches by SIREN list its establishments in SIRET order: a two-column index.
CREATE INDEX establishment_siren ON establishment (siren, siret);
-- Searches by postcode read names in order: a two-column index.
CREATE INDEX establishment_postcode ON establishment (postcode, name_norm);
-- The prefix lookup key (the former primary key), one btree equality lookup read in rank order;
-- the prefix rebuild inserts with ON CONFLICT DO NOTHING against it.
ALTER TABLE establishment_prefix ADD CONSTRAINT establishment_prefix_key UNIQUE (prefix, rank, establishment_id);
""")
