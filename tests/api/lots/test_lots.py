"""Depositing a lot through the API: the archive checked at once, each invoice integrated or reported."""

from __future__ import annotations

import asyncio
import re
import uuid

from backend.infra.database import connection
from tests.api.invoices.helpers import recipient
from tests.support.factories import make_user, attach, login, random_siret, supplier_with_structure
from tests.support.lots import archive, cii_invoice, facturx_invoice, mixed_invoice, plain_pdf, ubl_invoice
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
        "factures/.DS_Store": b"\x00",
    }
    response = await deposit(client, supplier["id"], archive(files))
    assert response.status_code == 201, response.text
    lot = response.json()
    assert re.fullmatch(r"CPP\d{22}", lot["number"]) and lot["entry_count"] == 6 and lot["status"] == "RECU"

    report = await wait_processed(client, lot["id"])
    assert (report["status"], report["integrated_count"], report["rejected_count"]) == ("PARTIEL", 2, 4)
    entries = {e["name"]: e for e in report["entries"]}
    assert entries["factures/1-cii.xml"]["status"] == "INTEGREE" and entries["factures/1-cii.xml"]["invoice_number"] == good
    assert entries["factures/2-avoir.xml"]["status"] == "INTEGREE"
    codes = {name: [a["code"] for a in e["anomalies"]] for name, e in entries.items() if e["status"] == "REJETEE"}
    assert codes == {
        "factures/3-inconnu.xml": ["destinataire_inconnu"],
        "factures/4-autre-fournisseur.xml": ["fournisseur_incoherent"],
        "factures/5-ubl.xml": ["syntaxe_incoherente"],
        "factures/6-doublon.xml": ["numero_deja_utilise"],
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
            "f2.pdf": plain_pdf(), "f3.pdf": b"%PDF-1.4\nnot a factur-x\n%%EOF"}
    facturx = await deposit(client, supplier["id"], archive(pdfs), deposit_format="PDF_FACTURX", syntax="FACTURX")
    assert facturx.status_code == 201, facturx.text
    report = await wait_processed(client, facturx.json()["id"])
    entries = {e["name"]: e for e in report["entries"]}
    assert report["status"] == "PARTIEL"
    assert entries["f1.pdf"]["status"] == "INTEGREE"
    assert [a["code"] for a in entries["f2.pdf"]["anomalies"]] == ["facturx_sans_xml"]
    assert [a["code"] for a in entries["f3.pdf"]["anomalies"]] == ["pdf_illisible"]
    invoice = (await client.get(f"/api/invoices/{entries['f1.pdf']['invoice_id']}")).json()
    assert [f["content_type"] for f in invoice["files"] if f["role"] == "principal"] == ["application/pdf"]


