"""Who hears about what, with no I/O: which status changes notify the supplier, and by e-mail or not."""

from __future__ import annotations

from backend.domain.invoices.rules import Action

# The supplier is told of a refusal, a suspension (it must complete the invoice), a rejection and a payment.
SUPPLIER_NOTICES: dict[Action, tuple[str, str]] = {
    Action.REFUSE: ("refus", "La facture {number} a été refusée par {recipient} : {reason}"),
    Action.SUSPEND: ("suspension", "La facture {number} a été suspendue par {recipient} : {reason}. Complétez-la depuis son détail."),
    Action.RECYCLE: ("recyclage", "La facture {number} est à recycler (données du destinataire à corriger) : {reason}"),
    Action.REJECT: ("rejet", "La facture {number} a été rejetée : {reason}"),
    Action.ROUTING_ERROR: ("erreur_acheminement", "La facture {number} n'a pas pu être acheminée : {reason}"),
    Action.PUT_IN_PAYMENT: ("paiement", "La facture {number} a été mise en paiement par {recipient}."),
}
# The recipient's users are told when a suspended invoice comes back completed.
RECIPIENT_NOTICES: dict[Action, tuple[str, str]] = {
    Action.COMPLETE: ("completee", "La facture {number} de {supplier} a été complétée : {reason}"),
}


def wants_mail(notify_all: bool, notify_billing: bool, digest: bool = False) -> bool:
    """An e-mail now: 'Tous' covers everything, 'Facturation' covers invoices — unless the user asked for
    one daily digest instead."""
    return bool(notify_all or notify_billing) and not digest


def wants_digest(notify_all: bool, notify_billing: bool, digest: bool) -> bool:
    return bool(notify_all or notify_billing) and digest


def notice_text(template: str, **values: str | None) -> str:
    return template.format(**{k: (v or "—") for k, v in values.items()})
