"""Reading invoices: who may see one, the invoice as the API and screens show it, the supplier's list."""

from __future__ import annotations

import base64
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from backend.domain.accounts.identity import Principal
from backend.domain.invoices import rules
from backend.domain.invoices.lifecycle import invoice_not_found, status_label
from backend.domain.structures.permissions import StructureRef, access_to, require
from backend.infra.database import connection
from backend.infra.errors import NotFound
from backend.infra.pages import keyset_page, page_size
from shared.applications import Application, Level
from shared.invoice_status import InvoiceStatus



async def supplier_access(principal: Principal, invoice, level: Level) -> None:
    await require(principal, structure_id=invoice["supplier_structure_id"], application=Application.FACTURES_EMISES,
                  level=level, service_id=invoice["supplier_service_id"])


async def side_of(principal: Principal, invoice, level: Level = Level.CONSULTATION) -> str:
    """'S', 'R' or a validator's key ('holder', 'project_manager'): the side from which the principal may
    see the invoice; NotFound otherwise."""
    supplier = await access_to(principal, invoice["supplier_structure_id"], Application.FACTURES_EMISES)
    if supplier is not None and supplier.level.allows(level) and (
            supplier.service_ids is None or invoice["supplier_service_id"] is None
            or invoice["supplier_service_id"] in supplier.service_ids):
        return "S"
    for validator in rules.VALIDATORS:
        ref = await validator_ref(principal, invoice, validator)
        if ref is not None and ref.level.allows(level):
            return validator.key
    if invoice["recipient_structure_id"] and InvoiceStatus(invoice["status"]).visible_to_recipient:
        recipient = await access_to(principal, invoice["recipient_structure_id"], Application.FACTURES_RECUES)
        if recipient is not None and recipient.level.allows(level) and (
                recipient.service_ids is None or invoice["recipient_service_id"] in recipient.service_ids):
            return "R"
    raise invoice_not_found()


async def validator_ref(principal: Principal, invoice, validator: rules.Validator) -> StructureRef | None:
    """The principal's profile on the structure the invoice names as `validator`, once the invoice is sent
    (a draft is the supplier's alone); None when it names none or the principal has no such profile."""
    if not invoice[validator.column] or InvoiceStatus(invoice["status"]) in (InvoiceStatus.PROVISOIRE, InvoiceStatus.BROUILLON):
        return None
    return await access_to(principal, invoice[validator.column], validator.application)


async def fetch_row(invoice_id: int):
    async with connection() as conn:
        row = await conn.fetchrow("SELECT * FROM invoice WHERE id = $1", invoice_id)
    if row is None:
        raise invoice_not_found()
    return row


async def visible_invoice(principal: Principal, invoice_id: int):
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


_DETAIL = """
SELECT i.*, s.identifier AS supplier_identifier, s.raison_sociale AS supplier_name,
       r.identifier AS recipient_identifier, r.raison_sociale AS recipient_name,
       rs.code AS recipient_service_code, rs.libelle AS recipient_service_libelle,
       ss.code AS supplier_service_code, h.identifier AS holder_identifier, h.raison_sociale AS holder_name,
       pm.identifier AS project_manager_identifier, pm.raison_sociale AS project_manager_name
FROM invoice i
JOIN structure s ON s.id = i.supplier_structure_id
LEFT JOIN structure r ON r.id = i.recipient_structure_id
LEFT JOIN structure h ON h.id = i.holder_structure_id
LEFT JOIN structure pm ON pm.id = i.project_manager_structure_id
LEFT JOIN service rs ON rs.id = i.recipient_service_id
LEFT JOIN service ss ON ss.id = i.supplier_service_id
WHERE i.id = $1
"""

_HISTORY = """
SELECT h.*, coalesce(nullif(trim(coalesce(u.first_name, '') || ' ' || coalesce(u.last_name, '')), ''), u.email) AS actor_name
FROM invoice_status_history h LEFT JOIN user_account u ON u.id = h.actor_user_id
WHERE h.invoice_id = $1 ORDER BY h.at, h.id
"""


