"""The directory slice's tables: the national register of establishments and its word-prefix index.

The source of truth of their schema; migrations/directory is generated from it, plus what Piccolo cannot
express in the slice's raw-SQL migration: the COLLATE "C" columns (one plain btree serves both prefix
LIKE and ORDER BY, with index-only scans), the SIRET check, the two-column indexes and the prefix
table's unique key.
"""

from piccolo.columns import BigSerial, Boolean, ForeignKey, Integer, Serial, Text, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table


class Establishment(Table, tablename="establishment"):
    """An establishment of the national register (SIRENE stock file of establishments)."""

    id = Serial(primary_key=True)
    siret = Varchar(length=14, unique=True, default=None, help_text="14 digits (checked), Luhn-checked; COLLATE \"C\"")
    siren = Varchar(length=9, default=None, help_text="The legal unit (first 9 digits of the SIRET); COLLATE \"C\"")
    nic = Varchar(length=5, default=None, help_text="The establishment within its legal unit")
    denomination = Text(default=None, help_text="denominationUniteLegale (or the person's name)")
    enseigne = Text(null=True, default=None, help_text="enseigne1Etablissement")
    street_number = Varchar(length=10, null=True, default=None)
    street_type = Varchar(length=10, null=True, default=None)
    street_name = Text(null=True, default=None)
    address_complement = Text(null=True, default=None)
    postcode = Varchar(length=10, null=True, default=None, help_text="COLLATE \"C\"")
    city = Text(null=True, default=None)
    country = Varchar(length=2, default="FR", help_text="ISO 3166-1 alpha-2")
    active = Boolean(default=True, help_text="etatAdministratifEtablissement A (open) or F (closed)")
    categorie_juridique = Varchar(length=4, null=True, default=None, help_text="INSEE legal category")
    is_public = Boolean(default=False, help_text="A public body (from its legal category)")
    name_norm = Text(default=None, index=True,
                     help_text="Normalised denomination + enseigne, for word-prefix checks; COLLATE \"C\"")
    rank = Integer(default=None, help_text="Lower first in suggestions")


class EstablishmentPrefix(Table, tablename="establishment_prefix"):
    """Word prefix → establishment, in rank order: any prefix is one btree equality lookup.

    (prefix, rank, establishment_id) is unique (raw-SQL migration): that index serves the lookups.
    """

    id = BigSerial(primary_key=True, help_text="Surrogate key; the lookup key is (prefix, rank, establishment_id)")
    prefix = Varchar(length=8, default=None, help_text="A word's first 1 to 8 letters; COLLATE \"C\"")
    rank = Integer(default=None, help_text="The establishment's rank, copied so a page is read in index order")
    establishment_id = ForeignKey(Establishment, null=False, index=True, on_delete=OnDelete.cascade,
                                  help_text="Its prefixes go with it")


class DirectoryImport(Table, tablename="directory_import"):
    """Progress of a stock-file import, so an interrupted one resumes where it stopped."""

    id = Serial(primary_key=True)
    source = Text(unique=True, default=None, help_text="The stock file's absolute path")
    lines_done = Integer(default=0)
    finished = Boolean(default=False)
