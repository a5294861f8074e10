"""Database helpers that run outside Piccolo's engine: creating databases, cloning a template, migrating."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import asyncpg

# asyncpg prepares statements; after five runs PostgreSQL switches to a generic plan where
# `col LIKE $1` stops using the btree. A custom plan per execution keeps prefix searches on the index.
SERVER_SETTINGS = {"plan_cache_mode": "force_custom_plan", "timezone": "UTC"}


def with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, parts.fragment))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/") or "postgres"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


async def ensure_database(url: str) -> bool:
    """Create the database named in `url` if it does not exist; True when it was created."""
    name = database_name(url)
    conn = await asyncpg.connect(with_database(url, "postgres"))
    try:
        exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await conn.execute(f"CREATE DATABASE {_quote(name)}")
        return not exists
    finally:
        await conn.close()


async def clone_database(url: str, template: str, target: str) -> str:
    conn = await asyncpg.connect(with_database(url, "postgres"))
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {_quote(target)} WITH (FORCE)")
        await conn.execute(f"CREATE DATABASE {_quote(target)} TEMPLATE {_quote(template)}")
    finally:
        await conn.close()
    return with_database(url, target)


async def drop_database(url: str, name: str) -> None:
    conn = await asyncpg.connect(with_database(url, "postgres"))
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)")
    finally:
        await conn.close()


async def database_exists(url: str, name: str) -> bool:
    conn = await asyncpg.connect(with_database(url, "postgres"))
    try:
        return bool(await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name))
    finally:
        await conn.close()


async def migrate() -> None:
    """Apply every slice's Piccolo migrations (forwards, all apps)."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    response = await run_forwards(app_name="all", migration_id="all", fake=False)
    if not response.success:
        raise RuntimeError(f"migrations failed: {response.message}")
