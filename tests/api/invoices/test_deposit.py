"""Depositing a PDF invoice through the API: upload, reading, prefilled invoice, send, routing."""

from __future__ import annotations

from tests.api.invoices.helpers import provisional_invoice, unique_number, wait_status


async def test_an_uploaded_pdf_is_read_and_becomes_a_prefilled_provisional_invoice(client, worker):
    number = unique_number()
    invoice, structure, target = await provisional_invoice(client, number=number)
    assert invoice["status"] == "PROVISOIRE"
    assert invoice["number"] == number
    assert invoice["recipient"]["id"] == target["id"]
    assert invoice["recipient_service"]["code"] == "28E"
    assert invoice["engagement_number"] == "EJ-2026-778"
    assert (invoice["total_ht"], invoice["total_tva"], invoice["total_ttc"]) == ("225.00", "30.50", "255.50")
    assert invoice["invoice_date"] == "2026-03-12"
    assert invoice["extraction"]["fields"]["invoice_number"]["page"] == 1
    assert [f["role"] for f in invoice["files"]] == ["principal"]


async def test_a_sent_invoice_is_deposited_then_routed_to_its_recipient(client, worker):
    invoice, structure, target = await provisional_invoice(client)
    sent = await client.post(f"/api/invoices/{invoice['id']}/send", json={"version": invoice["version"]})
    assert sent.status_code == 200, sent.text
    assert sent.json()["status"] == "DEPOSEE"
    assert sent.json()["deposit_number"].startswith("DEP-")
    routed = await wait_status(client, invoice["id"], "MISE_A_DISPOSITION")
    assert [h["status_to"] for h in routed["history"]] == ["PROVISOIRE", "DEPOSEE", "EN_COURS_ACHEMINEMENT", "MISE_A_DISPOSITION"]
    assert routed["history"][1]["actor"] is not None and routed["history"][2]["actor"] is None