def invoice_view(row, files=(), history=None) -> dict[str, Any]:
    import json

    extraction = row["extraction"]
    if isinstance(extraction, str):
        extraction = json.loads(extraction)
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


async def load_view(invoice_id: int) -> dict[str, Any]:
    async with connection() as conn:
        row = await conn.fetchrow(_DETAIL, invoice_id)
        if row is None:
            raise invoice_not_found()
        files = await conn.fetch("SELECT * FROM invoice_file WHERE invoice_id = $1 ORDER BY role <> 'principal', id", invoice_id)
        history = await conn.fetch(_HISTORY, invoice_id)
    return invoice_view(row, files, history)


async def get_invoice(principal: Principal, invoice_id: int) -> dict[str, Any]:
    """The invoice with its files and history, for a user who may see it (NotFound otherwise)."""
    await visible_invoice(principal, invoice_id)
    return await load_view(invoice_id)


# The supplier's list ---------------------------------------------------------------------------

def encode_cursor(row) -> str:
    return base64.urlsafe_b64encode(f"{row['created_at'].isoformat()}|{row['id']}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment, _, ident = raw.partition("|")
        return datetime.fromisoformat(moment), int(ident)
    except (ValueError, UnicodeDecodeError):
        raise NotFound("Page introuvable (curseur invalide).", "Page not found (invalid cursor).") from None


_LIST = """
SELECT i.*, r.identifier AS recipient_identifier, r.raison_sociale AS recipient_name,
       s.identifier AS supplier_identifier, s.raison_sociale AS supplier_name
FROM invoice i
JOIN structure s ON s.id = i.supplier_structure_id
LEFT JOIN structure r ON r.id = i.recipient_structure_id
WHERE i.supplier_structure_id = $1 {extra}
ORDER BY i.created_at DESC, i.id DESC
LIMIT {limit}
"""


async def list_issued(principal: Principal, structure_id: int, *, after: str | None = None, limit: int = 20,
                      statuses: tuple[str, ...] = ()) -> dict[str, Any]:
    """The structure's invoices, newest first, keyset-paginated: {items, next} (next: a cursor or None)."""
    ref = await require(principal, structure_id=structure_id, application=Application.FACTURES_EMISES, level=Level.CONSULTATION)
    limit = page_size(limit)
    params: list[Any] = [structure_id]
    extra = ""
    if ref.service_ids is not None:
        params.append(list(ref.service_ids))
        extra += f" AND (i.supplier_service_id IS NULL OR i.supplier_service_id = ANY(${len(params)}::bigint[]))"
    if statuses:
        params.append(list(statuses))
        extra += f" AND i.status = ANY(${len(params)}::text[])"
    if after:
        moment, ident = decode_cursor(after)
        params += [moment, ident]
        extra += f" AND (i.created_at, i.id) < (${len(params) - 1}, ${len(params)})"
    async with connection() as conn:
        rows = await conn.fetch(_LIST.format(extra=extra, limit=limit + 1), *params)
    return keyset_page(rows, limit, invoice_view, encode_cursor)


async def file_for_download(principal: Principal, invoice_id: int, file_id: int):
    """A file of an invoice the principal may see (NotFound for anyone else, as for the invoice)."""
    await visible_invoice(principal, invoice_id)
    async with connection() as conn:
        row = await conn.fetchrow("SELECT * FROM invoice_file WHERE id = $1 AND invoice_id = $2", file_id, invoice_id)
    if row is None:
        raise NotFound("Fichier introuvable.", "File not found.")
    return row


async def deposited_view(principal: Principal, invoice_id: int) -> dict[str, Any]:
    view = await get_invoice(principal, invoice_id)
    if not view["deposit_number"]:
        raise NotFound("Cette facture n'a pas encore été déposée : pas d'attestation de dépôt.",
                       "This invoice has not been deposited yet: no deposit certificate.")
    return view
