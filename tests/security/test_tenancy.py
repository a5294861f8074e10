"""Issue 20, item 4: one structure never reads another's invoices — lists, exports, credit notes, live events.

As found: a recipient asking for `etat=BROUILLON` (or `PROVISOIRE`, or any state it never sees, or
states outside the chosen column) got an empty set of allowed states, which the list read as « no
filter »: every invoice addressed to it, the suppliers' drafts included, listed and exported. A credit
note's `credit_note_of_id` was not checked, so any invoice's number was copied into one's own Factur-X.
A draft's events went to its recipient's live topic.
"""

from __future__ import annotations

import asyncio
import csv
import io

import pytest

from backend.domain.invoices.unit_of_work import status_topics
from backend.infra.database import connection
from backend.infra.events import get_hub
from tests.api.manual.test_manual_flows import create, status_event, typed_in_draft
from tests.api.manual.helpers import LINES, _header, _mandate
from tests.security.test_exports import _export
from tests.support.dashboard_data import make_invoice
from tests.support.factories import make_structure, recipient_with_structure, supplier_with_structure

HIDDEN = ("BROUILLON", "PROVISOIRE", "DEPOSEE", "EN_COURS_ACHEMINEMENT")


async def _addressed_to_a_recipient(client) -> tuple[dict, dict, dict]:
    """A logged-in recipient with, from another structure, a draft, an unsaved form, a deposited invoice
    and one invoice made available to it."""
    _, town = await recipient_with_structure(client)
    supplier = await make_structure()
    hidden = {status: await make_invoice(supplier["id"], town["id"], status, deposited_days_ago=None if status in HIDDEN[:2] else 2)
              for status in HIDDEN}
    shown = await make_invoice(supplier["id"], town["id"], "MISE_A_DISPOSITION")
    return town, hidden, shown


@pytest.mark.parametrize("query", [{"etat": "BROUILLON"}, {"etat": "PROVISOIRE"}, {"etat": ["BROUILLON", "PROVISOIRE"]},
                                   {"etat": "DEPOSEE"}, {"colonne": "brouillon"},
                                   {"colonne": "suspendue", "etat": "MISE_A_DISPOSITION"}])
async def test_a_recipient_asking_for_states_it_never_sees_lists_nothing(client, query):
    town, hidden, shown = await _addressed_to_a_recipient(client)
    page = await client.get("/api/invoice-list", params={"cote": "R", "structure": town["id"], **query})
    assert page.status_code == 200, page.text
    assert page.json()["rows"] == []
    everything = (await client.get("/api/invoice-list", params={"cote": "R", "structure": town["id"]})).json()["rows"]
    assert [r["id"] for r in everything] == [shown["id"]]


async def test_a_recipient_exporting_drafts_gets_an_empty_file(client, worker):
    town, hidden, shown = await _addressed_to_a_recipient(client)
    for query in (f"cote=R&structure={town['id']}&etat=BROUILLON&etat=PROVISOIRE", "cote=R&etat=BROUILLON"):
        rows = list(csv.reader(io.StringIO((await _export(client, query, "csv")).decode("utf-8-sig")), delimiter=";"))
        assert rows[1:] == [], query


async def _typing_supplier(client) -> tuple[dict, dict]:
    """A logged-in supplier under a mandate (so it may type invoices in) and a recipient."""
    user, structure = await supplier_with_structure(client)
    await _mandate(client, structure, user)
    return structure, await make_structure(public=True, services=(("S1", "Service un"),))


async def _credit_note_of(client, structure: dict, recipient: dict, credited_id) -> object:
    header = {**await _header(recipient, f"AV-{credited_id}"), "kind": "AVOIR", "credit_note_of_id": credited_id}
    return await client.post("/api/invoices/manual", json={"structure_id": structure["id"], "header": header, "lines": LINES})


async def test_a_credit_note_cannot_credit_another_structures_invoice(client):
    structure, recipient = await _typing_supplier(client)
    victim = await make_invoice((await make_structure())["id"], recipient["id"], "MISE_A_DISPOSITION", number="SECRET-42")
    refused = await _credit_note_of(client, structure, recipient, victim["id"])
    assert refused.status_code == 400, refused.text
    assert refused.json()["code"] == "avoir_impossible" and refused.json()["message"] == "Un avoir se crée à partir d'une facture envoyée."
    assert "SECRET-42" not in refused.text
    async with connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM invoice WHERE credit_note_of_id = $1", victim["id"]) == 0
        assert await conn.fetchval("SELECT count(*) FROM invoice WHERE supplier_structure_id = $1", structure["id"]) == 0


async def test_a_credit_note_credits_only_a_sent_invoice_of_its_own_structure(client):
    structure, recipient = await _typing_supplier(client)
    draft = await make_invoice(structure["id"], recipient["id"], "BROUILLON", deposited_days_ago=None)
    sent = await make_invoice(structure["id"], recipient["id"], "MISE_A_DISPOSITION")
    for credited_id in (draft["id"], 987654321):
        assert (await _credit_note_of(client, structure, recipient, credited_id)).json()["code"] == "avoir_impossible"
    accepted = await _credit_note_of(client, structure, recipient, sent["id"])
    assert accepted.status_code == 201, accepted.text
    # A credit note is not an invoice one may credit in turn.
    assert (await _credit_note_of(client, structure, recipient, accepted.json()["id"])).json()["code"] == "avoir_impossible"
    assert (await client.get(f"/api/invoices/{accepted.json()['id']}/credit-note")).json()["code"] == "avoir_impossible"


async def test_a_recipients_live_topic_hears_of_an_invoice_only_once_it_is_deposited(client):
    _, structure, recipient = await typed_in_draft(client)
    async with get_hub().listen([f"structure:{recipient['id']}"]) as heard, get_hub().listen([f"structure:{structure['id']}"]) as own:
        invoice_id = await create(client, structure, recipient, "LIVE-1")
        await status_event(own, invoice_id, "BROUILLON")  # the supplier's topic hears of its draft
        changed = await client.put(f"/api/invoices/{invoice_id}/manual", json={
            "structure_id": structure["id"], "header": await _header(recipient, "LIVE-1"), "lines": LINES[:1]})
        assert changed.status_code == 200, changed.text
        assert (await client.post(f"/api/invoices/{invoice_id}/manual/send")).status_code == 200
        statuses = []  # what the recipient's topic heard of this invoice, up to its deposit
        while "DEPOSEE" not in statuses:
            event = await asyncio.wait_for(heard.get(), 5)
            if event.type == "invoice.status" and event.data["id"] == invoice_id:
                statuses.append(event.data["status"])
    assert statuses == ["DEPOSEE"]


def test_a_drafts_moves_go_to_its_supplier_alone():
    draft = {"id": 7, "supplier_structure_id": 1, "recipient_structure_id": 2, "holder_structure_id": 3,
             "project_manager_structure_id": None}
    for status in ("BROUILLON", "PROVISOIRE"):
        assert status_topics({**draft, "status": status}) == ["structure:1", "invoice:7"]
    assert set(status_topics({**draft, "status": "DEPOSEE"})) == {"structure:1", "structure:2", "structure:3", "invoice:7"}
