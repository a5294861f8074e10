"""« Valider un fichier » through the API: anyone gets the deposit's report, nothing is kept, and the
route is limited per address."""

from __future__ import annotations

from pathlib import Path

from backend.infra.database import connection

CORPUS = Path(__file__).parents[2] / "data" / "corpus"


async def validate(client, path: Path, name: str | None = None):
    return await client.post("/api/validation", params={"name": name or path.name}, content=path.read_bytes(),
                             headers={"Content-Type": "application/octet-stream"})


async def counts() -> tuple[int, int]:
    async with connection() as conn:
        return await conn.fetchval("SELECT count(*) FROM lot"), await conn.fetchval("SELECT count(*) FROM invoice")


async def test_anyone_gets_the_three_layers_report_without_depositing(anonymous):
    before = await counts()
    response = await validate(anonymous, CORPUS / "invalid" / "not_validating_full_invoice_based_onTest_EeISI_300_CENfullmodel.ubl.xml")
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["accepted"] is False and report["syntax"] == "UBL" and report["kind"] == "xml"
    layers = {layer["layer"]: layer for layer in report["layers"]}
    assert [layer["layer"] for layer in report["layers"]] == ["xsd", "en16931", "fr"]
    assert layers["xsd"]["status"] == "conforme" and layers["en16931"]["status"] == "non_conforme"
    total = next(a for a in layers["en16931"]["anomalies"] if a["rule"] == "BR-CO-15")
    assert total["field"] == "Montant TTC" and total["places"][0]["expected"] == "250"
    assert layers["fr"]["blocking"] is False and all(a["severity"] == "avertissement" for a in layers["fr"]["anomalies"])
    assert await counts() == before


async def test_a_factur_x_pdf_is_read_by_its_content_and_its_profile_reported(anonymous):
    report = (await validate(anonymous, CORPUS / "facturx" / "Facture_FR_MINIMUM.pdf", name="facture.xml")).json()
    assert report["kind"] == "pdf" and (report["profile"], report["profile_xmp"]) == ("MINIMUM", "MINIMUM")
    assert [a["code"] for a in report["anomalies"]] == ["profil_insuffisant"] and report["accepted"] is False


async def test_an_unreadable_file_gets_a_clear_report_not_an_error(anonymous):
    report = (await validate(anonymous, CORPUS / "invalid" / "corrupt-factur-x-waytoosmall.pdf")).json()
    assert report["accepted"] is False and [a["code"] for a in report["anomalies"]] == ["pdf_illisible"]
    empty = await anonymous.post("/api/validation", content=b"", headers={"Content-Type": "application/octet-stream"})
    assert empty.status_code == 422 and empty.json()["code"] == "fichier_vide"
