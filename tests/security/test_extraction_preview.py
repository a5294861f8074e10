"""The page preview of an invoice's PDF is as private as the invoice (issue 18)."""

from __future__ import annotations

from tests.api.invoices.helpers import provisional_invoice
from tests.support.factories import supplier_with_structure


async def test_another_users_invoice_page_is_not_found(client, anonymous):
    invoice, _, _ = await provisional_invoice(client)
    file_id = invoice["files"][0]["id"]
    path = f"/api/invoices/{invoice['id']}/files/{file_id}/pages/1"
    assert (await anonymous.get(path)).status_code in (401, 404)  # not logged in
    await supplier_with_structure(anonymous)  # logged in, but elsewhere
    assert (await anonymous.get(path)).status_code == 404
    assert (await client.get(path)).status_code == 200


async def test_a_file_of_another_invoice_cannot_be_previewed_through_ones_own(client):
    mine, structure, _ = await provisional_invoice(client)
    other, _, _ = await provisional_invoice(client, structure=structure)
    response = await client.get(f"/api/invoices/{mine['id']}/files/{other['files'][0]['id']}/pages/1")
    assert response.status_code == 404
