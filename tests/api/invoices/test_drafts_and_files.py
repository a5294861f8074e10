"""Drafts, attachments, files, the deposit certificate, the supplier's list, cleanup of abandoned uploads."""

from __future__ import annotations

import io

from backend.domain.invoices.jobs import cleanup_uploads
from backend.infra.database import connection
from backend.settings import get_settings
from tests.api.invoices.helpers import provisional_invoice, upload
from tests.support.factories import attach, login, make_user, supplier_with_structure
from shared.applications import Application, Level

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


async def storage_key(file_id: int) -> str:
    async with connection() as conn:
        return await conn.fetchval("SELECT storage_key FROM invoice_file WHERE id = $1", file_id)


async def test_a_draft_keeps_its_attachments_and_gives_them_back_for_download(client):
    invoice, structure, _ = await provisional_invoice(client)
    piece = (await upload(client, PNG, structure_id=structure["id"], role="piece_jointe", name="plan.png")).json()
    saved = await client.patch(f"/api/invoices/{invoice['id']}", json={
        "attachments": [{"file_id": piece["id"], "designation": "Plan du chantier"}], "save_draft": True})
    assert saved.status_code == 200, saved.text
    files = saved.json()["files"]
    assert [(f["role"], f["designation"]) for f in files] == [("principal", None), ("piece_jointe", "Plan du chantier")]
    download = await client.get(f"/api/invoices/{invoice['id']}/files/{piece['id']}")
    assert download.status_code == 200
    assert download.content == PNG
    assert download.headers["content-type"] == "image/png"
    assert "plan.png" in download.headers["content-disposition"]
    # The headers every stored file is downloaded with (infra.uploads.stored_download).
    assert download.headers["content-length"] == str(len(PNG)) and download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-disposition"].startswith("attachment")


async def test_removing_an_attachment_deletes_its_file(client):
    invoice, structure, _ = await provisional_invoice(client)
    piece = (await upload(client, PNG, structure_id=structure["id"], role="piece_jointe")).json()
    await client.patch(f"/api/invoices/{invoice['id']}", json={"attachments": [{"file_id": piece["id"]}]})
    key = await storage_key(piece["id"])
    assert (get_settings().storage_dir / key).exists()
    kept = await client.patch(f"/api/invoices/{invoice['id']}", json={"attachments": []})
    assert [f["role"] for f in kept.json()["files"]] == ["principal"]
    assert not (get_settings().storage_dir / key).exists()


async def test_someone_elses_upload_cannot_be_attached(client, anonymous):
    invoice, structure, _ = await provisional_invoice(client)
    _, other_structure = await supplier_with_structure(anonymous)
    foreign = (await upload(anonymous, PNG, structure_id=other_structure["id"], role="piece_jointe")).json()
    response = await client.patch(f"/api/invoices/{invoice['id']}", json={"attachments": [{"file_id": foreign["id"]}]})
    assert response.status_code == 422
    assert response.json()["code"] == "piece_jointe_introuvable"


async def test_cancelling_a_provisional_invoice_removes_it_and_its_files(client):
    invoice, structure, _ = await provisional_invoice(client)
    main_key = await storage_key(invoice["files"][0]["id"])
    assert (await client.delete(f"/api/invoices/{invoice['id']}")).status_code == 204
    assert (await client.get(f"/api/invoices/{invoice['id']}")).status_code == 404
    assert not (get_settings().storage_dir / main_key).exists()
    async with connection() as conn:
        left = await conn.fetchval("SELECT coalesce(sum(count), 0) FROM invoice_daily_count WHERE side = 'S' AND structure_id = $1",
                                   structure["id"])
    assert left == 0


async def test_a_deposited_invoice_cannot_be_deleted(client):
    invoice, _, _ = await provisional_invoice(client)
    await client.post(f"/api/invoices/{invoice['id']}/send", json={})
    response = await client.delete(f"/api/invoices/{invoice['id']}")
    assert response.status_code == 409
    assert response.json()["message"] == "Seule une facture provisoire ou en brouillon peut être supprimée."


