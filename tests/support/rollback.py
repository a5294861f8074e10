"""A block whose writes are rolled back: store tests leave nothing behind for the tests that follow."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from backend.infra.database import transaction


@asynccontextmanager
async def rolled_back() -> AsyncIterator[None]:
    # Factories' connection() and the stores' queries join this transaction (backend/infra/database.py).
    async with transaction() as tx:
        yield
        await tx.rollback()
