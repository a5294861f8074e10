"""An invoice status as a coloured badge with its French (or English) label; `data-status` for tests."""

from __future__ import annotations

from reactpy import component, html

from shared.invoice_status import InvoiceStatus

_COLOURS = {
    "green": {InvoiceStatus.SERVICE_FAIT, InvoiceStatus.MANDATEE, InvoiceStatus.MISE_EN_PAIEMENT},
    "red": {InvoiceStatus.ERREUR_ACHEMINEMENT, InvoiceStatus.REJETEE, InvoiceStatus.REFUSEE, InvoiceStatus.A_RECYCLER},
    "orange": {InvoiceStatus.SUSPENDUE, InvoiceStatus.BROUILLON, InvoiceStatus.PROVISOIRE},
}


def badge_colour(status: InvoiceStatus | str) -> str:
    status = InvoiceStatus(status)
    return next((colour for colour, members in _COLOURS.items() if status in members), "blue")


@component
def StatusBadge(status: str, lang: str = "fr", *, badge_id: str | None = None):
    attrs = {"class_name": f"badge badge-{badge_colour(status)}", "data-status": str(status)}
    if badge_id:
        attrs["id"] = badge_id
    return html.span(attrs, InvoiceStatus(status).label(lang))
