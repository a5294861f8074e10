"""Access to the one connection pool Piccolo's engine owns, for the few queries written as raw SQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
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


async def open_pool(max_size: int = 20) -> None:
    engine = get_engine()
    if engine.pool is None:
        await engine.start_connection_pool(min_size=1, max_size=max_size, reset=keep_session)


async def close_pool() -> None:
    engine = get_engine()
    if engine.pool is not None:
        await engine.close_connection_pool()


@asynccontextmanager
async def connection() -> AsyncIterator[asyncpg.Connection]:
    engine = get_engine()
    if engine.pool is None:
        await open_pool()
    async with engine.pool.acquire() as conn:
        yield conn
