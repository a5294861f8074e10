from piccolo.columns import JSONB, BigInt, Integer, Timestamptz, Varchar
from piccolo.table import Table


class Lot(Table, tablename="lot"):
    """One deposited archive of invoices (« lot de factures »); its number is what the depositor keeps."""

    number = Varchar(length=30, null=True, unique=True)
    structure_id = BigInt(help_text="The issuing (supplier) structure")
    deposit_format = Varchar(length=20, help_text="XML_STRUCTURE | PDF_FACTURX")
    syntax = Varchar(length=10, help_text="UBL | CII | FACTURX")
    archive_kind = Varchar(length=6, help_text="zip | tar.gz")
    original_name = Varchar(length=255)
    size = BigInt()
    sha256 = Varchar(length=64)
    storage_key = Varchar(length=255, unique=True)
    status = Varchar(length=10, default="RECU", help_text="RECU | EN_COURS | TRAITE | PARTIEL | REJETE")
    entry_count = Integer()
    integrated_count = Integer(default=0)
    rejected_count = Integer(default=0)
    created_by = BigInt(null=True)
    impersonator_user_id = BigInt(null=True)
    created_at = Timestamptz()
    processed_at = Timestamptz(null=True)


class LotEntry(Table, tablename="lot_entry"):
    """One file of a lot and what became of it: the invoice created, or its anomalies."""

    lot_id = BigInt()
    position = Integer()
    name = Varchar(length=255)
    member = Varchar(length=1024, help_text="The member's exact name inside the archive")
    size = BigInt()
    status = Varchar(length=10, default="ATTENTE", help_text="ATTENTE | INTEGREE | REJETEE")
    invoice_id = BigInt(null=True)
    invoice_number = Varchar(length=100, null=True)
    anomalies = JSONB(default="[]")
    processed_at = Timestamptz(null=True)
