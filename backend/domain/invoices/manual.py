"""Saisir une facture: header and lines typed in, totals computed here; duplication and credit notes;
the Factur-X (EN 16931) of every typed invoice.

Every creation (a typed-in draft, a copy, a credit note) goes through `unit_of_work.create_invoice`
(CREATE history row, counters, `invoice.status` event) and every later save through `change_invoice`
(a PROVISOIRE invoice becomes BROUILLON by the transition table's SAVE_DRAFT, with its history row).
Lines and their VAT breakdown are written in the same transaction (store.lines). The header goes through
the same parsing and lookups as a PDF deposit (fields.parse_changes, editing.resolve_changes), and
sending uses the same checks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from backend.domain.accounts.identity import Principal
from backend.domain.einvoice.facturx_pdf import make_facturx_pdf
from backend.domain.einvoice.model import DocumentLine, InvoiceDocument, Party, VatBreakdownLine, french_vat_id
from backend.domain.invoices import editing, rules
from backend.domain.invoices.fields import check_manual, parse_changes, parse_id
from backend.domain.invoices.lookups import services_of
from backend.domain.invoices.queries import supplier_access, visible_invoice
from backend.domain.invoices.services import send_invoice
from backend.domain.invoices.store import files as files_store
from backend.domain.invoices.store import invoices as invoice_store
from backend.domain.invoices.store import lines as lines_store
from backend.domain.invoices.store.invoices import Invoice
from backend.domain.invoices.unit_of_work import atomic, change_invoice, create_invoice, invoice_not_found
from backend.domain.structures import store as structures_store
from backend.domain.structures.services import active_mandate, principal_manager_of
from backend.domain.structures.permissions import Action, Target, can, require, require_found
from backend.infra import storage
from backend.infra.errors import DomainError
from shared import formatting
from shared.applications import Application, Level
from shared.cadres import InvoiceKind
from shared.invoice_status import InvoiceStatus

LINE_FIELDS = ("description", "quantity", "unit", "unit_price", "discount", "vat_rate", "exemption_reason")
# Header keys that are not invoice fields (fields.parse_changes): read here, written at creation.
_OWN_HEADER_KEYS = ("kind", "credit_note_of_id", "payment_terms", "duplicated_from_id")
# What a copy keeps from its original that the typed-in form does not show (so cannot send back).
_KEPT_FROM_ORIGINAL = ("supplier_service_id", "purchase_order")


def parse_lines(raw: Sequence[Mapping[str, Any]]) -> list[rules.InvoiceLine]:
    lines = []
    for index, item in enumerate(raw):
        def number(name: str, default: str | None = None) -> Decimal:
            value = item.get(name) if item.get(name) not in (None, "") else (default or "")
            try:
                number = formatting.parse_amount(value)
                if number is None:
                    raise ValueError("empty")
                return number
            except ValueError:
                raise DomainError('nombre_invalide', f"lines[{index}].{name}", line=index + 1, name=name) from None
        lines.append(rules.InvoiceLine(
            description=str(item.get("description") or "").strip(), quantity=number("quantity"), unit_price=number("unit_price"),
            vat_rate=number("vat_rate"), unit=str(item.get("unit") or "C62")[:10], discount=number("discount", "0"),
            exemption_reason=(str(item.get("exemption_reason") or "").strip() or None)))
    return lines


def totals_of(lines: Sequence[rules.InvoiceLine]) -> rules.Totals | None:
    """The invoice's totals and VAT breakdown from its lines; None while it has none."""
    return rules.compute_totals(lines) if lines else None


def total_columns(totals: rules.Totals | None) -> dict[str, Decimal | None]:
    if totals is None:
        return {"total_ht": None, "total_tva": None, "total_ttc": None, "net_a_payer": None}
    return {"total_ht": totals.total_ht, "total_tva": totals.total_tva, "total_ttc": totals.total_ttc,
            "net_a_payer": totals.net_a_payer}


def copy_columns(source: Invoice, *, credit_note: bool) -> dict[str, Any]:
    """What a copy (« Dupliquer ») or a credit note takes from its invoice: the parties, the references and
    the terms, not the number, dates, status, amounts' history or certificate. A credit note references
    the invoice it cancels."""
    return {"supplier_structure_id": source.supplier_structure_id, "source": "DUPLICATION",
            "kind": str(InvoiceKind.AVOIR) if credit_note else source.kind, "cadre": source.cadre,
            "recipient_structure_id": source.recipient_structure_id, "recipient_service_id": source.recipient_service_id,
            "supplier_service_id": source.supplier_service_id, "engagement_number": source.engagement_number,
            "purchase_order": source.purchase_order, "currency": source.currency, "comment": source.comment,
            "payment_terms": source.payment_terms, "duplicated_from_id": source.id,
            "credit_note_of_id": source.id if credit_note else None}


