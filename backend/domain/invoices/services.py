"""Supplier use cases: create an invoice from an uploaded PDF, edit a draft, delete it, send it.

Each runs in one transaction, keeps the per-day counters right (a PROVISOIRE or BROUILLON invoice is
counted like any other, on its creation day) and publishes `invoice.status` after the commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import asyncpg

from backend.domain.accounts.identity import Principal
from backend.domain.invoices import counters, editing, rules
from backend.domain.invoices.extracted import prefill
from backend.domain.invoices.fields import parse_changes
from backend.domain.invoices.lifecycle import already_handled, change_status, invoice_not_found, publish_status
from backend.domain.invoices.queries import load_view, supplier_access
from backend.domain.invoices.sending import after_send, race_error, send_in
from backend.domain.structures.permissions import require
from backend.domain.support.guards import refuse_while_impersonating
from backend.infra import storage
from backend.infra.database import connection
from backend.infra.errors import ChoraleError
from backend.infra.events import publish
from shared.applications import Application, Level
from shared.invoice_status import InvoiceStatus


def not_editable() -> ChoraleError:
    return ChoraleError("non_modifiable", "Cette facture a été envoyée : elle ne peut plus être modifiée.",
                        "This invoice was sent: it can no longer be edited.", status_code=409)


def _upload_error(fr: str, en: str, code: str = "fichier_introuvable", status: int = 422) -> ChoraleError:
    return ChoraleError(code, fr, en, field="upload_id", status_code=status)


async def _history(conn, invoice, action: str, principal: Principal | None) -> None:
    await conn.execute(
        """INSERT INTO invoice_status_history (invoice_id, status_from, status_to, action, actor_user_id,
                                               impersonator_user_id, acting_as, at)
           VALUES ($1, NULL, $2, $3, $4, $5, $6, $7)""",
        invoice["id"], invoice["status"], action, principal.user_id if principal else None,
        principal.impersonator_id if principal else None, principal.acting_as_label if principal else None,
        invoice["created_at"])


async def _created(conn, principal: Principal, values: Mapping[str, Any]):
    """A new invoice row (see editing.insert), with its creation in the history and in the counters."""
    row = await editing.insert(conn, values)
    await _history(conn, row, "CREATE", principal)
    await counters.apply(conn, None, row)
    return row


async def create_invoice(principal: Principal, *, upload_id: int, structure_id: int, cadre: str = "A1",
                         fields: Mapping[str, Any] | None = None, draft: bool = False) -> dict[str, Any]:
    """A PROVISOIRE invoice (BROUILLON when `draft`) from an extracted PDF upload, prefilled with what the
    extraction found; `fields` (API names, see fields.py) override the prefill."""
    await require(principal, structure_id=structure_id, application=Application.FACTURES_EMISES, level=Level.MODIFICATION)
    changes = parse_changes({**(fields or {}), "cadre": (fields or {}).get("cadre") or cadre})
    status = InvoiceStatus.BROUILLON if draft else InvoiceStatus.PROVISOIRE
    async with connection() as conn:
        async with conn.transaction():
            upload = await conn.fetchrow("SELECT * FROM invoice_file WHERE id = $1 FOR UPDATE", upload_id)
            if (upload is None or upload["role"] != "principal" or upload["uploaded_by"] != principal.user_id
                    or (upload["structure_id"] not in (None, structure_id))):
                raise _upload_error("Fichier introuvable : déposez de nouveau la facture.", "File not found: upload the invoice again.")
            if upload["invoice_id"] is not None:
                raise _upload_error("Ce fichier a déjà servi à une facture.", "This file was already used for an invoice.",
                                    "fichier_deja_utilise", 409)
            if upload["extraction_status"] == "echec":
                error = (_json(upload["extraction"]) or {}).get("error") or {}
                raise _upload_error(error.get("message") or "Ce PDF n'a pas pu être lu.",
                                    error.get("message_en") or "This PDF could not be read.", error.get("code") or "pdf_illisible")
            if upload["extraction_status"] in ("attente", "en_cours"):
                raise _upload_error("La lecture du PDF n'est pas terminée : patientez quelques instants.",
                                    "The PDF is still being read: wait a moment.", "lecture_en_cours", 409)
            guessed = await prefill(conn, upload["extraction"], supplier_structure_id=structure_id)
            values = {**guessed, **await editing.resolve(conn, changes, supplier_structure_id=structure_id, current=None)}
            row = await _created(conn, principal, {
                "supplier_structure_id": structure_id, "source": "PDF", "status": str(status),
                "content_sha256": upload["sha256"], "created_by": principal.user_id,
                "extraction": _json(upload["extraction"]), **values})
            await conn.execute("UPDATE invoice_file SET invoice_id = $2 WHERE id = $1", upload_id, row["id"])
            if "attachments" in changes:
                await editing.sync_attachments(conn, row, changes["attachments"], principal)
    await publish_status(row)
    return await load_view(row["id"])


async def deposit_from_lot(conn, principal: Principal, *, structure_id: int, lot_id: int, kind: str,
                           fields: Mapping[str, Any], file: storage.StoredFile, file_name: str, content_type: str) -> dict:
    """Inside the caller's transaction: the invoice read from one file of a lot, created with that file as
    its principal file and sent with every check of « Valider et envoyer ». Raises the ChoraleError of
    the first problem (all of them in `details["errors"]`) when it does not conform; the caller rolls
    back, and calls `after_send` with the returned row once committed."""
    changes = parse_changes({**fields, "cadre": fields.get("cadre") or "A1"})
    values = await editing.resolve(conn, changes, supplier_structure_id=structure_id, current=None)
    row = await _created(conn, principal, {
        "supplier_structure_id": structure_id, "source": "LOT", "lot_id": lot_id, "kind": kind,
        "status": str(InvoiceStatus.PROVISOIRE), "content_sha256": file.sha256, "created_by": principal.user_id, **values})
    await conn.execute(
        """INSERT INTO invoice_file (invoice_id, role, original_name, content_type, size, sha256, storage_key, uploaded_by,
                                     structure_id)
           VALUES ($1, 'principal', $2, $3, $4, $5, $6, $7, $8)""",
        row["id"], file_name, content_type, file.size, file.sha256, file.key, principal.user_id, structure_id)
    return await send_in(conn, row["id"], principal)


def _json(value):
    import json

    return json.loads(value) if isinstance(value, str) else value


async def update_draft(principal: Principal, invoice_id: int, fields: Mapping[str, Any], *,
                       expected_version: int | None = None, save_draft: bool = False) -> dict[str, Any]:
    """Edit an invoice the supplier may still change (PROVISOIRE, BROUILLON, À recycler); with
    `save_draft`, « Enregistrer en mode brouillon » (a PROVISOIRE invoice becomes BROUILLON)."""
    changes = parse_changes(fields)
    removed: list[str] = []
    async with connection() as conn:
        async with conn.transaction():
            before = await _lock_editable(conn, principal, invoice_id, expected_version)
            row = before
            values = await editing.resolve(conn, changes, supplier_structure_id=before["supplier_structure_id"], current=before)
            if values:
                row = await editing.write(conn, invoice_id, values)
                await counters.apply(conn, before, row)
            if "attachments" in changes:
                removed = await editing.sync_attachments(conn, row, changes["attachments"], principal)
            if save_draft:
                row = await change_status(conn, invoice_id, rules.Action.SAVE_DRAFT, principal, role=rules.Role.SUPPLIER)
    for key in removed:
        storage.delete(key)
    await publish_status(row)
    return await load_view(invoice_id)


async def _lock_editable(conn, principal: Principal, invoice_id: int, expected_version: int | None):
    row = await conn.fetchrow("SELECT * FROM invoice WHERE id = $1 FOR UPDATE", invoice_id)
    if row is None:
        raise invoice_not_found()
    await supplier_access(principal, row, Level.MODIFICATION)
    if expected_version is not None and int(expected_version) != row["version"]:
        raise already_handled()
    if not InvoiceStatus(row["status"]).editable_by_supplier:
        raise not_editable()
    return row


async def delete_invoice(principal: Principal, invoice_id: int) -> None:
    """« Annuler » on a form never sent: the invoice, its files and its counters are removed."""
    async with connection() as conn:
        async with conn.transaction():
            row = await conn.fetchrow("SELECT * FROM invoice WHERE id = $1 FOR UPDATE", invoice_id)
            if row is None:
                raise invoice_not_found()
            await supplier_access(principal, row, Level.MODIFICATION)
            if row["status"] not in (InvoiceStatus.PROVISOIRE, InvoiceStatus.BROUILLON):
                raise ChoraleError("suppression_impossible", "Seule une facture provisoire ou en brouillon peut être supprimée.",
                                   "Only a provisional or draft invoice can be deleted.", status_code=409)
            keys = [r["storage_key"] for r in await conn.fetch("SELECT storage_key FROM invoice_file WHERE invoice_id = $1", invoice_id)]
            await conn.execute("DELETE FROM invoice WHERE id = $1", invoice_id)
            await counters.apply(conn, row, None)
    for key in keys:
        storage.delete(key)
    await publish("invoice.deleted", [f"structure:{row['supplier_structure_id']}", f"invoice:{invoice_id}"], {"id": invoice_id})


async def send_invoice(principal: Principal, invoice_id: int, *, fields: Mapping[str, Any] | None = None,
                       expected_version: int | None = None) -> dict[str, Any]:
    """« Valider et envoyer »: save the last edits, check everything, deposit (DEPOSEE), then routing."""
    refuse_while_impersonating(principal, "envoyer_facture")
    changes = parse_changes(fields or {})
    removed: list[str] = []
    async with connection() as conn:
        try:
            async with conn.transaction():
                before = await _lock_editable(conn, principal, invoice_id, expected_version)
                values = await editing.resolve(conn, changes, supplier_structure_id=before["supplier_structure_id"], current=before)
                if values:
                    row = await editing.write(conn, invoice_id, values)
                    await counters.apply(conn, before, row)
                if "attachments" in changes:
                    removed = await editing.sync_attachments(conn, before, changes["attachments"], principal)
                invoice = await send_in(conn, invoice_id, principal)
        except asyncpg.UniqueViolationError as error:
            duplicate = await race_error(conn, invoice_id, error, changes.get("number"))
            if duplicate is None:
                raise
            raise duplicate from None
    for key in removed:
        storage.delete(key)
    await after_send(invoice)
    return await load_view(invoice_id)
