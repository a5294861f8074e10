"""soumettre with modeDepot SAISIE_API against the real servers: an invoice typed in field by field (go-choruspro's
SoumettreFactureOptions: lignePoste, ligneTva, montantTotal), created through « Saisir une facture » and sent
with every check of « Valider et envoyer »; a refusal keeps nothing and names the field as soumettre spells it."""

from __future__ import annotations

import asyncio

import pytest

from backend.infra.database import connection
from tests.api.invoices.helpers import recipient, unique_number
from tests.api.manual.helpers import _mandate
from tests.security.test_piste_access import piste_refusal
from tests.support.factories import attach, login, make_user, supplier_with_structure
from tests.support.piste import Erp, credentials_for
from shared.applications import Application, Level

F = "/cpro/factures/v1"


async def _erp(app, client, structure: dict, scopes: list[str] | None = None) -> Erp:
    erp = Erp(app, await credentials_for(client, structure["id"], scopes))
    assert (await erp.get_token()).status_code == 200
    erp.structure = structure
    return erp


@pytest.fixture
async def supplier(app, anonymous, worker):
    """A supplier structure with its billing mandate (typing invoices in needs one), its manager logged in on
    `anonymous`, and its ERP."""
    user, structure = await supplier_with_structure(anonymous)
    await _mandate(anonymous, structure, user)
    erp = await _erp(app, anonymous, structure)
    yield erp
    await erp.http.aclose()


def typed(town: dict, number: str, **extra) -> dict:
    """Two lines at two rates, the VAT lines and totals they give (49.00 at 20 %, 52.05 at 5.5 %)."""
    return {"modeDepot": "SAISIE_API", "numeroFactureSaisi": number, "dateFacture": "2026-03-12", "idUtilisateurCourant": 0,
            "destinataire": {"codeDestinataire": town["identifier"], "codeServiceExecutant": "28E"},
            "cadreDeFacturation": {"codeCadreFacturation": "A1_FACTURE_FOURNISSEUR"},
            "references": {"deviseFacture": "EUR", "typeFacture": "FACTURE", "typeTva": "TVA_SUR_DEBIT", "modePaiement": "VIREMENT"},
            "lignePoste": [{"lignePosteNumero": 1, "lignePosteReference": "R-1", "lignePosteDenomination": "Ramettes de papier",
                            "lignePosteQuantite": 10, "lignePosteUnite": "lot", "lignePosteMontantUnitaireHT": 4.99,
                            "lignePosteMontantRemiseHT": 0.9, "lignePosteTauxTva": "TVA20"},
                           {"lignePosteNumero": 2, "lignePosteDenomination": "Manuels scolaires", "lignePosteQuantite": 3,
                            "lignePosteMontantUnitaireHT": 17.35, "lignePosteTauxTvaManuel": 5.5}],
            "ligneTva": [{"ligneTvaTaux": "TVA20", "ligneTvaMontantBaseHtParTaux": 49.0, "ligneTvaMontantTvaParTaux": 9.8},
                         {"ligneTvaTauxManuel": 5.5, "ligneTvaMontantBaseHtParTaux": 52.05, "ligneTvaMontantTvaParTaux": 2.86}],
            "montantTotal": {"montantHtTotal": 101.05, "montantTVA": 12.66, "montantTtcTotal": 113.71,
                             "montantRemiseGlobaleTTC": 0, "montantAPayer": 113.71},
            "commentaire": "Commande de rentrée", **extra}


async def invoices_of(structure_id: int) -> int:
    async with connection() as conn:
        return await conn.fetchval("SELECT count(*) FROM invoice WHERE supplier_structure_id = $1", structure_id)


async def test_a_typed_invoice_is_created_sent_and_reaches_its_recipient(app, anonymous, supplier):
    town = await recipient()
    number = unique_number()
    answer = await supplier.call(f"{F}/soumettre", typed(town, number))
    assert answer.status_code == 200, answer.text
    sent = answer.json()
    assert sent["codeRetour"] == 0 and sent["numeroFacture"] == number and sent["statutFacture"] == "DEPOSEE"
    assert sent["identifiantStructure"] == supplier.structure["identifier"] and sent["dateDepot"]
    invoice_id = sent["identifiantFactureCPP"]

    # As « Saisir une facture » makes it: its lines, the totals computed from them, its Factur-X.
    view = (await anonymous.get(f"/api/invoices/{invoice_id}")).json()
    assert view["source"] == "SAISIE" and view["kind"] == "FACTURE" and view["currency"] == "EUR"
    assert [view["total_ht"], view["total_tva"], view["total_ttc"], view["net_a_payer"]] == ["101.05", "12.66", "113.71", "113.71"]
    facturx = await anonymous.get(f"/api/invoices/{invoice_id}/facturx.pdf")
    assert facturx.status_code == 200 and facturx.content.startswith(b"%PDF")
    consulted = (await supplier.call(f"{F}/consulter/fournisseur", {"identifiantFactureCPP": invoice_id})).json()["facture"]
    assert consulted["modeDepot"] == "SAISIE_API" and consulted["codeServiceExecutant"] == "28E"

    # The recipient's ERP finds it once routed.
    manager = await make_user()
    await attach(manager["id"], town["id"], principal=True, profiles={Application.FACTURES_RECUES: Level.MODIFICATION})
    await login(anonymous, manager["email"], manager["password"])
    async with await _erp(app, anonymous, town) as town_erp:
        received = None
        for _ in range(150):  # routing makes it available in the background
            listed = await town_erp.call(f"{F}/rechercher/recipiendaire", {"idDestinataire": town["id"]})
            assert listed.status_code == 200, listed.text
            received = next((f for f in listed.json()["listeFactures"] if f["idFacture"] == invoice_id), None)
            if received and received["statut"] == "MISE_A_DISPOSITION":
                break
            await asyncio.sleep(0.1)
        assert received and received["statut"] == "MISE_A_DISPOSITION", received
        assert received["numeroFacture"] == number and received["montantTTC"] == 113.71 and received["modeDepot"] == "SAISIE_API"


