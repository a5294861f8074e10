"""Issue 20, item 5: the app connected to PostgreSQL as a superuser, so its own credentials could disable the
support journal's append-only trigger (or drop the journal). It now connects as a role that owns nothing:
row access only, and not even UPDATE or DELETE on the journal."""

from __future__ import annotations

import os

import asyncpg
import pytest

from backend.infra.db import APP_ROLE, as_role, connects_as_superuser


@pytest.fixture
async def app_connection():
    url = os.environ.get("CHORALE_TEST_APP_DATABASE_URL")
    if not url:
        pytest.skip("an external DATABASE_URL: its operator manages the app's role")
    conn = await asyncpg.connect(url)
    yield conn
    await conn.close()


async def test_the_app_role_is_no_superuser_and_owns_no_table(app_connection):
    assert await app_connection.fetchval("SELECT current_user") == APP_ROLE
    assert not await connects_as_superuser(os.environ["CHORALE_TEST_APP_DATABASE_URL"])
    owned = await app_connection.fetchval("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user")
    assert owned == 0


@pytest.mark.parametrize("statement", [
    "ALTER TABLE support_journal DISABLE TRIGGER ALL",
    "DROP TRIGGER support_journal_no_update ON support_journal",
    "DELETE FROM support_journal",
    "UPDATE support_journal SET event = 'efface'",
    "TRUNCATE support_journal",
    "DROP TABLE invoice",
    "CREATE TABLE intruder (id int)",
    "DELETE FROM migration",
])
async def test_the_app_role_cannot_rewrite_the_journal_or_the_schema(app_connection, statement):
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await app_connection.execute(statement)


async def test_the_app_role_reads_and_writes_rows(app_connection):
    async with app_connection.transaction():
        await app_connection.execute("CREATE TEMP TABLE scratch (id int)")  # the directory import stages rows so
        assert await app_connection.fetchval("SELECT count(*) FROM user_account") >= 0
        await app_connection.execute("UPDATE user_account SET lang = lang WHERE false")


def test_the_role_url_keeps_the_server_and_database():
    assert as_role("postgresql://postgres:@/chorale?host=/tmp/pg") == "postgresql://chorale_app@/chorale?host=/tmp/pg"
    assert as_role("postgresql://u:secret@db:5432/c") == "postgresql://chorale_app@db:5432/c"
