"""The only code that reads and writes `notification` (the bell); it returns typed rows.

Every function runs inside the transaction open in the current task: notifications are written with
the status change that caused them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import msgspec

from backend.domain.processing import tables as t


class Notification(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    user_id: int
    invoice_id: int | None
    kind: str
    message: str
    created_at: datetime
    read_at: datetime | None
    digested_at: datetime | None


class DigestLine(msgspec.Struct, frozen=True):
    message: str
    created_at: datetime


_NOTIFICATION = tuple(getattr(t.Notification, name) for name in Notification.__struct_fields__)


def _now() -> datetime:
    return datetime.now(UTC)


async def add(user_ids: Iterable[int], *, invoice_id: int | None, kind: str, message: str) -> None:
    """One notification per user, all with the same moment."""
    moment = _now()
    rows = [t.Notification(user_id=user_id, invoice_id=invoice_id, kind=kind, message=message, created_at=moment, read_at=None,
                           digested_at=None) for user_id in user_ids]
    if rows:
        await t.Notification.insert(*rows)


async def unread_count(user_id: int) -> int:
    return await t.Notification.count().where(t.Notification.user_id == user_id, t.Notification.read_at.is_null())


async def latest(user_id: int, limit: int) -> list[Notification]:
    rows = await t.Notification.select(*_NOTIFICATION).where(t.Notification.user_id == user_id).order_by(
        t.Notification.created_at, ascending=False).limit(limit)
    return [Notification(**row) for row in rows]


async def mark_all_read(user_id: int) -> None:
    await t.Notification.update({t.Notification.read_at: _now()}).where(
        t.Notification.user_id == user_id, t.Notification.read_at.is_null())


async def users_with_undigested() -> list[int]:
    rows = await t.Notification.select(t.Notification.user_id).where(t.Notification.digested_at.is_null()).distinct()
    return [row["user_id"] for row in rows]


async def take_undigested(user_id: int) -> list[DigestLine]:
    """The user's notifications no digest has carried yet, marked as carried now, oldest first."""
    rows = await t.Notification.update({t.Notification.digested_at: _now()}).where(
        t.Notification.user_id == user_id, t.Notification.digested_at.is_null()).returning(
        t.Notification.message, t.Notification.created_at)
    return sorted((DigestLine(**row) for row in rows), key=lambda line: line.created_at)
