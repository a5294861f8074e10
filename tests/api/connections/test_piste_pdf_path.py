"""The PISTE PDF path (deposer/pdf then soumettre), recycler and telecharger/groupe, against the real
servers: Chorus Pro's JSON as go-choruspro (factures_depots.go, factures_misc.go) and the PHP clients send
and read it; another structure's invoice gets the PISTE 403; bad input a PISTE error, never a 500."""

from __future__ import annotations

import asyncio
import base64
import io
import zipfile

import pytest

from backend.domain.connections import rules
from tests.api.connections.test_piste_contract import supplier_erp  # noqa: F401  (a fixture)
from tests.api.invoices.helpers import pdf_bytes, recipient, unique_number
from tests.security.test_piste_access import piste_refusal
from tests.support.factories import attach, login, make_user, supplier_with_structure
from tests.support.piste import Erp, credentials_for
from shared.applications import Application, Level

F = "/cpro/factures/v1"


@pytest.fixture
async def other_erp(app, worker):
    import httpx

    from tests.conftest import BASE_URL, BROWSER_HEADERS

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL, headers=BROWSER_HEADERS) as manager:
        _, other = await supplier_with_structure(manager)
        async with Erp(app, await credentials_for(manager, other["id"])) as erp:
            assert (await erp.get_token()).status_code == 200
            erp.structure = other
            yield erp


def deposit_body(content: bytes, **extra) -> dict:
    return {"fichierFacture": base64.b64encode(content).decode(), "nomFichier": "facture.pdf", "formatDepot": "PDF_NON_SIGNE",
            "idUtilisateurCourant": 0, **extra}


def submit_body(attachment_id: int, town: dict, **extra) -> dict:
    # go-choruspro's SoumettreFactureOptions: pieceJointePrincipale as an object.
    return {"modeDepot": "DEPOT_PDF_API", "pieceJointePrincipale": {"pieceJointePrincipaleId": attachment_id},
            "destinataire": {"codeDestinataire": town["identifier"], "codeServiceExecutant": "28E"},
            "cadreDeFacturation": {"codeCadreFacturation": "A1_FACTURE_FOURNISSEUR"}, "idUtilisateurCourant": 0, **extra}


async def deposited_pdf(erp: Erp, town: dict, number: str | None = None) -> tuple[dict, bytes, str]:
    number = number or unique_number()
    content, _ = pdf_bytes(recipient_siret=town["identifier"], invoice_number=number)
    response = await erp.call(f"{F}/deposer/pdf", deposit_body(content))
    assert response.status_code == 200, response.text
    return response.json(), content, number


async def submitted(erp: Erp, town: dict) -> tuple[int, bytes, str]:
    deposit, content, number = await deposited_pdf(erp, town)
    response = await erp.call(f"{F}/soumettre", submit_body(deposit["pieceJointeId"], town))
    assert response.status_code == 200, response.text
    return response.json()["identifiantFactureCPP"], content, number


async def test_deposer_pdf_reads_the_pdf_then_soumettre_creates_and_sends_the_invoice(supplier_erp):
    town = await recipient()
    deposit, _, number = await deposited_pdf(supplier_erp, town)
    assert deposit["codeRetour"] == 0 and deposit["etatLecture"] == "TERMINEE" and deposit["pieceJointeId"] > 0
    assert deposit["numeroFacture"] == number and deposit["codeDestinataire"] == town["identifier"]
    assert deposit["dateFacture"] == "2026-03-12" and deposit["montantHtTotal"] > 0
    assert deposit["codeFournisseur"] == supplier_erp.structure["identifier"]

    # PISTE's documentation gives pieceJointePrincipale as a list of one: read as well.
    body = submit_body(deposit["pieceJointeId"], town, numeroFactureSaisi=number)
    body["pieceJointePrincipale"] = [body["pieceJointePrincipale"]]
    answer = await supplier_erp.call(f"{F}/soumettre", body)
    assert answer.status_code == 200, answer.text
    sent = answer.json()
    assert sent["codeRetour"] == 0 and sent["numeroFacture"] == number and sent["statutFacture"] == "DEPOSEE"
    assert sent["identifiantStructure"] == supplier_erp.structure["identifier"] and sent["dateDepot"]

    found = await supplier_erp.call(f"{F}/rechercher/fournisseur", {"numeroFacture": number})
    assert [f["identifiantFactureCPP"] for f in found.json()["listeFactures"]] == [sent["identifiantFactureCPP"]]
    # The same deposit cannot be submitted twice.
    again = await supplier_erp.call(f"{F}/soumettre", submit_body(deposit["pieceJointeId"], town))
    piste_refusal(again, 403, "piece_jointe_non_autorisee")


