"""Depositing a lot through the API: the archive checked at once, each invoice integrated or reported."""

from __future__ import annotations

import asyncio
import uuid

from backend.infra.database import connection
from tests.api.invoices.helpers import recipient
from tests.support.factories import make_user, attach, login, random_siret, supplier_with_structure
from tests.support.lots import archive, cii_invoice, facturx_invoice, ubl_invoice
from shared.applications import Application, Level


def number(prefix: str = "L") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8].upper()}"


async def deposit(client, structure_id: int, content: bytes, *, name: str = "lot.zip", deposit_format: str = "XML_STRUCTURE",
                  syntax: str = "CII"):
    return await client.post("/api/lots", params={"structure_id": structure_id, "deposit_format": deposit_format,
                                                  "syntax": syntax, "name": name},
                             content=content, headers={"Content-Type": "application/octet-stream"})


async def wait_processed(client, lot_id: int, timeout: float = 30) -> dict:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        body = (await client.get(f"/api/lots/{lot_id}")).json()
        if body["processed_at"]:
            return body
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"lot {lot_id} not processed: {body}")
        await asyncio.sleep(0.1)


async def lot_rows() -> tuple[int, int]:
    async with connection() as conn:
        return await conn.fetchval("SELECT count(*) FROM lot"), await conn.fetchval("SELECT count(*) FROM lot_entry")


async def test_a_lot_integrates_the_conforming_invoices_and_reports_the_others(client, worker):
    user, supplier = await supplier_with_structure(client)
    town = await recipient()
    good, also_good = number(), number()
    files = {
        "factures/1-cii.xml": cii_invoice(supplier["identifier"], town["identifier"], number=good, service_code="28E",
                                          engagement="EJ-2026-1"),
        "factures/2-avoir.xml": cii_invoice(supplier["identifier"], town["identifier"], number=also_good, type_code="381"),
        "factures/3-inconnu.xml": cii_invoice(supplier["identifier"], random_siret(), number=number()),
        "factures/4-autre-fournisseur.xml": cii_invoice(random_siret(), town["identifier"], number=number()),
        "factures/5-ubl.xml": ubl_invoice(supplier["identifier"], town["identifier"], number=number()),
        "factures/6-doublon.xml": cii_invoice(supplier["identifier"], town["identifier"], number=good),
        "lisez-moi.txt": b"notes",
        "factures/.DS_Store": b"\x00",
    }
    response = await deposit(client, supplier["id"], archive(files))
    assert response.status_code == 201, response.text
    lot = response.json()
    assert lot["number"].startswith("LOT") and lot["entry_count"] == 7 and lot["status"] == "RECU"

    report = await wait_processed(client, lot["id"])
    assert (report["status"], report["integrated_count"], report["rejected_count"]) == ("PARTIEL", 2, 5)
    entries = {e["name"]: e for e in report["entries"]}
    assert entries["factures/1-cii.xml"]["status"] == "INTEGREE" and entries["factures/1-cii.xml"]["invoice_number"] == good
    assert entries["factures/2-avoir.xml"]["status"] == "INTEGREE"
    codes = {name: [a["code"] for a in e["anomalies"]] for name, e in entries.items() if e["status"] == "REJETEE"}
    assert codes == {
        "factures/3-inconnu.xml": ["destinataire_inconnu"],
        "factures/4-autre-fournisseur.xml": ["fournisseur_incoherent"],
        "factures/5-ubl.xml": ["syntaxe_incoherente"],
        "factures/6-doublon.xml": ["numero_deja_utilise"],
        "lisez-moi.txt": ["extension_refusee"],
    }
    assert all(a["message"] and a["message_en"] for e in report["entries"] for a in e["anomalies"])

    invoice = (await client.get(f"/api/invoices/{entries['factures/1-cii.xml']['invoice_id']}")).json()
    assert invoice["source"] == "LOT" and invoice["status"] in ("DEPOSEE", "MISE_A_DISPOSITION")
    assert (invoice["total_ht"], invoice["total_tva"], invoice["total_ttc"]) == ("125.00", "25.00", "150.00")
    assert invoice["recipient"]["id"] == town["id"] and invoice["recipient_service"]["code"] == "28E"
    assert invoice["engagement_number"] == "EJ-2026-1" and invoice["invoice_date"] == "2026-03-12"
    assert [f["original_name"] for f in invoice["files"] if f["role"] == "principal"] == ["1-cii.xml"]
    credit = (await client.get(f"/api/invoices/{entries['factures/2-avoir.xml']['invoice_id']}")).json()
    assert credit["kind"] == "AVOIR"

    listed = (await client.get("/api/lots", params={"structure_id": supplier["id"]})).json()
    assert [item["id"] for item in listed["items"]] == [lot["id"]]


