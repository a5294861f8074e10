"""The PISTE routes answer the shapes the open-source clients read (antoine2116/go-choruspro's structs,
turbo124/piste-gouv-fr's calls): field names, pagination, the report of a rejected flow, idempotency."""

from __future__ import annotations

import base64

import pytest

from backend.infra.database import connection
from tests.api.invoices.helpers import recipient
from tests.api.lots.test_lots import number
from tests.support.factories import supplier_with_structure
from tests.support.lots import cii_invoice, ubl_invoice
from tests.support.piste import Erp, credentials_for

# go-choruspro's CompteRendu and CompteRenduDetaille (transverses_flux.go), DeposerFluxFactureResponse.
CR_FIELDS = {"codeRetour", "libelle", "numeroFluxDepot", "nomFichierFlux", "dateDepotFlux", "etatCourantFlux",
             "dateHeureEtatCourantFlux", "codeInterfaceFlux"}
CR_DETAILED_FIELDS = {"codeRetour", "libelle", "nomFichier", "dateDepotFlux", "etatCourantDepotFlux", "etatCourantFlux",
                      "codeInterfaceDepotFlux", "dateHeureEtatCourantFlux", "listeErreurDP", "listeErreurTechnique"}
DP_ERROR_FIELDS = {"numeroDP", "libelleErreurDP", "identifiantFournisseur", "identifiantDestinataire"}
PAGINATION = {"nbResultatsParPage", "pageCourante", "pages", "total"}


@pytest.fixture
async def supplier_erp(app, anonymous, worker):
    _, supplier = await supplier_with_structure(anonymous)
    async with Erp(app, await credentials_for(anonymous, supplier["id"])) as erp:
        assert (await erp.get_token()).status_code == 200
        erp.structure = supplier
        yield erp


def flux(content: bytes, name: str, syntax: str) -> dict:
    return {"fichierFlux": base64.b64encode(content).decode(), "nomFichier": name, "syntaxeFlux": syntax, "avecSignature": False}


async def test_a_rejected_flow_reports_its_errors_per_invoice(supplier_erp):
    town = await recipient()
    bad_number = number()
    # The invoice names a recipient SIRET Chorale does not know: integrated nowhere, reported.
    xml = cii_invoice(supplier_erp.structure["identifier"], town["identifier"], number=bad_number, type_code="999")
    deposited = await supplier_erp.call("/cpro/factures/v1/deposer/flux", flux(xml, "f.xml", "IN_DP_E1_CII_16B"))
    assert deposited.status_code == 200, deposited.text
    assert set(deposited.json()) >= {"codeRetour", "libelle", "numeroFluxDepot", "dateDepot", "syntaxeFlux"}
    report = await supplier_erp.until_final(deposited.json()["numeroFluxDepot"])
    assert set(report) >= CR_FIELDS and report["etatCourantFlux"] == "IN_REJETE"
    detailed = (await supplier_erp.call("/cpro/transverses/v1/consulterCRDetaille",
                                        {"numeroFluxDepot": deposited.json()["numeroFluxDepot"]})).json()
    assert set(detailed) >= CR_DETAILED_FIELDS and detailed["etatCourantDepotFlux"] == "IN_REJETE"
    [error] = detailed["listeErreurDP"]
    assert set(error) >= DP_ERROR_FIELDS and error["numeroDP"] == bad_number
    assert error["identifiantFournisseur"] == supplier_erp.structure["identifier"] and error["libelleErreurDP"]