def _rule_error(error: rules.InvoiceRuleError) -> DomainError:
    return error.with_status(422)


def _checked(lines: list[rules.InvoiceLine]) -> list[rules.InvoiceLine]:
    try:
        rules.validate_lines(lines)
    except rules.InvoiceRuleError as error:
        raise _rule_error(error) from None
    return lines


def not_editable() -> DomainError:
    return DomainError('non_modifiable', variant='facture_plus_modifiable', status_code=409)


async def require_mandate(structure_id: int) -> dict:
    mandate = await active_mandate(structure_id)
    if mandate is None:
        manager = await principal_manager_of(structure_id) or "le gestionnaire principal"
        raise DomainError('mandat_requis', status_code=409, manager=manager)
    return mandate


async def _store_lines(invoice_id: int, lines: list[rules.InvoiceLine], totals: rules.Totals | None) -> None:
    await lines_store.replace_lines(invoice_id, lines, totals.vat_breakdown if totals else ())


async def save_manual(principal: Principal, *, structure_id: int, header: Mapping[str, Any], lines: Sequence[Mapping[str, Any]],
                      invoice_id: int | None = None, source: str = "SAISIE") -> int:
    """Create or update a typed-in draft (BROUILLON); lines may still be empty. Returns the invoice id."""
    await require(principal, Action.DEPOSIT if invoice_id is None else Action.EDIT_DRAFT, Target(structure_id))
    await require_mandate(structure_id)
    check_manual(header, lines)
    parsed_lines = parse_lines(lines)
    if parsed_lines:
        _checked(parsed_lines)
    totals = totals_of(parsed_lines)
    changes = parse_changes({k: v for k, v in header.items() if k not in _OWN_HEADER_KEYS})
    # The lines' totals, not any typed in the header: a typed-in invoice's amounts are its lines'.
    columns = {**total_columns(totals), "payment_terms": header.get("payment_terms") or None}
    if invoice_id is None:
        credited_id = parse_id("credit_note_of_id", header.get("credit_note_of_id"))
        if credited_id is not None:
            await check_credited(principal, structure_id, await invoice_store.get(credited_id))
        original = await _original(principal, structure_id, header.get("duplicated_from_id"))
        kept = {} if original is None else {
            **{k: v for k, v in copy_columns(original, credit_note=credited_id is not None).items() if k in _KEPT_FROM_ORIGINAL},
            "source": "DUPLICATION", "duplicated_from_id": original.id}
        values = await editing.resolve_changes(changes, supplier_structure_id=structure_id, current=None)
        async with create_invoice(principal, **{"source": source, **kept, **values, **columns}, supplier_structure_id=structure_id,
                                  status=InvoiceStatus.BROUILLON, kind=str(InvoiceKind(header.get("kind") or "FACTURE")),
                                  credit_note_of_id=credited_id) as creation:
            await _store_lines(creation.invoice.id, parsed_lines, totals)
            if "attachments" in changes:  # a new invoice has none to remove
                await editing.tie_attachments(creation.invoice.id, changes["attachments"], principal)
        return creation.result.id
    async with change_invoice(invoice_id, principal) as change:
        if change.before.supplier_structure_id != structure_id:
            raise invoice_not_found()
        if not InvoiceStatus(change.before.status).editable_by_supplier:
            raise not_editable()
        values = await editing.resolve_changes(changes, supplier_structure_id=structure_id, current=change.before)
        change.set(**{**values, **columns})
        if change.before.status == InvoiceStatus.PROVISOIRE:  # « Enregistrer en mode brouillon »
            change.transition(rules.Action.SAVE_DRAFT, role=rules.Role.SUPPLIER)
        await _store_lines(invoice_id, parsed_lines, totals)
        if "attachments" in changes:
            for key in await editing.tie_attachments(invoice_id, changes["attachments"], principal):
                change.after_commit(partial(storage.delete, key))
    return invoice_id


def _supplier_structure(invoice: Invoice) -> Target:
    """The whole supplier structure (not the invoice's service): what sending, duplicating and the
    mandate's checks have always been asked on."""
    return Target(invoice.supplier_structure_id)