async def test_a_refused_submission_keeps_nothing_and_can_be_submitted_again(supplier_erp):
    town = await recipient()
    deposit, _, number = await deposited_pdf(supplier_erp, town)
    refused = await supplier_erp.call(f"{F}/soumettre", submit_body(deposit["pieceJointeId"], town,
                                                                    destinataire={"codeDestinataire": "12345678900011"}))
    assert refused.status_code in (400, 409, 422), refused.text
    assert refused.json()["codeRetour"] == refused.status_code and refused.json()["libelle"]
    listed = await supplier_erp.call(f"{F}/rechercher/fournisseur", {"numeroFacture": number})
    assert listed.json()["listeFactures"] == []  # no PROVISOIRE invoice left behind
    corrected = await supplier_erp.call(f"{F}/soumettre", submit_body(deposit["pieceJointeId"], town))
    assert corrected.status_code == 200 and corrected.json()["statutFacture"] == "DEPOSEE", corrected.text


async def test_another_structures_deposit_or_invoice_is_refused_with_the_piste_403(supplier_erp, other_erp):
    town = await recipient()
    deposit, _, _ = await deposited_pdf(other_erp, town)
    piste_refusal(await supplier_erp.call(f"{F}/soumettre", submit_body(deposit["pieceJointeId"], town)), 403,
                  "piece_jointe_non_autorisee")
    invoice_id, _, _ = await submitted(other_erp, town)
    piste_refusal(await supplier_erp.call(f"{F}/telecharger/groupe", {"listeFacture": [{"idFacture": invoice_id}]}), 403,
                  "facture_non_autorisee")
    piste_refusal(await supplier_erp.call(f"{F}/recycler", {"identifiantFactureCPP": invoice_id}), 403, "facture_non_autorisee")
    # An invoice that does not exist gets the same answer (no telling them apart).
    piste_refusal(await supplier_erp.call(f"{F}/recycler", {"identifiantFactureCPP": 2**62}), 403, "facture_non_autorisee")
    piste_refusal(await supplier_erp.call(f"{F}/deposer/pdf", deposit_body(b"%PDF-1.4", idStructure=other_erp.structure["id"])),
                  403, "structure_non_autorisee")


@pytest.mark.parametrize("path, body, status, code", [
    ("deposer/pdf", {"fichierFacture": "pas du base64 !", "nomFichier": "f.pdf"}, 400, "fichier_flux_invalide"),
    ("deposer/pdf", {"fichierFacture": "eA==", "nomFichier": "f.pdf", "formatDepot": "PDF_PAPIER"}, 400, "format_depot_inconnu"),
    ("deposer/pdf", {"nomFichier": "f.pdf"}, 400, "donnees_invalides"),
    ("deposer/pdf", {"fichierFacture": base64.b64encode(b"<Invoice/>").decode(), "nomFichier": "f.pdf"}, 415, None),
    ("soumettre", {"modeDepot": "DEPOT_PAPIER", "pieceJointePrincipale": {"pieceJointePrincipaleId": 1}}, 400,
     "mode_depot_non_pris_en_charge"),
    ("soumettre", {"pieceJointePrincipale": {}}, 400, "piece_jointe_principale_requise"),
    ("soumettre", {"pieceJointePrincipale": "12"}, 400, "donnees_invalides"),
    ("recycler", {"identifiantFactureCPP": "douze"}, 400, "donnees_invalides"),
    ("telecharger/groupe", {"listeFacture": []}, 400, "liste_factures_requise"),
    ("telecharger/groupe", {"listeFacture": [{"idFacture": i} for i in range(1, rules.MAX_DOWNLOAD_INVOICES + 2)]}, 400,
     "trop_de_factures"),
    ("telecharger/groupe", {"listeFacture": [{"idFacture": 1}], "format": "DOCX"}, 400, "format_telechargement_inconnu"),
    ("telecharger/groupe", {"listeFacture": [{"idFacture": 1}], "avecPiecesJointesComplementaires": "PEUT-ETRE"}, 400,
     "oui_ou_non"),
])
async def test_bad_input_gets_a_piste_error(supplier_erp, path, body, status, code):
    response = await supplier_erp.call(f"{F}/{path}", body)
    assert response.status_code == status, response.text
    answer = response.json()
    assert answer["codeRetour"] == status and answer["libelle"] and answer["message_en"]
    if code:
        assert answer["code"] == code


