"""The outbox: durable events commit with their cause, and concurrent relays send each row to the stream once."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest

from backend.domain.invoices import rules as invoice_rules
from backend.domain.invoices.unit_of_work import change_invoice
from backend.domain.system import outbox, rules
from backend.infra.database import connection, open_pool, transaction
from backend.infra.events import DURABLE_STREAM
from backend.infra.redis import get_redis
from tests.api.connections.test_webhook_outbox import about
from tests.api.invoices.test_unit_of_work import new_invoice, supplier_and_recipient
from tests.support.factories import supplier_with_structure
from tests.support.piste import WebhookReceiver


async def outbox_rows(invoice_id: int) -> list[dict]:
    async with connection() as conn:
        return [dict(r) for r in await conn.fetch(
            "SELECT id, type, data, relayed_at FROM outbox_event WHERE type = 'invoice.status' AND (data->>'id')::bigint = $1 "
            "ORDER BY id", invoice_id)]


async def stream_ids(outbox_ids: set[int]) -> list[int]:
    """The outbox ids of the stream's entries among `outbox_ids`, as many times as they were appended."""
    entries = await get_redis().xrange(DURABLE_STREAM)
    return [found for _, fields in entries if (found := rules.outbox_id_of(fields)) in outbox_ids]


async def test_an_invoice_move_writes_its_event_in_its_own_transaction_and_relays_it_after_commit(app):
    principal, supplier, recipient = await supplier_and_recipient()
    invoice = await new_invoice(principal, supplier, recipient)
    [created] = await outbox_rows(invoice.id)
    assert created["relayed_at"] is not None and created["data"]["status"] == "PROVISOIRE"
    assert await stream_ids({created["id"]}) == [created["id"]]  # relayed by the committing process itself

    with pytest.raises(RuntimeError):
        async with change_invoice(invoice.id, principal) as change:
            change.transition(invoice_rules.Action.SAVE_DRAFT, role=invoice_rules.Role.SUPPLIER)
            raise RuntimeError("the change fails")
    assert len(await outbox_rows(invoice.id)) == 1  # rolled back with the change: no event of a move that never was


async def test_a_durable_event_is_written_only_inside_a_transaction(app):
    await open_pool()
    with pytest.raises(RuntimeError, match="inside the transaction"):
        await outbox.Outbox().add("lot.status", ["lot:1"], {"id": 1})


async def test_two_relays_at_once_append_each_event_once(app, monkeypatch):
    await open_pool()
    await outbox.stop_relay()  # a worker's left running by an earlier test: the two below are the only ones
    async with transaction():  # written without the after-commit relay: what a crash would leave
        box = outbox.Outbox()
        for n in range(120):
            await box.add("lot.status", [f"lot:{n}"], {"id": -n, "status": "RECU"})
    written = set(box.ids)
    monkeypatch.setattr(outbox, "BATCH", 7)  # many small batches, so that the two relays overlap

    async def relaying() -> int:
        total = 0
        while moved := await outbox.relay(limit=outbox.BATCH):
            total += moved
        return total

    first, second = await asyncio.gather(relaying(), relaying())
    assert first > 0 and second > 0  # both took part
    appended = await stream_ids(written)
    assert sorted(appended) == sorted(written)  # every row, each once
    async with connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM outbox_event WHERE id = ANY($1::bigint[]) AND relayed_at IS NULL",
                                   list(written)) == 0


async def test_two_relays_at_once_deliver_each_webhook_once(client, worker, tmp_path, monkeypatch):
    receiver = WebhookReceiver(tmp_path)
    try:
        _, supplier = await supplier_with_structure(client)
        hook = await client.post(f"/api/connections/{supplier['id']}/webhooks", json={"url": receiver.url, "events": ["facture.statut"]})
        assert hook.status_code == 201, hook.text
        await outbox.stop_relay()  # the worker's: the two relays below are the only ones
        try:
            async with transaction():
                box = outbox.Outbox()
                for n in range(1, 13):
                    await box.add("invoice.status", [f"structure:{supplier['id']}", f"invoice:{-n}"],
                                  {"id": -n, "number": f"F-{n}", "status": "DEPOSEE", "status_label_fr": "Déposée", "version": 1})
            monkeypatch.setattr(outbox, "BATCH", 2)
            await asyncio.gather(outbox.relay_all(), outbox.relay_all())
        finally:
            await outbox.start_relay()
        for n in range(1, 13):
            await receiver.wait_for(about(-n))
        await asyncio.sleep(1)  # a second delivery, if any, would arrive meanwhile
        ids = sorted(json.loads(r["body"])["facture"]["idFacture"] for r in receiver.received())
        assert ids == list(range(-12, 0))
    finally:
        receiver.stop()


async def test_the_purge_deletes_only_rows_relayed_more_than_a_week_ago(app):
    await open_pool()
    async with transaction():
        box = outbox.Outbox()
        for n in range(3):
            await box.add("lot.status", ["lot:0"], {"id": -100 - n})
    old, recent, unrelayed = box.ids
    async with connection() as conn:
        await conn.execute("UPDATE outbox_event SET relayed_at = $2, created_at = $2 WHERE id = $1", old,
                           datetime.now(UTC) - timedelta(days=rules.KEEP_RELAYED_DAYS, hours=1))
        await conn.execute("UPDATE outbox_event SET relayed_at = now() WHERE id = $1", recent)
        await conn.execute("UPDATE outbox_event SET created_at = $2 WHERE id = $1", unrelayed, datetime.now(UTC) - timedelta(days=30))
    assert await outbox.purge() >= 1
    async with connection() as conn:
        left = {r["id"] for r in await conn.fetch("SELECT id FROM outbox_event WHERE id = ANY($1::bigint[])", box.ids)}
    assert left == {recent, unrelayed}  # an unrelayed row is never purged, however old
