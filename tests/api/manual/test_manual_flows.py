"""Each manual-entry flow through the invoice unit of work: its CREATE history row, its later status rows,
the counters and the live event on the real Redis channel."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from backend.infra.database import connection
from backend.infra.events import Event, get_hub
from tests.api.invoices.helpers import counts, provisional_invoice, wait_status
from tests.api.manual.helpers import LINES, _header, _mandate, copy_through_prefill
from shared.applications import Application, Level
from tests.support.factories import attach, login, make_structure, make_user, supplier_with_structure

TTC = Decimal("131.59")  # LINES' total


async def history(invoice_id: int) -> list[tuple]:
    async with connection() as conn:
        rows = await conn.fetch("""SELECT status_from, status_to, action, actor_user_id FROM invoice_status_history
                                   WHERE invoice_id = $1 ORDER BY at, id""", invoice_id)
    return [tuple(r) for r in rows]


async def status_event(queue: asyncio.Queue, invoice_id: int, status: str) -> Event:
    """The `invoice.status` event of this invoice reaching this status (others on the topic skipped)."""
    while True:
        event = await asyncio.wait_for(queue.get(), 5)
        if event.type == "invoice.status" and event.data["id"] == invoice_id and event.data["status"] == status:
            return event


async def typed_in_draft(client) -> tuple[dict, dict, dict]:
    user, structure = await supplier_with_structure(client)
    recipient = await make_structure(public=True, services=(("S1", "Service un"),))
    await _mandate(client, structure, user)
    return user, structure, recipient


async def create(client, structure: dict, recipient: dict, number: str) -> int:
    created = await client.post("/api/invoices/manual", json={"structure_id": structure["id"], "header": await _header(recipient, number),
                                                               "lines": LINES})
    assert created.status_code == 201, created.text
    return created.json()["id"]


async def test_saving_a_typed_in_draft_writes_its_creation_counts_it_and_publishes_it(client):
    user, structure, recipient = await typed_in_draft(client)
    async with get_hub().listen([f"structure:{structure['id']}", f"structure:{recipient['id']}"]) as queue:
        invoice_id = await create(client, structure, recipient, "SD-1")
        event = await status_event(queue, invoice_id, "BROUILLON")
    # A draft is its supplier's alone: not published to its recipient (issue 20, item 4).
    assert set(event.topics) == {f"structure:{structure['id']}", f"invoice:{invoice_id}"}
    assert event.data["version"] == 1 and event.data["number"] == "SD-1"
    assert await history(invoice_id) == [(None, "BROUILLON", "CREATE", user["id"])]
    assert await counts(structure["id"]) == {"BROUILLON": (1, TTC)}
    assert await counts(recipient["id"], "R") == {"BROUILLON": (1, TTC)}

    async with get_hub().listen([f"invoice:{invoice_id}"]) as queue:
        edited = await client.put(f"/api/invoices/{invoice_id}/manual", json={
            "structure_id": structure["id"], "header": {"number": "SD-1"}, "lines": LINES[:1]})
        assert edited.status_code == 200, edited.text
        event = await status_event(queue, invoice_id, "BROUILLON")
    assert event.data["version"] == 2
    assert await history(invoice_id) == [(None, "BROUILLON", "CREATE", user["id"])]  # a draft saved again: no move
    assert await counts(structure["id"]) == {"BROUILLON": (1, Decimal("59.88"))}


async def test_typing_into_a_provisional_invoice_saves_it_as_a_draft_by_the_transition_table(client, worker):
    user, structure = await supplier_with_structure(client)
    await _mandate(client, structure, user)
    invoice, _, _ = await provisional_invoice(client, structure=structure)
    assert await counts(structure["id"]) == {"PROVISOIRE": (1, Decimal("255.50"))}
    async with get_hub().listen([f"invoice:{invoice['id']}"]) as queue:
        saved = await client.put(f"/api/invoices/{invoice['id']}/manual", json={"structure_id": structure["id"], "header": {},
                                                                               "lines": LINES})
        assert saved.status_code == 200, saved.text
        event = await status_event(queue, invoice["id"], "BROUILLON")
    assert event.data["version"] == invoice["version"] + 1
    assert (await history(invoice["id"]))[-1] == ("PROVISOIRE", "BROUILLON", "SAVE_DRAFT", user["id"])
    assert await counts(structure["id"]) == {"BROUILLON": (1, TTC)}


async def test_a_typed_in_invoice_sent_moves_through_deposit_and_routing_with_a_row_per_status(client, worker):
    user, structure, recipient = await typed_in_draft(client)
    invoice_id = await create(client, structure, recipient, "SE-1")
    async with get_hub().listen([f"invoice:{invoice_id}"]) as queue:
        sent = await client.post(f"/api/invoices/{invoice_id}/manual/send")
        assert sent.status_code == 200, sent.text
        await status_event(queue, invoice_id, "DEPOSEE")
        await status_event(queue, invoice_id, "MISE_A_DISPOSITION")
    await wait_status(client, invoice_id, "MISE_A_DISPOSITION")
    assert [row[:3] for row in await history(invoice_id)] == [
        (None, "BROUILLON", "CREATE"), ("BROUILLON", "DEPOSEE", "SEND"), ("DEPOSEE", "EN_COURS_ACHEMINEMENT", "ROUTE"),
        ("EN_COURS_ACHEMINEMENT", "MISE_A_DISPOSITION", "MAKE_AVAILABLE")]
    assert await counts(structure["id"]) == {"MISE_A_DISPOSITION": (1, TTC)}
    assert await counts(recipient["id"], "R") == {"MISE_A_DISPOSITION": (1, TTC)}


async def sent_invoice(client) -> tuple[dict, dict, dict, int]:
    user, structure, recipient = await typed_in_draft(client)
    invoice_id = await create(client, structure, recipient, "DU-1")
    assert (await client.post(f"/api/invoices/{invoice_id}/manual/send")).status_code == 200
    await wait_status(client, invoice_id, "MISE_A_DISPOSITION")  # routed: its counters no longer move
    return user, structure, recipient, invoice_id


@pytest.mark.parametrize("route,kind,of_invoice", [("duplicate", "FACTURE", False), ("credit-note", "AVOIR", True)])
async def test_a_copy_or_a_credit_note_is_created_with_its_creation_row_counters_and_event(client, worker, route, kind, of_invoice):
    user, structure, recipient, invoice_id = await sent_invoice(client)
    async with get_hub().listen([f"structure:{structure['id']}"]) as queue:
        created = await copy_through_prefill(client, invoice_id, route)  # the prefill, saved as it is
        assert created.status_code == 201, created.text
        copy_id = created.json()["id"]
        event = await status_event(queue, copy_id, "BROUILLON")
    assert event.data["number"] is None and event.data["version"] == 1
    assert await history(copy_id) == [(None, "BROUILLON", "CREATE", user["id"])]
    async with connection() as conn:
        row = await conn.fetchrow("SELECT kind, credit_note_of_id, duplicated_from_id, total_ttc FROM invoice WHERE id = $1", copy_id)
    assert tuple(row) == (kind, invoice_id if of_invoice else None, invoice_id, TTC)
    assert (await counts(structure["id"]))["BROUILLON"] == (1, TTC)
    assert (await counts(recipient["id"], "R"))["BROUILLON"] == (1, TTC)


async def test_a_credit_note_of_a_draft_is_refused_and_creates_nothing(client):
    user, structure, recipient = await typed_in_draft(client)
    invoice_id = await create(client, structure, recipient, "AV-0")
    refused = await copy_through_prefill(client, invoice_id, "credit-note")
    assert refused.status_code == 400 and refused.json()["code"] == "avoir_impossible"
    assert await counts(structure["id"]) == {"BROUILLON": (1, TTC)}


async def test_the_form_of_a_draft_is_its_supplier_users_and_holds_what_was_typed(client, anonymous):
    user, structure, recipient = await typed_in_draft(client)
    invoice_id = await create(client, structure, recipient, "FO-1")
    form = await client.get(f"/api/invoices/{invoice_id}/manual")
    assert form.status_code == 200, form.text
    body = form.json()
    assert body["structure_id"] == structure["id"] and body["recipient_siret"] == recipient["identifier"]
    assert body["header"] == {"cadre": "A1", "currency": "EUR", "number": "FO-1", "invoice_date": "2026-03-12",
                              "engagement_number": "EJ-55", "payment_terms": "30 jours", "recipient_service_code": "S1", "comment": ""}
    assert body["lines"][1] == {"description": "Manuels scolaires", "quantity": "3", "unit": "C62", "unit_price": "17.35",
                                "discount": "0.00", "vat_rate": "5.5", "exemption_reason": ""}
    assert body["attachments"] == [] and body["offered"] == []
    mandate = await client.get("/api/invoices/manual/mandate", params={"structure_id": structure["id"]})
    assert mandate.json() == {"active": True, "manager": f"{user['first_name']} {user['last_name']} ({user['email']})", "principal": True}
    await supplier_with_structure(anonymous)  # a supplier of another structure
    assert (await anonymous.get(f"/api/invoices/{invoice_id}/manual")).status_code == 404
    assert (await anonymous.get("/api/invoices/manual/mandate", params={"structure_id": structure["id"]})).status_code == 404
    colleague = await make_user()
    await attach(colleague["id"], structure["id"], profiles={Application.FACTURES_EMISES: Level.MODIFICATION})
    await login(anonymous, colleague["email"], colleague["password"])
    assert (await anonymous.get(f"/api/invoices/{invoice_id}/manual")).json()["header"]["number"] == "FO-1"
    assert (await anonymous.get("/api/invoices/manual/mandate", params={"structure_id": structure["id"]})).json()["principal"] is False