async def test_ubl_and_factur_x_lots_in_tar_gz(client, worker):
    user, supplier = await supplier_with_structure(client)
    town = await recipient()
    ubl = await deposit(client, supplier["id"], archive({"a.xml": ubl_invoice(supplier["identifier"], town["identifier"], number=number())},
                                                        "tar.gz"), name="lot.tar.gz", syntax="UBL")
    assert ubl.status_code == 201, ubl.text
    report = await wait_processed(client, ubl.json()["id"])
    assert report["status"] == "TRAITE", report["entries"]
    pdfs = {"f1.pdf": facturx_invoice(supplier["identifier"], town["identifier"], number=number()),
            "f2.pdf": b"%PDF-1.4\nnot a factur-x\n%%EOF"}
    facturx = await deposit(client, supplier["id"], archive(pdfs), deposit_format="PDF_FACTURX", syntax="FACTURX")
    assert facturx.status_code == 201, facturx.text
    report = await wait_processed(client, facturx.json()["id"])
    entries = {e["name"]: e for e in report["entries"]}
    assert report["status"] == "PARTIEL"
    assert entries["f1.pdf"]["status"] == "INTEGREE"
    assert [a["code"] for a in entries["f2.pdf"]["anomalies"]] == ["facturx_sans_xml"]
    invoice = (await client.get(f"/api/invoices/{entries['f1.pdf']['invoice_id']}")).json()
    assert [f["content_type"] for f in invoice["files"] if f["role"] == "principal"] == ["application/pdf"]


async def test_an_invoice_breaking_the_en16931_rules_is_reported_with_the_rule(client, worker):
    user, supplier = await supplier_with_structure(client)
    town = await recipient()
    xml = cii_invoice(supplier["identifier"], town["identifier"], number=number())
    broken = xml.replace(b">150.00<", b">151.00<")  # the grand total no longer adds up
    response = await deposit(client, supplier["id"], archive({"faux.xml": broken}))
    report = await wait_processed(client, response.json()["id"])
    assert report["status"] == "REJETE"
    anomalies = report["entries"][0]["anomalies"]
    assert anomalies and all(a["code"] == "regle_en16931" for a in anomalies)
    assert any(a["rule"].startswith("BR-CO") for a in anomalies), anomalies


