from __future__ import annotations

import asyncio

import httpx
import pytest

from backend.infra.database import connection
from shared.applications import Application, Level
from tests.support.dashboard_data import make_invoice
from tests.support.factories import attach, login, make_structure, make_user, recipient_with_structure, supplier_with_structure


@pytest.fixture
async def other(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver.local", headers={"Origin": "http://testserver.local"}) as c:
        yield c


async def _setup(client, status="MISE_A_DISPOSITION", **recipient_kwargs):
    supplier_user, supplier = await supplier_with_structure()
    recipient_user, recipient = await recipient_with_structure(client, services=(("A", "Service A"), ("B", "Service B")), **recipient_kwargs)
    invoice = await make_invoice(supplier["id"], recipient["id"], status, recipient_service_id=recipient["services"][0]["id"])
    return supplier_user, supplier, recipient_user, recipient, invoice


async def _act(client, invoice, action, **body):
    return await client.post(f"/api/received-invoices/{invoice['id']}/actions", json={"action": action, **body})


async def test_the_recipient_lists_sees_and_validates_with_history_and_the_supplier_is_notified(client, other):
    supplier_user, supplier, recipient_user, recipient, invoice = await _setup(client)
    listed = (await client.get("/api/received-invoices", params={"structure": recipient["id"]})).json()
    assert invoice["id"] in [r["id"] for r in listed["rows"]]
    detail = (await client.get(f"/api/received-invoices/{invoice['id']}")).json()
    assert {a["action"] for a in detail["actions"]} == {"VALIDATE", "REFUSE", "SUSPEND", "RECYCLE", "MANDATE", "PUT_IN_PAYMENT"}
    done = await _act(client, invoice, "VALIDATE", expected_version=detail["version"])
    assert done.status_code == 200 and done.json()["status"] == "SERVICE_FAIT"
    assert done.json()["history"][-1]["actor"]
    paid = await _act(client, invoice, "PUT_IN_PAYMENT", payment_date="2026-04-02", paid_amount="120,00", expected_version=done.json()["version"])
    assert paid.status_code == 200 and paid.json()["status"] == "MISE_EN_PAIEMENT"
    await login(other, supplier_user["email"], supplier_user["password"])
    notes = (await other.get("/api/notifications")).json()
    assert notes["unread"] == 1 and "mise en paiement" in notes["items"][0]["message"]
    async with connection() as conn:
        mail = await conn.fetchval("SELECT subject FROM mail_outbox WHERE to_address = $1 ORDER BY id DESC LIMIT 1", supplier_user["email"])
        paid_row = await conn.fetchrow("SELECT paid_amount, payment_date FROM invoice WHERE id = $1", invoice["id"])
    assert "Mise en paiement" in mail and str(paid_row["paid_amount"]) == "120.00"


async def test_refusing_and_suspending_need_a_reason_and_a_forbidden_move_is_a_409(client):
    *_, invoice = await _setup(client)
    no_reason = await _act(client, invoice, "REFUSE", reason=" ")
    assert no_reason.status_code == 409 and no_reason.json()["code"] == "motif_obligatoire"
    assert (await _act(client, invoice, "COMPLETE")).status_code == 409


async def test_pressing_twice_or_acting_together_applies_once(client, other):
    supplier_user, supplier, recipient_user, recipient, invoice = await _setup(client)
    colleague = await make_user()
    await attach(colleague["id"], recipient["id"], profiles={Application.FACTURES_RECUES: Level.MODIFICATION})
    await login(other, colleague["email"], colleague["password"])
    version = (await client.get(f"/api/received-invoices/{invoice['id']}")).json()["version"]
    first, second = await asyncio.gather(_act(client, invoice, "VALIDATE", expected_version=version),
                                         _act(other, invoice, "REFUSE", reason="Erreur", expected_version=version))
    statuses = sorted([first.status_code, second.status_code])
    assert statuses == [200, 409]
    loser = second if second.status_code == 409 else first
    assert loser.json()["code"] == "deja_traitee" and "déjà été traitée" in loser.json()["message"]


async def test_a_consultation_profile_cannot_act_and_other_services_or_recipients_see_a_404(client, other):
    supplier_user, supplier, recipient_user, recipient, invoice = await _setup(client)
    reader = await make_user()
    await attach(reader["id"], recipient["id"], profiles={Application.FACTURES_RECUES: Level.CONSULTATION})
    await login(other, reader["email"], reader["password"])
    assert (await other.get(f"/api/received-invoices/{invoice['id']}")).json()["actions"] == []
    refused = await _act(other, invoice, "VALIDATE")
    assert refused.status_code == 403
    service_b = await make_user()
    await attach(service_b["id"], recipient["id"], service_id=recipient["services"][1]["id"],
                 profiles={Application.FACTURES_RECUES: Level.MODIFICATION})
    other.cookies.clear()
    await login(other, service_b["email"], service_b["password"])
    assert (await other.get(f"/api/received-invoices/{invoice['id']}")).status_code == 404
    assert (await _act(other, invoice, "VALIDATE")).status_code == 404
    stranger, _ = await recipient_with_structure()
    other.cookies.clear()
    await login(other, stranger["email"], stranger["password"])
    assert (await other.get(f"/api/received-invoices/{invoice['id']}")).status_code == 404


async def test_a_suspended_invoice_is_completed_by_its_supplier_and_returns_to_the_recipient(client, other):
    supplier_user, supplier, recipient_user, recipient, invoice = await _setup(client)
    suspended = await _act(client, invoice, "SUSPEND", reason="Bon de livraison manquant")
    assert suspended.json()["status"] == "SUSPENDUE"
    await login(other, supplier_user["email"], supplier_user["password"])
    empty = await other.post(f"/api/invoices/{invoice['id']}/complete", json={"comment": ""})
    assert empty.status_code == 400
    done = await other.post(f"/api/invoices/{invoice['id']}/complete", json={"comment": "Bon de livraison joint"})
    assert done.status_code == 200 and done.json()["status"] == "COMPLETEE"
    notes = (await client.get("/api/notifications")).json()
    assert any("complétée" in n["message"] for n in notes["items"])
    assert (await _act(client, invoice, "VALIDATE")).json()["status"] == "SERVICE_FAIT"


async def test_mail_follows_the_supplier_users_preferences(client):
    supplier_user, supplier, recipient_user, recipient, invoice = await _setup(client)
    async with connection() as conn:
        await conn.execute("UPDATE user_account SET notify_all = FALSE, notify_billing = FALSE WHERE id = $1", supplier_user["id"])
    await _act(client, invoice, "REFUSE", reason="Montant erroné")
    async with connection() as conn:
        mails = await conn.fetchval("SELECT count(*) FROM mail_outbox WHERE to_address = $1", supplier_user["email"])
        notes = await conn.fetchval("SELECT count(*) FROM notification WHERE user_id = $1", supplier_user["id"])
    assert mails == 0 and notes == 1


async def test_the_event_stream_refuses_topics_the_user_may_not_see(client):
    supplier_user, supplier, recipient_user, recipient, invoice = await _setup(client)
    other_structure = await make_structure()
    response = await client.get("/api/events", params={"topics": f"structure:{other_structure['id']}"})
    assert response.status_code == 403


async def test_a_daily_digest_replaces_immediate_mail_for_users_who_chose_it(client, other):
    from backend.domain.processing.services import send_digests

    supplier_user, supplier, recipient_user, recipient, invoice = await _setup(client)
    second = await make_invoice(supplier["id"], recipient["id"], "MISE_A_DISPOSITION")
    await login(other, supplier_user["email"], supplier_user["password"])
    assert (await other.patch("/api/accounts/me", json={"notify_digest": True})).json()["user"]["notify_digest"] is True
    await _act(client, invoice, "REFUSE", reason="Montant erroné")
    await _act(client, second, "SUSPEND", reason="Pièce manquante")
    async with connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM mail_outbox WHERE to_address = $1", supplier_user["email"]) == 0
    assert await send_digests() >= 1
    assert await send_digests() == 0  # nothing twice
    async with connection() as conn:
        body = await conn.fetchval("SELECT body_text FROM mail_outbox WHERE to_address = $1 AND kind = 'recapitulatif'", supplier_user["email"])
    assert "refusée" in body and "suspendue" in body


async def test_a_routing_error_reaches_the_supplier(client, other, worker):
    from backend.domain.invoices.routing import route_invoice

    supplier_user, supplier, recipient_user, recipient, invoice = await _setup(client, status="DEPOSEE")
    async with connection() as conn:
        await conn.execute("UPDATE structure SET active = FALSE WHERE id = $1", recipient["id"])
    assert await route_invoice(invoice["id"]) == "ERREUR_ACHEMINEMENT"
    await login(other, supplier_user["email"], supplier_user["password"])
    notes = (await other.get("/api/notifications")).json()
    assert "n'a pas pu être acheminée" in notes["items"][0]["message"]
