"""Request and response bodies of the invoice routes (msgspec Structs: checked on the way in, documented
in the OpenAPI at /schema). The responses keep the names the interface and API clients always read."""

from __future__ import annotations

from typing import Any

import msgspec

from backend.domain.structures import store as structures_store
from backend.infra.schemas import UNSET, Unset

# What people type is parsed by the services (« 1 000,50 », « 12/03/2026 »…), with a clear error per
# field: the bodies accept text or numbers and leave the reading to them.
Typed = str | int | float | None


class InvoiceFields(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The editable fields of an invoice; an absent key leaves its value unchanged."""

    number: Typed | Unset = UNSET
    invoice_date: Typed | Unset = UNSET
    engagement_number: Typed | Unset = UNSET
    purchase_order: Typed | Unset = UNSET
    total_ht: Typed | Unset = UNSET
    total_tva: Typed | Unset = UNSET
    total_ttc: Typed | Unset = UNSET
    net_a_payer: Typed | Unset = UNSET
    currency: Typed | Unset = UNSET
    cadre: Typed | Unset = UNSET
    recipient_siret: Typed | Unset = UNSET
    recipient_structure_id: Typed | Unset = UNSET
    recipient_service_id: Typed | Unset = UNSET
    recipient_service_code: Typed | Unset = UNSET
    holder_siret: Typed | Unset = UNSET
    project_manager_siret: Typed | Unset = UNSET
    supplier_service_id: Typed | Unset = UNSET
    attachments: list[dict[str, Any]] | None | Unset = UNSET
    comment: Typed | Unset = UNSET


FIELD_NAMES = frozenset(InvoiceFields.__struct_fields__)


def present(data: msgspec.Struct, names: frozenset[str] = FIELD_NAMES) -> dict[str, Any]:
    """The invoice fields a request carries (absent ones are not changes)."""
    return {name: value for name in names if (value := getattr(data, name)) is not UNSET}


class InvoiceCreate(InvoiceFields, forbid_unknown_fields=True, kw_only=True):
    """A PROVISOIRE invoice (BROUILLON with `draft`) from an uploaded PDF, with the fields read or typed."""

    upload_id: int
    structure_id: int
    draft: bool = False


class InvoiceUpdate(InvoiceFields, forbid_unknown_fields=True, kw_only=True):
    """A draft edit; `version` is the version the edit is based on (409 when the invoice changed since);
    `save_draft` saves a PROVISOIRE invoice as BROUILLON."""

    version: int | None = None
    save_draft: bool = False


class InvoiceSend(InvoiceFields, forbid_unknown_fields=True, kw_only=True):
    """« Valider et envoyer », with the last edits."""

    version: int | None = None


class PartyRef(msgspec.Struct):
    id: int
    identifier: str | None
    name: str | None


class ServiceRef(msgspec.Struct):
    id: int
    code: str | None
    libelle: str | None


class InvoiceFile(msgspec.Struct, kw_only=True):
    id: int
    role: str
    designation: str | None
    original_name: str
    content_type: str
    size: int
    sha256: str
    created_at: str | None


class HistoryEntry(msgspec.Struct):
    at: str | None
    status_from: str | None
    status_to: str
    action: str | None
    status_label: str
    status_label_en: str
    reason: str | None
    actor_user_id: int | None
    actor: str | None
    acting_as: int | None


class RecipientAction(msgspec.Struct):
    action: str
    label: str
    label_en: str
    needs_reason: bool


class InvoiceLineView(msgspec.Struct):
    """A line of an invoice's detail (BG-25): decimals as text; `discount` and `net_amount` (HT) two decimals."""

    position: int
    description: str
    quantity: str
    unit: str
    unit_price: str
    discount: str | None
    vat_rate: str
    exemption_reason: str | None
    net_amount: str | None


class Invoice(msgspec.Struct, kw_only=True):
    """An invoice: state, parties, amounts (two decimals, as text), deposit, reading of its PDF, files;
    its history on a detail; the actions the reader may take on a recipient's or validator's view."""

    id: int
    status: str
    status_label: str
    status_label_en: str
    version: int
    number: str | None
    cadre: str | None
    kind: str | None
    source: str | None
    supplier: PartyRef
    supplier_service_id: int | None
    recipient: PartyRef | None
    holder: PartyRef | None
    project_manager: PartyRef | None
    recipient_service: ServiceRef | None
    invoice_date: str | None
    currency: str | None
    engagement_number: str | None
    purchase_order: str | None
    total_ht: str | None
    total_tva: str | None
    total_ttc: str | None
    net_a_payer: str | None
    deposited_at: str | None
    deposit_number: str | None
    routing_error: str | None
    extraction: dict[str, Any] | None
    created_at: str | None
    updated_at: str | None
    status_at: str | None
    files: list[InvoiceFile]
    history: list[HistoryEntry] | Unset = UNSET
    lines: list[InvoiceLineView] | Unset = UNSET  # on a detail: the typed-in lines (none for a PDF or a flow)
    actions: list[RecipientAction] | Unset = UNSET


class InvoicePage(msgspec.Struct):
    """A structure's issued invoices, newest first; `next`: the cursor of the following page."""

    items: list[Invoice]
    next: str | None


class Upload(InvoiceFile, kw_only=True):
    """An uploaded file not yet tied to an invoice; a PDF's reading (`extraction_status`: attente, en_cours,
    pret, echec) goes on in the background (`job`, on its live topic)."""

    extraction_status: str | None
    extraction: dict[str, Any] | None | Unset = UNSET
    kind: str | Unset = UNSET
    job: str | Unset = UNSET


# Typed-in invoices ----------------------------------------------------------------------------------

class ManualInvoiceCreate(msgspec.Struct):
    """A typed-in invoice (behind a billing mandate): its header fields and its lines, as typed."""

    structure_id: int
    header: dict[str, Any] = {}
    lines: list[dict[str, Any]] = []


ManualInvoiceUpdate = ManualInvoiceCreate


class FormLine(msgspec.Struct):
    description: str
    quantity: str
    unit: str
    unit_price: str
    discount: str
    vat_rate: str
    exemption_reason: str


class FormAttachment(msgspec.Struct):
    file_id: int
    designation: str | None
    original_name: str
    content_type: str
    size: int


class OfferedAttachment(msgspec.Struct):
    """An attachment of the original invoice a copy may take over."""

    id: int
    designation: str | None
    original_name: str
    size: int


class ValidatorField(msgspec.Struct):
    siret: str | None
    label: str | None


class ManualInvoicePrefill(msgspec.Struct):
    """« Dupliquer » / « Créer un avoir »: the typed-in form prefilled from an invoice, nothing created yet.
    POST /api/invoices/manual with this header (its `duplicated_from_id`, and `credit_note_of_id` for a
    credit note) creates the copy; reused attachments are first made pending uploads
    (POST /api/invoices/{id}/duplicate/attachments)."""

    structure_id: int
    header: dict[str, str]
    recipient_siret: str | None
    validators: dict[str, ValidatorField]
    lines: list[FormLine]
    attachments: list[FormAttachment]
    offered: list[OfferedAttachment]


class ManualInvoice(ManualInvoicePrefill):
    """A draft as the typed-in form edits it: the prefill's fields, and the draft's own."""

    id: int
    status: str
    version: int


class ManualMandate(msgspec.Struct):
    """Whether the structure may type invoices in; who can subscribe its mandate, and whether it is the user."""

    active: bool
    manager: str
    principal: bool


class AttachmentReuse(msgspec.Struct):
    """Which of the original's attachments to copy onto the copy."""

    file_id: int


# A registered structure as an invoice names it (supplier, recipient, validator): the store's row.
Party = structures_store.InvoicingParty


class Service(msgspec.Struct):
    id: int
    code: str
    libelle: str | None
    active: bool
