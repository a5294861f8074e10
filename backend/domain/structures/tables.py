"""The structures slice's tables: structures, services, attachments, profiles, workspaces, mandates, the journal,
the structures' pièces-jointes (structure_file).

The source of truth of their schema; migrations/structures is generated from it, plus what Piccolo cannot
express in the slice's raw-SQL migration: checks, the unique keys over several columns, and the partial
unique indexes (one approved principal manager per structure, one unrevoked mandate per structure).
"""

from piccolo.columns import JSONB, BigInt, BigSerial, Boolean, ForeignKey, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table

from shared.applications import Application, Level

# Another slice's tables, by name: a slice never imports another's tables (.importlinter); resolved when used.
USER = LazyTableReference("UserAccount", module_path="backend.domain.accounts.tables")


class Structure(Table, tablename="structure"):
    """A legal entity that sends or receives invoices (identified by its SIRET in France)."""

    id = BigSerial(primary_key=True)
    identifier_type = Varchar(length=30, default="SIRET", help_text="(identifier_type, identifier) is unique")
    identifier = Varchar(length=40, default=None,
                         help_text="The SIRET, or another identifier for foreign/other structures")
    siren = Varchar(length=9, null=True, default=None)
    raison_sociale = Varchar(length=200, default=None, help_text="Legal name")
    libelle = Varchar(length=200, null=True, default=None, help_text="Usual name, when not the legal one")
    address = Varchar(length=200, default=None)
    complement1 = Varchar(length=200, null=True, default=None)
    complement2 = Varchar(length=200, null=True, default=None)
    postcode = Varchar(length=10, default=None)
    city = Varchar(length=100, default=None)
    country = Varchar(length=2, default="FR")
    is_public = Boolean(default=False, help_text="A public body: may receive invoices")
    active = Boolean(default=True)
    requires_engagement = Boolean(default=False, help_text="Deposits must carry an engagement number")
    requires_service_code = Boolean(default=False, help_text="Deposits must name one of its services")
    french_rules_blocking = Boolean(default=False, help_text="The French reform rules (BR-FR-*) refuse its deposits, not only warn")
    created_at = Timestamptz()


class Service(Table, tablename="service"):
    """A service of a structure (code service), to which invoices may be addressed."""

    id = BigSerial(primary_key=True)
    structure_id = ForeignKey(Structure, null=False, on_delete=OnDelete.cascade, help_text="Services go with their structure")
    code = Varchar(length=100, default=None, help_text="Code service, unique within its structure")
    libelle = Varchar(length=200, default=None)
    active = Boolean(default=True)
    requires_engagement = Boolean(default=False, help_text="Invoices to this service must carry an engagement number")


class Attachment(Table, tablename="attachment"):
    """A user's rattachement to a structure, or to one of its services."""

    id = BigSerial(primary_key=True)
    user_id = ForeignKey(USER, null=False, on_delete=OnDelete.cascade, help_text="Gone with the account")
    structure_id = ForeignKey(Structure, null=False, index=True, on_delete=OnDelete.cascade,
                              help_text="Gone with the structure")
    service_id = ForeignKey(Service, null=True, on_delete=OnDelete.cascade,
                            help_text="Null: the whole structure; once per user, structure and service")
    status = Varchar(length=20, default="approuve", help_text="demande | approuve | detache (checked)")
    is_principal = Boolean(default=False, help_text="Gestionnaire principal of the structure (one approved per structure)")
    comment = Text(null=True, default=None)
    created_at = Timestamptz()
    decision_comment = Text(null=True, default=None, help_text="The reason given for a refusal or a detachment")
    decided_at = Timestamptz(null=True, default=None, help_text="When the request was approved or refused, or detached")


class Profile(Table, tablename="profile"):
    """A user's habilitation on one application of a structure, or of one of its services: consultation or
    modification. A service's row overrides the structure's level on that service."""

    id = BigSerial(primary_key=True)
    user_id = ForeignKey(USER, null=False, on_delete=OnDelete.cascade, help_text="Gone with the account")
    structure_id = ForeignKey(Structure, null=False, on_delete=OnDelete.cascade, help_text="Gone with the structure")
    application = Varchar(length=40, default=None, choices=Application,
                          help_text="(user_id, structure_id, application, service_id) is unique")
    level = Varchar(length=20, default=None, choices=Level, help_text="consultation | modification (checked)")
    service_id = ForeignKey(Service, null=True, on_delete=OnDelete.cascade,
                            help_text="Null: the level on the whole structure; else the level on that service (a service-level rattachement)")


class Workspace(Table, tablename="workspace"):
    """A workspace (espace) a user opened."""

    id = BigSerial(primary_key=True)
    user_id = ForeignKey(USER, null=False, on_delete=OnDelete.cascade, help_text="Gone with the account")
    application = Varchar(length=40, default=None, choices=Application, help_text="(user_id, application) is unique")
    active = Boolean(default=True, help_text="Shown in the user's menu")


class BillingMandate(Table, tablename="billing_mandate"):
    """A billing mandate (mandat de facturation): the structure lets the platform issue on its behalf."""

    id = BigSerial(primary_key=True)
    structure_id = ForeignKey(Structure, null=False, on_delete=OnDelete.cascade,
                              help_text="The mandating structure; one unrevoked mandate per structure")
    name = Varchar(length=200, default=None, help_text="The mandated party")
    postal_address = Text(default=None)
    signatory = Varchar(length=200, default=None)
    signed_name = Varchar(length=200, default=None, help_text="The name typed as signature")
    signed_by = ForeignKey(USER, null=False, on_delete=OnDelete.restrict,
                          help_text="Who signed; an account that signed a mandate cannot be deleted")
    signed_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None, help_text="Null while in force")


class OrganisationEvent(Table, tablename="organisation_event"):
    """The journal of a structure's organisation: rattachements, profiles, services, details (who, when,
    what, acting as whom). Never updated; kept while the structure exists."""

    id = BigSerial(primary_key=True)
    structure_id = ForeignKey(Structure, null=False, index=True, on_delete=OnDelete.cascade, help_text="Gone with the structure")
    actor_id = ForeignKey(USER, null=True, on_delete=OnDelete.set_null, help_text="Who acted; null once their account is gone")
    acting_as = Varchar(length=300, null=True, default=None, help_text="Set when support acted as the user")
    kind = Varchar(length=40, default=None, help_text="What happened (rattachement_approuve, profil_modifie…)")
    details = JSONB(default=None, help_text="Before/after values and the people concerned")
    created_at = Timestamptz()


class StructureFile(Table, tablename="structure_file"):
    """A pièce-jointe of a structure (« Créer / Télécharger une pièce-jointe »): a document the structure
    keeps, not a rattachement (those are `Attachment`). The file itself is in storage under `storage_key`."""

    id = BigSerial(primary_key=True)
    structure_id = ForeignKey(Structure, null=False, index=True, on_delete=OnDelete.cascade,
                              help_text="Gone with the structure (its files then go with the stray-file sweep)")
    original_name = Varchar(length=255, default=None, help_text="« Nom du fichier », a display name only")
    designation = Varchar(length=200, default=None, help_text="« Désignation »")
    content_type = Varchar(length=100, default=None, help_text="From the content, never the name")
    size = BigInt(default=0)
    sha256 = Varchar(length=64, default=None)
    storage_key = Varchar(length=300, unique=True, default=None)
    uploaded_by = ForeignKey(USER, null=True, on_delete=OnDelete.set_null, help_text="Null once their account is gone")
    created_at = Timestamptz()
