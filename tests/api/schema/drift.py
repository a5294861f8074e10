"""A database's schema as comparable facts, and the schema the table classes describe.

The expected schema is built on an empty database from the table classes alone (Piccolo's CREATE TABLE,
the same DDL its generated migrations run), then the raw-SQL migrations' statements (what Piccolo
cannot express). A migrated database must hold exactly the same facts: a table class changed without a
migration, a generated migration edited by hand, or a column added outside the migrations all differ.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import asyncpg
from piccolo.conf.apps import Finder
from piccolo.table import Table, sort_table_classes

from backend.domain import PICCOLO_APPS

_OWN = "n.nspname = 'public' AND c.relname <> 'migration'"

COLUMNS = f"""
SELECT c.relname AS tbl, a.attname AS col, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
       pg_get_expr(d.adbin, d.adrelid) AS dflt, nullif(a.attgenerated::text, '') AS generated,
       (SELECT collname FROM pg_collation WHERE oid = a.attcollation AND collname <> 'default') AS coll
FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE {_OWN} AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped"""

CONSTRAINTS = f"""
SELECT c.relname AS tbl, k.conname AS name, pg_get_constraintdef(k.oid) AS def
FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE {_OWN}"""

INDEXES = "SELECT tablename AS tbl, indexname AS name, indexdef AS def FROM pg_indexes " \
          "WHERE schemaname = 'public' AND tablename <> 'migration'"

TRIGGERS = f"""
SELECT c.relname AS tbl, t.tgname AS name, pg_get_triggerdef(t.oid) AS def
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE {_OWN} AND NOT t.tgisinternal"""

FUNCTIONS = """
SELECT p.proname AS name, pg_get_function_identity_arguments(p.oid) AS args, pg_get_functiondef(p.oid) AS def
FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace"""


def _column(row, *, with_collation: bool) -> str:
    fact = f"column {row['tbl']}.{row['col']} {row['type']}" + (" NOT NULL" if row["not_null"] else " NULL")
    if row["dflt"] is not None:
        fact += f" DEFAULT {row['dflt']}"
    if row["generated"]:
        fact += f" GENERATED ({row['generated']})"
    if with_collation and row["coll"]:
        fact += f' COLLATE "{row["coll"]}"'
    return fact


async def snapshot(url: str, *, tables_only: bool = False) -> set[str]:
    """Every table, column (type, nullability, default, collation), constraint, index, trigger and function."""
    conn = await asyncpg.connect(url)
    try:
        facts = {_column(r, with_collation=not tables_only) for r in await conn.fetch(COLUMNS)}
        facts |= {f"table {r['tbl']}" for r in await conn.fetch(COLUMNS)}
        if tables_only:
            return facts
        facts |= {f"constraint {r['tbl']}.{r['name']}: {r['def']}" for r in await conn.fetch(CONSTRAINTS)}
        facts |= {f"index {r['tbl']}.{r['name']}: {r['def']}" for r in await conn.fetch(INDEXES)}
        facts |= {f"trigger {r['tbl']}.{r['name']}: {r['def']}" for r in await conn.fetch(TRIGGERS)}
        facts |= {f"function {r['name']}({r['args']}): {r['def']}" for r in await conn.fetch(FUNCTIONS)}
        return facts
    finally:
        await conn.close()


def drift(expected: set[str], actual: set[str]) -> list[str]:
    """What the database has that the tables do not describe (+), and what it lacks (-)."""
    return sorted([f"+ {fact}" for fact in actual - expected] + [f"- {fact}" for fact in expected - actual],
                  key=lambda line: (line[2:], line[0]))


def table_classes() -> list[type[Table]]:
    classes = [cls for app in PICCOLO_APPS for cls in importlib.import_module(app).APP_CONFIG.table_classes]
    return sort_table_classes(classes)


def raw_sql_statements() -> list[str]:
    """The raw-SQL migrations' statements, in the order `run_forwards("all")` runs them."""
    statements = []
    for config in Finder().get_app_configs(sort_by_migration_dependencies=True):
        folder = Path(config.migrations_folder_path)
        modules = [importlib.import_module(f"migrations.{folder.name}.{path.stem}")
                   for path in folder.glob("*.py") if path.name != "__init__.py"]
        for module in sorted(modules, key=lambda m: m.ID):
            sql = getattr(module.forwards, "sql", None)
            if sql is not None:
                statements.append(sql)
    return statements


async def build_from_tables(url: str, *, raw_sql: bool = True) -> None:
    """Create on the empty database `url` what the table classes describe, then the raw-SQL migrations."""
    conn = await asyncpg.connect(url)
    try:
        for table in table_classes():
            for statement in table.create_table().ddl:
                await conn.execute(statement)
        for sql in raw_sql_statements() if raw_sql else ():
            await conn.execute(sql)
    finally:
        await conn.close()