async def test_telecharger_groupe_gives_the_file_itself_or_a_zip(supplier_erp):
    town = await recipient()
    first, content, number = await submitted(supplier_erp, town)
    second, other_content, _ = await submitted(supplier_erp, town)
    one = await supplier_erp.call(f"{F}/telecharger/groupe", {"listeFacture": [{"idFacture": first}], "format": "PDF"})
    assert one.status_code == 200, one.text
    assert one.json()["formatFichierResultat"] == "PDF" and base64.b64decode(one.json()["fichierResultat"]) == content
    both = await supplier_erp.call(f"{F}/telecharger/groupe", {"listeFacture": [{"idFacture": first}, {"idFacture": second}],
                                                               "avecPiecesJointesComplementaires": "OUI"})
    assert both.status_code == 200 and both.json()["formatFichierResultat"] == "ZIP", both.text
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(both.json()["fichierResultat"]))) as bundle:
        names = bundle.namelist()
        assert len(names) == 2 and names[0].startswith(f"{first}_{number}/")
        assert sorted([bundle.read(n) for n in names]) == sorted([content, other_content])


async def test_telecharger_groupe_is_bounded_in_size(supplier_erp, monkeypatch):
    town = await recipient()
    invoice_id, content, _ = await submitted(supplier_erp, town)
    monkeypatch.setattr(rules, "MAX_DOWNLOAD_BYTES", len(content) - 1)
    piste_refusal(await supplier_erp.call(f"{F}/telecharger/groupe", {"listeFacture": [{"idFacture": invoice_id}]}), 413,
                  "telechargement_trop_volumineux")


async def test_recycler_sends_again_an_invoice_its_recipient_set_to_recycle(app, anonymous, supplier_erp):
    town = await recipient()
    invoice_id, _, _ = await submitted(supplier_erp, town)
    early = await supplier_erp.call(f"{F}/recycler", {"identifiantFactureCPP": invoice_id})
    piste_refusal(early, 409, "facture_non_recyclable")

    manager = await make_user()
    await attach(manager["id"], town["id"], principal=True, profiles={Application.FACTURES_RECUES: Level.MODIFICATION})
    await login(anonymous, manager["email"], manager["password"])
    async with Erp(app, await credentials_for(anonymous, town["id"])) as town_erp:
        assert (await town_erp.get_token()).status_code == 200
        for _ in range(150):  # routing makes it available in the background
            consulted = await town_erp.call(f"{F}/consulter/recipiendaire", {"idFacture": invoice_id})
            if consulted.status_code == 200 and consulted.json()["facture"]["statut"] == "MISE_A_DISPOSITION":
                break
            await asyncio.sleep(0.1)
        recycled = await town_erp.call(f"{F}/traiter/recue", {"idFacture": invoice_id, "nouveauStatut": "A_RECYCLER",
                                                               "motif": "Mauvais service : c'est la voirie"})
        assert recycled.status_code == 200 and recycled.json()["nouveauStatut"] == "A_RECYCLER", recycled.text
        # The recipient does not recycle: the supplier corrects its invoice.
        piste_refusal(await town_erp.call(f"{F}/recycler", {"identifiantFactureCPP": invoice_id}), 403, "facture_non_autorisee")

    answer = await supplier_erp.call(f"{F}/recycler", {"identifiantFactureCPP": invoice_id, "commentaire": "Service corrigé",
                                                       "destinataire": {"codeDestinataire": town["identifier"],
                                                                        "codeServiceExecutant": "SERV2"}})
    assert answer.status_code == 200, answer.text
    assert answer.json()["codeRetour"] == 0 and answer.json()["statutFacture"] == "DEPOSEE"
    consulted = await supplier_erp.call(f"{F}/consulter/fournisseur", {"identifiantFactureCPP": invoice_id})
    assert consulted.json()["facture"]["codeServiceExecutant"] == "SERV2"
