"""The lots slice's tables: deposited archives of invoices and their entries.

The source of truth of their schema; migrations/lots is generated from it, plus what Piccolo cannot
express in the slice's raw-SQL migration: checks, a unique key over two columns, a descending index, and
the foreign key from invoice.lot_id to lot (lots depend on invoices, never the reverse).
"""

from piccolo.columns import JSONB, BigInt, BigSerial, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table

# Another slice's tables, by name: a slice never imports another's tables (.importlinter); resolved when used.
USER = LazyTableReference("UserAccount", module_path="backend.domain.accounts.tables")
STRUCTURE = LazyTableReference("Structure", module_path="backend.domain.structures.tables")
INVOICE = LazyTableReference("Invoice", module_path="backend.domain.invoices.tables")


class Lot(Table, tablename="lot"):
    """One deposited archive of invoices (« lot de factures »); its number is what the depositor keeps."""

    id = BigSerial(primary_key=True)
    number = Varchar(length=30, null=True, default=None, unique=True)
    structure_id = ForeignKey(STRUCTURE, null=False, on_delete=OnDelete.restrict,
                              help_text="The issuing (supplier) structure; one with lots cannot be deleted")
    deposit_format = Varchar(length=20, default=None, help_text="XML_STRUCTURE | PDF_FACTURX (checked)")
    syntax = Varchar(length=10, default=None, help_text="UBL | CII | FACTURX (checked)")
    archive_kind = Varchar(length=6, default=None, help_text="zip | tar.gz (checked)")
    original_name = Varchar(length=255, default=None)
    size = BigInt(default=None)
    sha256 = Varchar(length=64, default=None)
    storage_key = Varchar(length=255, unique=True, default=None, help_text="Where the storage keeps the archive")
    status = Varchar(length=10, default="RECU", help_text="RECU | EN_COURS | TRAITE | PARTIEL | REJETE (checked)")
    entry_count = Integer(default=None, help_text="Files found in the archive")
    integrated_count = Integer(default=0)
    rejected_count = Integer(default=0)
    created_by = ForeignKey(USER, null=True, on_delete=OnDelete.set_null, help_text="Kept when the account goes")
    impersonator_user_id = ForeignKey(USER, null=True, on_delete=OnDelete.set_null,
                                      help_text="The support agent who deposited as the user")
    created_at = Timestamptz()
    processed_at = Timestamptz(null=True, default=None)


class LotEntry(Table, tablename="lot_entry"):
    """One file of a lot and what became of it: the invoice created, or its anomalies."""

    id = BigSerial(primary_key=True)
    lot_id = ForeignKey(Lot, null=False, on_delete=OnDelete.cascade, help_text="Entries go with their lot")
    position = Integer(default=None, help_text="Order in the archive; (lot_id, position) is unique")
    name = Varchar(length=255, default=None)
    member = Varchar(length=1024, default=None, help_text="The member's exact name inside the archive")
    size = BigInt(default=None)
    status = Varchar(length=10, default="ATTENTE", help_text="ATTENTE | INTEGREE | REJETEE (checked)")
    invoice_id = ForeignKey(INVOICE, null=True, on_delete=OnDelete.set_null,
                            help_text="The invoice it became; the report stays when the invoice is purged")
    invoice_number = Varchar(length=100, null=True, default=None, help_text="The number read in the file")
    anomalies = JSONB(default="[]", help_text="Why it was rejected: a list of {code, message}")
    processed_at = Timestamptz(null=True, default=None)
    previous_entry_id = ForeignKey("self", null=True, on_delete=OnDelete.set_null,
                                   help_text="The earlier rejected attempt at the same invoice this entry corrects")