async def test_an_xml_mixte_lot_creates_each_invoice_with_its_embedded_pdf_as_main_file(client, worker):
    import base64

    user, supplier = await supplier_with_structure(client)
    town = await recipient()
    seller, buyer = supplier["identifier"], town["identifier"]
    pdf = plain_pdf("Facture mixte")
    files = {"1-ubl.xml": mixed_invoice(seller, buyer, number=number(), pdf=pdf, filename="facture-1.pdf"),
             "2-sans-pdf.xml": mixed_invoice(seller, buyer, number=number(), pdf=b""),
             "3-image.xml": mixed_invoice(seller, buyer, number=number(), mime="image/png"),
             "4-abime.xml": mixed_invoice(seller, buyer, number=number(), base64_text=base64.b64encode(b"%PDF-1.4 x").decode()),
             "5-cii.xml": mixed_invoice(seller, buyer, number=number(), syntax="CII")}
    response = await deposit(client, supplier["id"], archive(files), deposit_format="XML_MIXTE", syntax="UBL_MIN")
    assert response.status_code == 201, response.text
    report = await wait_processed(client, response.json()["id"])
    entries = {e["name"]: e for e in report["entries"]}
    codes = {name: [a["code"] for a in e["anomalies"]] for name, e in entries.items() if e["status"] == "REJETEE"}
    assert codes == {"2-sans-pdf.xml": ["mixte_sans_pdf"], "3-image.xml": ["mixte_pas_un_pdf"],
                     "4-abime.xml": ["mixte_pdf_illisible"], "5-cii.xml": ["syntaxe_incoherente"]}
    assert "PDF" in entries["3-image.xml"]["anomalies"][0]["message"] and entries["3-image.xml"]["anomalies"][0]["message_en"]
    integrated = entries["1-ubl.xml"]
    assert integrated["status"] == "INTEGREE" and report["status"] == "PARTIEL"
    # The French rules are warnings on the minimum XML: kept in the report, not refusing the invoice.
    assert integrated["anomalies"] and {a["severity"] for a in integrated["anomalies"]} != {"erreur"}
    invoice = (await client.get(f"/api/invoices/{integrated['invoice_id']}")).json()
    principal = [f for f in invoice["files"] if f["role"] == "principal"]
    assert [(f["content_type"], f["original_name"]) for f in principal] == [("application/pdf", "facture-1.pdf")]
    download = await client.get(f"/api/invoices/{invoice['id']}/files/{principal[0]['id']}")
    assert download.status_code == 200 and download.content == pdf
    cii = await deposit(client, supplier["id"], archive({"a.xml": files["5-cii.xml"]}), deposit_format="XML_MIXTE",
                        syntax="CII_MIN")
    assert (await wait_processed(client, cii.json()["id"]))["status"] == "TRAITE"


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
    # Each rule once, explained in French for a supplier, with where it failed, the value found and expected.
    assert len({a["rule"] for a in anomalies}) == len(anomalies)
    total = next(a for a in anomalies if a["rule"] == "BR-CO-15")
    assert total["message"].startswith("Le total TTC (BT-112) doit être égal au total HT (BT-109)")
    assert "[BR-CO-15]" not in total["message"] and total["message_en"].startswith("Invoice total amount with VAT")
    assert total["field"] == "Montant TTC" and total["hint"] and total["count"] == 1
    place = total["places"][0]
    assert place["line"] > 1 and "SpecifiedTradeSettlementHeaderMonetarySummation" in place["path"]
    assert place["found"] == "151.00" and place["expected"] == "150.00"

    # The same report downloads as JSON and as a PDF embedding its fonts.
    lot_id = response.json()["id"]
    as_json = await client.get(f"/api/lots/{lot_id}/compte-rendu.json")
    assert as_json.status_code == 200 and "attachment" in as_json.headers["content-disposition"]
    assert as_json.json()["entries"][0]["anomalies"] == anomalies
    as_pdf = await client.get(f"/api/lots/{lot_id}/compte-rendu.pdf")
    assert as_pdf.status_code == 200 and as_pdf.content.startswith(b"%PDF")
    import io

    import pikepdf
    import pypdfium2

    with pikepdf.open(io.BytesIO(as_pdf.content)) as pdf:
        fonts = [f for page in pdf.pages for f in page.Resources.Font.values()]
        assert fonts and all("/FontFile2" in f.get("/FontDescriptor", {}) or "/DescendantFonts" in f for f in fonts)
    text = pypdfium2.PdfDocument(as_pdf.content)[0].get_textpage().get_text_range()
    assert "BR-CO-15" in text and "Montant TTC" in text and "attendu « 150.00 »" in text


async def test_a_report_is_only_for_who_may_see_the_lot(client, anonymous, worker):
    user, supplier = await supplier_with_structure(client)
    town = await recipient()
    response = await deposit(client, supplier["id"], archive({"a.xml": cii_invoice(supplier["identifier"], town["identifier"],
                                                                                  number=number())}))
    lot_id = response.json()["id"]
    for kind in ("json", "pdf"):
        assert (await anonymous.get(f"/api/lots/{lot_id}/compte-rendu.{kind}")).status_code == 401


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


async def test_french_rules_warn_by_default_and_refuse_for_a_structure_that_opts_in(client, worker):
    user, supplier = await supplier_with_structure(client)
    town = await recipient()

    def without_recovery_note(xml: bytes) -> bytes:  # breaks BR-FR-05 (the PMT legal note), valid EN 16931
        return xml.replace(b"<ram:SubjectCode>PMT</ram:SubjectCode>", b"")

    files = {"a.xml": without_recovery_note(cii_invoice(supplier["identifier"], town["identifier"], number=number()))}
    report = await wait_processed(client, (await deposit(client, supplier["id"], archive(files))).json()["id"])
    entry = report["entries"][0]
    # Integrated, with the French rules it breaks kept as warnings of their own layer.
    assert entry["status"] == "INTEGREE" and entry["anomalies"]
    assert all(a["layer"] == "fr" and a["severity"] == "avertissement" and a["rule"].startswith("BR-FR") for a in entry["anomalies"])

    setting = f"/api/structures/{supplier['id']}/regles-francaises"
    assert (await client.get(setting)).json() == {"structure_id": supplier["id"], "blocking": False, "may_change": True}
    changed = await client.put(setting, json={"blocking": True})
    assert changed.status_code == 200 and changed.json()["blocking"] is True
    files = {"b.xml": without_recovery_note(cii_invoice(supplier["identifier"], town["identifier"], number=number()))}
    report = await wait_processed(client, (await deposit(client, supplier["id"], archive(files))).json()["id"])
    entry = report["entries"][0]
    assert entry["status"] == "REJETEE" and entry["anomalies"]
    assert {a["code"] for a in entry["anomalies"]} == {"regle_fr"} and all(a["severity"] == "erreur" for a in entry["anomalies"])


