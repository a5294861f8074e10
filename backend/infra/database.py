"""The one connection pool Piccolo's engine owns, and the transaction every store call joins."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any
from contextlib import asynccontextmanager

import asyncpg
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine


_engine: PostgresEngine | None = None


def get_engine() -> PostgresEngine:
    # engine_finder reads the Piccolo configuration module on every call: look it up once.
    global _engine
    if _engine is None:
        engine = engine_finder()
        assert isinstance(engine, PostgresEngine), "Chorale runs on PostgreSQL only"
        _engine = engine
    return _engine


async def keep_session(conn: asyncpg.Connection) -> None:
    """Nothing to undo on release: Chorale never changes session state (no SET, LISTEN, advisory locks or
    cursors outside transactions). asyncpg's default reset would cost one more round trip per checkout;
    an unfinished transaction is still rolled back by asyncpg before this is called."""


def _encode_json(value: Any) -> str:
    # Piccolo serialises JSON columns itself and hands asyncpg a string; raw SQL may pass objects.
    return value if isinstance(value, str) else json.dumps(value, default=str)


async def register_codecs(conn: asyncpg.Connection) -> None:
    """JSON and JSONB arrive as Python objects, decoded once here instead of by every reader."""
    for type_name in ("json", "jsonb"):
        await conn.set_type_codec(type_name, schema="pg_catalog", encoder=_encode_json, decoder=json.loads)


async def open_pool(max_size: int = 20) -> None:
    engine = get_engine()
    if engine.pool is None:
        await engine.start_connection_pool(min_size=1, max_size=max_size, reset=keep_session, init=register_codecs)


async def close_pool() -> None:
    engine = get_engine()
    if engine.pool is not None:
        await engine.close_connection_pool()


class _Borrowed:
    """Lets Piccolo queries run on a connection taken with `connection()` (Piccolo only reads `.connection`
    of its current transaction), so raw SQL and the query builder in one task share one connection and
    one transaction instead of deadlocking on each other's row locks."""

    __slots__ = ("connection",)

    def __init__(self, conn: asyncpg.Connection) -> None:
        self.connection = conn


@asynccontextmanager
async def connection() -> AsyncIterator[asyncpg.Connection]:
    """A pooled connection; inside an open transaction (Piccolo's or another `connection()` block) that
    transaction's own connection."""
    engine = get_engine()
    current = engine.current_transaction.get()
    if current is not None:
        yield current.connection
        return
    if engine.pool is None:
        await open_pool()
    async with engine.pool.acquire() as conn:
        token = engine.current_transaction.set(_Borrowed(conn))
        try:
            yield conn
        finally:
            engine.current_transaction.reset(token)


def transaction():
    """`async with transaction():` — one transaction for every store call made inside it (Piccolo's query
    builder and `Table.raw` join it through Piccolo's context variable). Nested blocks join the outer one."""
    engine = get_engine()
    return engine.transaction()
