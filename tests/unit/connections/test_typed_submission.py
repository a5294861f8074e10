"""soumettre in SAISIE_API, without I/O: Chorus Pro's typed-in invoice (go-choruspro's SoumettreFactureOptions)
as the portal's « Saisir une facture » header and lines, and the invoices slice's field names as soumettre's."""

from decimal import Decimal

import pytest

from backend.domain.connections import rules
from backend.domain.connections.rules import RuleError
from backend.domain.invoices.rules import DeclaredVat


def body(**extra) -> dict:
    return {"modeDepot": "SAISIE_API", "numeroFactureSaisi": "API-1", "dateFacture": "2026-03-12",
            "destinataire": {"codeDestinataire": "21750001600019", "codeServiceExecutant": "28E"},
            "cadreDeFacturation": {"codeCadreFacturation": "A1_FACTURE_FOURNISSEUR"},
            "references": {"deviseFacture": "EUR", "numeroBonCommande": "EJ-1", "modePaiement": "VIREMENT"},
            "lignePoste": [{"lignePosteNumero": 2, "lignePosteDenomination": "Manuels", "lignePosteQuantite": 3,
                            "lignePosteUnite": "lot", "lignePosteMontantUnitaireHT": 17.35, "lignePosteTauxTva": "TVA5_5"},
                           {"lignePosteNumero": 1, "lignePosteDenomination": "Ramettes", "lignePosteQuantite": 10.0,
                            "lignePosteMontantUnitaireHT": 4.99, "lignePosteMontantRemiseHT": 0.9, "lignePosteTauxTva": "TVA20"}],
            "ligneTva": [{"ligneTvaTaux": "TVA20", "ligneTvaMontantBaseHtParTaux": 49.0, "ligneTvaMontantTvaParTaux": 9.8},
                         {"ligneTvaTauxRefCode": "TVA5_5", "ligneTvaMontantBaseHtParTaux": 52.05, "ligneTvaMontantTvaParTaux": 2.86}],
            "montantTotal": {"montantHtTotal": 101.05, "montantTVA": 12.66, "montantTtcTotal": 113.71, "montantAPayer": 113.71},
            **extra}


def test_a_typed_invoice_becomes_the_portals_header_and_lines_in_line_number_order():
    typed = rules.typed_invoice(body())
    assert typed.header == {"number": "API-1", "invoice_date": "2026-03-12", "recipient_siret": "21750001600019",
                            "recipient_service_code": "28E", "currency": "EUR", "engagement_number": "EJ-1", "cadre": "A1",
                            "kind": "FACTURE", "payment_terms": "VIREMENT"}
    assert typed.lines == [
        {"description": "Ramettes", "unit": "C62", "quantity": "10.0", "unit_price": "4.99", "vat_rate": "20", "discount": "0.9"},
        {"description": "Manuels", "unit": "LS", "quantity": "3", "unit_price": "17.35", "vat_rate": "5.5"}]
    assert typed.declared.total_ht == Decimal("101.05") and typed.declared.net_a_payer == Decimal("113.71")
    assert typed.declared.vat_breakdown == (DeclaredVat(Decimal("20"), Decimal("49.0"), Decimal("9.8")),
                                            DeclaredVat(Decimal("5.5"), Decimal("52.05"), Decimal("2.86")))


def test_a_manual_rate_and_the_exemption_reason_of_a_line_at_zero():
    typed = rules.typed_invoice(body(lignePoste=[{"lignePosteDenomination": "Formation", "lignePosteQuantite": 1,
                                                  "lignePosteMontantUnitaireHT": 100, "lignePosteTauxTvaManuel": 0}],
                                     references={"motifExonerationTva": "Exonération TVA, article 261 du CGI",
                                                 "typeFacture": "avoir"}))
    assert typed.lines == [{"description": "Formation", "unit": "C62", "quantity": "1", "unit_price": "100", "vat_rate": "0",
                            "exemption_reason": "Exonération TVA, article 261 du CGI"}]
    assert typed.header["kind"] == "AVOIR"


@pytest.mark.parametrize("code, rate", [("TVA20", "20"), ("tva10", "10"), ("TVA5_5", "5.5"), ("TVA2_1", "2.1"), ("TVA0", "0")])
def test_the_vat_codes_of_recuperer_tauxtva_are_rates(code, rate):
    assert rules.vat_rate_of(code, None, "x") == rate


@pytest.mark.parametrize("value, code", [("heure", "HUR"), ("Jour", "DAY"), ("KGM", "KGM"), ("", "C62"), ("carton", "C62"),
                                         ("lot", "LS")])
def test_chorus_pros_units_become_recommendation_20_codes(value, code):
    assert rules.unit_code(value) == code


@pytest.mark.parametrize("extra, code", [
    ({"lignePoste": [{"lignePosteTauxTva": "NORMAL"}]}, "taux_tva_code_inconnu"),
    ({"ligneTva": [{"ligneTvaMontantTvaParTaux": 1}]}, "taux_tva_requis"),
    ({"references": {"typeFacture": "ACOMPTE"}}, "type_facture_inconnu"),
    ({"montantTotal": {"montantRemiseGlobaleTTC": 5}}, "remise_globale_non_prise_en_charge"),
    ({"lignePoste": "une ligne"}, "liste_requise"),
])
def test_what_cannot_be_typed_in_is_refused_with_its_own_code(extra, code):
    with pytest.raises(RuleError) as refused:
        rules.typed_invoice(body(**extra))
    assert refused.value.code == code and refused.value.message_fr and refused.value.message_en


@pytest.mark.parametrize("field, named", [
    ("lines[1].quantity", "lignePoste[1].lignePosteQuantite"), ("lines[0].vat_rate", "lignePoste[0].lignePosteTauxTva"),
    ("lines[0].exemption_reason", "references.motifExonerationTva"), ("lines", "lignePoste"),
    ("vat_breakdown[1].amount", "ligneTva[1].ligneTvaMontantTvaParTaux"), ("total_ht", "montantTotal.montantHtTotal"),
    ("net_a_payer", "montantTotal.montantAPayer"), ("recipient", "destinataire.codeDestinataire"),
    ("recipient_service", "destinataire.codeServiceExecutant"), ("number", "numeroFactureSaisi"), ("other", "other"), (None, None),
])
def test_the_invoices_fields_are_named_as_soumettre_spells_them(field, named):
    assert rules.piste_field(field) == named


def test_both_submit_modes_are_offered():
    assert rules.submit_mode("saisie_api") == "SAISIE_API" and rules.submit_mode(None) == "DEPOT_PDF_API"
    with pytest.raises(RuleError):
        rules.submit_mode("DEPOT_PAPIER")
