"""The migrations build exactly the schema the table classes describe, and any drift is reported.

The migrated database is a copy of the test session's template: an empty database migrated by
`backend.cli migrate` (every generated and raw-SQL migration, in `run_forwards("all")` order).
"""

from __future__ import annotations

import os

import asyncpg
import pytest

from backend.infra.db import clone_database, database_name, drop_database, ensure_database, with_database
from tests.api.schema.drift import build_from_tables, drift, snapshot


async def _fresh(servers, suffix: str) -> str:
    name = f"chorale_schema_{suffix}_{os.getpid()}"
    await drop_database(servers.server_url, name)
    url = with_database(servers.server_url, name)
    await ensure_database(url)
    return url


@pytest.fixture(scope="module")
async def described(servers):
    """The schema the table classes describe: Piccolo's own DDL alone, and with the raw-SQL migrations."""
    url = await _fresh(servers, "tables")
    try:
        await build_from_tables(url, raw_sql=False)
        tables_only = await snapshot(url, tables_only=True)
    finally:
        await drop_database(servers.server_url, database_name(url))
    url = await _fresh(servers, "described")
    try:
        await build_from_tables(url)
        return tables_only, await snapshot(url)
    finally:
        await drop_database(servers.server_url, database_name(url))


@pytest.fixture
async def migrated(servers):
    """A scratch copy of the migrated template, free to be changed by hand."""
    name = f"chorale_schema_migrated_{os.getpid()}"
    url = await clone_database(servers.server_url, servers.template, name)
    yield url
    await drop_database(servers.server_url, name)


async def _alter(url: str, sql: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def test_the_migrations_build_exactly_what_the_tables_describe(described, migrated):
    _, expected = described
    assert drift(expected, await snapshot(migrated)) == []


async def test_the_raw_sql_migrations_add_no_table_and_no_column(described, migrated):
    # Raw SQL is for what Piccolo cannot express: every table and column comes from a table class
    # (collations aside, which Piccolo has no words for).
    tables_only, _ = described
    assert drift(tables_only, await snapshot(migrated, tables_only=True)) == []


async def test_a_column_added_by_hand_is_reported(described, migrated):
    _, expected = described
    await _alter(migrated, "ALTER TABLE invoice ADD COLUMN hand_made TEXT")
    assert drift(expected, await snapshot(migrated)) == ["+ column invoice.hand_made text NULL"]


async def test_a_dropped_index_and_a_changed_nullability_are_reported(described, migrated):
    _, expected = described
    await _alter(migrated, "DROP INDEX invoice_supplier_list; ALTER TABLE invoice ALTER COLUMN number_norm SET NOT NULL")
    report = drift(expected, await snapshot(migrated))
    assert set(report) == {
        "- column invoice.number_norm character varying(20) NULL DEFAULT NULL::character varying",
        "+ column invoice.number_norm character varying(20) NOT NULL DEFAULT NULL::character varying",
        "- index invoice.invoice_supplier_list: CREATE INDEX invoice_supplier_list ON public.invoice USING btree "
        "(supplier_structure_id, status, deposited_at DESC, id DESC)",
    }


async def test_a_changed_foreign_key_is_reported(described, migrated):
    _, expected = described
    await _alter(migrated, "ALTER TABLE invoice_line DROP CONSTRAINT invoice_line_invoice_id_fkey, "
                           "ADD CONSTRAINT invoice_line_invoice_id_fkey FOREIGN KEY (invoice_id) REFERENCES invoice (id)")
    report = drift(expected, await snapshot(migrated))
    assert set(report) == {
        "+ constraint invoice_line.invoice_line_invoice_id_fkey: FOREIGN KEY (invoice_id) REFERENCES invoice(id)",
        "- constraint invoice_line.invoice_line_invoice_id_fkey: FOREIGN KEY (invoice_id) REFERENCES invoice(id) "
        "ON UPDATE CASCADE ON DELETE CASCADE",
    }
