"""The only code that reads and writes `mail_outbox`; it returns typed rows.

Every function runs inside the transaction open in the current task, so a mail is written with what
caused it and sent only once that commits.
"""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec

from backend.domain.notifications import tables as t


class Mail(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    to_address: str
    subject: str
    body_text: str
    body_html: str | None
    kind: str
    user_id: int | None
    created_at: datetime
    sent_at: datetime | None
    attempts: int
    last_error: str | None


_MAIL = tuple(getattr(t.MailOutbox, name) for name in Mail.__struct_fields__)


def _now() -> datetime:
    return datetime.now(UTC)


async def add_mail(*, to: str, subject: str, body_text: str, body_html: str | None, kind: str, user_id: int | None) -> int:
    rows = await t.MailOutbox.insert(t.MailOutbox(
        to_address=to, subject=subject, body_text=body_text, body_html=body_html, kind=kind, user_id=user_id,
        created_at=_now(), sent_at=None, attempts=0, last_error=None)).returning(t.MailOutbox.id)
    return rows[0]["id"]


async def lock_next_pending(max_attempts: int) -> Mail | None:
    """The oldest mail still to send, locked until the transaction ends; mail another worker holds is
    skipped, so no mail is sent twice."""
    rows = await t.MailOutbox.select(*_MAIL).where(t.MailOutbox.sent_at.is_null(), t.MailOutbox.attempts < max_attempts).order_by(
        t.MailOutbox.id).limit(1).lock_rows(skip_locked=True)
    return Mail(**rows[0]) if rows else None


async def mark_sent(mail_id: int) -> None:
    await t.MailOutbox.update({t.MailOutbox.sent_at: _now(), t.MailOutbox.attempts: t.MailOutbox.attempts + 1}).where(
        t.MailOutbox.id == mail_id)


async def mark_failed(mail_id: int, error: str) -> None:
    await t.MailOutbox.update({t.MailOutbox.attempts: t.MailOutbox.attempts + 1, t.MailOutbox.last_error: error}).where(
        t.MailOutbox.id == mail_id)


async def latest(to: str | None, limit: int) -> list[Mail]:
    query = t.MailOutbox.select(*_MAIL)
    if to is not None:
        query = query.where(t.MailOutbox.to_address == to)
    return [Mail(**row) for row in await query.order_by(t.MailOutbox.id, ascending=False).limit(limit)]
