"""Routing a deposited invoice to its recipient (the job run after « Valider et envoyer »).

DEPOSEE → EN_COURS_ACHEMINEMENT → MISE_A_DISPOSITION (or the holder's / works validations, by cadre),
or ERREUR_ACHEMINEMENT when the recipient can no longer receive invoices, or A_RECYCLER when only the
recipient's service is wrong (the supplier corrects it and sends again). Idempotent: a re-run moves an
invoice only from where it stands, and a move someone else already made is left alone.

Who must hear of a refusal (the processing slice notifies the supplier) registers with `on_refusal`:
invoices never imports the slices built on it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from backend.domain.invoices import rules
from backend.domain.invoices.store import invoices as invoice_store
from backend.domain.invoices.store.invoices import Invoice
from backend.domain.invoices.unit_of_work import change_invoice
from backend.domain.structures import store as structures_store
from backend.infra.errors import DomainError
from shared.invoice_status import InvoiceStatus

log = logging.getLogger(__name__)

# listener(invoice as refused, action, reason), awaited after the refusal's commit.
RefusalListener = Callable[[Invoice, rules.Action, str], Awaitable[None]]
_refusal_listeners: list[RefusalListener] = []


def on_refusal(listener: RefusalListener) -> RefusalListener:
    """Register `listener` for routing refusals (ROUTING_ERROR, RECYCLE); usable as a decorator."""
    if listener not in _refusal_listeners:
        _refusal_listeners.append(listener)
    return listener


# listener(invoice as made available: to its recipient, or waiting for a validator), after the commit.
AvailableListener = Callable[[Invoice], Awaitable[None]]
_available_listeners: list[AvailableListener] = []


def on_available(listener: AvailableListener) -> AvailableListener:
    """Register `listener` for invoices routing made available; usable as a decorator."""
    if listener not in _available_listeners:
        _available_listeners.append(listener)
    return listener


async def routing_problem(invoice: Invoice) -> tuple[rules.Action, str] | None:
    """(action, reason) when the invoice cannot be made available as it is, else None."""
    recipient = await structures_store.invoicing_party(invoice.recipient_structure_id) if invoice.recipient_structure_id else None
    if recipient is None or not recipient.active or not recipient.is_public:
        name = f"{recipient.raison_sociale} ({recipient.identifier})" if recipient else "inconnu"
        return rules.Action.ROUTING_ERROR, f"Le destinataire {name} n'est plus actif sur Chorale : la facture ne peut pas lui être acheminée."
    if invoice.recipient_service_id:
        service = await structures_store.service_entry(invoice.recipient_service_id)
        if service is None or not service.active:
            code = service.code if service else "?"
            return rules.Action.RECYCLE, (f"Le service {code} du destinataire est inactif depuis le dépôt : "
                                          "corrigez le code service et renvoyez la facture.")
    elif recipient.requires_service_code:
        return rules.Action.RECYCLE, "Le destinataire exige désormais un code service : complétez-le et renvoyez la facture."
    return None


async def _move(invoice: Invoice, action: rules.Action, reason: str | None = None) -> Invoice:
    async with change_invoice(invoice.id, None, expected_version=invoice.version) as change:
        change.transition(action, role=rules.Role.SYSTEM, reason=reason)
        if reason is not None:
            change.set(routing_error=reason)
    return change.result


async def route_invoice(invoice_id: int) -> str:
    """Route one invoice; returns the status it ends in (or 'absent')."""
    invoice = await invoice_store.get(invoice_id)
    if invoice is None:
        return "absent"
    try:
        if invoice.status == InvoiceStatus.DEPOSEE:
            invoice = await _move(invoice, rules.Action.ROUTE)
        if invoice.status != InvoiceStatus.EN_COURS_ACHEMINEMENT:
            return invoice.status
        problem = await routing_problem(invoice)
        if problem is None:
            invoice = await _move(invoice, rules.Action.MAKE_AVAILABLE)
            for available in _available_listeners:
                await available(invoice)
        else:
            action, reason = problem
            invoice = await _move(invoice, action, reason)
            for listener in _refusal_listeners:
                await listener(invoice, action, reason)
    except DomainError as error:
        if error.code in ("deja_traitee", "transition_interdite"):
            log.info("invoice %s was moved by someone else during routing", invoice_id)
            return "deja_traitee"
        raise
    return invoice.status


async def pending_routing(older_than_seconds: float = 60) -> list[int]:
    """Invoices the database says are waiting for routing (for the reconciler)."""
    return await invoice_store.waiting_for_routing(timedelta(seconds=older_than_seconds))