async def test_a_bad_archive_is_refused_at_once_and_nothing_is_kept(client, worker):
    user, supplier = await supplier_with_structure(client)
    before = await lot_rows()
    cases = [
        (dict(content=b"PK\x03\x04 truncated", name="lot.zip"), 422, "archive_illisible"),
        (dict(content=archive({"a.xml": b"<a/>"}), name="lot.rar"), 422, "extension_refusee"),
        (dict(content=archive({"a.xml": b"<a/>"}, "tar.gz"), name="lot.zip"), 422, "extension_incoherente"),
        (dict(content=archive({"dossier/.DS_Store": b"x"}), name="lot.zip"), 422, "lot_vide"),
        (dict(content=archive({"a.xml": b"<a/>"}), name="lot.zip", syntax="FACTURX"), 422, "syntaxe_incoherente"),
        (dict(content=archive({"a.xml": b"<a/>"}), name="lot.zip", deposit_format="PES"), 422, "format_inconnu"),
    ]
    for kwargs, status, code in cases:
        response = await deposit(client, supplier["id"], **kwargs)
        assert response.status_code == status, (kwargs.get("name"), response.text)
        assert response.json()["code"] == code and response.json()["message"]
    assert await lot_rows() == before
    from backend.infra import storage

    lots_folder = storage.root() / "lots"
    kept = [p for p in lots_folder.rglob("*") if p.is_file()] if lots_folder.exists() else []
    async with connection() as conn:
        known = {r["storage_key"] for r in await conn.fetch("SELECT storage_key FROM lot")}
    assert all(str(p.relative_to(storage.root())) in known for p in kept)


async def test_a_lot_over_30_mb_is_refused(client, worker):
    user, supplier = await supplier_with_structure(client)
    response = await deposit(client, supplier["id"], b"PK\x03\x04" + b"\x00" * (30 * 1024 * 1024 + 10))
    assert response.status_code == 413 and response.json()["code"] == "fichier_trop_volumineux"


async def test_only_the_structure_s_issuers_deposit_and_see_its_lots(client, worker):
    owner, supplier = await supplier_with_structure(client)
    town = await recipient()
    content = archive({"a.xml": cii_invoice(supplier["identifier"], town["identifier"], number=number())})
    lot = (await deposit(client, supplier["id"], content)).json()
    reader = await make_user()
    await attach(reader["id"], supplier["id"], profiles={Application.FACTURES_EMISES: Level.CONSULTATION})
    await login(client, reader["email"], reader["password"])
    assert (await deposit(client, supplier["id"], content)).status_code == 403
    assert (await client.get(f"/api/lots/{lot['id']}")).status_code == 200
    stranger, _ = await supplier_with_structure(client)
    assert (await client.get(f"/api/lots/{lot['id']}")).status_code == 404
    assert (await client.get("/api/lots", params={"structure_id": supplier["id"]})).status_code == 404
    assert (await deposit(client, supplier["id"], content)).status_code == 404


async def test_an_interrupted_integration_resumes_where_it_stopped(client, worker):
    from backend.domain.lots.services import integrate_lot, resume_unfinished

    user, supplier = await supplier_with_structure(client)
    town = await recipient()
    first, second = number(), number()
    response = await deposit(client, supplier["id"], archive({
        "a.xml": cii_invoice(supplier["identifier"], town["identifier"], number=first),
        "b.xml": cii_invoice(supplier["identifier"], town["identifier"], number=second)}))
    lot = await wait_processed(client, response.json()["id"])
    assert lot["status"] == "TRAITE"
    # as if the worker had stopped after the first file: the second one back to waiting, its invoice gone
    async with connection() as conn:
        second_entry = next(e for e in lot["entries"] if e["name"] == "b.xml")
        await conn.execute("UPDATE lot_entry SET status = 'ATTENTE', invoice_id = NULL WHERE id = $1", second_entry["id"])
        await conn.execute("DELETE FROM invoice WHERE id = $1", second_entry["invoice_id"])
        await conn.execute("UPDATE lot SET status = 'EN_COURS', integrated_count = 1, processed_at = NULL, "
                           "created_at = now() - interval '10 minutes' WHERE id = $1", lot["id"])
    assert await resume_unfinished() >= 1
    resumed = await wait_processed(client, lot["id"])
    assert (resumed["status"], resumed["integrated_count"], resumed["rejected_count"]) == ("TRAITE", 2, 0)
    assert [e["invoice_id"] for e in resumed["entries"]][0] == lot["entries"][0]["invoice_id"]  # the first kept as it was
    assert await integrate_lot(lot["id"]) == "absent_ou_traite"  # a finished lot is left alone
