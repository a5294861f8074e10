"""An event published while no dispatcher runs is delivered when one starts, signed, exactly once."""

from __future__ import annotations

import asyncio
import json

import pytest

from backend.domain.connections import webhooks
from backend.infra.events import DURABLE_STREAM
from backend.infra.redis import get_redis
from tests.api.connections.test_done_when import signed
from tests.api.invoices.helpers import provisional_invoice
from tests.support.factories import supplier_with_structure
from tests.support.piste import WebhookReceiver


@pytest.fixture
def receiver(tmp_path):
    server = WebhookReceiver(tmp_path)
    yield server
    server.stop()


async def drained(timeout: float = 30) -> None:
    """Until the dispatchers' group has read every entry of the stream and acknowledged them all."""
    redis = get_redis()
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        last = (await redis.xinfo_stream(DURABLE_STREAM))["last-generated-id"]
        [group] = [g for g in await redis.xinfo_groups(DURABLE_STREAM) if g["name"] == webhooks.GROUP.encode()]
        if group["last-delivered-id"] == last and group["pending"] == 0:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"stream not drained: {group}, last {last}")
        await asyncio.sleep(0.1)


def about(invoice_id: int):
    return lambda request: json.loads(request["body"]).get("facture", {}).get("idFacture") == invoice_id


async def test_an_event_published_while_no_dispatcher_runs_is_delivered_once_when_one_starts(client, worker, receiver):
    _, supplier = await supplier_with_structure(client)
    hook = await client.post(f"/api/connections/{supplier['id']}/webhooks", json={"url": receiver.url, "events": ["facture.statut"]})
    assert hook.status_code == 201, hook.text

    await webhooks.stop_dispatcher()  # the worker's shutdown hook: nothing reads the events now
    try:
        invoice, _, _ = await provisional_invoice(client, structure=supplier)  # the extraction job still runs
        assert not [r for r in receiver.received() if about(invoice["id"])(r)]
        entries = await get_redis().xrevrange(DURABLE_STREAM, count=50)
        assert any(json.loads(fields[b"event"])["data"].get("id") == invoice["id"] for _, fields in entries)
    finally:
        await webhooks.start_dispatcher()  # a worker starts

    request = await receiver.wait_for(about(invoice["id"]))
    assert signed(request, hook.json()["secret"]) and json.loads(request["body"])["facture"]["statut"] == "PROVISOIRE"
    await drained()

    # Another start reads nothing again: what was acknowledged stays delivered once.
    await webhooks.stop_dispatcher()
    await webhooks.start_dispatcher()
    await drained()
    for _ in range(100):  # the answer is recorded just after the receiver logged the request
        deliveries = (await client.get(f"/api/connections/webhooks/{hook.json()['id']}/deliveries")).json()
        if deliveries and deliveries[0]["status"] != "EN_ATTENTE":
            break
        await asyncio.sleep(0.1)
    assert [d["status"] for d in deliveries] == ["LIVRE"]
    assert len([r for r in receiver.received() if about(invoice["id"])(r)]) == 1
