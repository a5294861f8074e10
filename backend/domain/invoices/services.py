"""Supplier use cases: create an invoice from an uploaded PDF, edit a draft, delete it, send it.

Each runs in one unit of work (`unit_of_work`): the per-day counters stay right (a PROVISOIRE or
BROUILLON invoice is counted like any other, on its creation day), the history gets its rows and
`invoice.status` is published after the commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import asyncpg

from backend.domain.accounts.guards import refuse_while_impersonating
from backend.domain.accounts.identity import Principal
from backend.domain.invoices import editing, rules
from backend.domain.invoices.extracted import prefill
from backend.domain.invoices.fields import parse_changes
from backend.domain.invoices.queries import load_view, supplier_access
from backend.domain.invoices.sending import all_of, deposit_errors, race_error, send
from backend.domain.invoices.store import files as file_store
from backend.domain.invoices.store.invoices import Invoice
from backend.domain.invoices.unit_of_work import InvoiceChange, already_handled, atomic, change_invoice
from backend.domain.invoices.unit_of_work import create_invoice as new_invoice
from backend.domain.structures.permissions import Action, Target, require
from backend.infra import storage
from backend.infra.errors import DomainError
from backend.infra.events import publish
from shared.invoice_status import InvoiceStatus

# The rest of what other slices may use of this one (the modules they live in are private to the slice).
from backend.domain.invoices.fields import MONEY_FIELDS  # noqa: F401
from backend.domain.invoices.queries import (  # noqa: F401
    PROCESS_AS, VIEW_AS, fetch_row, get_invoice, invoice_or_404, iso, load_view, money, recipient_target, validator_decision,
    visible_invoice)
from backend.domain.invoices.sending import duplicate_refusal  # noqa: F401
from backend.domain.invoices.uploads import clean_name, store_upload  # noqa: F401
from backend.domain.invoices.uploads import receive_upload, upload_status  # noqa: F401  (the PISTE PDF deposit)
from backend.domain.invoices.queries import file_for_download  # noqa: F401  (the PISTE grouped download)


def not_editable() -> DomainError:
    return DomainError('non_modifiable', status_code=409)


def _upload_error(code: str = "fichier_introuvable", status: int = 422, **params: object) -> DomainError:
    return DomainError(code, "upload_id", status_code=status, **params)


def _delete_files(keys: list[str]):
    """An after-commit callback removing these stored files."""
    def delete() -> None:
        for key in keys:
            storage.delete(key)
    return delete


async def create_invoice(principal: Principal, *, upload_id: int, structure_id: int, cadre: str = "A1",
                         fields: Mapping[str, Any] | None = None, draft: bool = False) -> dict[str, Any]:
    """A PROVISOIRE invoice (BROUILLON when `draft`) from an extracted PDF upload, prefilled with what the
    extraction found; `fields` (API names, see fields.py) override the prefill."""
    await require(principal, Action.DEPOSIT, Target(structure_id))
    changes = parse_changes({**(fields or {}), "cadre": (fields or {}).get("cadre") or cadre})
    status = InvoiceStatus.BROUILLON if draft else InvoiceStatus.PROVISOIRE
    async with atomic():
        upload = await file_store.get_for_update(upload_id)
        if (upload is None or upload.role != "principal" or upload.uploaded_by != principal.user_id
                or (upload.structure_id not in (None, structure_id))):
            raise _upload_error()
        if upload.invoice_id is not None:
            raise _upload_error(code='fichier_deja_utilise')
        if upload.extraction_status == "echec":
            error = (upload.extraction or {}).get("error") or {}
            # The reading's own code (not_pdf, encrypted, corrupt, fichier_absent): its text is in the catalogue.
            raise _upload_error(code=error.get("code") or "pdf_illisible")
        if upload.extraction_status in ("attente", "en_cours"):
            raise _upload_error(code='lecture_en_cours')
        guessed = await prefill(upload.extraction, supplier_structure_id=structure_id)
        values = {**guessed, **await editing.resolve_changes(changes, supplier_structure_id=structure_id, current=None)}
        async with new_invoice(principal, supplier_structure_id=structure_id, source="PDF", status=status,
                               content_sha256=upload.sha256, extraction=upload.extraction, **values) as creation:
            await file_store.update(upload_id, {"invoice_id": creation.invoice.id})
            if "attachments" in changes:
                await editing.tie_attachments(creation.invoice.id, changes["attachments"], principal)
    return await load_view(creation.invoice.id)


async def deposit_lot_invoice(principal: Principal, *, structure_id: int, lot_id: int, kind: str, fields: Mapping[str, Any],
                              file: storage.StoredFile, file_name: str, content_type: str) -> Invoice:
    """The invoice read from one file of a lot, created with that file as its principal file and sent with
    every check of « Valider et envoyer », in one unit of work (join it with `unit_of_work.atomic()` to
    write the lot's own rows in the same transaction). Raises the DomainError of the first problem (all of
    them in `details["errors"]`) when it does not conform, and nothing is kept."""
    changes = parse_changes({**fields, "cadre": fields.get("cadre") or "A1"})
    values = await editing.resolve_changes(changes, supplier_structure_id=structure_id, current=None)
    async with new_invoice(principal, supplier_structure_id=structure_id, source="LOT", lot_id=lot_id, kind=kind,
                           content_sha256=file.sha256, **values) as creation:
        await file_store.insert({"invoice_id": creation.invoice.id, "role": "principal", "original_name": file_name,
                                 "content_type": content_type, "size": file.size, "sha256": file.sha256,
                                 "storage_key": file.key, "uploaded_by": principal.user_id, "structure_id": structure_id})
        async with change_invoice(creation.invoice.id, principal) as change:
            await send(change)
    return creation.result


async def update_draft(principal: Principal, invoice_id: int, fields: Mapping[str, Any], *,
                       expected_version: int | None = None, save_draft: bool = False) -> dict[str, Any]:
    """Edit an invoice the supplier may still change (PROVISOIRE, BROUILLON, À recycler); with
    `save_draft`, « Enregistrer en mode brouillon » (a PROVISOIRE invoice becomes BROUILLON)."""
    changes = parse_changes(fields)
    async with change_invoice(invoice_id, principal) as change:
        await _edit(change, principal, changes, expected_version)
        change.announce()
        if save_draft:
            change.transition(rules.Action.SAVE_DRAFT, role=rules.Role.SUPPLIER)
    return await load_view(invoice_id)


async def check_before_send(principal: Principal, invoice_id: int, fields: Mapping[str, Any], *,
                            expected_version: int | None = None) -> dict[str, Any]:
    """« Valider et envoyer », before its confirmation opens: the last edits saved (the status unchanged),
    then every check the send will make; their problems are raised at once (as the send would) so the
    form marks each field instead of asking to confirm an invoice that cannot go (issue 16)."""
    changes = parse_changes(fields)
    async with change_invoice(invoice_id, principal) as change:
        await _edit(change, principal, changes, expected_version)
        change.announce()
        errors = await deposit_errors(change.invoice)
    view = await load_view(invoice_id)
    if errors:  # raised after the commit: what was typed stays saved, at the version the error names
        failure = all_of(errors)
        failure.details = {**failure.details, "version": view["version"]}
        raise failure
    return view


async def _edit(change: InvoiceChange, principal: Principal, changes: Mapping[str, Any], expected_version: int | None) -> None:
    """The checks of an edit, then its values and attachments on the change (removed files go after commit)."""
    invoice = change.invoice
    await supplier_access(principal, invoice.as_dict(), Action.EDIT_DRAFT)
    if expected_version is not None and int(expected_version) != invoice.version:
        raise already_handled()
    if not InvoiceStatus(invoice.status).editable_by_supplier:
        raise not_editable()
    change.set(**await editing.resolve_changes(changes, supplier_structure_id=invoice.supplier_structure_id, current=invoice))
    if "attachments" in changes:
        change.after_commit(_delete_files(await editing.tie_attachments(invoice.id, changes["attachments"], principal)))


async def delete_invoice(principal: Principal, invoice_id: int) -> None:
    """« Annuler » on a form never sent: the invoice, its files and its counters are removed."""
    async with change_invoice(invoice_id, principal) as change:
        row = change.invoice
        await supplier_access(principal, row.as_dict(), Action.EDIT_DRAFT)
        if row.status not in (InvoiceStatus.PROVISOIRE, InvoiceStatus.BROUILLON):
            raise DomainError('suppression_impossible', status_code=409)
        change.after_commit(_delete_files([f.storage_key for f in await file_store.for_invoice(invoice_id)]))
        change.after_commit(lambda: publish("invoice.deleted", [f"structure:{row.supplier_structure_id}", f"invoice:{invoice_id}"],
                                            {"id": invoice_id}))
        change.delete()


async def send_invoice(principal: Principal, invoice_id: int, *, fields: Mapping[str, Any] | None = None,
                       expected_version: int | None = None) -> dict[str, Any]:
    """« Valider et envoyer »: save the last edits, check everything, deposit (DEPOSEE), then routing."""
    refuse_while_impersonating(principal, Action.SEND)
    changes = parse_changes(fields or {})
    try:
        async with change_invoice(invoice_id, principal) as change:
            await _edit(change, principal, changes, expected_version)
            await send(change)
    except asyncpg.UniqueViolationError as error:
        duplicate = await race_error(invoice_id, error, changes.get("number"))
        if duplicate is None:
            raise
        raise duplicate from None
    return await load_view(invoice_id)


async def submit_typed(principal: Principal, **typed: Any) -> dict[str, Any]:
    """A typed-in invoice created and sent in one transaction (manual.submit_typed; PISTE's soumettre in
    SAISIE_API). Imported here when called: manual.py builds on this module's send_invoice."""
    from backend.domain.invoices import manual

    return await manual.submit_typed(principal, **typed)
