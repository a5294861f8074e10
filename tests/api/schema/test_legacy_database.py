"""A database built by the replaced hand-written migrations is refused with a clear message, not half-migrated."""

import os

import asyncpg
import pytest

from backend.infra.db import (LEGACY_MIGRATION_IDS, LegacySchema, clone_database, drop_database, ensure_database,
                              refuse_legacy_schema, with_database)


async def test_a_database_of_the_old_migrations_is_refused(servers):
    name = f"chorale_legacy_{os.getpid()}"
    url = with_database(servers.server_url, name)
    await drop_database(servers.server_url, name)
    await ensure_database(url)
    conn = await asyncpg.connect(url)
    try:
        # Piccolo's own bookkeeping, as the old migrations left it.
        await conn.execute("CREATE TABLE migration (id SERIAL PRIMARY KEY, name VARCHAR(200), app_name VARCHAR(200), "
                           "ran_on TIMESTAMP)")
        await conn.execute("INSERT INTO migration (name, app_name) VALUES ($1, 'accounts')", LEGACY_MIGRATION_IDS[1])
    finally:
        await conn.close()
    try:
        with pytest.raises(LegacySchema, match="just clean"):
            await refuse_legacy_schema(url)
    finally:
        await drop_database(servers.server_url, name)


async def test_an_empty_or_current_database_is_accepted(servers):
    name = f"chorale_current_{os.getpid()}"
    await refuse_legacy_schema(await clone_database(servers.server_url, servers.template, name))
    await drop_database(servers.server_url, name)
    empty = with_database(servers.server_url, name)
    await ensure_database(empty)
    await refuse_legacy_schema(empty)
    await drop_database(servers.server_url, name)
