"""Turning parsed form values into invoice columns: recipients and services looked up (structures
store), attachments tied (files store).

Shared by creation, draft edits and sending; every store call joins the transaction open in the task
(the unit of work's, or the caller's `transaction()`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backend.domain.accounts.identity import Principal
from backend.domain.invoices import rules
from backend.domain.invoices.fields import invalid
from backend.domain.invoices.store import files as files_store
from backend.domain.invoices.store.invoices import Invoice
from backend.domain.structures import store as structures_store
from backend.infra.errors import DomainError
from shared.cadres import Cadre

DIRECT = ("invoice_date", "engagement_number", "purchase_order", "total_ht", "total_tva", "total_ttc", "net_a_payer",
          "currency", "comment")
ATTACHMENT = "piece_jointe"


def unknown_recipient(siret: str) -> DomainError:
    return DomainError('destinataire_inconnu', "recipient", status_code=422, siret=siret)


async def resolve_changes(changes: Mapping[str, Any], *, supplier_structure_id: int,
                          current: Invoice | Mapping[str, Any] | None) -> dict[str, Any]:
    """Column values for `changes` (from fields.parse_changes) on the invoice as it is (`current`, None for
    a new one); lookups refuse what does not exist."""
    if isinstance(current, Invoice):
        current = current.as_dict()
    values: dict[str, Any] = {key: changes[key] for key in DIRECT if key in changes}
    if "number" in changes:
        number = changes["number"]
        if number:
            try:
                number = rules.check_invoice_number(number)
            except rules.InvoiceRuleError as error:
                raise error.with_status(422, field="number") from None
        values["number"] = number
        values["number_norm"] = rules.invoice_number_key(number) if number else None
    if "cadre" in changes:
        try:
            values["cadre"] = str(Cadre(changes["cadre"] or "A1"))
        except ValueError:
            raise invalid("cadre", variant='cadre_facturation_inconnu') from None
    recipient_id = current["recipient_structure_id"] if current else None
    if "recipient_siret" in changes and "recipient_structure_id" not in changes:
        siret = changes["recipient_siret"]
        recipient_id = None
        if siret:
            recipient_id = await structures_store.structure_id_by_siret(siret, public_first=True)
            if recipient_id is None:
                raise unknown_recipient(siret)
        values["recipient_structure_id"] = recipient_id
    elif "recipient_structure_id" in changes:
        recipient_id = changes["recipient_structure_id"]
        if recipient_id is not None and not await structures_store.structure_exists(recipient_id):
            raise invalid("recipient", code='destinataire_inconnu', variant='destinataire_introuvable')
        values["recipient_structure_id"] = recipient_id
    recipient_changed = "recipient_structure_id" in values and (current is None or values["recipient_structure_id"] != current["recipient_structure_id"])
    if "recipient_service_code" in changes or "recipient_service_id" in changes:
        values["recipient_service_id"] = await _recipient_service(recipient_id, changes)
    elif recipient_changed and current is not None and current["recipient_service_id"]:
        values["recipient_service_id"] = None  # a service of the former recipient
    if "supplier_service_id" in changes:
        service_id = changes["supplier_service_id"]
        if service_id is not None and await structures_store.service_id_of(supplier_structure_id, service_id=service_id) is None:
            raise invalid("supplier_service_id", variant='service_appartient_votre')
        values["supplier_service_id"] = service_id
    for validator in rules.VALIDATORS:
        if f"{validator.key}_siret" in changes:
            values[validator.column] = await _validator(validator, changes[f"{validator.key}_siret"], supplier_structure_id)
    return values


async def _validator(validator: rules.Validator, siret: str | None, supplier_structure_id: int) -> int | None:
    """The structure that validates the invoice before its recipient (contract holder, project manager):
    registered on Chorale, other than the supplier itself."""
    if not siret:
        return None
    found = await structures_store.structure_id_by_siret(siret)
    if found is None:
        raise invalid(validator.key, code=f"{validator.prefix}_inconnu", siret=siret, name=validator.name_fr,
                      name_en=validator.name_en)
    if found == supplier_structure_id:
        raise invalid(validator.key, code=f"{validator.prefix}_invalide", name=validator.name_fr.capitalize(),
                      name_en=validator.name_en.capitalize())
    return found


async def _recipient_service(recipient_id: int | None, changes: Mapping[str, Any]) -> int | None:
    code, service_id = changes.get("recipient_service_code"), changes.get("recipient_service_id")
    if not code and service_id is None:
        return None
    if recipient_id is None:
        raise invalid("recipient_service", variant='choisissez_abord_destinataire')
    found = await structures_store.service_id_of(recipient_id, service_id=service_id, code=code)
    if found is None:
        raise invalid("recipient_service", code='code_service_inconnu', service=code or service_id)
    return found


async def tie_attachments(invoice_id: int, items: list[dict[str, Any]], principal: Principal) -> list[str]:
    """Make the invoice's attachments exactly `items` (the principal's own pending uploads join it);
    returns the storage keys of the removed ones, to delete after commit."""
    current = {f.id: f for f in await files_store.for_invoice(invoice_id, ATTACHMENT)}
    wanted = {item["file_id"]: item for item in items}
    removed = []
    for file_id, file in current.items():
        if file_id not in wanted:
            await files_store.delete(file_id)
            removed.append(file.storage_key)
    for file_id, item in wanted.items():
        if file_id in current:
            await files_store.update(file_id, {"designation": item["designation"]})
            continue
        upload = await files_store.get_for_update(file_id)
        if upload is None or upload.invoice_id is not None or upload.role != ATTACHMENT or upload.uploaded_by != principal.user_id:
            raise invalid("attachments", code='piece_jointe_introuvable')
        await files_store.update(file_id, {"invoice_id": invoice_id, "designation": item["designation"] or upload.original_name})
    return removed
