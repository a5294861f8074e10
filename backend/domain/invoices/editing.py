"""Turning parsed form values into invoice columns: recipients and services looked up, attachments tied.

Shared by creation, draft edits and sending; everything runs inside the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from backend.domain.accounts.identity import Principal
from backend.domain.invoices import rules
from backend.domain.invoices.fields import invalid
from backend.infra.errors import ChoraleError
from shared.cadres import Cadre

DIRECT = ("invoice_date", "engagement_number", "purchase_order", "total_ht", "total_tva", "total_ttc", "net_a_payer",
          "currency", "comment")
# Columns the edits may write (their names go into SQL).
COLUMNS = frozenset({*DIRECT, "number", "number_norm", "cadre", "recipient_structure_id", "recipient_service_id",
                     "supplier_service_id", "extraction", *(v.column for v in rules.VALIDATORS)})
CREATION_COLUMNS = frozenset({"supplier_structure_id", "source", "status", "content_sha256", "created_by", "kind", "lot_id"})


def unknown_recipient(siret: str) -> ChoraleError:
    return ChoraleError(
        "destinataire_inconnu",
        f"Aucune structure inscrite sur Chorale n'a le SIRET {siret} : vérifiez-le ou choisissez le destinataire dans la liste.",
        f"No structure registered on Chorale has SIRET {siret}: check it or pick the recipient from the list.",
        field="recipient", status_code=422)


async def resolve(conn, changes: Mapping[str, Any], *, supplier_structure_id: int, current: Mapping[str, Any] | None) -> dict[str, Any]:
    """Column values for `changes` (from fields.parse_changes); lookups refuse what does not exist."""
    values: dict[str, Any] = {key: changes[key] for key in DIRECT if key in changes}
    if "number" in changes:
        number = changes["number"]
        if number:
            try:
                number = rules.check_invoice_number(number)
            except rules.InvoiceRuleError as error:
                raise invalid("number", error.message_fr, error.message_en, error.code) from None
        values["number"] = number
        values["number_norm"] = rules.invoice_number_key(number) if number else None
    if "cadre" in changes:
        try:
            values["cadre"] = str(Cadre(changes["cadre"] or "A1"))
        except ValueError:
            raise invalid("cadre", "Cadre de facturation inconnu.", "Unknown invoicing framework.") from None
    recipient_id = current["recipient_structure_id"] if current else None
    if "recipient_siret" in changes and "recipient_structure_id" not in changes:
        siret = changes["recipient_siret"]
        recipient_id = None
        if siret:
            recipient_id = await conn.fetchval("SELECT id FROM structure WHERE identifier = $1 ORDER BY is_public DESC, id LIMIT 1", siret)
            if recipient_id is None:
                raise unknown_recipient(siret)
        values["recipient_structure_id"] = recipient_id
    elif "recipient_structure_id" in changes:
        recipient_id = changes["recipient_structure_id"]
        if recipient_id is not None and not await conn.fetchval("SELECT 1 FROM structure WHERE id = $1", recipient_id):
            raise invalid("recipient", "Destinataire introuvable.", "Recipient not found.", "destinataire_inconnu")
        values["recipient_structure_id"] = recipient_id
    recipient_changed = "recipient_structure_id" in values and (current is None or values["recipient_structure_id"] != current["recipient_structure_id"])
    if "recipient_service_code" in changes or "recipient_service_id" in changes:
        values["recipient_service_id"] = await _recipient_service(conn, recipient_id, changes)
    elif recipient_changed and current is not None and current["recipient_service_id"]:
        values["recipient_service_id"] = None  # a service of the former recipient
    if "supplier_service_id" in changes:
        service_id = changes["supplier_service_id"]
        if service_id is not None and not await conn.fetchval(
                "SELECT 1 FROM service WHERE id = $1 AND structure_id = $2", service_id, supplier_structure_id):
            raise invalid("supplier_service_id", "Ce service n'appartient pas à votre structure.",
                          "This service does not belong to your structure.")
        values["supplier_service_id"] = service_id
    for validator in rules.VALIDATORS:
        if f"{validator.key}_siret" in changes:
            values[validator.column] = await _validator(conn, validator, changes[f"{validator.key}_siret"], supplier_structure_id)
    return values


async def _validator(conn, validator: rules.Validator, siret: str | None, supplier_structure_id: int) -> int | None:
    """The structure that validates the invoice before its recipient (contract holder, project manager):
    registered on Chorale, other than the supplier itself."""
    if not siret:
        return None
    found = await conn.fetchval("SELECT id FROM structure WHERE identifier = $1 ORDER BY id LIMIT 1", siret)
    if found is None:
        raise invalid(validator.key, f"Aucune structure inscrite sur Chorale n'a le SIRET {siret} : {validator.name_fr} doit y avoir un compte.",
                      f"No structure registered on Chorale has SIRET {siret}: {validator.name_en} needs an account.",
                      f"{validator.prefix}_inconnu")
    if found == supplier_structure_id:
        raise invalid(validator.key, f"{validator.name_fr.capitalize()} ne peut pas être votre propre structure.",
                      f"{validator.name_en.capitalize()} cannot be your own structure.",
                      f"{validator.prefix}_invalide")
    return found


async def _recipient_service(conn, recipient_id: int | None, changes: Mapping[str, Any]) -> int | None:
    code, service_id = changes.get("recipient_service_code"), changes.get("recipient_service_id")
    if not code and service_id is None:
        return None
    if recipient_id is None:
        raise invalid("recipient_service", "Choisissez d'abord le destinataire, puis son code service.",
                      "Choose the recipient first, then its service code.")
    if service_id is not None:
        found = await conn.fetchval("SELECT id FROM service WHERE id = $1 AND structure_id = $2", service_id, recipient_id)
    else:
        found = await conn.fetchval("SELECT id FROM service WHERE structure_id = $1 AND lower(code) = lower($2)", recipient_id, code)
    if found is None:
        raise invalid("recipient_service", f"Le code service {code or service_id} n'existe pas chez ce destinataire.",
                      f"Service code {code or service_id} does not exist for this recipient.", "code_service_inconnu")
    return found


async def write(conn, invoice_id: int, values: Mapping[str, Any]):
    """UPDATE the given columns (version + 1); returns the new row."""
    unknown = set(values) - COLUMNS
    if unknown:
        raise ValueError(f"cannot write {sorted(unknown)}")
    values = {key: (json.dumps(value) if key == "extraction" and value is not None else value) for key, value in values.items()}
    assignments = "".join(f", {column} = ${index}" for index, column in enumerate(values, start=2))
    return await conn.fetchrow(
        f"UPDATE invoice SET version = version + 1, updated_at = now(){assignments} WHERE id = $1 RETURNING *",
        invoice_id, *values.values())


async def insert(conn, values: Mapping[str, Any]):
    """INSERT a new invoice with `values` (the creation columns plus any of COLUMNS); returns the row."""
    unknown = set(values) - COLUMNS - CREATION_COLUMNS
    if unknown:
        raise ValueError(f"cannot write {sorted(unknown)}")
    values = {key: (json.dumps(value) if key == "extraction" and value is not None else value) for key, value in values.items()}
    columns = ", ".join(values)
    placeholders = ", ".join(f"${index}" for index in range(1, len(values) + 1))
    return await conn.fetchrow(f"INSERT INTO invoice ({columns}) VALUES ({placeholders}) RETURNING *", *values.values())


async def sync_attachments(conn, invoice, items: list[dict[str, Any]], principal: Principal) -> list[str]:
    """Make the invoice's attachments exactly `items`; returns storage keys to delete after commit."""
    current = {row["id"]: row for row in await conn.fetch(
        "SELECT * FROM invoice_file WHERE invoice_id = $1 AND role = 'piece_jointe'", invoice["id"])}
    wanted = {item["file_id"]: item for item in items}
    removed = []
    for file_id, row in current.items():
        if file_id not in wanted:
            await conn.execute("DELETE FROM invoice_file WHERE id = $1", file_id)
            removed.append(row["storage_key"])
    for file_id, item in wanted.items():
        if file_id in current:
            await conn.execute("UPDATE invoice_file SET designation = $2 WHERE id = $1", file_id, item["designation"])
            continue
        upload = await conn.fetchrow("SELECT * FROM invoice_file WHERE id = $1 FOR UPDATE", file_id)
        if (upload is None or upload["invoice_id"] is not None or upload["role"] != "piece_jointe"
                or upload["uploaded_by"] != principal.user_id):
            raise invalid("attachments", "Pièce jointe introuvable (envoi expiré ?) : ajoutez-la de nouveau.",
                          "Attachment not found (expired upload?): add it again.", "piece_jointe_introuvable")
        await conn.execute("UPDATE invoice_file SET invoice_id = $2, designation = $3 WHERE id = $1",
                           file_id, invoice["id"], item["designation"] or upload["original_name"])
    return removed