async def _supplier_invoice(principal: Principal, invoice_id: int, action: Action) -> tuple[Invoice, list[rules.InvoiceLine]]:
    """The invoice and its stored lines, for a supplier user who may do `action` on it under an active mandate."""
    invoice = await require_found(principal, action, await invoice_store.get(invoice_id), _supplier_structure, missing=invoice_not_found)
    stored = await lines_store.lines_of(invoice_id)
    await require_mandate(invoice.supplier_structure_id)
    return invoice, [line.as_rule() for line in stored]


async def send_manual(principal: Principal, invoice_id: int) -> dict[str, Any]:
    """Check the lines and the mandate, then the deposit's own checks and lifecycle (send_invoice)."""
    _, lines = await _supplier_invoice(principal, invoice_id, Action.SEND)
    _checked(lines)
    return await send_invoice(principal, invoice_id)


async def submit_typed(principal: Principal, *, structure_id: int, header: Mapping[str, Any], lines: Sequence[Mapping[str, Any]],
                       declared: rules.DeclaredAmounts) -> dict[str, Any]:
    """A typed-in invoice created and sent at once (PISTE's soumettre in SAISIE_API): the draft saved as
    « Saisir une facture » saves it, the amounts the client stated checked against its lines, then
    « Valider et envoyer » — in one transaction, so any refusal keeps nothing."""
    async with atomic():
        invoice_id = await save_manual(principal, structure_id=structure_id, header=header, lines=lines)
        totals = totals_of(parse_lines(lines))
        if totals is not None:
            try:
                rules.check_declared_amounts(totals, declared)
            except rules.InvoiceRuleError as error:
                raise _rule_error(error) from None
        return await send_manual(principal, invoice_id)


def _credit_refused() -> DomainError:
    return DomainError('avoir_impossible', "credit_note_of_id")


async def check_credited(principal: Principal, structure_id: int, credited: Invoice | None) -> None:
    """The invoice a credit note credits: an invoice (not a credit note) of the same supplier structure,
    sent, that the user may read. Its number goes into the credit note's Factur-X: an unchecked id copied
    any structure's invoice number into one's own document (issue 20, item 4). One refusal for every
    case, so an id of another structure's invoice tells nothing about it."""
    if credited is None or credited.supplier_structure_id != structure_id:
        raise _credit_refused()
    if InvoiceStatus(credited.status) in (InvoiceStatus.BROUILLON, InvoiceStatus.PROVISOIRE) or credited.kind != InvoiceKind.FACTURE:
        raise _credit_refused()
    try:
        await supplier_access(principal, credited.as_dict(), Action.VIEW_ISSUED)
    except DomainError:
        raise _credit_refused() from None


async def _original(principal: Principal, structure_id: int, raw_id: Any) -> Invoice | None:
    """The invoice a new one duplicates (`duplicated_from_id` of its first save): one of the same supplier
    structure that the user may duplicate; one refusal for every other case (nothing told about it)."""
    original_id = parse_id("duplicated_from_id", raw_id)
    if original_id is None:
        return None
    original = await invoice_store.get(original_id)
    if original is not None and original.supplier_structure_id != structure_id:
        original = None  # another structure's invoice: refused as if it did not exist
    return await require_found(principal, Action.DUPLICATE, original, _supplier_structure, missing=invoice_not_found)


async def duplicate_form(principal: Principal, invoice_id: int, *, credit_note: bool = False) -> dict[str, Any]:
    """« Dupliquer » (or « Créer un avoir »): the typed-in form prefilled from the invoice, with no id —
    nothing is created until the user saves it (save_manual with the header's `duplicated_from_id`, and
    `credit_note_of_id` for a credit note). Its attachments are offered, not copied."""
    source, _ = await _supplier_invoice(principal, invoice_id, Action.DUPLICATE)
    if credit_note:
        await check_credited(principal, source.supplier_structure_id, source)
    form = await _form_of(source)
    own = {"number": "", "invoice_date": "", "duplicated_from_id": str(source.id), "kind": str(InvoiceKind.AVOIR) if credit_note else source.kind}
    if credit_note:
        own["credit_note_of_id"] = str(source.id)
    return {**{k: v for k, v in form.items() if k not in ("id", "status", "version")}, "header": {**form["header"], **own},
            "attachments": [], "offered": await _attachments_offered(source.id, kept=set())}


