"""How long the test's event loop went unanswered while something ran: a ticker beside it records the gap
between two of its turns (the app, the in-process worker and the test share that loop)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator


@contextlib.asynccontextmanager
async def loop_gaps(interval: float = 0.0) -> AsyncIterator[list[float]]:
    """Yields the list the gaps (seconds) are appended to while the block runs; `interval`: the ticker's sleep."""
    gaps: list[float] = []

    async def tick() -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(interval)
            now = time.monotonic()
            gaps.append(now - last)
            last = now

    ticker = asyncio.create_task(tick())
    try:
        yield gaps
    finally:
        ticker.cancel()