async def test_the_lines_are_stored_as_typed(anonymous, supplier):
    town = await recipient()
    sent = (await supplier.call(f"{F}/soumettre", typed(town, unique_number()))).json()
    async with connection() as conn:
        rows = await conn.fetch("SELECT description, quantity, unit, unit_price, discount, vat_rate FROM invoice_line "
                                "WHERE invoice_id = $1 ORDER BY position", sent["identifiantFactureCPP"])
        header = await conn.fetchrow("SELECT comment, payment_terms, cadre FROM invoice WHERE id = $1", sent["identifiantFactureCPP"])
        vats = await conn.fetch("SELECT rate, base, amount FROM invoice_vat WHERE invoice_id = $1 ORDER BY rate DESC",
                                sent["identifiantFactureCPP"])
    assert [(r["description"], float(r["quantity"]), r["unit"], float(r["unit_price"]), float(r["discount"]), float(r["vat_rate"]))
            for r in rows] == [("Ramettes de papier", 10, "LS", 4.99, 0.9, 20), ("Manuels scolaires", 3, "C62", 17.35, 0, 5.5)]
    assert dict(header) == {"comment": "Commande de rentrée", "payment_terms": "VIREMENT", "cadre": "A1"}
    assert [(float(v["rate"]), float(v["base"]), float(v["amount"])) for v in vats] == [(20, 49, 9.8), (5.5, 52.05, 2.86)]


@pytest.mark.parametrize("change, status, code, field", [
    (lambda b: b["montantTotal"].update(montantHtTotal=100.0), 422, "montant_declare_different", "montantTotal.montantHtTotal"),
    (lambda b: b["ligneTva"][1].update(ligneTvaMontantTvaParTaux=2.87), 422, "montant_declare_different",
     "ligneTva[1].ligneTvaMontantTvaParTaux"),
    (lambda b: b["ligneTva"].pop(), 422, "ligne_tva_manquante", "ligneTva"),
    (lambda b: b.pop("destinataire"), 422, "destinataire_obligatoire", "destinataire.codeDestinataire"),
    (lambda b: b["destinataire"].update(codeDestinataire="12345678900011"), 422, "destinataire_inconnu",
     "destinataire.codeDestinataire"),
    (lambda b: b["destinataire"].update(codeServiceExecutant="NOPE"), 422, "code_service_inconnu",
     "destinataire.codeServiceExecutant"),
    (lambda b: b["lignePoste"][1].update(lignePosteQuantite=0), 422, "quantite_invalide", "lignePoste[1].lignePosteQuantite"),
    (lambda b: b["lignePoste"][0].update(lignePosteTauxTva="TVA19"), 422, "taux_tva_inconnu", "lignePoste[0].lignePosteTauxTva"),
    (lambda b: b.update(lignePoste=[], ligneTva=[], montantTotal={}), 422, "ligne_obligatoire", "lignePoste"),
    (lambda b: b.pop("numeroFactureSaisi"), 422, "numero_obligatoire", "numeroFactureSaisi"),
])
async def test_a_refused_typed_invoice_keeps_nothing_and_names_the_field(supplier, change, status, code, field):
    town = await recipient()
    body = typed(town, unique_number())
    change(body)
    refused = await supplier.call(f"{F}/soumettre", body)
    piste_refusal(refused, status, code)
    assert refused.json()["field"] == field, refused.text
    assert await invoices_of(supplier.structure["id"]) == 0  # no draft left behind
    corrected = await supplier.call(f"{F}/soumettre", typed(town, unique_number()))
    assert corrected.status_code == 200, corrected.text


async def test_a_number_already_deposited_is_refused_and_the_second_invoice_not_kept(supplier):
    town = await recipient()
    number = unique_number()
    assert (await supplier.call(f"{F}/soumettre", typed(town, number))).status_code == 200
    piste_refusal(await supplier.call(f"{F}/soumettre", typed(town, number)), 409, "numero_deja_utilise")
    assert await invoices_of(supplier.structure["id"]) == 1