async def test_uploads_never_used_are_cleaned_up_after_a_day(client):
    _, structure = await supplier_with_structure(client)
    old = (await upload(client, PNG, structure_id=structure["id"], role="piece_jointe")).json()
    fresh = (await upload(client, PNG, structure_id=structure["id"], role="piece_jointe")).json()
    old_key = await storage_key(old["id"])
    async with connection() as conn:
        await conn.execute("UPDATE invoice_file SET created_at = now() - interval '25 hours' WHERE id = $1", old["id"])
    assert await cleanup_uploads() >= 1
    assert await storage_key(old["id"]) is None
    assert not (get_settings().storage_dir / old_key).exists()
    assert await storage_key(fresh["id"]) is not None


async def test_the_deposit_certificate_is_a_pdf_with_the_deposit_number_and_amounts(client):
    import pdfplumber

    invoice, _, _ = await provisional_invoice(client)
    assert (await client.get(f"/api/invoices/{invoice['id']}/certificate.pdf")).status_code == 404
    sent = (await client.post(f"/api/invoices/{invoice['id']}/send", json={})).json()
    response = await client.get(f"/api/invoices/{invoice['id']}/certificate.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    text = pdfplumber.open(io.BytesIO(response.content)).pages[0].extract_text()
    assert sent["deposit_number"] in text
    assert "255,50 EUR" in text and invoice["number"] in text


async def test_the_list_pages_through_a_structures_invoices_newest_first(client):
    first, structure, _ = await provisional_invoice(client)
    second, _, _ = await provisional_invoice(client, structure=structure)
    third, _, target = await provisional_invoice(client, structure=structure)
    page = (await client.get("/api/invoices", params={"structure_id": structure["id"], "limit": 2})).json()
    assert [i["id"] for i in page["items"]] == [third["id"], second["id"]]
    rest = (await client.get("/api/invoices", params={"structure_id": structure["id"], "limit": 2, "after": page["next"]})).json()
    assert [i["id"] for i in rest["items"]] == [first["id"]] and rest["next"] is None
    assert page["items"][0]["recipient"]["name"] == target["raison_sociale"]


async def test_a_user_not_attached_to_the_supplier_sees_nothing(client, anonymous):
    invoice, structure, _ = await provisional_invoice(client)
    await supplier_with_structure(anonymous)  # logged in, but elsewhere
    file_id = invoice["files"][0]["id"]
    for path in (f"/api/invoices/{invoice['id']}", f"/api/invoices/{invoice['id']}/files/{file_id}",
                 f"/api/invoices/{invoice['id']}/certificate.pdf"):
        assert (await anonymous.get(path)).status_code == 404, path
    assert (await anonymous.get("/api/invoices", params={"structure_id": structure["id"]})).status_code == 404
    assert (await anonymous.patch(f"/api/invoices/{invoice['id']}", json={"number": "X"})).status_code == 404
    assert (await anonymous.post(f"/api/invoices/{invoice['id']}/send", json={})).status_code == 404
    assert (await anonymous.delete(f"/api/invoices/{invoice['id']}")).status_code == 404


async def test_a_consultation_profile_reads_but_cannot_edit(client, anonymous):
    invoice, structure, _ = await provisional_invoice(client)
    reader = await make_user()
    await attach(reader["id"], structure["id"], profiles={Application.FACTURES_EMISES: Level.CONSULTATION})
    await login(anonymous, reader["email"], reader["password"])
    assert (await anonymous.get(f"/api/invoices/{invoice['id']}")).status_code == 200
    assert (await anonymous.patch(f"/api/invoices/{invoice['id']}", json={"number": "X"})).status_code == 403
    assert (await anonymous.post(f"/api/invoices/{invoice['id']}/send", json={})).status_code == 403


async def test_the_recipient_sees_the_invoice_once_made_available_but_never_a_draft(client, anonymous):
    invoice, _, target = await provisional_invoice(client)
    clerk = await make_user()
    await attach(clerk["id"], target["id"], profiles={Application.FACTURES_RECUES: Level.MODIFICATION})
    await login(anonymous, clerk["email"], clerk["password"])
    assert (await anonymous.get(f"/api/invoices/{invoice['id']}")).status_code == 404
    await client.post(f"/api/invoices/{invoice['id']}/send", json={})
    from tests.api.invoices.helpers import wait_status

    await wait_status(client, invoice["id"], "MISE_A_DISPOSITION")
    seen = await anonymous.get(f"/api/invoices/{invoice['id']}")
    assert seen.status_code == 200
    assert (await anonymous.get(f"/api/invoices/{invoice['id']}/files/{invoice['files'][0]['id']}")).status_code == 200
