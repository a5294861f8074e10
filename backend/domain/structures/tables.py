from piccolo.columns import BigInt, Boolean, Text, Timestamptz, Varchar
from piccolo.table import Table


class Structure(Table, tablename="structure"):
    """A legal entity that sends or receives invoices (identified by its SIRET in France)."""

    identifier_type = Varchar(length=30, default="SIRET")
    identifier = Varchar(length=40, help_text="The SIRET, or another identifier for foreign/other structures")
    siren = Varchar(length=9, null=True)
    raison_sociale = Varchar(length=200)
    libelle = Varchar(length=200, null=True)
    address = Varchar(length=200)
    complement1 = Varchar(length=200, null=True)
    complement2 = Varchar(length=200, null=True)
    postcode = Varchar(length=10)
    city = Varchar(length=100)
    country = Varchar(length=2, default="FR")
    is_public = Boolean(default=False, help_text="A public body: may receive invoices")
    active = Boolean(default=True)
    requires_engagement = Boolean(default=False, help_text="Deposits must carry an engagement number")
    requires_service_code = Boolean(default=False, help_text="Deposits must name one of its services")
    created_at = Timestamptz()


class Service(Table, tablename="service"):
    """A service of a structure (code service), to which invoices may be addressed."""

    structure_id = BigInt()
    code = Varchar(length=100)
    libelle = Varchar(length=200)
    active = Boolean(default=True)


class Attachment(Table, tablename="attachment"):
    """A user's rattachement to a structure, or to one of its services."""

    user_id = BigInt()
    structure_id = BigInt()
    service_id = BigInt(null=True, default=None)
    status = Varchar(length=20, default="approuve", help_text="demande | approuve | detache")
    is_principal = Boolean(default=False, help_text="Gestionnaire principal of the structure")
    comment = Text(null=True, default=None)
    created_at = Timestamptz()


class Profile(Table, tablename="profile"):
    """A user's habilitation on one application of a structure: consultation or modification."""

    user_id = BigInt()
    structure_id = BigInt()
    application = Varchar(length=40)
    level = Varchar(length=20)


class Workspace(Table, tablename="workspace"):
    """A workspace (espace) a user opened."""

    user_id = BigInt()
    application = Varchar(length=40)
    active = Boolean(default=True)
