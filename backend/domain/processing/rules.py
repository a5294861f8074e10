"""Who hears about what, with no I/O: which status changes notify the supplier, and by e-mail or not."""

from __future__ import annotations

import shared.i18n_mail  # noqa: F401  (registers the notices)
from backend.domain.invoices.rules import Action
from shared.i18n import t

# The supplier is told of a refusal, a suspension (it must complete the invoice), a rejection and a payment;
# the kind names the text, `notice.<kind>` in shared/i18n_mail.py.
SUPPLIER_NOTICES: dict[Action, str] = {
    Action.REFUSE: "refus",
    Action.SUSPEND: "suspension",
    Action.RECYCLE: "recyclage",
    Action.REJECT: "rejet",
    Action.ROUTING_ERROR: "erreur_acheminement",
    Action.PUT_IN_PAYMENT: "paiement",
}
# The recipient's users are told when a suspended invoice comes back completed.
RECIPIENT_NOTICES: dict[Action, str] = {Action.COMPLETE: "completee"}
# What every notice may name (the texts take some of them).
NOTICE_VALUES = ("number", "recipient", "supplier", "reason")


def wants_mail(notify_all: bool, notify_billing: bool, digest: bool = False) -> bool:
    """An e-mail now: 'Tous' covers everything, 'Facturation' covers invoices — unless the user asked for
    one daily digest instead."""
    return bool(notify_all or notify_billing) and not digest


def wants_digest(notify_all: bool, notify_billing: bool, digest: bool) -> bool:
    return bool(notify_all or notify_billing) and digest


def notice_text(kind: str, lang: str = "fr", **values: str | None) -> str:
    """The notice of `kind` in `lang`; a value missing (no reason given) shows as a dash."""
    return t(f"notice.{kind}", lang, **{k: (v or "—") for k, v in values.items()})
