"""A lot's file becomes an invoice like a single deposit: created (its CREATE history row), sent
(SEND), counted on both sides and published; the report's entry is published too."""

from __future__ import annotations

import asyncio

from backend.infra.database import connection
from tests.api.invoices.helpers import recipient
from tests.api.lots.test_lots import deposit, number, wait_processed
from tests.api.processing.flow_checks import events_on, status_counts
from tests.support.factories import supplier_with_structure
from tests.support.lots import archive, cii_invoice

IN_FLIGHT = {"DEPOSEE", "EN_COURS_ACHEMINEMENT"}


async def routed(invoice_id: int) -> None:
    """Wait for the routing job to finish with the invoice, so status, history and counters are read still."""
    for _ in range(200):
        async with connection() as conn:
            if await conn.fetchval("SELECT status FROM invoice WHERE id = $1", invoice_id) not in IN_FLIGHT:
                return
        await asyncio.sleep(0.05)
    raise AssertionError("the invoice was not routed within 10 s")


async def test_each_file_of_a_lot_is_created_and_sent_with_history_counters_and_events(client, worker):
    user, supplier = await supplier_with_structure(client)
    town = await recipient()
    async with events_on(f"structure:{supplier['id']}", f"lots:{supplier['id']}") as events:
        response = await deposit(client, supplier["id"], archive({"a.xml": cii_invoice(supplier["identifier"], town["identifier"],
                                                                                        number=number())}))
        assert response.status_code == 201, response.text
        entry_event = await events.next("lot.entry", status="INTEGREE")
        deposited = await events.next(status="DEPOSEE")
    report = await wait_processed(client, response.json()["id"])
    invoice_id = report["entries"][0]["invoice_id"]
    assert entry_event.data["entry_id"] == report["entries"][0]["id"] and entry_event.data["lot"]["integrated_count"] == 1
    assert deposited.data["id"] == invoice_id and f"structure:{town['id']}" in deposited.topics
    await routed(invoice_id)
    async with connection() as conn:
        history = await conn.fetch("SELECT status_from, status_to, action, actor_user_id FROM invoice_status_history "
                                   "WHERE invoice_id = $1 ORDER BY id", invoice_id)
        status = await conn.fetchval("SELECT status FROM invoice WHERE id = $1", invoice_id)
    assert [tuple(r) for r in history[:2]] == [(None, "PROVISOIRE", "CREATE", user["id"]), ("PROVISOIRE", "DEPOSEE", "SEND", user["id"])]
    assert history[-1]["status_to"] == status  # routing may have moved it on since
    assert await status_counts(supplier["id"], "S") == {status: 1}
    assert await status_counts(town["id"], "R") == {status: 1}
