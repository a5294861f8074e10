"""« Dupliquer » creates nothing until the user saves (issue 16): the prefill routes only read; the first
save of the prefilled form creates the copy through the unit of work (CREATE history row, event)."""

from __future__ import annotations

import pytest

from backend.infra.database import connection
from backend.infra.events import get_hub
from tests.api.manual.test_manual_flows import history, sent_invoice, status_event


async def invoice_rows(structure_id: int) -> int:
    async with connection() as conn:
        return await conn.fetchval("SELECT count(*) FROM invoice WHERE supplier_structure_id = $1", structure_id)


@pytest.mark.parametrize("route,kind", [("duplicate", "FACTURE"), ("credit-note", "AVOIR")])
async def test_the_prefill_creates_nothing_and_its_first_save_creates_the_copy(client, worker, route, kind):
    user, structure, recipient, invoice_id = await sent_invoice(client)
    before = await invoice_rows(structure["id"])
    form = await client.get(f"/api/invoices/{invoice_id}/{route}")
    assert form.status_code == 200, form.text
    prefill = form.json()
    assert await invoice_rows(structure["id"]) == before  # reading the form wrote nothing
    header = prefill["header"]
    assert header["number"] == "" and header["invoice_date"] == "" and header["duplicated_from_id"] == str(invoice_id)
    assert header["kind"] == kind and header.get("credit_note_of_id") == (str(invoice_id) if kind == "AVOIR" else None)
    assert prefill["recipient_siret"] == recipient["identifier"] and len(prefill["lines"]) == 3
    assert prefill["lines"][1]["unit_price"] == "17.35"

    async with get_hub().listen([f"structure:{structure['id']}"]) as queue:
        created = await client.post("/api/invoices/manual", json={
            "structure_id": prefill["structure_id"], "lines": prefill["lines"],
            "header": {**header, "number": f"COPY-{route}", "invoice_date": "2026-04-01", "recipient_siret": prefill["recipient_siret"]}})
        assert created.status_code == 201, created.text
        copy_id = created.json()["id"]
        await status_event(queue, copy_id, "BROUILLON")
    assert await invoice_rows(structure["id"]) == before + 1
    assert await history(copy_id) == [(None, "BROUILLON", "CREATE", user["id"])]
    async with connection() as conn:
        row = await conn.fetchrow("SELECT kind, source, duplicated_from_id, credit_note_of_id, number FROM invoice WHERE id = $1", copy_id)
    assert tuple(row) == (kind, "DUPLICATION", invoice_id, invoice_id if kind == "AVOIR" else None, f"COPY-{route}")


async def test_a_copy_names_only_an_invoice_of_its_own_structure(client, worker):
    _, structure, _, invoice_id = await sent_invoice(client)
    _, other, _, other_invoice = await sent_invoice(client)  # the same client: now the other supplier's user
    before = await invoice_rows(other["id"])
    refused = await client.post("/api/invoices/manual", json={
        "structure_id": other["id"], "header": {"duplicated_from_id": str(invoice_id)}, "lines": []})
    assert refused.status_code == 404, refused.text
    assert await invoice_rows(other["id"]) == before
    assert (await client.get(f"/api/invoices/{invoice_id}/duplicate")).status_code == 404  # not theirs to read
    bad = await client.post("/api/invoices/manual", json={"structure_id": other["id"], "header": {"duplicated_from_id": "abc"}, "lines": []})
    assert bad.status_code == 422 and bad.json()["field"] == "duplicated_from_id", bad.text
