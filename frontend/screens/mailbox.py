"""The development mailbox: mail Chorale sent while no SMTP server is configured, links clickable."""

from __future__ import annotations

import re

from reactpy import component, html, use_effect, use_state

import shared.i18n_accounts  # noqa: F401
from backend.domain.notifications.services import mailbox
from backend.settings import get_settings
from frontend.context import use_session

_LINK = re.compile(r"(https?://\S+)")


def _body(text: str):
    """Plain text with its links made clickable (and kept inside the app when they point at it)."""
    base = get_settings().public_url.rstrip("/")
    parts = []
    for index, chunk in enumerate(_LINK.split(text)):
        if index % 2:
            href = chunk[len(base):] if chunk.startswith(base) else chunk
            parts.append(html.a({"href": href, "key": str(index)}, chunk))
        else:
            parts.append(chunk)
    return html.pre(*parts)


@component
def MailboxScreen():
    session = use_session()
    t = session.t
    mails, set_mails = use_state(None)
    refresh, set_refresh = use_state(0)

    @use_effect(dependencies=[refresh])
    async def load():
        if get_settings().mailbox_open:
            set_mails(await mailbox(limit=30))

    if not get_settings().mailbox_open:
        return html.div({"class_name": "screen"}, html.h1(t("mailbox.title")), html.p(t("mailbox.unavailable")))
    if mails is None:
        return html.p({"aria-busy": "true"}, t("common.loading"))
    return html.div(
        {"class_name": "screen"},
        html.h1(t("mailbox.title")),
        html.p({"class_name": "hint"}, t("mailbox.intro")),
        html.button({"type": "button", "class_name": "btn btn-secondary", "on_click": lambda _: set_refresh(refresh + 1)}, "↻"),
        html.p({"class_name": "empty"}, t("mailbox.empty")) if not mails else html.div(
            {"class_name": "card", "id": "mailbox"},
            *[html.article({"class_name": "mail", "key": str(m["id"]), "data-to": m["to_address"]},
                           html.h2(m["subject"]),
                           html.p({"class_name": "hint"}, f"{t('common.label', label=t('mailbox.to'))}{m['to_address']} — {m['created_at']:%d/%m/%Y %H:%M}"),
                           _body(m["body_text"]))
              for m in mails]),
    )
