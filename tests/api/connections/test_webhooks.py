"""Webhook deliveries: attempts recorded with their responses, retried after a failure, replayed on demand."""

from __future__ import annotations

import asyncio
import json

import pytest

from backend.domain.connections import rules, webhooks
from backend.infra.events import Event
from tests.support.factories import supplier_with_structure
from tests.support.piste import WebhookReceiver


@pytest.fixture
def failing(tmp_path):
    server = WebhookReceiver(tmp_path, status=500)
    yield server
    server.stop()


async def wait_attempts(client, endpoint_id: int, count: int, timeout: float = 20) -> dict:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        rows = (await client.get(f"/api/connections/webhooks/{endpoint_id}/deliveries")).json()
        if rows and rows[0]["attempt_count"] >= count:
            return rows[0]
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(rows)
        await asyncio.sleep(0.1)


async def test_a_failed_delivery_is_recorded_scheduled_again_and_can_be_replayed(anonymous, worker, failing, monkeypatch):
    _, supplier = await supplier_with_structure(anonymous)
    hook = (await anonymous.post(f"/api/connections/{supplier['id']}/webhooks",
                                 json={"url": failing.url, "events": ["flux.integre"]})).json()
    monkeypatch.setattr(rules, "RETRY_DELAYS", (1,))  # one retry, a second later
    event = Event("lot.status", (f"lots:{supplier['id']}",), {"id": 1, "number": "CPP2026000000000000000001", "status": "TRAITE",
                                                               "structure_id": supplier["id"], "integrated_count": 1})
    [delivery_id] = await webhooks.record(event)
    assert await webhooks.record(event) == []  # the same event heard twice is delivered once
    delivery = await wait_attempts(anonymous, hook["id"], 2)
    assert delivery["status"] == "ECHEC" and [a["status"] for a in delivery["attempts"]] == [500, 500]
    assert json.loads(delivery["attempts"][0]["response"]) == {"recu": True}
    assert len(failing.received()) == 2
    replayed = await anonymous.post(f"/api/connections/deliveries/{delivery_id}/replay")
    assert replayed.status_code == 200
    await wait_attempts(anonymous, hook["id"], 3)
    assert len(failing.received()) == 3


async def test_two_attempts_at_once_are_both_recorded(anonymous, failing, monkeypatch):
    # a replay while a scheduled retry runs: each attempt counts, neither overwrites the other
    from backend.domain.connections import store
    from backend.infra.database import transaction

    _, supplier = await supplier_with_structure(anonymous)
    hook = (await anonymous.post(f"/api/connections/{supplier['id']}/webhooks",
                                 json={"url": failing.url, "events": ["flux.integre"]})).json()
    # one retry, an hour later (after this session): the attempt counted first schedules it, the second gives up
    monkeypatch.setattr(rules, "RETRY_DELAYS", (3600,))
    async with transaction():
        delivery_id = await store.add_delivery(endpoint_id=hook["id"], event_key="test:concurrent", event_type="flux.integre",
                                               body='{"a": 1}')
    assert sorted(await asyncio.gather(webhooks.deliver(delivery_id), webhooks.deliver(delivery_id))) == ["ECHEC", "EN_ATTENTE"]
    found = await store.delivery(delivery_id)
    assert found.status == "ECHEC" and found.attempt_count == 2 and [a["status"] for a in found.attempts] == [500, 500]
    assert len(failing.received()) == 2


def test_the_signature_covers_timestamp_and_body():
    signed = rules.signature("s3cret", 1700000000, '{"a":1}')
    assert signed.startswith("t=1700000000,v1=") and signed != rules.signature("s3cret", 1700000001, '{"a":1}')
    assert signed != rules.signature("s3cret", 1700000000, '{"a":2}')


def test_the_recipient_hears_only_of_invoices_that_reached_it():
    deposited = Event("invoice.status", ("structure:1", "structure:2", "invoice:9"), {"id": 9, "status": "DEPOSEE"})
    [(kind, structures, _)] = webhooks.deliveries_for(deposited)
    assert kind == "facture.statut" and structures == [1]
    available = Event("invoice.status", ("structure:1", "structure:2", "invoice:9"), {"id": 9, "status": "MISE_A_DISPOSITION"})
    found = {kind: structures for kind, structures, _ in webhooks.deliveries_for(available)}
    assert found == {"facture.statut": [1, 2], "facture.recue": [2]}
