"""« Valider et envoyer »: every check of a deposit, the deposit certificate number, then routing.

All checks run on the row locked for the send, and report every problem at once (the first one as the
error, all of them in `details.errors`) so the form can mark each field.
"""

from __future__ import annotations

import asyncpg

from backend.domain.accounts.identity import Principal
from backend.domain.invoices import rules
from backend.domain.invoices.counters import PARIS
from backend.domain.invoices.lifecycle import change_status, now, publish_status
from backend.infra.errors import ChoraleError
from backend.infra.redis import get_arq

REQUIRED_AMOUNTS = (("total_ht", "montant HT", "amount excl. VAT"), ("total_tva", "montant TVA", "VAT amount"),
                    ("total_ttc", "montant TTC", "amount incl. VAT"))


def _error(code: str, fr: str, en: str, field: str | None) -> ChoraleError:
    return ChoraleError(code, fr, en, field=field, status_code=422)


def from_rule(error: rules.InvoiceRuleError) -> ChoraleError:
    return _error(error.code, error.message_fr, error.message_en, error.field)


async def duplicate_error(conn, supplier_id: int, number_norm: str, number: str, exclude_id: int | None) -> ChoraleError | None:
    """The refusal naming the earlier deposited invoice with the same number, if there is one."""
    earlier = await conn.fetchrow(
        """SELECT id, deposited_at, deposit_number FROM invoice
           WHERE supplier_structure_id = $1 AND number_norm = $2 AND status NOT IN ('BROUILLON', 'PROVISOIRE')
             AND id IS DISTINCT FROM $3
           ORDER BY deposited_at NULLS LAST, id LIMIT 1""", supplier_id, number_norm, exclude_id)
    if earlier is None:
        return None
    day = earlier["deposited_at"].astimezone(PARIS).strftime("%d/%m/%Y") if earlier["deposited_at"] else "?"
    return ChoraleError(
        "numero_deja_utilise",
        f"Le numéro {number} est déjà utilisé par la facture déposée le {day} (n° de dépôt {earlier['deposit_number']}).",
        f"Number {number} is already used by the invoice deposited on {day} (deposit no. {earlier['deposit_number']}).",
        field="number", status_code=409, details={"invoice_id": earlier["id"]})


async def deposit_errors(conn, invoice) -> list[ChoraleError]:
    errors: list[ChoraleError] = []
    try:
        number = rules.check_invoice_number(invoice["number"] or "")
    except rules.InvoiceRuleError as error:
        errors.append(from_rule(error))
        number = None
    if invoice["invoice_date"] is None:
        errors.append(_error("date_obligatoire", "La date de facture est obligatoire.", "The invoice date is required.", "invoice_date"))
    errors += await _recipient_errors(conn, invoice)
    for validator in rules.VALIDATORS:
        try:
            rules.check_validator(validator, invoice["cadre"], invoice[validator.column])
        except rules.InvoiceRuleError as error:
            errors.append(from_rule(error))
    missing = [(field, fr, en) for field, fr, en in REQUIRED_AMOUNTS if invoice[field] is None]
    for field, fr, en in missing:
        errors.append(_error("montant_obligatoire", f"Le {fr} est obligatoire.", f"The {en} is required.", field))
    if not missing:
        try:
            rules.check_amounts(invoice["total_ht"], invoice["total_tva"], invoice["total_ttc"], invoice["net_a_payer"])
        except rules.InvoiceRuleError as error:
            errors.append(from_rule(error))
    if invoice["source"] == "PDF" and not await conn.fetchval(
            "SELECT 1 FROM invoice_file WHERE invoice_id = $1 AND role = 'principal'", invoice["id"]):
        errors.append(_error("pdf_manquant", "Le fichier PDF de la facture est manquant.", "The invoice PDF is missing.", "file"))
    if number:
        duplicate = await duplicate_error(conn, invoice["supplier_structure_id"], rules.invoice_number_key(number), number, invoice["id"])
        if duplicate:
            errors.append(duplicate)
    return errors


async def _recipient_errors(conn, invoice) -> list[ChoraleError]:
    if not invoice["recipient_structure_id"]:
        return [_error("destinataire_obligatoire", "Choisissez le destinataire de la facture.", "Choose the invoice's recipient.", "recipient")]
    recipient = await conn.fetchrow("SELECT * FROM structure WHERE id = $1", invoice["recipient_structure_id"])
    service = None
    if invoice["recipient_service_id"]:
        service = await conn.fetchrow("SELECT * FROM service WHERE id = $1", invoice["recipient_service_id"])
    requirements = rules.RecipientRequirements(
        requires_engagement=recipient["requires_engagement"], requires_service_code=recipient["requires_service_code"],
        active=recipient["active"], is_public=recipient["is_public"])
    errors = []
    try:
        rules.check_recipient(requirements, invoice["engagement_number"], service["code"] if service else None)
    except rules.InvoiceRuleError as error:
        errors.append(from_rule(error))
    if service is not None and not service["active"]:
        errors.append(_error("service_inactif", f"Le service {service['code']} du destinataire est inactif : choisissez-en un autre.",
                             f"The recipient's service {service['code']} is inactive: choose another one.", "recipient_service"))
    return errors


async def send_in(conn, invoice_id: int, principal: Principal) -> dict:
    """Checks + SEND on the locked row, inside the caller's transaction; returns the updated row."""
    invoice = await conn.fetchrow("SELECT * FROM invoice WHERE id = $1 FOR UPDATE", invoice_id)
    errors = await deposit_errors(conn, invoice)
    if errors:
        first = errors[0]
        first.details = {**first.details, "errors": [e.body() for e in errors]}
        raise first
    if invoice["net_a_payer"] is None:
        await conn.execute("UPDATE invoice SET net_a_payer = total_ttc WHERE id = $1", invoice_id)
    moment = now()
    siret = await conn.fetchval("SELECT identifier FROM structure WHERE id = $1", invoice["supplier_structure_id"])
    number = rules.deposit_number(invoice["content_sha256"] or "", siret, invoice["number"], moment)
    return await change_status(conn, invoice_id, rules.Action.SEND, principal, role=rules.Role.SUPPLIER,
                               extra={"deposited_at": moment, "deposit_number": number, "routing_error": None})


async def race_error(conn, invoice_id: int, error: asyncpg.UniqueViolationError, number: str | None = None) -> ChoraleError | None:
    """Two deposits of one number at once: the unique index stops the second; say it as the checks would.
    `number` is the number the send tried to set, when it changed it (the rolled-back row has the old one)."""
    if getattr(error, "constraint_name", None) != "invoice_number_per_supplier":
        return None
    invoice = await conn.fetchrow("SELECT * FROM invoice WHERE id = $1", invoice_id)
    number = number or invoice["number"]
    return await duplicate_error(conn, invoice["supplier_structure_id"], rules.invoice_number_key(number), number, invoice_id)


async def enqueue_routing(invoice_id: int) -> None:
    arq = await get_arq()
    # A routing that already ran keeps its result for a while under the same key; a re-sent invoice
    # (corrected after « à recycler ») must be routed again, and the job itself is idempotent.
    await arq.delete(f"arq:result:route:{invoice_id}")
    await arq.enqueue_job("route_invoice", invoice_id, _job_id=f"route:{invoice_id}")


async def after_send(invoice: dict) -> None:
    await publish_status(invoice)
    await enqueue_routing(invoice["id"])
