"""Issue 19's « Done when »: an ERP drives Chorale as it drives Chorus Pro, with no cookie, and the
supplier's webhook endpoint receives the signed status events."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest

from tests.api.invoices.helpers import pdf_bytes, recipient
from tests.support.factories import attach, login, make_user
from tests.support.lots import facturx_invoice
from tests.api.lots.test_lots import number
from tests.support.factories import supplier_with_structure
from tests.support.piste import Erp, WebhookReceiver, credentials_for
from shared.applications import Application, Level


@pytest.fixture
def receiver(tmp_path):
    server = WebhookReceiver(tmp_path)
    yield server
    server.stop()


def signed(request: dict, secret: str) -> bool:
    """The receiver's check: HMAC-SHA256 over "timestamp.body" with the endpoint's secret."""
    headers = {k.lower(): v for k, v in request["headers"].items()}
    timestamp = headers["x-chorale-timestamp"]
    expected = hmac.new(secret.encode(), f"{timestamp}.{request['body']}".encode(), hashlib.sha256).hexdigest()
    return headers["x-chorale-signature"] == f"t={timestamp},v1={expected}"


async def test_an_erp_deposits_follows_and_the_recipient_processes_without_a_cookie(app, client, anonymous, worker, receiver):
    supplier_user, supplier = await supplier_with_structure(client)
    town = await recipient()
    credentials = await credentials_for(client, supplier["id"])
    hook = await client.post(f"/api/connections/{supplier['id']}/webhooks",
                             json={"url": receiver.url, "events": ["facture.statut", "flux.integre"]})
    assert hook.status_code == 201, hook.text
    secret = hook.json()["secret"]

    async with Erp(app, credentials) as erp:
        token = await erp.get_token()
        assert token.status_code == 200, token.text
        assert token.json()["token_type"] == "Bearer" and token.json()["expires_in"] == 3600
        assert not erp.http.cookies  # nothing set, nothing sent

        health = await erp.http.get("/cpro/transverses/v1/health-check", headers=erp.headers())
        assert health.status_code == 200 and health.json()["codeRetour"] == 0

        found = await erp.call("/cpro/structures/v1/rechercher", {
            "structure": {"identifiantStructure": town["identifier"], "typeIdentifiantStructure": "SIRET"},
            "restreindreStructuresPrivees": True, "parametres": {"nbResultatsParPage": 10, "pageResultatDemandee": 1}})
        assert found.status_code == 200, found.text
        [structure] = found.json()["listeStructures"]
        assert structure["idStructureCPP"] == town["id"] and structure["identifiantStructure"] == town["identifier"]
        assert found.json()["parametresRetour"]["total"] == 1

        services = await erp.call("/cpro/structures/v1/rechercher/services", {
            "idStructure": structure["idStructureCPP"], "parametresRechercherServicesStructure": {"nbResultatsParPage": 50}})
        assert services.status_code == 200, services.text
        assert {s["codeService"] for s in services.json()["listeServices"]} == {"28E", "SERV2"}

        invoice_number = number()
        pdf = facturx_invoice(supplier["identifier"], town["identifier"], number=invoice_number, service_code="28E")
        deposited = await erp.call("/cpro/factures/v1/deposer/flux", {
            "fichierFlux": base64.b64encode(pdf).decode(), "nomFichier": f"{invoice_number}.pdf",
            "syntaxeFlux": "IN_DP_E2_CII_FACTURX", "avecSignature": False, "idUtilisateurCourant": 0})
        assert deposited.status_code == 200, deposited.text
        numero = deposited.json()["numeroFluxDepot"]
        assert deposited.json()["codeRetour"] == 0 and deposited.json()["syntaxeFlux"] == "IN_DP_E2_CII_FACTURX"

        report = await erp.until_final(numero)
        assert report["etatCourantFlux"] == "IN_INTEGRE", report
        detailed = await erp.call("/cpro/transverses/v1/consulterCRDetaille", {"numeroFluxDepot": numero})
        assert detailed.status_code == 200 and detailed.json()["listeErreurDP"] == [] and detailed.json()["etatCourantFlux"] == "IN_INTEGRE"

        searched = await erp.call("/cpro/factures/v1/rechercher/fournisseur", {"numeroFluxDepot": numero})
        assert searched.status_code == 200, searched.text
        [invoice] = searched.json()["listeFactures"]
        assert invoice["numeroFacture"] == invoice_number and invoice["codeDestinataire"] == town["identifier"]
        assert searched.json()["total"] == 1
        invoice_id = invoice["identifiantFactureCPP"]

        # The PDF path: deposer/pdf reads a plain PDF, soumettre creates and sends the invoice it read.
        pdf_number = number()
        content, _ = pdf_bytes(recipient_siret=town["identifier"], invoice_number=pdf_number)
        read = await erp.call("/cpro/factures/v1/deposer/pdf", {
            "fichierFacture": base64.b64encode(content).decode(), "nomFichier": f"{pdf_number}.pdf", "formatDepot": "PDF_NON_SIGNE"})
        assert read.status_code == 200, read.text
        assert read.json()["numeroFacture"] == pdf_number and read.json()["codeDestinataire"] == town["identifier"]
        submitted = await erp.call("/cpro/factures/v1/soumettre", {
            "modeDepot": "DEPOT_PDF_API", "pieceJointePrincipale": {"pieceJointePrincipaleId": read.json()["pieceJointeId"]},
            "destinataire": {"codeDestinataire": town["identifier"], "codeServiceExecutant": "28E"},
            "cadreDeFacturation": {"codeCadreFacturation": "A1_FACTURE_FOURNISSEUR"}})
        assert submitted.status_code == 200, submitted.text
        assert submitted.json()["statutFacture"] == "DEPOSEE" and submitted.json()["numeroFacture"] == pdf_number
        pdf_invoice_id = submitted.json()["identifiantFactureCPP"]

    # The recipient's own ERP: its manager makes its credentials, then finds and processes the invoice.
    manager = await make_user()
    await attach(manager["id"], town["id"], principal=True, profiles={Application.FACTURES_RECUES: Level.MODIFICATION})
    await login(anonymous, manager["email"], manager["password"])
    town_credentials = await credentials_for(anonymous, town["id"])
    async with Erp(app, town_credentials) as town_erp:
        assert (await town_erp.get_token()).status_code == 200
        received = None
        for _ in range(100):  # routing makes it available in the background
            response = await town_erp.call("/cpro/factures/v1/rechercher/recipiendaire", {"idDestinataire": town["id"]})
            assert response.status_code == 200, response.text
            received = next((f for f in response.json()["listeFactures"] if f["idFacture"] == invoice_id), None)
            if received and received["statut"] == "MISE_A_DISPOSITION":
                break
            await __import__("asyncio").sleep(0.2)
        assert received and received["statut"] == "MISE_A_DISPOSITION", received
        processed = await town_erp.call("/cpro/factures/v1/traiter/recue", {
            "idFacture": invoice_id, "nouveauStatut": "SUSPENDUE", "motif": "Bon de commande manquant", "idUtilisateurCourant": 0})
        assert processed.status_code == 200, processed.text
        assert processed.json()["nouveauStatut"] == "SUSPENDUE" and processed.json()["codeRetour"] == 0

    integrated = await receiver.wait_for(lambda r: json.loads(r["body"])["evenement"] == "flux.integre")
    assert json.loads(integrated["body"])["flux"]["numeroFluxDepot"] == numero and signed(integrated, secret)
    suspended = await receiver.wait_for(lambda r: json.loads(r["body"]).get("facture", {}).get("statut") == "SUSPENDUE")
    assert json.loads(suspended["body"])["facture"]["idFacture"] == invoice_id and signed(suspended, secret)
    assert not signed(suspended, "whsec_another")
    routed = await receiver.wait_for(lambda r: json.loads(r["body"]).get("facture", {}).get("idFacture") == pdf_invoice_id
                                     and json.loads(r["body"])["facture"]["statut"] == "MISE_A_DISPOSITION")
    assert signed(routed, secret)

    deliveries = await client.get(f"/api/connections/webhooks/{hook.json()['id']}/deliveries")
    assert deliveries.status_code == 200
    assert any(d["status"] == "LIVRE" and d["attempts"][-1]["status"] == 200 for d in deliveries.json())
