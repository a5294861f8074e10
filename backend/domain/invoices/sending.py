"""« Valider et envoyer »: every check of a deposit, the deposit certificate number, then routing.

All checks run on the row locked for the send (`send(change)` inside the caller's unit of work), and
report every problem at once (the first one as the error, all of them in `details.errors`) so the form
can mark each field.
"""

from __future__ import annotations

import asyncpg

from backend.domain.invoices import rules
from shared import formatting
from backend.domain.invoices.store import files as file_store
from backend.domain.invoices.store import invoices as invoice_store
from backend.domain.invoices.store.invoices import Invoice
from backend.domain.invoices.unit_of_work import InvoiceChange, now
from backend.domain.structures import store as structures_store
from backend.infra.errors import DomainError
from backend.infra.redis import get_arq

REQUIRED_AMOUNTS = (("total_ht", "montant HT", "amount excl. VAT"), ("total_tva", "montant TVA", "VAT amount"),
                    ("total_ttc", "montant TTC", "amount incl. VAT"))


def _error(code: str, field: str | None, *, variant: str | None = None, **params: object) -> DomainError:
    return DomainError(code, field, variant=variant, status_code=422, **params)


def from_rule(error: rules.InvoiceRuleError) -> DomainError:
    return error.with_status(422)


async def duplicate_refusal(supplier_id: int, number_norm: str, number: str, exclude_id: int | None) -> DomainError | None:
    """The refusal naming the earlier deposited invoice with the same number, if there is one."""
    earlier = await invoice_store.deposited_with_number(supplier_id, number_norm, excluding=exclude_id)
    if earlier is None:
        return None
    day = formatting.date(earlier.deposited_at) if earlier.deposited_at else "?"  # the day of Paris
    return DomainError('numero_deja_utilise', "number", status_code=409, details={"invoice_id": earlier.id}, number=number, day=day, deposit_number=earlier.deposit_number)


def all_of(errors: list[DomainError]) -> DomainError:
    """The first problem as the error, every one in `details.errors` (the form marks each field), each in the
    asker's language."""
    first = errors[0].with_status()
    first.details = {**first.details, "errors": [e.body() for e in errors]}  # in French; body(lang) translates
    first.problems = list(errors)
    return first


async def deposit_errors(invoice: Invoice) -> list[DomainError]:
    errors: list[DomainError] = []
    try:
        number = rules.check_invoice_number(invoice.number or "")
    except rules.InvoiceRuleError as error:
        errors.append(from_rule(error))
        number = None
    if invoice.invoice_date is None:
        errors.append(_error('date_obligatoire', "invoice_date"))
    errors += await _recipient_errors(invoice)
    for validator in rules.VALIDATORS:
        try:
            rules.check_validator(validator, invoice.cadre, getattr(invoice, validator.column))
        except rules.InvoiceRuleError as error:
            errors.append(from_rule(error))
    missing = [(field, fr, en) for field, fr, en in REQUIRED_AMOUNTS if getattr(invoice, field) is None]
    for field, fr, en in missing:
        errors.append(_error('montant_obligatoire', field, fr=fr, en=en))
    if not missing:
        try:
            rules.check_amounts(invoice.total_ht, invoice.total_tva, invoice.total_ttc, invoice.net_a_payer)
        except rules.InvoiceRuleError as error:
            errors.append(from_rule(error))
    if invoice.source == "PDF" and not await file_store.has_file(invoice.id, "principal"):
        errors.append(_error('pdf_manquant', "file"))
    if number:
        duplicate = await duplicate_refusal(invoice.supplier_structure_id, rules.invoice_number_key(number), number, invoice.id)
        if duplicate:
            errors.append(duplicate)
    return errors


async def _recipient_errors(invoice: Invoice) -> list[DomainError]:
    if not invoice.recipient_structure_id:
        return [_error('destinataire_obligatoire', "recipient")]
    recipient = await structures_store.invoicing_party(invoice.recipient_structure_id)
    service = None
    if invoice.recipient_service_id:
        service = await structures_store.service_entry(invoice.recipient_service_id)
    requirements = rules.RecipientRequirements(
        requires_engagement=recipient.requires_engagement, requires_service_code=recipient.requires_service_code,
        active=recipient.active, is_public=recipient.is_public)
    errors = []
    try:
        rules.check_recipient(requirements, invoice.engagement_number, service.code if service else None)
    except rules.InvoiceRuleError as error:
        errors.append(from_rule(error))
    if (service is not None and service.requires_engagement and not recipient.requires_engagement
            and not (invoice.engagement_number or "").strip()):
        errors.append(_error("engagement_obligatoire", "engagement_number", variant="service", service_code=service.code))
    if service is not None and not service.active:
        errors.append(_error('service_inactif', "recipient_service", service_code=service.code))
    return errors


async def send(change: InvoiceChange) -> None:
    """Inside the caller's unit of work: every check of a deposit on the invoice as it will be written,
    then SEND with its deposit number; the routing job is enqueued after the commit."""
    invoice = change.invoice
    errors = await deposit_errors(invoice)
    if errors:
        raise all_of(errors)
    if invoice.net_a_payer is None:
        change.set(net_a_payer=invoice.total_ttc)
    moment = now()
    siret = await structures_store.structure_identifier(invoice.supplier_structure_id)
    number = rules.deposit_number(invoice.content_sha256 or "", siret, invoice.number, moment)
    change.transition(rules.Action.SEND, role=rules.Role.SUPPLIER)
    change.set(deposited_at=moment, deposit_number=number, routing_error=None)
    change.after_commit(lambda: enqueue_routing(invoice.id))


async def race_error(invoice_id: int, error: asyncpg.UniqueViolationError, number: str | None = None) -> DomainError | None:
    """Two deposits of one number at once: the unique index stops the second; say it as the checks would.
    `number` is the number the send tried to set, when it changed it (the rolled-back row has the old one)."""
    if getattr(error, "constraint_name", None) != "invoice_number_per_supplier":
        return None
    invoice = await invoice_store.get(invoice_id)
    number = number or invoice.number
    return await duplicate_refusal(invoice.supplier_structure_id, rules.invoice_number_key(number), number, invoice_id)


async def enqueue_routing(invoice_id: int) -> None:
    arq = await get_arq()
    # A routing that already ran keeps its result for a while under the same key; a re-sent invoice
    # (corrected after « à recycler ») must be routed again, and the job itself is idempotent.
    await arq.delete(f"arq:result:route:{invoice_id}")
    await arq.enqueue_job("route_invoice", invoice_id, _job_id=f"route:{invoice_id}")
