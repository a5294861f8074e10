"""The sollicitations slice's tables: requests to support, their messages and their attached files.

The source of truth of their schema; migrations/sollicitations is generated from them by Piccolo. A
request names the structure it concerns (so a gestionnaire principal sees their structure's) and what it
was opened from (a lot, an invoice or a screen), by id only: the lot or invoice may be purged later.
"""

from piccolo.columns import BigInt, BigSerial, Boolean, ForeignKey, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table

# Another slice's tables, by name: a slice never imports another's tables (.importlinter); resolved when used.
USER = LazyTableReference("UserAccount", module_path="backend.domain.accounts.tables")
STRUCTURE = LazyTableReference("Structure", module_path="backend.domain.structures.tables")


class Sollicitation(Table, tablename="sollicitation"):
    """A request a user sent to support (« sollicitation »)."""

    id = BigSerial(primary_key=True)
    author_id = ForeignKey(USER, null=False, on_delete=OnDelete.restrict, help_text="Who asked")
    structure_id = ForeignKey(STRUCTURE, null=True, on_delete=OnDelete.set_null,
                              help_text="The structure it concerns: its gestionnaire principal sees it too")
    category = Varchar(length=30, default=None)
    subcategory = Varchar(length=30, default=None)
    state = Varchar(length=20, default="nouvelle", index=True, help_text="rules.State")
    subject_kind = Varchar(length=10, default="ecran", help_text="lot | facture | ecran")
    subject_id = BigInt(null=True, default=None, help_text="The lot's or invoice's id (no key: it may be purged)")
    subject_path = Text(default="/", help_text="The screen it was opened from")
    subject_label = Varchar(length=120, null=True, default=None, help_text="The lot's or invoice's number, as the user saw it")
    assignee_id = ForeignKey(USER, null=True, on_delete=OnDelete.set_null, help_text="The support agent handling it")
    created_at = Timestamptz()
    updated_at = Timestamptz()


class SollicitationMessage(Table, tablename="sollicitation_message"):
    """One message of the conversation; `internal` notes are support's only, never shown to the user."""

    id = BigSerial(primary_key=True)
    sollicitation_id = ForeignKey(Sollicitation, null=False, on_delete=OnDelete.cascade, index=True)
    author_id = ForeignKey(USER, null=False, on_delete=OnDelete.restrict)
    from_support = Boolean(default=False)
    internal = Boolean(default=False)
    body = Text(default=None)
    created_at = Timestamptz()


class SollicitationFile(Table, tablename="sollicitation_file"):
    """A file uploaded for a request; unattached (no message) until the request or reply is sent."""

    id = BigSerial(primary_key=True)
    sollicitation_id = ForeignKey(Sollicitation, null=True, on_delete=OnDelete.cascade, index=True)
    message_id = ForeignKey(SollicitationMessage, null=True, on_delete=OnDelete.cascade)
    uploaded_by = ForeignKey(USER, null=False, on_delete=OnDelete.restrict)
    original_name = Varchar(length=255, default=None)
    content_type = Varchar(length=100, default=None)
    size = BigInt(default=None)
    sha256 = Varchar(length=64, default=None)
    storage_key = Varchar(length=255, unique=True, default=None)
    created_at = Timestamptz()
