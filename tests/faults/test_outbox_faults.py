"""The outbox under faults: Redis failing right after a commit, a process killed right after its commit, a
relay cut between the stream and its own commit. In each case the webhook still arrives, once.

These use the in-process app and worker (tests/conftest.py) against the session's PostgreSQL and Redis;
the killed process is a real one (`os._exit` right after its commit)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from decimal import Decimal

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from backend.domain.invoices.store import invoices
from backend.domain.invoices.unit_of_work import create_invoice
from backend.domain.system import outbox
from backend.infra.database import connection
from tests.api.connections.test_done_when import signed
from tests.api.connections.test_webhook_outbox import about
from tests.api.system.test_outbox import stream_ids
from tests.support.factories import supplier_with_structure
from tests.support.piste import WebhookReceiver
from tests.support.servers import ROOT


@pytest.fixture
def receiver(tmp_path):
    server = WebhookReceiver(tmp_path)
    yield server
    server.stop()


@pytest.fixture
async def listening(client, worker, receiver):
    """(structure, the webhook's secret) of a supplier whose webhook hears every invoice move, with the
    in-process worker's relay stopped: the test says when it runs again. (In a whole run, the browser
    tests' live app has a worker of its own whose relay may be quicker: the checks hold either way.)"""
    _, supplier = await supplier_with_structure(client)
    hook = await client.post(f"/api/connections/{supplier['id']}/webhooks", json={"url": receiver.url, "events": ["facture.statut"]})
    assert hook.status_code == 201, hook.text
    await outbox.stop_relay()
    yield supplier, hook.json()["secret"]
    await outbox.start_relay()


async def outbox_row(invoice_id: int) -> dict:
    async with connection() as conn:
        [row] = await conn.fetch("SELECT id, relayed_at FROM outbox_event WHERE type = 'invoice.status' "
                                 "AND (data->>'id')::bigint = $1", invoice_id)
    return dict(row)


async def delivered_once(receiver: WebhookReceiver, invoice_id: int, secret: str) -> None:
    request = await receiver.wait_for(about(invoice_id))
    assert signed(request, secret) and json.loads(request["body"])["facture"]["statut"] == "PROVISOIRE"
    await asyncio.sleep(1.5)  # a second delivery, if any, would arrive meanwhile
    assert len([r for r in receiver.received() if about(invoice_id)(r)]) == 1


async def test_redis_failing_right_after_the_commit_loses_no_webhook(listening, receiver, monkeypatch):
    supplier, secret = listening

    async def redis_down(*args, **kwargs):
        raise RedisConnectionError("Redis went away")

    monkeypatch.setattr(outbox, "publish_live", redis_down)
    monkeypatch.setattr(outbox, "append_durable", redis_down)
    with pytest.raises(RedisConnectionError):  # as any publish after a commit: the caller hears of it
        async with create_invoice(None, supplier_structure_id=supplier["id"], source="SAISIE", total_ttc=Decimal("10.00")) as creation:
            pass
    invoice_id = creation.invoice.id
    assert await invoices.get(invoice_id) is not None  # committed before Redis was asked
    assert await outbox_row(invoice_id)  # and its event with it, which this process could not send

    monkeypatch.undo()  # Redis is back
    await outbox.start_relay()  # the worker's relay sends what was left behind
    await delivered_once(receiver, invoice_id, secret)
    row = await outbox_row(invoice_id)
    assert row["relayed_at"] is not None and await stream_ids({row["id"]}) == [row["id"]]


CRASH_AFTER_COMMIT = """
import asyncio, os, sys
from decimal import Decimal
from backend.domain.invoices.unit_of_work import create_invoice
from backend.domain.system import outbox
from backend.infra.database import open_pool

async def crash(self):
    os._exit(9)  # the process dies between its commit and its first word to Redis

async def main():
    await open_pool()
    outbox.Outbox.published = crash
    async with create_invoice(None, supplier_structure_id=int(sys.argv[1]), source="SAISIE",
                              total_ttc=Decimal("10.00")) as creation:
        print(creation.invoice.id, flush=True)

asyncio.run(main())
"""


async def test_a_process_killed_right_after_its_commit_loses_no_webhook(listening, receiver):
    supplier, secret = listening
    done = await asyncio.to_thread(subprocess.run, [sys.executable, "-c", CRASH_AFTER_COMMIT, str(supplier["id"])],
                                   cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 9, done.stderr
    invoice_id = int(done.stdout.split()[0])
    assert await invoices.get(invoice_id) is not None
    assert await outbox_row(invoice_id)  # its event, committed with it and never sent by the dead process

    await outbox.start_relay()
    await delivered_once(receiver, invoice_id, secret)
    row = await outbox_row(invoice_id)
    assert row["relayed_at"] is not None and await stream_ids({row["id"]}) == [row["id"]]


async def test_a_relay_cut_between_the_stream_and_its_commit_sends_again_and_the_webhook_arrives_once(
        listening, receiver, monkeypatch):
    supplier, secret = listening
    append = outbox.append_durable

    async def appended_then_cut(entries):
        await append(entries)
        raise RedisConnectionError("cut before the relay's commit")

    monkeypatch.setattr(outbox, "append_durable", appended_then_cut)
    async with create_invoice(None, supplier_structure_id=supplier["id"], source="SAISIE", total_ttc=Decimal("10.00")) as creation:
        pass  # the live event went out; the relay's failure is left to the worker's relay, not raised
    invoice_id = creation.invoice.id
    row = await outbox_row(invoice_id)
    assert row["id"] in await stream_ids({row["id"]})  # the first copy, whose relay did not commit
    await receiver.wait_for(about(invoice_id))  # the dispatcher read it

    monkeypatch.undo()
    await outbox.start_relay()
    for _ in range(100):
        if (await outbox_row(invoice_id))["relayed_at"] is not None:
            break
        await asyncio.sleep(0.1)
    assert await stream_ids({row["id"]}) == [row["id"], row["id"]]  # at least once: here twice
    await delivered_once(receiver, invoice_id, secret)  # the dispatcher records an event once per endpoint
