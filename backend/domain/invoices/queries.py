"""Reading invoices: who may see one, the invoice as the API and screens show it, the supplier's list."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from backend.domain.accounts import store as accounts_store
from backend.domain.accounts.identity import Principal
from backend.domain.invoices import rules
from backend.domain.invoices.store import files as file_store
from backend.domain.invoices.store import history as history_store
from backend.domain.invoices.store import invoices as invoice_store
from backend.domain.invoices.store import lines as lines_store
from backend.domain.invoices.store.invoices import Invoice
from backend.domain.invoices.unit_of_work import invoice_not_found, status_label
from backend.domain.structures import store as structures_store
from backend.domain.structures.permissions import Action, Target, decision, grants_of, require
from backend.infra import storage
from backend.infra.errors import NotFound
from backend.infra.pages import keyset_page, page_size
from shared import cursor as shared_cursor
from shared.invoice_status import InvoiceStatus


def supplier_target(invoice) -> Target:
    return Target(invoice["supplier_structure_id"], invoice["supplier_service_id"])


def recipient_target(invoice) -> Target:
    return Target(invoice["recipient_structure_id"], invoice["recipient_service_id"], whole_structure_only=True)


async def supplier_access(principal: Principal, invoice, action: Action) -> None:
    await require(principal, action, supplier_target(invoice))


# The validators' views and actions: the contract holder's (« Factures à valider »), the MOE's (« Factures de travaux »).
VIEW_AS = {rules.Role.HOLDER: Action.VIEW_AS_HOLDER, rules.Role.PROJECT_MANAGER: Action.VIEW_AS_PROJECT_MANAGER}
PROCESS_AS = {rules.Role.HOLDER: Action.PROCESS_AS_HOLDER, rules.Role.PROJECT_MANAGER: Action.PROCESS_AS_PROJECT_MANAGER}


async def side_of(principal: Principal, invoice) -> str:
    """'S', 'R' or a validator's key ('holder', 'project_manager'): the side from which the principal may
    see the invoice; NotFound otherwise."""
    principal = replace(principal, grants=await grants_of(principal))  # read once for the sides tried
    if (await decision(principal, Action.VIEW_ISSUED, supplier_target(invoice))).allowed:
        return "S"
    for validator in rules.VALIDATORS:
        found = await validator_decision(principal, invoice, validator, VIEW_AS[validator.role])
        if found is not None and found.allowed:
            return validator.key
    if (invoice["recipient_structure_id"] and InvoiceStatus(invoice["status"]).visible_to_recipient
            and (await decision(principal, Action.VIEW_RECEIVED, recipient_target(invoice))).allowed):
        return "R"
    raise invoice_not_found()


async def validator_decision(principal: Principal, invoice, validator: rules.Validator, action: Action):
    """The policy's decision on the structure the invoice names as `validator`, once the invoice is sent
    (a draft is the supplier's alone); None when it names none (or is not sent)."""
    if not invoice[validator.column] or InvoiceStatus(invoice["status"]) in (InvoiceStatus.PROVISOIRE, InvoiceStatus.BROUILLON):
        return None
    return await decision(principal, action, Target(invoice[validator.column]))


async def invoice_or_404(invoice_id: int) -> Invoice:
    invoice = await invoice_store.get(invoice_id)
    if invoice is None:
        raise invoice_not_found()
    return invoice


async def fetch_row(invoice_id: int) -> dict[str, Any]:
    """The invoice's columns as a dict (NotFound when absent)."""
    return (await invoice_or_404(invoice_id)).as_dict()


async def visible_invoice(principal: Principal, invoice_id: int) -> dict[str, Any]:
    row = await fetch_row(invoice_id)
    await side_of(principal, row)
    return row


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def file_view(row) -> dict[str, Any]:
    return {"id": row["id"], "role": row["role"], "designation": row["designation"], "original_name": row["original_name"],
            "content_type": row["content_type"], "size": row["size"], "sha256": row["sha256"],
            "created_at": iso(row["created_at"])}


async def with_names(invoices: list[Invoice], *, detail: bool = True) -> list[dict[str, Any]]:
    """Each invoice's columns as a dict, with its supplier's and recipient's identifiers and names under the
    keys invoice_view reads (`supplier_identifier`, `recipient_name`…); with `detail`, its validators' too
    and its services' codes (`recipient_service_code`…)."""
    parties = {"supplier": "supplier_structure_id", "recipient": "recipient_structure_id"}
    if detail:
        parties |= {v.key: v.column for v in rules.VALIDATORS}
    names = await structures_store.party_names(getattr(i, column) for i in invoices for column in parties.values())
    known = await structures_store.service_entries(
        s for i in invoices for s in (i.recipient_service_id, i.supplier_service_id)) if detail else {}
    rows = []
    for invoice in invoices:
        row = invoice.as_dict()
        for key, column in parties.items():
            row[f"{key}_identifier"], row[f"{key}_name"] = names.get(row[column], (None, None))
        recipient_service, supplier_service = known.get(invoice.recipient_service_id), known.get(invoice.supplier_service_id)
        row["recipient_service_code"] = recipient_service.code if recipient_service else None
        row["recipient_service_libelle"] = recipient_service.libelle if recipient_service else None
        row["supplier_service_code"] = supplier_service.code if supplier_service else None
        rows.append(row)
    return rows


async def history_of(invoice_id: int) -> list[dict[str, Any]]:
    """The invoice's history rows as dicts, each with its actor's name (`actor_name`)."""
    entries = await history_store.for_invoice(invoice_id)
    names = await accounts_store.display_names(e.actor_user_id for e in entries)
    return [{**e.as_dict(), "actor_name": names.get(e.actor_user_id)} for e in entries]


def invoice_view(row, files=(), history=None) -> dict[str, Any]:
    extraction = row["extraction"]
    view = {
        "id": row["id"], "status": row["status"], "status_label": status_label(row["status"]),
        "status_label_en": status_label(row["status"], "en"), "version": row["version"],
        "number": row["number"], "cadre": row["cadre"], "kind": row["kind"], "source": row["source"],
        "supplier": {"id": row["supplier_structure_id"], "identifier": row.get("supplier_identifier"),
                     "name": row.get("supplier_name")},
        "supplier_service_id": row["supplier_service_id"],
        "recipient": None if not row["recipient_structure_id"] else {
            "id": row["recipient_structure_id"], "identifier": row.get("recipient_identifier"),
            "name": row.get("recipient_name")},
        **{v.key: None if not row[v.column] else {
            "id": row[v.column], "identifier": row.get(f"{v.key}_identifier"), "name": row.get(f"{v.key}_name")}
           for v in rules.VALIDATORS},
        "recipient_service": None if not row["recipient_service_id"] else {
            "id": row["recipient_service_id"], "code": row.get("recipient_service_code"),
            "libelle": row.get("recipient_service_libelle")},
        "invoice_date": iso(row["invoice_date"]), "currency": row["currency"],
        "engagement_number": row["engagement_number"], "purchase_order": row["purchase_order"],
        "total_ht": money(row["total_ht"]), "total_tva": money(row["total_tva"]), "total_ttc": money(row["total_ttc"]),
        "net_a_payer": money(row["net_a_payer"]),
        "deposited_at": iso(row["deposited_at"]), "deposit_number": row["deposit_number"],
        "routing_error": row["routing_error"], "extraction": extraction,
        "created_at": iso(row["created_at"]), "updated_at": iso(row["updated_at"]), "status_at": iso(row["status_at"]),
        "files": [file_view(f) for f in files],
    }
    if history is not None:
        view["history"] = [{
            "at": iso(h["at"]), "status_from": h["status_from"], "status_to": h["status_to"], "action": h["action"],
            "status_label": status_label(h["status_to"]), "status_label_en": status_label(h["status_to"], "en"),
            "reason": h["reason"], "actor_user_id": h["actor_user_id"], "actor": h["actor_name"],
            "acting_as": h["acting_as"]} for h in history]
    return view


def line_view(line: lines_store.Line) -> dict[str, Any]:
    """A stored line as the detail shows it (decimals as text, no exponent)."""
    return {"position": line.position, "description": line.description, "quantity": f"{line.quantity.normalize():f}",
            "unit": line.unit, "unit_price": f"{line.unit_price.normalize():f}", "discount": money(line.discount),
            "vat_rate": f"{line.vat_rate.normalize():f}", "exemption_reason": line.exemption_reason,
            "net_amount": money(line.net_amount)}


async def load_view(invoice_id: int) -> dict[str, Any]:
    """The invoice's detail: its view with its files, history and lines (typed-in invoices have them)."""
    [row] = await with_names([await invoice_or_404(invoice_id)])
    files = [f.as_dict() for f in await file_store.for_invoice(invoice_id)]
    view = invoice_view(row, files, await history_of(invoice_id))
    view["lines"] = [line_view(line) for line in await lines_store.lines_of(invoice_id)]
    return view


async def get_invoice(principal: Principal, invoice_id: int) -> dict[str, Any]:
    """The invoice with its files and history, for a user who may see it (NotFound otherwise)."""
    await visible_invoice(principal, invoice_id)
    return await load_view(invoice_id)


# The supplier's list ---------------------------------------------------------------------------

def encode_cursor(row) -> str:
    """The app's one list cursor (shared/cursor.py, signed) over the supplier list's keyset."""
    return shared_cursor.encode_cursor([row["created_at"].isoformat(), row["id"]])


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    values = shared_cursor.decode_cursor(cursor)
    try:
        moment, ident = values  # type: ignore[misc]
        if not (isinstance(moment, str) and isinstance(ident, int) and 0 < ident < 2**63):
            raise ValueError
        return datetime.fromisoformat(moment), ident
    except (TypeError, ValueError):
        raise NotFound('page') from None


async def list_issued(principal: Principal, structure_id: int, *, after: str | None = None, limit: int = 20,
                      statuses: tuple[str, ...] = ()) -> dict[str, Any]:
    """The structure's invoices, newest first, keyset-paginated: {items, next} (next: a cursor or None)."""
    ref = await require(principal, Action.VIEW_ISSUED, Target(structure_id))
    limit = page_size(limit)
    invoices = await invoice_store.supplier_page(
        structure_id, limit=limit + 1, service_ids=None if ref.service_ids is None else list(ref.service_ids),
        statuses=list(statuses), before=decode_cursor(after) if after else None)
    return keyset_page(await with_names(invoices, detail=False), limit, invoice_view, encode_cursor)


async def file_for_download(principal: Principal, invoice_id: int, file_id: int):
    """A file of an invoice the principal may see (NotFound for anyone else, as for the invoice)."""
    await visible_invoice(principal, invoice_id)
    row = await file_store.of_invoice(invoice_id, file_id)
    if row is None:
        raise NotFound('fichier')
    return row.as_dict()


async def page_preview(principal: Principal, invoice_id: int, file_id: int, page: int) -> bytes:
    """Page `page` of an invoice's PDF as a PNG, for those who may see the invoice (preview.py)."""
    from backend.domain.invoices.reading_pool import TooCostly, render_page

    row = await file_for_download(principal, invoice_id, file_id)
    if row["content_type"] != "application/pdf":
        raise NotFound('apercu_pas_pdf')
    try:
        return await render_page(storage.path_for(row["storage_key"]), page)
    except (FileNotFoundError, TooCostly):
        raise NotFound('apercu_indisponible') from None


async def deposited_view(principal: Principal, invoice_id: int) -> dict[str, Any]:
    view = await get_invoice(principal, invoice_id)
    if not view["deposit_number"]:
        raise NotFound('facture_encore')
    return view
