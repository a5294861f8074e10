"""The support slice's tables (impersonation, support_journal): the only code that reads or writes them.

Support imports accounts and structures, never the reverse (see `accounts/__init__.py`). Calls join the
Piccolo transaction open in the current task.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import msgspec

from backend.domain.support.tables import Impersonation as ImpersonationTable
from backend.domain.support.tables import SupportJournal


class Impersonation(msgspec.Struct, frozen=True):
    """A support agent acting as a user, for a reason, for a limited time."""

    id: int
    support_user_id: int
    target_user_id: int
    reason: str
    started_at: datetime
    expires_at: datetime
    ended_at: datetime | None
    actions_enabled_at: datetime | None
    client_ip: str | None
    sollicitation_id: int | None


class JournalEntry(msgspec.Struct, frozen=True):
    id: int
    at: datetime
    support_user_id: int
    target_user_id: int | None
    impersonation_id: int | None
    event: str
    method: str | None
    path: str | None
    status_code: int | None
    client_ip: str | None
    detail: str | None


async def append_journal(*, support_user_id: int, event: str, target_user_id: int | None = None,
                         impersonation_id: int | None = None, method: str | None = None, path: str | None = None,
                         status_code: int | None = None, client_ip: str | None = None, detail: str | None = None) -> None:
    await SupportJournal.insert(SupportJournal(
        at=datetime.now(UTC), support_user_id=support_user_id, target_user_id=target_user_id, impersonation_id=impersonation_id,
        event=event, method=method, path=path, status_code=status_code, client_ip=client_ip, detail=detail))


async def journal(*, target_user_id: int | None = None, support_user_id: int | None = None, before_id: int | None = None,
                  limit: int = 50) -> list[JournalEntry]:
    """Newest first; `before_id` pages back."""
    query = SupportJournal.select(*SupportJournal.all_columns())
    if target_user_id is not None:
        query = query.where(SupportJournal.target_user_id == target_user_id)
    if support_user_id is not None:
        query = query.where(SupportJournal.support_user_id == support_user_id)
    if before_id is not None:
        query = query.where(SupportJournal.id < before_id)
    return [JournalEntry(**row) for row in await query.order_by(SupportJournal.id, ascending=False).limit(limit)]


async def open_impersonation(*, support_user_id: int, target_user_id: int, reason: str, expires_at: datetime,
                             client_ip: str | None, sollicitation_id: int | None = None) -> int:
    rows = await ImpersonationTable.insert(ImpersonationTable(
        support_user_id=support_user_id, target_user_id=target_user_id, reason=reason, started_at=datetime.now(UTC),
        expires_at=expires_at, client_ip=client_ip, sollicitation_id=sollicitation_id,
        # Explicit: a Timestamptz column without a default would otherwise get now().
        ended_at=None, actions_enabled_at=None)).returning(ImpersonationTable.id)
    return rows[0]["id"]


async def enable_actions(impersonation_id: int) -> datetime | None:
    """The impersonation's expiry, None when it is no longer running."""
    t = ImpersonationTable
    rows = await t.update({t.actions_enabled_at: datetime.now(UTC)}).where(
        (t.id == impersonation_id) & t.ended_at.is_null()).returning(t.expires_at)
    return rows[0]["expires_at"] if rows else None


async def end_impersonation(impersonation_id: int) -> None:
    t = ImpersonationTable
    await t.update({t.ended_at: datetime.now(UTC)}).where((t.id == impersonation_id) & t.ended_at.is_null())


async def is_open(impersonation_id: int) -> bool:
    """Not ended by support and not past its expiry."""
    t = ImpersonationTable
    return await t.exists().where((t.id == impersonation_id) & t.ended_at.is_null() & (t.expires_at > datetime.now(UTC)))


async def reason_of(impersonation_id: int) -> str | None:
    row = await ImpersonationTable.select(ImpersonationTable.reason).where(ImpersonationTable.id == impersonation_id).first()
    return row["reason"] if row else None


async def impersonations_of(target_user_id: int, *, limit: int = 50) -> list[Impersonation]:
    """Newest first."""
    t = ImpersonationTable
    rows = await t.select(*t.all_columns()).where(t.target_user_id == target_user_id).order_by(
        t.started_at, ascending=False).limit(limit)
    return [Impersonation(**row) for row in rows]


async def impersonations_for_sollicitation(sollicitation_id: int, *, limit: int = 50) -> list[Impersonation]:
    """The interventions started from a request (sollicitation), oldest first."""
    t = ImpersonationTable
    rows = await t.select(*t.all_columns()).where(t.sollicitation_id == sollicitation_id).order_by(t.started_at).limit(limit)
    return [Impersonation(**row) for row in rows]


async def sollicitations_of_impersonations(impersonation_ids: Iterable[int]) -> dict[int, int]:
    """{impersonation id: the request it was started from}, for those started from one."""
    ids = sorted(set(impersonation_ids))
    if not ids:
        return {}
    t = ImpersonationTable
    rows = await t.select(t.id, t.sollicitation_id).where(t.id.is_in(ids) & t.sollicitation_id.is_not_null())
    return {row["id"]: row["sollicitation_id"] for row in rows}
