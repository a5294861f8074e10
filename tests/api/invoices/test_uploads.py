"""Uploads: size and type refused by content, unreadable PDFs explained and removed, scans read by hand."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from backend.infra.database import connection
from backend.settings import get_settings
from tests.api.invoices.helpers import pdf_bytes, upload, wait_extracted
from tests.pdfgen import make_invoice_pdf
from tests.support.factories import attach, make_user, login, supplier_with_structure
from shared.applications import Application, Level

MB = 1024 * 1024


def stored_files() -> set[Path]:
    root = get_settings().storage_dir
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


async def upload_rows(user_id: int) -> int:
    async with connection() as conn:
        return await conn.fetchval("SELECT count(*) FROM invoice_file WHERE uploaded_by = $1", user_id)


async def test_a_renamed_file_that_is_not_a_pdf_is_refused_by_its_content(client):
    user, structure = await supplier_with_structure(client)
    before = stored_files()
    response = await upload(client, b"PK\x03\x04" + os.urandom(2000), structure_id=structure["id"], name="facture.pdf")
    assert response.status_code == 415
    assert response.json()["message"] == "Le fichier n'est pas un PDF : déposez la facture au format PDF."
    assert await upload_rows(user["id"]) == 0
    assert stored_files() == before


async def test_a_31_mb_file_is_refused_and_nothing_is_kept(client):
    user, structure = await supplier_with_structure(client)
    before = stored_files()
    response = await upload(client, b"%PDF-1.4\n" + b"0" * (31 * MB), structure_id=structure["id"])
    assert response.status_code == 413
    assert response.json() == {"code": "fichier_trop_volumineux", "message": "Le fichier dépasse 30 Mo.",
                               "message_en": "The file exceeds 30 MB.", "field": "file"}
    assert await upload_rows(user["id"]) == 0
    assert stored_files() == before


async def test_a_file_past_30_mb_is_refused_even_when_its_content_length_lies(client):
    user, structure = await supplier_with_structure(client)
    before = stored_files()

    async def body():
        yield b"%PDF-1.4\n"
        for _ in range(31):
            yield b"0" * MB

    lying = await upload(client, body(), structure_id=structure["id"], headers={"Content-Length": "1000"})
    chunked = await upload(client, body(), structure_id=structure["id"])
    assert (lying.status_code, chunked.status_code) == (413, 413)
    assert lying.json()["message"] == chunked.json()["message"] == "Le fichier dépasse 30 Mo."
    assert await upload_rows(user["id"]) == 0
    assert stored_files() == before


async def test_a_file_of_exactly_30_mb_is_accepted(client):
    _, structure = await supplier_with_structure(client)
    content, _ = pdf_bytes()
    content += b"\n%" + b"0" * (30 * MB - len(content) - 2)
    assert len(content) == 30 * MB
    # as an attachment: the same limit, without reading 30 MB of padding as an invoice
    response = await upload(client, content, structure_id=structure["id"], role="piece_jointe")
    assert response.status_code == 201, response.text
    assert response.json()["size"] == 30 * MB


async def test_an_upload_is_hashed_and_stored_under_a_generated_name(client, worker):
    import hashlib

    _, structure = await supplier_with_structure(client)
    content, _ = pdf_bytes()
    response = await upload(client, content, structure_id=structure["id"], name="../../etc/passwd.pdf")
    body = response.json()
    assert response.status_code == 201
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["original_name"] == "passwd.pdf"
    async with connection() as conn:
        key = await conn.fetchval("SELECT storage_key FROM invoice_file WHERE id = $1", body["id"])
    assert key.startswith("uploads/") and "passwd" not in key


async def test_an_encrypted_pdf_is_explained_and_its_file_deleted(client, worker, tmp_path):
    _, structure = await supplier_with_structure(client)
    make_invoice_pdf(tmp_path / "secret.pdf", encrypted=True)
    response = await upload(client, (tmp_path / "secret.pdf").read_bytes(), structure_id=structure["id"])
    assert response.status_code == 201
    state = await wait_extracted(client, response.json()["id"])
    assert state["extraction_status"] == "echec"
    assert state["extraction"]["error"]["message"] == "Ce PDF est protégé par un mot de passe : déposez une version non chiffrée."
    async with connection() as conn:
        key = await conn.fetchval("SELECT storage_key FROM invoice_file WHERE id = $1", response.json()["id"])
    assert not (get_settings().storage_dir / key).exists()
    created = await client.post("/api/invoices", json={"upload_id": response.json()["id"], "structure_id": structure["id"]})
    assert created.status_code == 422
    assert created.json()["code"] == "encrypted"


async def test_a_corrupt_pdf_is_explained_and_its_file_deleted(client, worker):
    _, structure = await supplier_with_structure(client)
    response = await upload(client, b"%PDF-1.7\n" + os.urandom(5000), structure_id=structure["id"])
    assert response.status_code == 201
    state = await wait_extracted(client, response.json()["id"])
    assert state["extraction_status"] == "echec"
    assert state["extraction"]["error"]["message"] == "Ce PDF est endommagé et ne peut pas être lu."


async def test_a_scanned_pdf_asks_for_manual_entry_and_still_gives_an_invoice_to_fill(client, worker, tmp_path):
    _, structure = await supplier_with_structure(client)
    make_invoice_pdf(tmp_path / "scan.pdf", scanned=True)
    response = await upload(client, (tmp_path / "scan.pdf").read_bytes(), structure_id=structure["id"])
    state = await wait_extracted(client, response.json()["id"])
    assert state["extraction_status"] == "pret"
    assert state["extraction"]["kind"] == "scanned"
    assert "saisissez les informations manuellement" in state["extraction"]["message"]
    created = await client.post("/api/invoices", json={"upload_id": response.json()["id"], "structure_id": structure["id"]})
    assert created.status_code == 201
    assert created.json()["number"] is None and created.json()["total_ttc"] is None


async def test_attachments_accept_images_xml_csv_and_refuse_other_types(client):
    _, structure = await supplier_with_structure(client)
    png = b"\x89PNG\r\n\x1a\n" + os.urandom(100)
    csv = "date;montant\n2026-03-01;12,50\n2026-03-02;13,00\n".encode()
    ok_png = await upload(client, png, structure_id=structure["id"], role="piece_jointe", name="photo.png")
    ok_csv = await upload(client, csv, structure_id=structure["id"], role="piece_jointe", name="releve.csv")
    refused = await upload(client, b"MZ\x90\x00" + os.urandom(300), structure_id=structure["id"], role="piece_jointe",
                           name="bon.pdf")
    assert (ok_png.status_code, ok_csv.status_code) == (201, 201)
    assert (ok_png.json()["content_type"], ok_csv.json()["content_type"]) == ("image/png", "text/csv")
    assert "job" not in ok_png.json()
    assert refused.status_code == 415
    assert refused.json()["message"].startswith("Type de fichier refusé")


async def test_uploading_needs_the_issued_invoices_modification_profile(client):
    user = await make_user()
    _, structure = await supplier_with_structure()
    await attach(user["id"], structure["id"], profiles={Application.FACTURES_EMISES: Level.CONSULTATION})
    await login(client, user["email"], user["password"])
    content, _ = pdf_bytes()
    assert (await upload(client, content, structure_id=structure["id"])).status_code == 403
    assert (await upload(client, content)).status_code == 403
    _, other = await supplier_with_structure()
    assert (await upload(client, content, structure_id=other["id"])).status_code == 404


async def test_an_anonymous_upload_is_refused(anonymous):
    content, _ = pdf_bytes()
    assert (await upload(anonymous, content)).status_code == 401


async def test_an_upload_cancelled_midway_leaves_no_file_and_no_row(client, app):
    user, structure = await supplier_with_structure(client)
    before = stored_files()
    cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/api/invoices/uploads", "raw_path": b"/api/invoices/uploads",
             "query_string": f"role=principal&structure_id={structure['id']}&name=f.pdf".encode(), "root_path": "",
             "headers": [(b"host", b"testserver.local"), (b"origin", b"http://testserver.local"), (b"cookie", cookie.encode()), (b"content-length", str(10 * MB).encode())],
             "client": ("127.0.0.1", 1234), "server": ("testserver.local", 80)}
    messages = [{"type": "http.request", "body": b"%PDF-1.4\n" + b"0" * MB, "more_body": True},
                {"type": "http.request", "body": b"0" * MB, "more_body": True},
                {"type": "http.disconnect"}]  # the user pressed « Annuler l'envoi »
    sent = []

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    assert sent[0]["status"] == 400  # streaming had begun: not refused up front, and not an internal error
    assert await upload_rows(user["id"]) == 0
    assert stored_files() == before


async def test_the_reading_job_announces_every_step_in_order_and_ready_once_the_result_is_stored(client, worker):
    """The steps go out in one Redis round trip while the result is written (issue 18's job path): still in
    order, and « prêt » only once whoever reacts to it finds the fields."""
    from backend.infra.events import get_hub

    _, structure = await supplier_with_structure(client)
    content, expected = pdf_bytes(layout="classic")
    async with get_hub().listen(["session:etapes"]) as queue:
        response = await client.post("/api/invoices/uploads", params={"role": "principal", "structure_id": structure["id"],
                                                                      "name": "f.pdf", "topic": "session:etapes"},
                                     content=content, headers={"Content-Type": "application/octet-stream"})
        assert response.status_code == 201
        file_id = response.json()["id"]
        steps = []
        while not steps or steps[-1] != "pret":
            event = await asyncio.wait_for(queue.get(), 30)
            if event.data.get("file_id") == file_id:
                steps.append(event.data["step"])
                if event.data["step"] == "pret":
                    stored = (await client.get(f"/api/invoices/uploads/{file_id}")).json()
    assert steps == ["recu", "texte_lu", "champs_trouves", "pret"]
    assert stored["extraction_status"] == "pret"
    assert stored["extraction"]["fields"]["invoice_number"]["value"] == expected["invoice_number"]
