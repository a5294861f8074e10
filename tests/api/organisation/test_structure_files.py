"""A structure's pièces-jointes (« Créer / Télécharger une pièce-jointe ») against the real PostgreSQL and
Redis: upload with the invoice files' checks, list, download, delete, the journal, who may do what, and no
file left behind when the row's transaction fails."""

from __future__ import annotations

import pytest

from backend.domain.structures import organisation
from backend.infra import storage
from backend.infra.database import connection
from shared.applications import Application, Level
from tests.api.organisation.test_organisation import mairie_with_manager, session_of
from tests.support.factories import attach, make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def stored_files() -> set[str]:
    folder = storage.root() / "structures"
    return {p.relative_to(storage.root()).as_posix() for p in folder.rglob("*") if p.is_file()} if folder.is_dir() else set()


def files_url(structure: dict) -> str:
    return f"/api/organisation/structures/{structure['id']}/files"


async def test_a_manager_adds_lists_downloads_and_deletes_a_pieces_jointe(app, client):
    manager, mairie = await mairie_with_manager()
    async with session_of(app, manager) as http:
        added = await http.post(files_url(mairie), params={"name": "../../Kbis été.pdf", "designation": "  Extrait   Kbis "}, content=PDF)
        assert added.status_code == 201, added.text
        body = added.json()
        # the name is a display name only (no path), the designation's spaces are tidied, the type is the content's
        assert (body["original_name"], body["designation"], body["content_type"], body["size"]) == (
            "Kbis été.pdf", "Extrait Kbis", "application/pdf", len(PDF))
        listed = (await http.get(files_url(mairie))).json()
        assert [f["id"] for f in listed] == [body["id"]]
        download = await http.get(f"{files_url(mairie)}/{body['id']}")
        assert download.status_code == 200 and download.content == PDF
        assert download.headers["content-type"] == "application/pdf" and download.headers["x-content-type-options"] == "nosniff"
        assert "Kbis" in download.headers["content-disposition"] and download.headers["content-disposition"].startswith("attachment")
        async with connection() as conn:
            key = await conn.fetchval("SELECT storage_key FROM structure_file WHERE id = $1", body["id"])
        assert storage.exists(key)
        # without a designation, it is the file's name
        second = (await http.post(files_url(mairie), params={"name": "statuts.png"}, content=b"\x89PNG\r\n\x1a\n" + b"\0" * 20)).json()
        assert second["designation"] == "statuts.png" and second["content_type"] == "image/png"
        assert (await http.delete(f"{files_url(mairie)}/{body['id']}")).json() == {"status": "supprime"}
        assert not storage.exists(key), "the file goes with its row"
        assert [f["id"] for f in (await http.get(files_url(mairie))).json()] == [second["id"]]
        assert (await http.get(f"{files_url(mairie)}/{body['id']}")).status_code == 404
        assert (await http.delete(f"{files_url(mairie)}/{body['id']}")).status_code == 404
        journal = (await http.get(f"/api/organisation/structures/{mairie['id']}/journal")).json()
    kinds = [e["kind"] for e in journal]
    assert kinds[:3] == ["piece_jointe_supprimee", "piece_jointe_ajoutee", "piece_jointe_ajoutee"]
    assert journal[0]["details"]["file"] == "Kbis été.pdf" and journal[0]["actor"]


@pytest.mark.parametrize(("content", "code", "status"), [
    (b"", "type_refuse", 415),
    (b"MZ\x90\x00" + b"\0" * 100, "type_refuse", 415),                       # an executable named .pdf
    (b"<!doctype html><script>alert(1)</script>", "type_refuse", 415),      # HTML: a browser would run it
])
async def test_a_refused_file_is_not_kept(app, client, content, code, status):
    manager, mairie = await mairie_with_manager()
    before = stored_files()
    async with session_of(app, manager) as http:
        refused = await http.post(files_url(mairie), params={"name": "facture.pdf"}, content=content)
        assert refused.status_code == status and refused.json()["code"] == code
        assert refused.json()["message"] and refused.json()["message_en"]
        assert (await http.get(files_url(mairie))).json() == []
    assert stored_files() == before


