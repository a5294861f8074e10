from backend.infra.migrations import sql_migration

ID = "2026-11-25T03:59:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "establishments (SIRENE), word-prefix index, import progress"

# COLLATE "C" columns let one plain btree serve both prefix LIKE and ORDER BY (index-only scans).
forwards = sql_migration("directory", ID, DESCRIPTION, """
CREATE TABLE establishment (
    id SERIAL PRIMARY KEY,
    siret VARCHAR(14) COLLATE "C" NOT NULL UNIQUE CHECK (siret ~ '^[0-9]{14}$'),
    siren VARCHAR(9) COLLATE "C" NOT NULL,
    nic VARCHAR(5) NOT NULL,
    denomination TEXT NOT NULL,
    enseigne TEXT,
    street_number VARCHAR(10),
    street_type VARCHAR(10),
    street_name TEXT,
    address_complement TEXT,
    postcode VARCHAR(10) COLLATE "C",
    city TEXT,
    country VARCHAR(2) NOT NULL DEFAULT 'FR',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    categorie_juridique VARCHAR(4),
    is_public BOOLEAN NOT NULL DEFAULT FALSE,
    name_norm TEXT COLLATE "C" NOT NULL,
    rank INTEGER NOT NULL
);
CREATE INDEX establishment_siren ON establishment (siren, siret);
CREATE INDEX establishment_name ON establishment (name_norm);
CREATE INDEX establishment_postcode ON establishment (postcode, name_norm);
CREATE TABLE establishment_prefix (
    prefix VARCHAR(8) COLLATE "C" NOT NULL,
    rank INTEGER NOT NULL,
    establishment_id INTEGER NOT NULL REFERENCES establishment(id) ON DELETE CASCADE,
    PRIMARY KEY (prefix, rank, establishment_id)
);
CREATE INDEX establishment_prefix_owner ON establishment_prefix (establishment_id);
CREATE TABLE directory_import (
    id SERIAL PRIMARY KEY,
    source TEXT NOT NULL UNIQUE,
    lines_done INTEGER NOT NULL DEFAULT 0,
    finished BOOLEAN NOT NULL DEFAULT FALSE
);
""")
