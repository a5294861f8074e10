"""The only code on the system slice's table (the outbox), and the health check's bare query.

`add_event` joins the transaction open in the current task: the event commits or rolls back with the
change that causes it. `unrelayed` takes a connection of its own, so that a relay never joins (and never
waits for) a caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import msgspec

from backend.infra.database import connection, get_engine, open_pool


class OutboxEvent(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    type: str
    topics: list[str]
    data: dict[str, Any]
    created_at: datetime


async def database_answers() -> bool:
    # A bare round trip on a pooled connection (no table, so no query builder): the health check's probe.
    async with connection() as conn:
        return await conn.fetchval("SELECT 1") == 1


async def add_event(type: str, topics: Sequence[str], data: dict[str, Any]) -> int:
    """One outbox row, in the caller's transaction (refused outside one: it would commit on its own)."""
    async with connection() as conn:
        if not conn.is_in_transaction():
            raise RuntimeError("an outbox event is written inside the transaction of the change it announces")
        return await conn.fetchval(
            "INSERT INTO outbox_event (type, topics, data, created_at) VALUES ($1, $2, $3::jsonb, now()) RETURNING id",
            type, list(topics), json.dumps(data, default=str))


def _row(record: Any) -> OutboxEvent:
    data = record["data"]
    return OutboxEvent(id=record["id"], type=record["type"], topics=list(record["topics"]),
                       data=json.loads(data) if isinstance(data, str) else data, created_at=record["created_at"])


@asynccontextmanager
async def unrelayed(limit: int, ids: Sequence[int] | None = None) -> AsyncIterator[list[OutboxEvent]]:
    """Up to `limit` committed, unrelayed rows (oldest first; only `ids` if given), locked on a connection of
    this block's own; rows another relay holds are skipped, not waited for. Leaving the block without error
    marks them relayed and commits; an error leaves them unrelayed for the next relay."""
    engine = get_engine()
    if engine.pool is None:
        await open_pool()
    async with engine.pool.acquire() as conn, conn.transaction():
        if ids is None:
            records = await conn.fetch("SELECT id, type, topics, data, created_at FROM outbox_event WHERE relayed_at IS NULL "
                                       "ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED", limit)
        else:
            records = await conn.fetch("SELECT id, type, topics, data, created_at FROM outbox_event WHERE relayed_at IS NULL "
                                       "AND id = ANY($1::bigint[]) ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED", list(ids), limit)
        rows = [_row(record) for record in records]
        yield rows
        if rows:
            await conn.execute("UPDATE outbox_event SET relayed_at = now() WHERE id = ANY($1::bigint[])", [r.id for r in rows])


async def purge_relayed(before: datetime) -> int:
    """Delete the rows relayed before `before`; how many went."""
    async with connection() as conn:
        result = await conn.execute("DELETE FROM outbox_event WHERE relayed_at < $1", before)
    return int(result.split()[-1])
