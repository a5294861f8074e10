"""Background tasks of a process (the event hub, the outbox relay): stopped the one way."""

from __future__ import annotations

import asyncio
import contextlib


async def cancel(task: asyncio.Task | None) -> None:
    """Cancel `task` and wait for it to end, whatever it raises on the way out."""
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
