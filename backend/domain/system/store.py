"""The system slice owns no table: its one query asks the database whether it answers."""

from __future__ import annotations

from backend.infra.database import connection


async def database_answers() -> bool:
    # A bare round trip on a pooled connection (no table, so no query builder): the health check's probe.
    async with connection() as conn:
        return await conn.fetchval("SELECT 1") == 1
