"""Pieces the invoice screens share: formatting, data hooks (with live refresh), the not-found state."""

from __future__ import annotations


from reactpy import html, use_effect, use_state

import shared.i18n_invoices  # noqa: F401
from backend.domain.invoices.queries import get_invoice
from backend.domain.structures.permissions import Action, allowed_structures
from backend.infra.errors import DomainError
from backend.infra.events import Event
from frontend.components.shell import Link
from frontend.context import use_session
from frontend.hooks.live import use_live_events
from shared import formatting


def fmt_money(value: str | None, currency: str = "EUR", lang: str = "fr") -> str:
    """« 1 000,00 € » (Babel's grouping; a plain space before the unit, as the screens always showed)."""
    if value in (None, ""):
        return formatting.EMPTY
    return f"{formatting.amount(value, lang)} {formatting.CURRENCY_SYMBOLS.get(currency, currency)}"


def fmt_date(iso: str | None, lang: str = "fr") -> str:
    return formatting.date(iso[:10] if iso else iso, lang)


def fmt_moment(iso: str | None, lang: str = "fr") -> str:
    return formatting.moment(iso, lang, seconds=True)


def money_input(value: str | None) -> str:
    """An amount as a French form value ("255,50")."""
    return formatting.amount_input(value)


def use_invoice(invoice_id: int):
    """(invoice view | None, error | None, refetch): reloaded whenever its status changes anywhere."""
    session = use_session()
    invoice, set_invoice = use_state(None)
    error, set_error = use_state(None)
    tick, set_tick = use_state(0)

    @use_effect(dependencies=[invoice_id, tick])
    async def load():
        try:
            set_invoice(await get_invoice(session.principal, invoice_id))
            set_error(None)
        except DomainError as failure:
            set_error(failure)

    def refetch() -> None:
        set_tick(lambda n: n + 1)

    def on_event(event: Event) -> None:
        if event.type in ("invoice.status", "invoice.deleted"):
            refetch()

    use_live_events([f"invoice:{invoice_id}"], on_event)
    return invoice, error, refetch


def use_structures(action: Action):
    """The user's structures on which the policy allows `action` (None while loading)."""
    session = use_session()
    structures, set_structures = use_state(None)

    @use_effect(dependencies=[])
    async def load():
        set_structures(await allowed_structures(session.principal, action))

    return structures


def use_issuing_structures(action: Action = Action.DEPOSIT):
    """The user's structures on which `action` (on « Factures émises ») is allowed (None while loading)."""
    return use_structures(action)


def load_state(invoice, error, lang: str):
    """What to show instead of a screen while its invoice loads or when it is not to be seen."""
    if error is not None:
        return html.div({"class_name": "alert alert-error", "role": "alert"}, error.message(lang))
    if invoice is None:
        return html.p({"aria-busy": "true"}, "Chargement…" if lang == "fr" else "Loading…")
    return None


def not_editable_notice(invoice_id: int, t):
    """What an edit form shows instead of its fields for an invoice already sent: why, and its detail."""
    return html.div({"class_name": "alert", "role": "status", "id": "not-editable"}, t("invform.not_editable"), " ",
                    Link(f"/factures-emises/{invoice_id}", t("issued.view")))
