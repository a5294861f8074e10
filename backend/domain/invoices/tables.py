"""The invoices slice's tables: invoices, their lines, VAT breakdown, files, status history, counters.

The source of truth of their schema; migrations/invoices is generated from it, plus what Piccolo cannot
express in the slice's raw-SQL migration: checks, the unique keys over several columns, the partial and
multi-column indexes the lists and the dashboard read in order, and the trigger that keeps the monthly
counters equal to the sum of the daily ones.
"""

from decimal import Decimal

from piccolo.columns import JSONB, BigInt, BigSerial, Char, Date, ForeignKey, Integer, Numeric, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table

from shared.cadres import Cadre, InvoiceKind, InvoiceSource
from shared.invoice_status import InvoiceStatus

# Another slice's tables, by name: a slice never imports another's tables (.importlinter); resolved when used.
USER = LazyTableReference("UserAccount", module_path="backend.domain.accounts.tables")
STRUCTURE = LazyTableReference("Structure", module_path="backend.domain.structures.tables")
SERVICE = LazyTableReference("Service", module_path="backend.domain.structures.tables")


class Invoice(Table, tablename="invoice"):
    """An invoice (facture) or credit note (avoir) from a supplier structure to a public recipient."""

    id = BigSerial(primary_key=True)
    supplier_structure_id = ForeignKey(STRUCTURE, null=False, on_delete=OnDelete.restrict,
                                       help_text="The issuer; a structure with invoices cannot be deleted")
    supplier_service_id = ForeignKey(SERVICE, null=True, on_delete=OnDelete.restrict)
    recipient_structure_id = ForeignKey(STRUCTURE, null=True, on_delete=OnDelete.restrict,
                                        help_text="Unknown while a draft")
    recipient_service_id = ForeignKey(SERVICE, null=True, on_delete=OnDelete.restrict,
                                      help_text="Required when the recipient requires a service code")
    cadre = Varchar(length=4, default="A1", choices=Cadre, help_text="Cadre de facturation (who deposits for whom)")
    kind = Varchar(length=10, default="FACTURE", choices=InvoiceKind, help_text="Invoice or credit note (checked)")
    source = Varchar(length=12, default=None, choices=InvoiceSource, help_text="How it was created (checked)")
    number = Varchar(length=20, null=True, default=None, help_text="BT-1, unique per supplier structure once deposited")
    number_norm = Varchar(length=20, null=True, default=None, help_text="The number normalised, for the uniqueness check")
    invoice_date = Date(null=True, default=None)
    due_date = Date(null=True, default=None)
    currency = Varchar(length=3, default="EUR")
    engagement_number = Varchar(length=50, null=True, default=None, help_text="n° d'engagement (EJ) — BT-13")
    purchase_order = Varchar(length=50, null=True, default=None)
    payment_terms = Text(null=True, default=None)
    comment = Text(null=True, default=None)
    total_ht = Numeric(digits=(14, 2), null=True, default=None)
    total_tva = Numeric(digits=(14, 2), null=True, default=None)
    total_ttc = Numeric(digits=(14, 2), null=True, default=None)
    net_a_payer = Numeric(digits=(14, 2), null=True, default=None)
    iban = Varchar(length=34, null=True, default=None)
    status = Varchar(length=30, default=None, choices=InvoiceStatus, help_text="Changed only through the transition table")
    status_at = Timestamptz(help_text="When the status last changed")
    deposited_at = Timestamptz(null=True, default=None, help_text="When deposited; null while a draft")
    deposit_number = Varchar(length=40, null=True, default=None, unique=True, help_text="The platform's number, given on deposit")
    content_sha256 = Varchar(length=64, null=True, default=None, help_text="SHA-256 of the deposited document")
    duplicated_from_id = ForeignKey("self", null=True, on_delete=OnDelete.set_null, help_text="The invoice this one copies")
    credit_note_of_id = ForeignKey("self", null=True, on_delete=OnDelete.set_null, help_text="The invoice this credit note cancels")
    extraction = JSONB(null=True, default=None, help_text="Fields found in the PDF, with where and how sure")
    routing_error = Text(null=True, default=None, help_text="Why routing failed (ERREUR_ACHEMINEMENT)")
    # Lots depend on invoices, not the reverse: the lots slice's migration adds this foreign key
    # (lot.id, ON DELETE SET NULL), so the invoices' migrations never need the lot table.
    lot_id = BigInt(null=True, default=None, help_text="The lot it came from (lot.id)")
    paid_amount = Numeric(digits=(14, 2), null=True, default=None, help_text="Paid so far (MISE_EN_PAIEMENT)")
    payment_date = Date(null=True, default=None)
    version = Integer(default=1, help_text="Optimistic lock: an action applies to the version it saw")
    created_by = ForeignKey(USER, null=True, on_delete=OnDelete.set_null, help_text="Kept when the account goes")
    created_at = Timestamptz()
    updated_at = Timestamptz()
    holder_structure_id = ForeignKey(STRUCTURE, null=True, on_delete=OnDelete.restrict,
                                     help_text="The contract holder (titulaire) who validates first (A9, A12…)")
    project_manager_structure_id = ForeignKey(STRUCTURE, null=True, on_delete=OnDelete.restrict,
                                              help_text="The project manager (maîtrise d'œuvre) of a works invoice")


