"""The supplier's answer to a suspension: a comment, then the invoice goes back to the recipient."""

from __future__ import annotations

from reactpy import component, html, use_state

import shared.i18n_processing  # noqa: F401
from backend.domain.processing.services import complete
from backend.infra.errors import DomainError
from frontend.context import use_session


@component
def CompleteInvoice(invoice: dict):
    session = use_session()
    t = session.t
    comment, set_comment = use_state("")
    error, set_error = use_state(None)

    async def submit(_):
        set_error(None)
        try:
            await complete(session.principal, invoice["id"], comment, expected_version=invoice["version"])
        except DomainError as e:
            set_error(e.message(session.lang))

    return html.section(
        {"class_name": "card form", "id": "complete-invoice"},
        html.h2(t("complete.title")),
        html.div({"class_name": "field"},
                 html.label({"html_for": "complete-comment", "class_name": "required"}, t("complete.comment")),
                 html.textarea({"id": "complete-comment", "rows": 3, "on_change": lambda e: set_comment(e["target"]["value"])})),
        html.div({"class_name": "alert alert-error", "role": "alert"}, error) if error else "",
        html.div({"class_name": "actions"},
                 html.button({"type": "button", "class_name": "btn", "id": "complete-submit", "on_click": submit}, t("complete.submit"))),
    )
