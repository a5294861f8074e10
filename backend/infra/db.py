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


# The hand-written SQL migrations that built databases before the schema moved to the table classes
# (issue 13). The generated baselines recreate every table: they cannot run on top of those.
LEGACY_MIGRATION_IDS = (
    "2026-11-25T03:59:00:000000", "2026-11-25T04:00:00:000000", "2026-11-25T04:01:00:000000",
    "2026-11-25T04:02:00:000000", "2026-11-25T04:10:00:000000", "2026-11-25T05:00:00:000000",
    "2026-11-25T05:30:00:000000", "2026-11-25T05:40:00:000000", "2026-11-25T05:45:00:000000",
    "2026-11-25T05:50:00:000000", "2026-11-25T06:00:00:000000", "2026-11-25T06:10:00:000000",
    "2026-12-01T02:00:00:000000", "2026-12-01T03:30:00:000000", "2026-12-01T04:00:00:000000",
    "2026-12-01T04:30:00:000000",
)


class LegacySchema(RuntimeError):
    """The database was built by the replaced hand-written migrations."""


async def refuse_legacy_schema(url: str) -> None:
    """Raise LegacySchema when `url`'s database was built by the replaced migrations."""
    conn = await asyncpg.connect(url)
    try:
        migrated = await conn.fetchval("SELECT to_regclass('migration') IS NOT NULL")
        legacy = migrated and await conn.fetchval("SELECT EXISTS (SELECT 1 FROM migration WHERE name = ANY($1::text[]))",
                                                  list(LEGACY_MIGRATION_IDS))
    finally:
        await conn.close()
    if legacy:
        raise LegacySchema(
            f"La base « {database_name(url)} » a été créée par les anciennes migrations SQL, remplacées par des "
            "migrations générées depuis les tables (issue 13) : elle ne peut pas être mise à niveau sur place. "
            "Supprimez-la (`just clean` pour la base embarquée) puis relancez.\n"
            f"The database {database_name(url)!r} was built by the old hand-written migrations, replaced by migrations "
            "generated from the table classes (issue 13); it cannot be upgraded in place. Drop it (`just clean` for "
            "the embedded one) and start again.")


async def migrate() -> None:
    """Apply every slice's Piccolo migrations (forwards, all apps), refusing a database of the old migrations,
    then give the application's role what it needs on the tables as they now are."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from backend.settings import get_settings

    await refuse_legacy_schema(get_settings().database_url)
    response = await run_forwards(app_name="all", migration_id="all", fake=False)
    if not response.success:
        raise RuntimeError(f"migrations failed: {response.message}")
    await grant_app_role(get_settings().database_url)


# The role the app and the worker connect as (issue 20, item 5). Migrations run as the tables' owner; the
# app only reads and writes rows. A role that owns nothing cannot ALTER a table, drop a trigger or disable
# one (the support journal's append-only trigger), and is not even granted UPDATE/DELETE on the journal.
APP_ROLE = "chorale_app"
APPEND_ONLY_TABLES = ("support_journal",)


async def grant_app_role(owner_url: str, role: str = APP_ROLE) -> bool:
    """Create the app role when the owner may (an embedded or self-managed server) and grant it row access to
    every table and sequence; False when the owner may not create roles (then the operator manages them)."""
    conn = await asyncpg.connect(owner_url)
    try:
        may_create = await conn.fetchval("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
        exists = await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", role)
        if not exists and not may_create:
            return False
        if not exists:
            try:
                await conn.execute(f"CREATE ROLE {_quote(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS")
            except asyncpg.DuplicateObjectError:  # another migration (a parallel test run) created it first
                pass
        database = _quote(database_name(owner_url))
        async with conn.transaction():
            await conn.execute(f"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {_quote(role)}")
            await conn.execute(f"GRANT USAGE ON SCHEMA public TO {_quote(role)}")
            await conn.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {_quote(role)}")
            await conn.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {_quote(role)}")
            await conn.execute(f"REVOKE INSERT, UPDATE, DELETE ON migration FROM {_quote(role)}")
            for table in APPEND_ONLY_TABLES:
                await conn.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {_quote(table)} FROM {_quote(role)}")
        return True
    finally:
        await conn.close()


def as_role(url: str, role: str = APP_ROLE) -> str:
    """`url` with its user replaced by `role` (no password: for servers that trust local connections, as the
    embedded one does; a real server's operator gives the app its own DATABASE_URL)."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, f"{role}@{host}", parts.path, parts.query, parts.fragment))


async def connects_as_superuser(url: str) -> bool:
    conn = await asyncpg.connect(url)
    try:
        return bool(await conn.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
    finally:
        await conn.close()
