"""Each supplier flow runs in one unit of work: its history rows, its counters and its event."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from backend.domain.accounts.identity import Principal
from backend.domain.invoices import rules
from backend.domain.invoices.routing import route_invoice
from backend.domain.invoices.store import history
from backend.domain.invoices.unit_of_work import change_invoice
from backend.infra.database import connection
from backend.infra.events import Event, get_hub
from tests.api.invoices.helpers import (counts, pdf_bytes, provisional_invoice, recipient, unique_number, upload,
                                        wait_extracted, wait_status)
from tests.support.factories import supplier_with_structure

AMOUNT = Decimal("255.50")


async def moves(invoice_id: int) -> list[tuple[str | None, str, str]]:
    return [(h.status_from, h.status_to, h.action) for h in await history.for_invoice(invoice_id)]


async def next_event(queue: asyncio.Queue, type: str = "invoice.status") -> Event:
    while True:
        event = await asyncio.wait_for(queue.get(), 10)
        if event.type == type:
            return event


async def test_a_pdf_deposit_creates_the_invoice_with_its_create_row_counters_and_event(client):
    user, structure = await supplier_with_structure(client)
    target = await recipient()
    content, _ = pdf_bytes(recipient_siret=target["identifier"], invoice_number=unique_number())
    uploaded = await upload(client, content, structure_id=structure["id"])
    assert (await wait_extracted(client, uploaded.json()["id"]))["extraction_status"] == "pret"
    async with get_hub().listen([f"structure:{structure['id']}"]) as queue:
        created = await client.post("/api/invoices", json={"upload_id": uploaded.json()["id"], "structure_id": structure["id"]})
        assert created.status_code == 201, created.text
        event = await next_event(queue)
    invoice = created.json()
    assert (event.data["id"], event.data["status"], event.data["version"]) == (invoice["id"], "PROVISOIRE", 1)
    assert f"structure:{target['id']}" not in event.topics  # a draft is its supplier's alone (issue 20, item 4)
    assert await moves(invoice["id"]) == [(None, "PROVISOIRE", "CREATE")]
    assert (await history.for_invoice(invoice["id"]))[0].actor_user_id == user["id"]
    assert await counts(structure["id"]) == {"PROVISOIRE": (1, AMOUNT)}
    assert await counts(target["id"], "R") == {"PROVISOIRE": (1, AMOUNT)}


async def test_a_pdf_deposit_saved_as_a_draft_is_created_as_a_draft(client):
    _, structure = await supplier_with_structure(client)
    target = await recipient()
    content, _ = pdf_bytes(recipient_siret=target["identifier"], invoice_number=unique_number())
    uploaded = await upload(client, content, structure_id=structure["id"])
    await wait_extracted(client, uploaded.json()["id"])
    created = await client.post("/api/invoices", json={"upload_id": uploaded.json()["id"], "structure_id": structure["id"],
                                                       "draft": True})
    assert created.status_code == 201, created.text
    assert await moves(created.json()["id"]) == [(None, "BROUILLON", "CREATE")]
    assert await counts(structure["id"]) == {"BROUILLON": (1, AMOUNT)}


async def test_a_draft_edit_saved_as_draft_writes_one_save_draft_row_and_moves_the_counters(client):
    invoice, structure, target = await provisional_invoice(client)
    async with get_hub().listen([f"invoice:{invoice['id']}"]) as queue:
        edited = await client.patch(f"/api/invoices/{invoice['id']}", json={
            "total_ht": "100", "total_tva": "20", "total_ttc": "120", "net_a_payer": "120", "save_draft": True,
            "version": invoice["version"]})
        assert edited.status_code == 200, edited.text
        event = await next_event(queue)
    assert (event.data["status"], event.data["version"]) == ("BROUILLON", invoice["version"] + 1)
    assert edited.json()["version"] == invoice["version"] + 1
    assert await moves(invoice["id"]) == [(None, "PROVISOIRE", "CREATE"), ("PROVISOIRE", "BROUILLON", "SAVE_DRAFT")]
    assert await counts(structure["id"]) == {"BROUILLON": (1, Decimal("120.00"))}
    assert await counts(target["id"], "R") == {"BROUILLON": (1, Decimal("120.00"))}


async def test_a_plain_draft_edit_writes_no_history_row_and_is_published(client):
    invoice, structure, _ = await provisional_invoice(client)
    async with get_hub().listen([f"invoice:{invoice['id']}"]) as queue:
        edited = await client.patch(f"/api/invoices/{invoice['id']}", json={"purchase_order": "BC-7"})
        assert edited.status_code == 200, edited.text
        event = await next_event(queue)
    assert (event.data["status"], event.data["version"]) == ("PROVISOIRE", invoice["version"] + 1)
    assert await moves(invoice["id"]) == [(None, "PROVISOIRE", "CREATE")]
    assert await counts(structure["id"]) == {"PROVISOIRE": (1, AMOUNT)}


async def test_deleting_a_draft_removes_its_history_and_counters_and_publishes_its_deletion(client):
    invoice, structure, target = await provisional_invoice(client)
    async with get_hub().listen([f"invoice:{invoice['id']}"]) as queue:
        deleted = await client.delete(f"/api/invoices/{invoice['id']}")
        assert deleted.status_code in (200, 204), deleted.text
        event = await next_event(queue, "invoice.deleted")
    assert event.data == {"id": invoice["id"]}
    assert await moves(invoice["id"]) == []
    assert await counts(structure["id"]) == {}
    assert await counts(target["id"], "R") == {}
    assert (await client.get(f"/api/invoices/{invoice['id']}")).status_code == 404


async def test_sending_deposits_then_routing_makes_available_each_move_with_its_row_counters_and_event(client):
    invoice, structure, target = await provisional_invoice(client)
    async with get_hub().listen([f"invoice:{invoice['id']}"]) as queue:
        sent = await client.post(f"/api/invoices/{invoice['id']}/send", json={"version": invoice["version"]})
        assert sent.status_code == 200, sent.text
        statuses = [(await next_event(queue)).data["status"] for _ in range(3)]
    assert statuses == ["DEPOSEE", "EN_COURS_ACHEMINEMENT", "MISE_A_DISPOSITION"]
    await wait_status(client, invoice["id"], "MISE_A_DISPOSITION")
    assert await moves(invoice["id"]) == [
        (None, "PROVISOIRE", "CREATE"), ("PROVISOIRE", "DEPOSEE", "SEND"),
        ("DEPOSEE", "EN_COURS_ACHEMINEMENT", "ROUTE"), ("EN_COURS_ACHEMINEMENT", "MISE_A_DISPOSITION", "MAKE_AVAILABLE")]
    assert await counts(structure["id"]) == {"MISE_A_DISPOSITION": (1, AMOUNT)}
    assert await counts(target["id"], "R") == {"MISE_A_DISPOSITION": (1, AMOUNT)}


async def test_a_refused_send_writes_nothing_and_publishes_nothing(client):
    invoice, structure, _ = await provisional_invoice(client)
    async with get_hub().listen([f"invoice:{invoice['id']}"]) as queue:
        refused = await client.post(f"/api/invoices/{invoice['id']}/send", json={"invoice_date": None})
        assert refused.status_code == 422, refused.text
        try:
            await next_event(queue)
            published = True
        except TimeoutError:
            published = False
    assert not published
    assert await moves(invoice["id"]) == [(None, "PROVISOIRE", "CREATE")]
    assert await counts(structure["id"]) == {"PROVISOIRE": (1, AMOUNT)}
    assert (await client.get(f"/api/invoices/{invoice['id']}")).json()["invoice_date"] == "2026-03-12"


async def test_a_routing_refusal_is_recorded_counted_published_and_told_to_the_supplier(client):
    invoice, structure, target = await provisional_invoice(client)
    [created] = await history.for_invoice(invoice["id"])
    supplier = Principal(user_id=created.actor_user_id, email="f@test.chorale.fr", display_name="Camille")
    async with change_invoice(invoice["id"], supplier) as change:  # deposited without enqueuing its routing
        change.transition(rules.Action.SEND, role=rules.Role.SUPPLIER)
    async with connection() as conn:  # the recipient leaves Chorale before the routing
        await conn.execute("UPDATE structure SET active = false WHERE id = $1", target["id"])
    async with get_hub().listen([f"invoice:{invoice['id']}"]) as queue:
        assert await route_invoice(invoice["id"]) == "ERREUR_ACHEMINEMENT"
        statuses = [(await next_event(queue)).data["status"] for _ in range(2)]
    assert statuses == ["EN_COURS_ACHEMINEMENT", "ERREUR_ACHEMINEMENT"]
    assert (await moves(invoice["id"]))[-2:] == [("DEPOSEE", "EN_COURS_ACHEMINEMENT", "ROUTE"),
                                                 ("EN_COURS_ACHEMINEMENT", "ERREUR_ACHEMINEMENT", "ROUTING_ERROR")]
    assert await counts(structure["id"]) == {"ERREUR_ACHEMINEMENT": (1, AMOUNT)}
    async with connection() as conn:
        notes = await conn.fetchval("SELECT count(*) FROM notification WHERE user_id = $1 AND invoice_id = $2",
                                    supplier.user_id, invoice["id"])
    assert notes == 1
