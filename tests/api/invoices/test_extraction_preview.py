"""The form's preview of the deposited PDF (a page as a PNG) and what the reading prefills (issue 18)."""

from __future__ import annotations

from tests.api.invoices.helpers import pdf_bytes, provisional_invoice, recipient, unique_number, upload, wait_extracted
from tests.support.factories import supplier_with_structure


async def test_a_page_of_the_invoice_is_served_as_a_png_with_each_fields_place(client):
    invoice, _, _ = await provisional_invoice(client)
    file_id = invoice["files"][0]["id"]
    page = await client.get(f"/api/invoices/{invoice['id']}/files/{file_id}/pages/1")
    assert page.status_code == 200 and page.headers["content-type"] == "image/png"
    assert page.content.startswith(b"\x89PNG\r\n\x1a\n") and len(page.content) > 5000
    total = invoice["extraction"]["fields"]["total_ttc"]
    assert total["page"] == 1 and len(total["box"]) == 4 and total["confidence"] >= 0.9


async def test_a_page_the_pdf_does_not_have_is_not_found(client):
    invoice, _, _ = await provisional_invoice(client)
    file_id = invoice["files"][0]["id"]
    for page in (2, 4, 0):
        response = await client.get(f"/api/invoices/{invoice['id']}/files/{file_id}/pages/{page}")
        assert response.status_code == 404, page
    assert "Aperçu indisponible" in (await client.get(f"/api/invoices/{invoice['id']}/files/{file_id}/pages/2")).json()["message"]


async def test_the_depositing_structures_own_siret_is_never_its_recipient(client):
    _, structure = await supplier_with_structure(client)
    target = await recipient()
    # the PDF announces the supplier's own SIRET as the client's, and the real recipient's with no role
    content, _ = pdf_bytes(recipient_siret=structure["identifier"], supplier_siret=target["identifier"], invoice_number=unique_number())
    uploaded = await upload(client, content, structure_id=structure["id"])
    assert (await wait_extracted(client, uploaded.json()["id"]))["extraction_status"] == "pret"
    created = await client.post("/api/invoices", json={"upload_id": uploaded.json()["id"], "structure_id": structure["id"]})
    assert created.status_code == 201, created.text
    assert (created.json()["recipient"] or {}).get("id") == target["id"]


def _inconsistent_pdf(number: str) -> bytes:
    """Totals that do not add up (100 + 20 ≠ 125): each is read, none can be sure."""
    import io

    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    for y, text in ((800, f"Facture n° {number}"), (780, "Date : 12/03/2026"), (700, "Total HT : 100,00 €"),
                    (685, "TVA 20 % : 20,00 €"), (670, "Total TTC : 125,00 €")):
        pdf.drawString(300, y, text)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


async def test_a_field_below_the_threshold_is_not_prefilled_but_shown_as_a_hint(client):
    _, structure = await supplier_with_structure(client)
    number = unique_number()
    uploaded = await upload(client, _inconsistent_pdf(number), structure_id=structure["id"])
    state = await wait_extracted(client, uploaded.json()["id"])
    fields = state["extraction"]["fields"]
    assert fields["total_ttc"]["value"] == "125.00" and fields["total_ttc"]["low"] is True
    created = await client.post("/api/invoices", json={"upload_id": uploaded.json()["id"], "structure_id": structure["id"]})
    assert created.status_code == 201, created.text
    invoice = created.json()
    assert invoice["number"] == number  # sure: prefilled
    assert invoice["total_ttc"] is None and invoice["total_ht"] is None  # doubtful: left to the user
