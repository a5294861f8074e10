from decimal import Decimal

from piccolo.columns import JSONB, BigInt, Date, Integer, Numeric, Text, Timestamptz, Varchar
from piccolo.table import Table


class Invoice(Table, tablename="invoice"):
    """An invoice (facture) or credit note (avoir) from a supplier structure to a public recipient."""

    supplier_structure_id = BigInt()
    supplier_service_id = BigInt(null=True)
    recipient_structure_id = BigInt(null=True, help_text="Unknown while a draft")
    recipient_service_id = BigInt(null=True)
    holder_structure_id = BigInt(null=True, help_text="The contract holder (titulaire) who validates first (A9, A12…)")
    project_manager_structure_id = BigInt(null=True, help_text="The project manager (maîtrise d'œuvre) of a works invoice")
    cadre = Varchar(length=4, default="A1")
    kind = Varchar(length=10, default="FACTURE", help_text="FACTURE | AVOIR")
    source = Varchar(length=12, help_text="PDF | SAISIE | DUPLICATION | LOT")
    number = Varchar(length=20, null=True, help_text="BT-1, unique per supplier structure once deposited")
    number_norm = Varchar(length=20, null=True)
    invoice_date = Date(null=True)
    due_date = Date(null=True)
    currency = Varchar(length=3, default="EUR")
    engagement_number = Varchar(length=50, null=True, help_text="n° d'engagement (EJ) — BT-13")
    purchase_order = Varchar(length=50, null=True)
    payment_terms = Text(null=True)
    comment = Text(null=True)
    total_ht = Numeric(digits=(14, 2), null=True)
    total_tva = Numeric(digits=(14, 2), null=True)
    total_ttc = Numeric(digits=(14, 2), null=True)
    net_a_payer = Numeric(digits=(14, 2), null=True)
    iban = Varchar(length=34, null=True)
    status = Varchar(length=30)
    status_at = Timestamptz()
    deposited_at = Timestamptz(null=True)
    deposit_number = Varchar(length=40, null=True)
    content_sha256 = Varchar(length=64, null=True)
    duplicated_from_id = BigInt(null=True)
    credit_note_of_id = BigInt(null=True)
    extraction = JSONB(null=True, help_text="Fields found in the PDF, with where and how sure")
    routing_error = Text(null=True)
    lot_id = BigInt(null=True)
    paid_amount = Numeric(digits=(14, 2), null=True)
    payment_date = Date(null=True)
    version = Integer(default=1, help_text="Optimistic lock: an action applies to the version it saw")
    created_by = BigInt(null=True)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class InvoiceLine(Table, tablename="invoice_line"):
    invoice_id = BigInt()
    position = Integer()
    description = Text()
    quantity = Numeric(digits=(16, 4))
    unit = Varchar(length=10, default="C62")
    unit_price = Numeric(digits=(16, 4))
    discount = Numeric(digits=(14, 2), default=Decimal("0"))
    vat_rate = Numeric(digits=(5, 2))
    exemption_reason = Text(null=True)
    net_amount = Numeric(digits=(14, 2))


class InvoiceVat(Table, tablename="invoice_vat"):
    invoice_id = BigInt()
    rate = Numeric(digits=(5, 2))
    category = Varchar(length=2)
    base = Numeric(digits=(14, 2))
    amount = Numeric(digits=(14, 2))
    exemption_reason = Text(null=True)


class InvoiceFile(Table, tablename="invoice_file"):
    """A stored file: the invoice's main PDF, an attachment (pièce jointe), its Factur-X, its certificate."""

    invoice_id = BigInt(null=True, help_text="Null while uploaded but not yet tied to an invoice")
    role = Varchar(length=20, help_text="principal | piece_jointe | facturx | attestation")
    designation = Varchar(length=200, null=True)
    original_name = Varchar(length=255)
    content_type = Varchar(length=100)
    size = BigInt()
    sha256 = Varchar(length=64)
    storage_key = Varchar(length=255)
    uploaded_by = BigInt(null=True)
    created_at = Timestamptz()
    structure_id = BigInt(null=True, help_text="The supplier structure an upload is for (permission checks)")
    extraction_status = Varchar(length=12, null=True, help_text="attente | en_cours | pret | echec (main PDF only)")
    extraction = JSONB(null=True, help_text="What the extraction job found in the PDF")


class InvoiceStatusHistory(Table, tablename="invoice_status_history"):
    invoice_id = BigInt()
    status_from = Varchar(length=30, null=True)
    status_to = Varchar(length=30)
    action = Varchar(length=30)
    reason = Text(null=True)
    actor_user_id = BigInt(null=True, help_text="Null for the system (routing job)")
    impersonator_user_id = BigInt(null=True, help_text="The support agent who acted as the actor")
    acting_as = Text(null=True)
    at = Timestamptz()


class InvoiceDailyCount(Table, tablename="invoice_daily_count"):
    """Counters per structure, status and deposit day, kept in the transaction that changes a status."""

    side = Varchar(length=1, help_text="S: supplier structure, R: recipient structure")
    structure_id = BigInt()
    status = Varchar(length=30)
    day = Date()
    count = Integer()
    amount_ttc = Numeric(digits=(16, 2))


class InvoiceMonthlyCount(Table, tablename="invoice_monthly_count"):
    """The per-day counters rolled up by month (a trigger on invoice_daily_count keeps them equal)."""

    side = Varchar(length=1, help_text="S: supplier structure, R: recipient structure")
    structure_id = BigInt()
    status = Varchar(length=30)
    month = Date(help_text="First day of the month")
    count = Integer()
    amount_ttc = Numeric(digits=(16, 2))