async def reuse_for_copy(principal: Principal, original_id: int, file_id: int) -> int:
    """On a copy not saved yet: one of the original's attachments as the user's own pending upload (its own
    stored file), which the copy's first save ties to it like any attachment added to the form."""
    source, _ = await _supplier_invoice(principal, original_id, Action.DUPLICATE)
    if file_id not in {f["id"] for f in await _attachments_offered(source.id, kept=set())}:
        raise DomainError('piece_jointe_introuvable', variant='piece_jointe_introuvable', status_code=404)
    return await _copy_file(principal, file_id, invoice_id=None)


async def invoice_document(invoice_id: int) -> InvoiceDocument:
    """The invoice in EN 16931 terms, from its stored header, lines and VAT breakdown."""
    invoice = await invoice_store.get(invoice_id)
    if invoice is None:
        raise invoice_not_found()
    lines = await lines_store.lines_of(invoice_id)
    vats = await lines_store.vat_breakdown_of(invoice_id)
    seller = await structures_store.document_party(invoice.supplier_structure_id)
    buyer = await structures_store.document_party(invoice.recipient_structure_id)
    service = await _service_code(invoice.recipient_service_id)
    preceding = await invoice_store.get(invoice.credit_note_of_id) if invoice.credit_note_of_id else None
    if not lines or buyer is None or invoice.number is None or invoice.invoice_date is None:
        raise DomainError('facturx_indisponible', status_code=409)

    def party(structure: structures_store.DocumentParty) -> Party:
        siret = structure.identifier if structure.identifier_type == "SIRET" else None
        return Party(name=structure.raison_sociale, siret=siret,
                     vat_id=french_vat_id(siret[:9]) if siret and not structure.is_public else None,
                     address=structure.address, postcode=structure.postcode, city=structure.city, country_code=structure.country)

    return InvoiceDocument(
        number=invoice.number, issue_date=invoice.invoice_date, seller=party(seller), buyer=party(buyer),
        lines=tuple(DocumentLine(str(l.position), l.description, l.quantity, l.unit_price, l.net_amount,
                                 "E" if l.vat_rate == 0 else "S", l.vat_rate, unit_code=l.unit, discount=l.discount)
                    for l in lines),
        vat_breakdown=tuple(VatBreakdownLine(v.category, v.rate, v.base, v.amount, v.exemption_reason) for v in vats),
        total_ht=invoice.total_ht, total_tva=invoice.total_tva, total_ttc=invoice.total_ttc, net_a_payer=invoice.net_a_payer,
        type_code=InvoiceKind(invoice.kind).type_code, currency=invoice.currency, buyer_reference=service,
        purchase_order_reference=invoice.engagement_number, preceding_invoice_reference=preceding.number if preceding else None,
        preceding_invoice_date=preceding.invoice_date if preceding else None,
        payment_terms=invoice.payment_terms, iban=invoice.iban)


async def facturx_pdf(principal: Principal, invoice_id: int) -> bytes:
    """Supplier and recipient alike may download it (the same visibility as the invoice)."""
    await visible_invoice(principal, invoice_id)
    return make_facturx_pdf(await invoice_document(invoice_id))


async def _attachments_offered(original_id: int, *, kept: set[str]) -> list[dict]:
    """The original's attachments whose content (sha256) is not among `kept` (those the copy carries)."""
    return [{"id": f.id, "designation": f.designation, "original_name": f.original_name, "size": f.size}
            for f in await files_store.for_invoice(original_id, editing.ATTACHMENT) if f.sha256 not in kept]


async def _offered(invoice: Invoice) -> list[dict]:
    if invoice.duplicated_from_id is None:
        return []
    kept = {f.sha256 for f in await files_store.for_invoice(invoice.id, editing.ATTACHMENT)}
    return await _attachments_offered(invoice.duplicated_from_id, kept=kept)


async def offered_attachments(principal: Principal, invoice_id: int) -> list[dict]:
    """On a copy: the original invoice's attachments it does not carry yet, offered rather than copied silently."""
    invoice = await invoice_store.get(invoice_id)
    if invoice is None or invoice.duplicated_from_id is None:
        return []
    await require(principal, Action.EDIT_DRAFT, Target(invoice.supplier_structure_id))
    return await _offered(invoice)


async def reuse_attachment(principal: Principal, invoice_id: int, file_id: int) -> int:
    """Copy one of the original's attachments onto the copy (its own stored file, so deleting one keeps the other)."""
    offered = {f["id"] for f in await offered_attachments(principal, invoice_id)}
    if file_id not in offered:
        raise DomainError('piece_jointe_introuvable', variant='piece_jointe_introuvable', status_code=404)
    return await _copy_file(principal, file_id, invoice_id=invoice_id)


