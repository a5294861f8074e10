"""« Confirmation d'envoi »: the one dialog before an invoice is sent, whether it was deposited as a PDF
(the deposit form) or typed in (Saisir facture): its number, its recipient and the amounts as they will be
sent — HT, TVA, TTC and Net à payer — with « Annuler » and « Confirmer et envoyer »."""

from __future__ import annotations

from collections.abc import Callable

from reactpy import component, html

import shared.i18n_invoices  # noqa: F401
from frontend.components.dialog import Dialog
from frontend.context import use_session

AMOUNTS = (("total_ht", "invform.total_ht"), ("total_tva", "invform.total_tva"), ("total_ttc", "invconfirm.ttc"),
           ("net_a_payer", "invform.net_a_payer"))


@component
def SendConfirmation(number: str, recipient: str, amounts: dict[str, str], on_confirm, on_close: Callable[[], None]):
    """`amounts`: each of AMOUNTS' names, already formatted for the session's language."""
    t = use_session().t
    return Dialog(
        t("invconfirm.title"),
        html.p(t("invconfirm.body", number=number or "—", recipient=recipient or "—")),
        html.ul({"id": "confirm-amounts"},
                *[html.li({"key": name, "data-amount": name}, t("common.label", label=t(label)), amounts.get(name, "—")) for name, label in AMOUNTS]),
        actions=(html.button({"type": "button", "class_name": "btn btn-secondary", "id": "confirm-cancel", "on_click": lambda _: on_close()},
                             t("invconfirm.cancel")),
                 html.button({"type": "button", "class_name": "btn", "id": "confirm-send", "on_click": on_confirm, "autofocus": True},
                             t("invconfirm.send"))),
        on_close=on_close, dialog_id="confirm-dialog", role="alertdialog",
    )
