"""« Dupliquer » creates nothing until the user saves (issue 16): the prefill routes only read; the first
save of the prefilled form creates the copy through the unit of work (CREATE history row, event)."""

from __future__ import annotations

import pytest

from backend.domain.invoices.manual import copy_columns
from backend.domain.invoices.store import invoices as invoice_store
from backend.domain.invoices.store import lines as lines_store
from backend.infra.database import connection
from backend.infra.events import get_hub
from tests.api.manual.helpers import copy_through_prefill
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


@pytest.mark.parametrize("route,credit_note", [("duplicate", False), ("credit-note", True)])
async def test_posting_to_the_prefill_path_is_no_route_and_creates_nothing(client, route, credit_note):
    _, structure, _, invoice_id = await sent_invoice(client)
    before = await invoice_rows(structure["id"])
    refused = await client.post(f"/api/invoices/{invoice_id}/{route}")
    assert refused.status_code == 405, refused.text
    assert await invoice_rows(structure["id"]) == before
    schema = (await client.get("/schema/openapi.json")).json()["paths"][f"/api/invoices/{{invoice_id}}/{route}"]
    assert set(schema) == {"get"} and "creates nothing" in schema["get"]["description"]


@pytest.mark.parametrize("route,credit_note", [("duplicate", False), ("credit-note", True)])
async def test_the_prefill_saved_as_it_is_gives_the_draft_the_former_post_made(client, worker, route, credit_note):
    """What POST /{id}/duplicate (/credit-note) created at once — the original's parties, references and terms
    (manual.copy_columns), its lines and totals, no number, no date, a draft — the GET and the creation give."""
    _, _, _, invoice_id = await sent_invoice(client)
    created = await copy_through_prefill(client, invoice_id, route)
    assert created.status_code == 201, created.text
    original, copy = await invoice_store.get(invoice_id), await invoice_store.get(created.json()["id"])
    expected = copy_columns(original, credit_note=credit_note)
    assert {column: getattr(copy, column) for column in expected} == expected
    assert (copy.status, copy.number, copy.invoice_date, copy.deposit_number, copy.deposited_at) == ("BROUILLON", None, None, None, None)
    totals = ("total_ht", "total_tva", "total_ttc", "net_a_payer")
    assert [getattr(copy, t) for t in totals] == [getattr(original, t) for t in totals]
    # Lines and VAT breakdown rows carry no invoice id: the copy's equal the original's.
    assert await lines_store.lines_of(copy.id) == await lines_store.lines_of(original.id) != []
    assert await lines_store.vat_breakdown_of(copy.id) == await lines_store.vat_breakdown_of(original.id) != []