async def test_an_archive_not_in_the_declared_format_is_refused_at_once_naming_its_files(client, worker):
    user, supplier = await supplier_with_structure(client)
    town = await recipient()
    before = await lot_rows()
    xmls = archive({"f1.xml": cii_invoice(supplier["identifier"], town["identifier"], number=number()), "notes.txt": b"x"})
    refused = await deposit(client, supplier["id"], xmls, deposit_format="PDF_FACTURX", syntax="FACTURX")
    assert refused.status_code == 422 and refused.json()["code"] == "format_incoherent"
    assert "f1.xml" in refused.json()["message"] and "notes.txt" in refused.json()["message"]
    assert await lot_rows() == before


async def test_the_same_lot_deposited_twice_is_refused_naming_the_earlier_one(client, worker):
    user, supplier = await supplier_with_structure(client)
    town = await recipient()
    content = archive({"a.xml": cii_invoice(supplier["identifier"], town["identifier"], number=number())})
    first = await deposit(client, supplier["id"], content)
    assert first.status_code == 201
    again = await deposit(client, supplier["id"], content, name="copie.zip")
    assert again.status_code == 422 and again.json()["code"] == "lot_deja_depose"
    assert first.json()["number"] in again.json()["message"]


async def test_a_corrected_invoice_deposited_again_keeps_the_link_to_its_rejected_attempt(client, worker):
    user, supplier = await supplier_with_structure(client)
    town = await recipient()
    same = number()
    xml = cii_invoice(supplier["identifier"], town["identifier"], number=same)
    first = await wait_processed(client, (await deposit(client, supplier["id"], archive({"f.xml": xml.replace(b">150.00<", b">151.00<")}))).json()["id"])
    assert first["entries"][0]["status"] == "REJETEE" and first["entries"][0]["previous_attempt"] is None
    second = await wait_processed(client, (await deposit(client, supplier["id"], archive({"f-corrigee.xml": xml}))).json()["id"])
    entry = second["entries"][0]
    assert entry["status"] == "INTEGREE"
    assert entry["previous_attempt"] == {"entry_id": first["entries"][0]["id"], "lot_id": first["id"],
                                         "lot_number": first["number"], "name": "f.xml"}


async def test_only_a_gestionnaire_with_organisation_modification_makes_the_french_rules_blocking(client, anonymous):
    owner, supplier = await supplier_with_structure(client)
    setting = f"/api/structures/{supplier['id']}/regles-francaises"
    assert (await client.put(setting, json={"blocking": True})).status_code == 200
    assert (await client.put(setting, json={"blocking": "oui"})).status_code == 400
    async with connection() as conn:
        journal = await conn.fetch("SELECT actor_id, kind, details FROM organisation_event WHERE structure_id = $1", supplier["id"])
    assert [(r["actor_id"], r["kind"]) for r in journal] == [(owner["id"], "regles_francaises")]
    assert journal[0]["details"] == {"bloquantes": True}

    # A gestionnaire (not principal) with « Organisation modification » may; a consultation profile reads only.
    manager, reader = await make_user(), await make_user()
    await attach(manager["id"], supplier["id"], profiles={Application.ORGANISATION: Level.MODIFICATION})
    await attach(reader["id"], supplier["id"], profiles={Application.ORGANISATION: Level.CONSULTATION,
                                                        Application.FACTURES_EMISES: Level.MODIFICATION})
    await login(client, reader["email"], reader["password"])
    assert (await client.get(setting)).json() == {"structure_id": supplier["id"], "blocking": True, "may_change": False}
    refused = await client.put(setting, json={"blocking": False})
    assert refused.status_code == 403 and refused.json()["message"]
    await login(client, manager["email"], manager["password"])
    assert (await client.put(setting, json={"blocking": False})).json()["blocking"] is False
    stranger, _ = await supplier_with_structure(client)
    assert (await client.put(setting, json={"blocking": True})).status_code == 404
    assert (await anonymous.put(setting, json={"blocking": True})).status_code == 401
    async with connection() as conn:
        assert not await conn.fetchval("SELECT french_rules_blocking FROM structure WHERE id = $1", supplier["id"])
        assert await conn.fetchval("SELECT count(*) FROM organisation_event WHERE structure_id = $1", supplier["id"]) == 2
