"""Raw connections and Piccolo queries in one task share one transaction (backend.infra.database)."""

from backend.domain.structures.tables import Structure
from backend.infra.database import connection, open_pool, transaction

TXID = "SELECT txid_current() AS txid"


async def test_piccolo_queries_inside_a_connection_block_run_in_its_transaction(app):
    await open_pool()
    async with connection() as conn, conn.transaction():
        raw = await conn.fetchval(TXID)
        piccolo = (await Structure.raw(TXID))[0]["txid"]
    assert piccolo == raw


async def test_a_connection_block_inside_a_transaction_uses_its_connection(app):
    await open_pool()
    async with transaction():
        piccolo = (await Structure.raw(TXID))[0]["txid"]
        async with connection() as conn:
            assert await conn.fetchval(TXID) == piccolo


async def test_separate_blocks_are_separate_transactions(app):
    await open_pool()
    async with transaction():
        first = (await Structure.raw(TXID))[0]["txid"]
    async with transaction():
        second = (await Structure.raw(TXID))[0]["txid"]
    assert first != second