async def test_a_ubl_flow_is_integrated_and_searchable_by_page(supplier_erp):
    town = await recipient()
    deposited = await supplier_erp.call("/cpro/factures/v1/deposer/flux", flux(
        ubl_invoice(supplier_erp.structure["identifier"], town["identifier"], number=number(), service_code="28E"), "u.xml",
        "IN_DP_E1_UBL_INVOICE"))
    assert deposited.status_code == 200, deposited.text
    assert (await supplier_erp.until_final(deposited.json()["numeroFluxDepot"]))["etatCourantFlux"] == "IN_INTEGRE"
    page = await supplier_erp.call("/cpro/factures/v1/rechercher/fournisseur", {
        "idFournisseur": supplier_erp.structure["id"],
        "rechercheFactureParFournisseur": {"nbResultatsParPage": 1, "pageResultatDemandee": 1, "triSens": "Descendant"}})
    assert page.status_code == 200, page.text
    assert set(page.json()) >= {"codeRetour", "libelle", "listeFactures", *PAGINATION}
    assert page.json()["total"] >= 1 and page.json()["nbResultatsParPage"] == 1 and len(page.json()["listeFactures"]) == 1
    [invoice] = page.json()["listeFactures"]
    for field in ("identifiantFactureCPP", "numeroFacture", "dateFacture", "dateDepot", "statut", "montantHT", "montantTTC",
                  "idDestinataire", "codeDestinataire", "designationDestinataire", "codeServiceExecutant", "typeFacture"):
        assert field in invoice, field
    consulted = await supplier_erp.call("/cpro/factures/v1/consulter/fournisseur", {"identifiantFactureCPP": invoice["identifiantFactureCPP"]})
    assert consulted.status_code == 200 and consulted.json()["facture"]["numeroFacture"] == invoice["numeroFacture"]
    history = await supplier_erp.call("/cpro/factures/v1/consulter/historique", {"idFacture": invoice["identifiantFactureCPP"]})
    assert history.status_code == 200 and history.json()["historiquesDesStatuts"]["histoStatut"][0]["statut"] == "PROVISOIRE"


async def test_the_same_idempotency_key_deposits_once(supplier_erp):
    town = await recipient()
    body = flux(cii_invoice(supplier_erp.structure["identifier"], town["identifier"], number=number()), "i.xml", "IN_DP_E1_CII_16B")
    first = await supplier_erp.call("/cpro/factures/v1/deposer/flux", body, **{"Idempotency-Key": "erp-42"})
    again = await supplier_erp.call("/cpro/factures/v1/deposer/flux", body, **{"Idempotency-Key": "erp-42"})
    assert first.status_code == again.status_code == 200 and first.json() == again.json()
    async with connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM lot WHERE structure_id = $1", supplier_erp.structure["id"]) == 1
    other = await supplier_erp.call("/cpro/factures/v1/deposer/flux", {**body, "nomFichier": "autre.xml"}, **{"Idempotency-Key": "erp-42"})
    assert other.status_code == 409 and other.json()["code"] == "cle_idempotence_reutilisee"


async def test_bad_flows_are_refused_in_the_piste_shape(supplier_erp):
    unknown = await supplier_erp.call("/cpro/factures/v1/deposer/flux", {"fichierFlux": "eA==", "nomFichier": "x", "syntaxeFlux": "IN_XX"})
    assert unknown.status_code == 400 and unknown.json()["code"] == "syntaxe_flux_inconnue" and unknown.json()["codeRetour"] == 400
    garbage = await supplier_erp.call("/cpro/factures/v1/deposer/flux", {"fichierFlux": "@@@", "nomFichier": "x", "syntaxeFlux": "IN_DP_E1_CII_16B"})
    assert garbage.status_code == 400 and garbage.json()["code"] == "fichier_flux_invalide"
    missing = await supplier_erp.call("/cpro/factures/v1/deposer/flux", {"nomFichier": "x"})
    assert missing.status_code == 400 and missing.json()["codeRetour"] == 400
    absent = await supplier_erp.call("/cpro/transverses/v1/consulterCR", {"numeroFluxDepot": "CPP2026000000000000000001"})
    assert absent.status_code == 404 and absent.json()["code"] == "flux_introuvable"


async def test_reference_lists_answer_their_lists(supplier_erp):
    for name, key in (("tauxtva", "listeTauxTva"), ("devises", "listeDevises"), ("cadrefacturation", "listeCadreFacturation"),
                      ("etats/traitement", "listeStatutsPossiblesPourTraitement"), ("pays", "listePays"),
                      ("modereglements", "listeModePaiement")):
        response = await supplier_erp.call(f"/cpro/transverses/v1/recuperer/{name}")
        assert response.status_code == 200 and response.json()[key], name
    assert (await supplier_erp.call("/cpro/transverses/v1/recuperer/inconnue")).status_code == 404


async def test_the_openapi_documents_the_piste_routes_with_a_bearer_scheme(client):
    schema = (await client.get("/schema/openapi.json")).json()
    assert schema["components"]["securitySchemes"]["BearerPiste"]["scheme"] == "bearer"
    deposit = schema["paths"]["/cpro/factures/v1/deposer/flux"]["post"]
    assert {"BearerPiste": [], "CproAccount": []} in deposit["security"]
    assert "fichierFlux" in str(schema["components"]["schemas"])
    assert "/api/oauth/token" in schema["paths"] and "/api/lots" in str(schema["paths"])