async def test_past_30_mb_the_upload_is_refused_with_nothing_kept(app, client):
    manager, mairie = await mairie_with_manager()
    before = stored_files()
    async with session_of(app, manager) as http:
        big = await http.post(files_url(mairie), params={"name": "gros.pdf"}, content=PDF + b"0" * (30 * 1024 * 1024))
        assert big.status_code == 413 and big.json()["code"] == "fichier_trop_volumineux"
        long_label = await http.post(files_url(mairie), params={"name": "a.pdf", "designation": "x" * 201}, content=PDF)
        assert long_label.status_code == 400 and long_label.json()["code"] == "champ_trop_long"
        assert long_label.json()["field"] == "designation"
    assert stored_files() == before


async def test_no_file_is_left_when_the_row_s_transaction_fails(app, client, monkeypatch):
    manager, mairie = await mairie_with_manager()
    async with session_of(app, manager) as http:
        kept = (await http.post(files_url(mairie), params={"name": "garde.pdf"}, content=PDF)).json()
        before = stored_files()

        async def journal_down(*_args, **_kwargs):
            raise RuntimeError("journal unavailable")

        monkeypatch.setattr(organisation, "record", journal_down)
        failed = await http.post(files_url(mairie), params={"name": "perdu.pdf"}, content=PDF)
        assert failed.status_code == 500
        assert stored_files() == before, "the upload's file went with its rolled-back row"
        assert (await http.delete(f"{files_url(mairie)}/{kept['id']}")).status_code == 500
        assert stored_files() == before, "a rolled-back deletion keeps its file"
        monkeypatch.undo()
        assert [f["id"] for f in (await http.get(files_url(mairie))).json()] == [kept["id"]]
        assert (await http.get(f"{files_url(mairie)}/{kept['id']}")).content == PDF


async def test_consultation_reads_modification_changes_other_structures_do_not_see(app, client):
    manager, mairie = await mairie_with_manager()
    reader, clerk = await make_user(), await make_user()
    await attach(reader["id"], mairie["id"], profiles={Application.ORGANISATION: Level.CONSULTATION})
    await attach(clerk["id"], mairie["id"], profiles={Application.FACTURES_RECUES: Level.MODIFICATION})
    other_manager, other = await mairie_with_manager()
    async with session_of(app, manager) as http:
        file_id = (await http.post(files_url(mairie), params={"name": "kbis.pdf"}, content=PDF)).json()["id"]
    async with session_of(app, reader) as http:
        assert [f["id"] for f in (await http.get(files_url(mairie))).json()] == [file_id]
        assert (await http.get(f"{files_url(mairie)}/{file_id}")).content == PDF
        refused = await http.post(files_url(mairie), params={"name": "b.pdf"}, content=PDF)
        assert refused.status_code == 403 and refused.json()["code"] == "profil_consultation"
        assert (await http.delete(f"{files_url(mairie)}/{file_id}")).status_code == 403
    async with session_of(app, clerk) as http:  # attached, without an Organisation profile
        assert (await http.get(files_url(mairie))).status_code == 403
    async with session_of(app, other_manager) as http:
        assert (await http.get(files_url(mairie))).status_code == 404
        assert (await http.get(f"{files_url(mairie)}/{file_id}")).status_code == 404
        assert (await http.post(files_url(mairie), params={"name": "b.pdf"}, content=PDF)).status_code == 404
        # its own structure's path does not reach the other structure's file either
        assert (await http.get(f"{files_url(other)}/{file_id}")).status_code == 404
        assert (await http.delete(f"{files_url(other)}/{file_id}")).status_code == 404
    async with session_of(app, manager) as http:
        assert [f["id"] for f in (await http.get(files_url(mairie))).json()] == [file_id]
