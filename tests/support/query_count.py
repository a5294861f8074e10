"""How many statements a block sends to PostgreSQL: every asyncpg call (Piccolo's queries included) still
runs against the real database; the count only wraps them. Only the calls of the task that opened the
block count (the worker running in the test process sends its own)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

import asyncpg

_METHODS = ("fetch", "fetchrow", "fetchval", "execute", "executemany")


@contextmanager
def counted_queries() -> Iterator[list[str]]:
    """The statements sent inside the block, in order (first line of each)."""
    sent: list[str] = []
    task = asyncio.current_task()
    originals = {name: getattr(asyncpg.Connection, name) for name in _METHODS}

    def wrap(name):
        original = originals[name]

        async def counting(self, query, *args, **kwargs):
            if asyncio.current_task() is task:
                sent.append(" ".join(str(query).split())[:160])
            return await original(self, query, *args, **kwargs)
        return counting

    for name in _METHODS:
        setattr(asyncpg.Connection, name, wrap(name))
    try:
        yield sent
    finally:
        for name, original in originals.items():
            setattr(asyncpg.Connection, name, original)
