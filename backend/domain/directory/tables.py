from piccolo.columns import Boolean, Integer, Text, Varchar
from piccolo.table import Table


class Establishment(Table, tablename="establishment"):
    """An establishment of the national register (SIRENE stock file of establishments)."""

    siret = Varchar(length=14, unique=True, help_text="14 digits, Luhn-checked")
    siren = Varchar(length=9)
    nic = Varchar(length=5)
    denomination = Text(help_text="denominationUniteLegale (or the person's name)")
    enseigne = Text(null=True, help_text="enseigne1Etablissement")
    street_number = Varchar(length=10, null=True)
    street_type = Varchar(length=10, null=True)
    street_name = Text(null=True)
    address_complement = Text(null=True)
    postcode = Varchar(length=10, null=True)
    city = Text(null=True)
    country = Varchar(length=2, default="FR")
    active = Boolean(default=True, help_text="etatAdministratifEtablissement A (open) or F (closed)")
    categorie_juridique = Varchar(length=4, null=True)
    is_public = Boolean(default=False)
    name_norm = Text(help_text="Normalised denomination + enseigne, for word-prefix checks")
    rank = Integer(help_text="Lower first in suggestions")


class EstablishmentPrefix(Table, tablename="establishment_prefix"):
    """Word prefix → establishment, in rank order: any prefix is one btree equality lookup."""

    prefix = Varchar(length=8)
    rank = Integer()
    establishment_id = Integer()


class DirectoryImport(Table, tablename="directory_import"):
    """Progress of a stock-file import, so an interrupted one resumes where it stopped."""

    source = Text(unique=True)
    lines_done = Integer(default=0)
    finished = Boolean(default=False)