class InvoiceLine(Table, tablename="invoice_line"):
    """A line of an invoice; (invoice_id, position) is unique."""

    id = BigSerial(primary_key=True)
    invoice_id = ForeignKey(Invoice, null=False, on_delete=OnDelete.cascade, help_text="Lines go with their invoice")
    position = Integer(default=None, help_text="Order on the invoice, from 1")
    description = Text(default=None)
    quantity = Numeric(digits=(16, 4), default=None)
    unit = Varchar(length=10, default="C62", help_text="UN/ECE rec. 20 unit code (C62: one)")
    unit_price = Numeric(digits=(16, 4), default=None)
    discount = Numeric(digits=(14, 2), default=Decimal("0"))
    vat_rate = Numeric(digits=(5, 2), default=None)
    exemption_reason = Text(null=True, default=None)
    net_amount = Numeric(digits=(14, 2), default=None, help_text="quantity × unit price − discount")


class InvoiceVat(Table, tablename="invoice_vat"):
    """The VAT breakdown of an invoice, one row per rate and category."""

    id = BigSerial(primary_key=True)
    invoice_id = ForeignKey(Invoice, null=False, index=True, on_delete=OnDelete.cascade,
                            help_text="The breakdown goes with its invoice")
    rate = Numeric(digits=(5, 2), default=None)
    category = Varchar(length=2, default=None, help_text="EN 16931 VAT category (S, E…)")
    base = Numeric(digits=(14, 2), default=None)
    amount = Numeric(digits=(14, 2), default=None)
    exemption_reason = Text(null=True, default=None)


class InvoiceFile(Table, tablename="invoice_file"):
    """A stored file: the invoice's main PDF, an attachment (pièce jointe), its Factur-X, its certificate."""

    id = BigSerial(primary_key=True)
    invoice_id = ForeignKey(Invoice, null=True, on_delete=OnDelete.cascade,
                            help_text="Null while uploaded but not yet tied to an invoice")
    role = Varchar(length=20, default=None, help_text="principal | piece_jointe | facturx | attestation")
    designation = Varchar(length=200, null=True, default=None)
    original_name = Varchar(length=255, default=None)
    content_type = Varchar(length=100, default=None)
    size = BigInt(default=None)
    sha256 = Varchar(length=64, default=None)
    storage_key = Varchar(length=255, unique=True, default=None, help_text="Where the storage keeps the bytes")
    uploaded_by = ForeignKey(USER, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
    structure_id = ForeignKey(STRUCTURE, null=True, on_delete=OnDelete.cascade,
                              help_text="The supplier structure an upload is for (permission checks)")
    extraction_status = Varchar(length=12, null=True, default=None,
                                help_text="attente | en_cours | pret | echec (main PDF only)")
    extraction = JSONB(null=True, default=None, help_text="What the extraction job found in the PDF")


class InvoiceStatusHistory(Table, tablename="invoice_status_history"):
    """One row per status change (and creation) of an invoice: who, when, why."""

    id = BigSerial(primary_key=True)
    invoice_id = ForeignKey(Invoice, null=False, on_delete=OnDelete.cascade, help_text="History goes with its invoice")
    status_from = Varchar(length=30, null=True, default=None, choices=InvoiceStatus, help_text="Null on creation")
    status_to = Varchar(length=30, default=None, choices=InvoiceStatus)
    action = Varchar(length=30, default=None, help_text="The action of the transition table that applied")
    reason = Text(null=True, default=None)
    actor_user_id = ForeignKey(USER, null=True, on_delete=OnDelete.set_null, help_text="Null for the system (routing job)")
    impersonator_user_id = ForeignKey(USER, null=True, on_delete=OnDelete.set_null,
                                      help_text="The support agent who acted as the actor")
    acting_as = Text(null=True, default=None, help_text="The role the actor acted in")
    at = Timestamptz()


class InvoiceDailyCount(Table, tablename="invoice_daily_count"):
    """Counters per structure, status and deposit day, kept in the transaction that changes a status.

    (side, structure_id, status, day) is unique (raw-SQL migration): the upserts' ON CONFLICT key.
    """

    id = BigSerial(primary_key=True, help_text="Surrogate key; the counter's key is (side, structure_id, status, day)")
    side = Char(length=1, default=None, help_text="S: supplier structure, R: recipient structure (checked)")
    structure_id = BigInt(default=None, help_text="structure.id, without a foreign key: a derived cache, written on every status change")
    status = Varchar(length=30, default=None, choices=InvoiceStatus)
    day = Date(default=None, help_text="The deposit day (Europe/Paris)")
    count = Integer(default=0, help_text="Invoices in that status")
    amount_ttc = Numeric(digits=(16, 2), default=Decimal("0"), help_text="Their total including VAT")


class InvoiceMonthlyCount(Table, tablename="invoice_monthly_count"):
    """The per-day counters rolled up by month (a trigger on invoice_daily_count keeps them equal).

    (side, structure_id, status, month) is unique (raw-SQL migration): the upserts' ON CONFLICT key.
    """

    id = BigSerial(primary_key=True, help_text="Surrogate key; the counter's key is (side, structure_id, status, month)")
    side = Char(length=1, default=None, help_text="S: supplier structure, R: recipient structure (checked)")
    structure_id = BigInt(default=None, help_text="structure.id, without a foreign key: a derived cache, written on every status change")
    status = Varchar(length=30, default=None, choices=InvoiceStatus)
    month = Date(default=None, help_text="First day of the month (checked)")
    count = Integer(default=0, help_text="Invoices in that status")
    amount_ttc = Numeric(digits=(16, 2), default=Decimal("0"), help_text="Their total including VAT")