async def test_without_a_billing_mandate_typing_in_is_refused(app, anonymous, worker):
    _, structure = await supplier_with_structure(anonymous)
    async with await _erp(app, anonymous, structure) as erp:
        piste_refusal(await erp.call(f"{F}/soumettre", typed(await recipient(), unique_number())), 409, "mandat_requis")
    assert await invoices_of(structure["id"]) == 0


async def test_it_needs_the_deposit_scope_and_acts_only_for_its_own_structures(app, anonymous, supplier):
    town = await recipient()
    async with await _erp(app, anonymous, supplier.structure, scopes=["search"]) as searching:
        piste_refusal(await searching.call(f"{F}/soumettre", typed(town, unique_number())), 403, "portee_insuffisante")
    other_user, other = await supplier_with_structure(anonymous)
    await _mandate(anonymous, other, other_user)
    refused = await supplier.call(f"{F}/soumettre", typed(town, unique_number(), fournisseur={"idFournisseur": other["id"]}))
    piste_refusal(refused, 403, "structure_non_autorisee")
    assert await invoices_of(other["id"]) == 0 and await invoices_of(supplier.structure["id"]) == 0


async def test_unknown_fields_are_ignored(supplier):
    body = typed(await recipient(), unique_number(), champInconnu={"a": 1}, empreinteCertificatDepot="x")
    body["lignePoste"][0]["lignePosteChampInconnu"] = "?"
    body["montantTotal"]["motifRemiseGlobaleTTC"] = "aucune"
    answer = await supplier.call(f"{F}/soumettre", body)
    assert answer.status_code == 200 and answer.json()["statutFacture"] == "DEPOSEE", answer.text


@pytest.mark.parametrize("change", [
    lambda b: b["lignePoste"][0].update(lignePosteQuantite="dix"),
    lambda b: b.update(lignePoste={"lignePosteDenomination": "une seule"}),
    lambda b: b["montantTotal"].update(montantHtTotal="cent"),
    lambda b: b["ligneTva"][0].update(ligneTvaTaux=20),
    lambda b: b.update(numeroFactureSaisi=12),
])
async def test_a_field_of_the_wrong_type_is_a_400(supplier, change):
    body = typed(await recipient(), unique_number())
    change(body)
    piste_refusal(await supplier.call(f"{F}/soumettre", body), 400, "donnees_invalides")
    assert await invoices_of(supplier.structure["id"]) == 0


async def test_an_idempotency_key_answers_a_repeated_call_with_the_first_answer(supplier):
    body = typed(await recipient(), unique_number())
    first = await supplier.call(f"{F}/soumettre", body, **{"Idempotency-Key": "saisie-1"})
    again = await supplier.call(f"{F}/soumettre", body, **{"Idempotency-Key": "saisie-1"})
    assert first.status_code == again.status_code == 200 and first.json() == again.json(), again.text
    assert await invoices_of(supplier.structure["id"]) == 1
    piste_refusal(await supplier.call(f"{F}/soumettre", {**body, "commentaire": "autre"}, **{"Idempotency-Key": "saisie-1"}), 409,
                  "cle_idempotence_reutilisee")


async def test_an_attachment_that_is_no_pending_upload_of_the_account_is_refused(supplier):
    for attachment in ({"pieceJointeComplementaireId": 2**40, "pieceJointeComplementaireDesignation": "Bon"},
                       {"pieceJointeComplementaireDesignation": "Sans id"}):
        body = typed(await recipient(), unique_number(), pieceJointeComplementaire=[attachment])
        refused = await supplier.call(f"{F}/soumettre", body)
        assert refused.status_code in (400, 422), refused.text
        assert refused.json()["field"] == "pieceJointeComplementaire" and refused.json()["codeRetour"] == refused.status_code
    assert await invoices_of(supplier.structure["id"]) == 0


async def test_a_credit_note_and_a_line_exempted_from_vat(anonymous, supplier):
    town = await recipient()
    body = typed(town, unique_number(), ligneTva=[], montantTotal={"montantHtTotal": 150, "montantTtcTotal": 150})
    body["references"].update(typeFacture="AVOIR", motifExonerationTva="Exonération TVA, article 261 du CGI")
    body["lignePoste"] = [{"lignePosteDenomination": "Formation", "lignePosteQuantite": 1, "lignePosteMontantUnitaireHT": 150,
                           "lignePosteTauxTva": "TVA0"}]
    answer = await supplier.call(f"{F}/soumettre", body)
    assert answer.status_code == 200, answer.text
    view = (await anonymous.get(f"/api/invoices/{answer.json()['identifiantFactureCPP']}")).json()
    assert view["kind"] == "AVOIR" and view["total_tva"] == "0.00" and view["total_ttc"] == "150.00"
    body = typed(town, unique_number())
    body["lignePoste"][0]["lignePosteTauxTva"] = "TVA0"
    piste_refusal(await supplier.call(f"{F}/soumettre", body), 422, "motif_exoneration")
