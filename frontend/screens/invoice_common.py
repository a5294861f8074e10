"""Pieces the invoice screens share: formatting, data hooks (with live refresh), the not-found state."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from reactpy import html, use_effect, use_state

import shared.i18n_invoices  # noqa: F401
from backend.domain.invoices.counters import PARIS
from backend.domain.invoices.queries import get_invoice
from backend.domain.structures.permissions import structures_for
from backend.infra.errors import ChoraleError
from backend.infra.events import Event
from frontend.context import use_session
from frontend.hooks.live import use_live_events
from shared.applications import Application, Level


def fmt_money(value: str | None, currency: str = "EUR", lang: str = "fr") -> str:
    if value in (None, ""):
        return "—"
    amount = Decimal(value)
    text = f"{amount:,.2f}"
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return f"{text} {'€' if currency == 'EUR' else currency}"


def fmt_date(iso: str | None, lang: str = "fr") -> str:
    if not iso:
        return "—"
    day = date.fromisoformat(iso[:10])
    return day.strftime("%d/%m/%Y") if lang == "fr" else day.isoformat()


def fmt_moment(iso: str | None, lang: str = "fr") -> str:
    if not iso:
        return "—"
    moment = datetime.fromisoformat(iso).astimezone(PARIS)
    return moment.strftime("%d/%m/%Y %H:%M:%S") if lang == "fr" else moment.strftime("%Y-%m-%d %H:%M:%S")


def money_input(value: str | None) -> str:
    """An amount as a French form value ("255,50")."""
    return "" if value in (None, "") else str(value).replace(".", ",")


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
        except ChoraleError as failure:
            set_error(failure)

    def refetch() -> None:
        set_tick(lambda n: n + 1)

    def on_event(event: Event) -> None:
        if event.type in ("invoice.status", "invoice.deleted"):
            refetch()

    use_live_events([f"invoice:{invoice_id}"], on_event)
    return invoice, error, refetch


def use_structures(application: Application, level: Level = Level.CONSULTATION):
    """The user's structures with the `application` profile at `level` at least (None while loading)."""
    session = use_session()
    structures, set_structures = use_state(None)

    @use_effect(dependencies=[])
    async def load():
        set_structures(await structures_for(session.principal, application, level))

    return structures


def use_issuing_structures(level: Level = Level.MODIFICATION):
    """The user's structures with the « Factures émises » profile at `level` (None while loading)."""
    return use_structures(Application.FACTURES_EMISES, level)


def load_state(invoice, error, lang: str):
    """What to show instead of a screen while its invoice loads or when it is not to be seen."""
    if error is not None:
        return html.div({"class_name": "alert alert-error", "role": "alert"}, error.message(lang))
    if invoice is None:
        return html.p({"aria-busy": "true"}, "Chargement…" if lang == "fr" else "Loading…")
    return None