async def _copy_file(principal: Principal, file_id: int, *, invoice_id: int | None) -> int:
    """A new stored file with `file_id`'s content, on `invoice_id` (None: the user's pending upload)."""
    source = await files_store.get(file_id)
    key = storage.new_key("attachments")
    storage.save_bytes(storage.path_for(source.storage_key).read_bytes(), key=key)
    try:
        copied = await files_store.insert({
            "invoice_id": invoice_id, "role": editing.ATTACHMENT, "designation": source.designation, "original_name": source.original_name,
            "content_type": source.content_type, "size": source.size, "sha256": source.sha256, "storage_key": key,
            "uploaded_by": principal.user_id})
    except BaseException:  # cancelled too: the copy has no row, so nothing else would ever remove it
        storage.delete(key)
        raise
    return copied.id


# What the form shows ---------------------------------------------------------------------------

async def _service_code(service_id: int | None) -> str | None:
    service = await structures_store.service_entry(service_id) if service_id else None
    return service.code if service else None


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def form_line(line: lines_store.Line) -> dict[str, str]:
    """A stored line as the form's inputs hold it (plain decimals, no exponent)."""
    return {"description": line.description, "quantity": _plain(line.quantity), "unit": line.unit, "unit_price": _plain(line.unit_price),
            "discount": f"{line.discount:f}", "vat_rate": _plain(line.vat_rate), "exemption_reason": line.exemption_reason or ""}


async def manual_form(principal: Principal, invoice_id: int) -> dict[str, Any]:
    """A draft as the typed-in form edits it, for a user who may modify its supplier's invoices (its
    service too, when the user is attached to services only): header, recipient, validators, lines,
    attachments and, on a copy, the original's attachments it may reuse."""
    invoice = await require_found(principal, Action.EDIT_DRAFT, await invoice_store.get(invoice_id),
                                  lambda i: Target(i.supplier_structure_id, i.supplier_service_id), missing=invoice_not_found)
    return {**await _form_of(invoice),
            "attachments": [{"file_id": f.id, "designation": f.designation, "original_name": f.original_name,
                             "content_type": f.content_type, "size": f.size}
                            for f in await files_store.for_invoice(invoice_id, editing.ATTACHMENT)],
            "offered": await _offered(invoice)}


async def _form_of(invoice: Invoice) -> dict[str, Any]:
    """Header, recipient, validators and lines of an invoice as the form holds them."""
    recipient = await structures_store.structure_identifier(invoice.recipient_structure_id) if invoice.recipient_structure_id else None
    named = await structures_store.party_names(getattr(invoice, v.column) for v in rules.VALIDATORS)
    validators = {v.key: {"siret": named[i][0], "label": named[i][1]} for v in rules.VALIDATORS if (i := getattr(invoice, v.column)) in named}
    return {
        "id": invoice.id, "structure_id": invoice.supplier_structure_id, "status": invoice.status, "version": invoice.version,
        "header": {"cadre": invoice.cadre, "currency": invoice.currency, "number": invoice.number or "",
                   "invoice_date": invoice.invoice_date.isoformat() if invoice.invoice_date else "",
                   "engagement_number": invoice.engagement_number or "", "payment_terms": invoice.payment_terms or "",
                   "recipient_service_code": await _service_code(invoice.recipient_service_id) or "",
                   "comment": invoice.comment or ""},
        "recipient_siret": recipient,
        "validators": validators,
        "lines": [form_line(line) for line in await lines_store.lines_of(invoice.id)],
    }


async def mandate_status(principal: Principal, structure_id: int) -> dict[str, Any]:
    """Whether the structure may type invoices in (an active mandate) and, if not, who can fix it: its
    gestionnaire principal, who may be the user."""
    await require(principal, Action.DEPOSIT, Target(structure_id))
    # The one gestionnaire-principal predicate (an approved attachment), as the mandate's own routes check it.
    return {"active": await active_mandate(structure_id) is not None, "manager": await principal_manager_of(structure_id) or "",
            "principal": await can(principal, Action.BILLING_MANDATE, Target(structure_id))}


async def recipient_services(siret: str | None) -> list[dict[str, Any]]:
    """The active services of the public structure registered with this SIRET (none if it is not)."""
    structure = await structures_store.invoicing_party_by_siret(siret) if siret else None  # public ones first
    return await services_of(structure.id if structure is not None and structure.is_public else None)
