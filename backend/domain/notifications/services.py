"""E-mails: written to the outbox in the caller's transaction, sent by a worker job after commit."""

from __future__ import annotations

from collections.abc import Callable

import shared.i18n_mail  # noqa: F401  (registers the templates)
from backend.domain.notifications import store
from backend.infra.redis import get_arq
from backend.settings import get_settings
from shared.i18n import normalise_lang, t

_MAILBOX_FIELDS = ("id", "to_address", "subject", "body_text", "kind", "created_at", "sent_at", "attempts", "last_error")


async def queue_mail(*, to: str, subject: str, body_text: str, body_html: str | None = None, kind: str,
                     user_id: int | None = None) -> int:
    """Write one mail to the outbox inside the transaction open in the current task; returns its id."""
    return await store.add_mail(to=to, subject=subject, body_text=body_text, body_html=body_html, kind=kind, user_id=user_id)


async def queue_template(template: str, *, to: str, lang: str | None, first_name: str, user_id: int | None,
                         kind: str | None = None, **params: object | Callable[[str], object]) -> int:
    """Write the catalogue's mail `template` (shared/i18n_mail.py) to the outbox in `lang`, the recipient's
    language (French when the account has none). A parameter that depends on the language (a label, a
    date) is given as a function of the language. `kind` (the outbox's): the template's name by default."""
    lang = normalise_lang(lang)
    values = {name: value(lang) if callable(value) else value for name, value in params.items()}
    body = t(f"mail.{template}.body", lang, **values)
    return await queue_mail(to=to, kind=kind or template, user_id=user_id, subject=t(f"mail.{template}.subject", lang, **values),
                            body_text=t("mail.frame", lang, first_name=first_name, body=body))


async def wake_sender() -> None:
    """Ask a worker to send pending mail now (the cron job catches anything this misses)."""
    await (await get_arq()).enqueue_job("send_outbox")


def absolute_link(path: str) -> str:
    return get_settings().public_url.rstrip("/") + path


async def mailbox(to: str | None = None, limit: int = 50) -> list[dict]:
    return [{name: getattr(mail, name) for name in _MAILBOX_FIELDS} for mail in await store.latest(to, limit)]
