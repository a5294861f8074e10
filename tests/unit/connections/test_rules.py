"""Connection rules without I/O: scopes, cpro-account, flows, processing, pagination, webhooks."""

from __future__ import annotations

import base64

import pytest

from backend.domain.connections import rules
from backend.domain.connections.rules import RuleError


def test_scopes_are_known_unique_and_required():
    assert rules.parse_scopes("deposit search deposit") == ["deposit", "search"]
    assert rules.parse_scopes(["Directory"]) == ["directory"]
    with pytest.raises(RuleError, match="Portée inconnue : admin"):
        rules.parse_scopes(["admin"])
    with pytest.raises(RuleError) as none:
        rules.parse_scopes([])
    assert none.value.code == "portee_requise"


def test_cpro_account_is_base64_of_login_colon_password():
    encoded = base64.b64encode("tech@x.fr:mot:de:passe".encode()).decode()
    assert rules.parse_cpro_account(encoded) == ("tech@x.fr", "mot:de:passe")  # the password may hold colons
    for bad in (None, "", "%%%", base64.b64encode(b"no-colon").decode(), base64.b64encode(b":pw").decode(),
                base64.b64encode(b"\xff\xfe:x").decode()):
        assert rules.parse_cpro_account(bad) is None


def test_bearer_token():
    assert rules.bearer_token("Bearer abc") == "abc" and rules.bearer_token("bearer  abc ") == "abc"
    assert rules.bearer_token("Basic abc") is None and rules.bearer_token("Bearer ") is None and rules.bearer_token(None) is None


def test_secrets_compare_by_hash():
    assert rules.same_secret("s", rules.secret_hash("s")) and not rules.same_secret("t", rules.secret_hash("s"))


def test_flow_syntaxes_map_to_lot_formats():
    assert rules.flux_syntax("IN_DP_E2_CII_FACTURX") == ("PDF_FACTURX", "FACTURX")
    assert rules.flux_syntax("IN_DP_E1_UBL_INVOICE") == ("XML_STRUCTURE", "UBL")
    with pytest.raises(RuleError):
        rules.flux_syntax("IN_DP_E3_EDIFACT")
    assert rules.flux_file_name("facture", "PDF_FACTURX") == "facture.pdf"
    assert rules.flux_file_name("../a/b.XML", "XML_STRUCTURE") == ".._a_b.XML"


def test_files_must_be_base64_and_not_empty():
    assert rules.decode_file(base64.b64encode(b"x").decode()) == b"x"
    for bad, code in ((None, "fichier_flux_requis"), ("@@", "fichier_flux_invalide"), ("", "fichier_flux_requis")):
        with pytest.raises(RuleError) as refused:
            rules.decode_file(bad)
        assert refused.value.code == code


def test_flow_numbers_carry_their_lot():
    assert rules.lot_id_of("CPP2026000000000000000042") == 42  # lots/rules.py lot_number: CPP, the year, 18 digits
    assert rules.lot_id_of("CPP20260000000042") is None and rules.lot_id_of("LOT202612020000000042") is None
    assert rules.lot_id_of(None) is None
    assert set(rules.FLOW_STATES.values()) >= rules.FINAL_FLOW_STATES


def test_processing_statuses():
    assert rules.processing_action("suspendue") == "SUSPEND" and rules.processing_action("REJETEE") == "REFUSE"
    with pytest.raises(RuleError):
        rules.processing_action("PAYEE")


def test_pagination():
    page = rules.page_of({"nbResultatsParPage": "2", "pageResultatDemandee": 2, "triSense": "Ascendant "})
    assert page.size == 2 and page.number == 2 and not page.descending
    assert rules.page_of(None).size == 10 and rules.page_of({"nbResultatsParPage": 10_000}).size == rules.MAX_PAGE_SIZE
    items, meta = rules.paginate(list(range(5)), page)
    assert items == [2, 3] and meta == {"nbResultatsParPage": 2, "pageCourante": 2, "pages": 3, "total": 5}
    with pytest.raises(RuleError):
        rules.page_of({"nbResultatsParPage": "dix"})


def test_webhook_events_and_retries():
    assert rules.parse_events(["flux.integre", "flux.integre"]) == ["flux.integre"]
    with pytest.raises(RuleError):
        rules.parse_events(["facture.payee"])
    assert [rules.retry_delay(n) for n in (1, 5, 6)] == [5, 3600, None]


@pytest.mark.parametrize("address", ["10.0.0.1", "172.16.3.4", "192.168.0.1", "169.254.169.254", "100.64.0.1", "::1",
                                     "fe80::1", "fc00::1", "::ffff:192.168.0.1", "224.0.0.1", "0.0.0.0"])
def test_non_public_addresses_are_refused(address):
    assert rules.refused_address(address, allow_loopback=False)


# The PDF path, recycling, grouped downloads -------------------------------------------------------

def test_the_main_attachment_is_read_as_an_object_or_a_list_of_one():
    assert rules.main_attachment_id({"pieceJointePrincipale": {"pieceJointePrincipaleId": 7}}) == 7
    assert rules.main_attachment_id({"pieceJointePrincipale": [{"pieceJointePrincipaleId": "8"}]}) == 8
    for wrong in (None, {}, [], [{"pieceJointePrincipaleId": 1}, {"pieceJointePrincipaleId": 2}], {"pieceJointePrincipaleId": True},
                  {"pieceJointePrincipaleId": -1}, {"pieceJointePrincipaleId": 2**63}):
        with pytest.raises(rules.RuleError) as refused:
            rules.main_attachment_id({"pieceJointePrincipale": wrong})
        assert refused.value.code == "piece_jointe_principale_requise"


def test_only_the_pdf_deposit_formats_and_modes_chorus_pro_names_are_taken():
    assert rules.pdf_deposit_format(None) == "PDF_NON_SIGNE" and rules.pdf_deposit_format(" pdf_signe_pades ") == "PDF_SIGNE_PADES"
    with pytest.raises(rules.RuleError):
        rules.pdf_deposit_format("PDF_PAPIER")
    assert rules.submit_mode(None) == "DEPOT_PDF_API" and rules.submit_mode("SAISIE_API") == "SAISIE_API"
    with pytest.raises(rules.RuleError) as refused:
        rules.submit_mode("DEPOT_PAPIER")
    assert refused.value.code == "mode_depot_non_pris_en_charge"


def test_soumettre_fields_become_the_invoices_api_fields():
    fields = rules.submitted_fields({
        "numeroFactureSaisi": "F-1", "dateFacture": "2026-03-12", "commentaire": "Merci",
        "destinataire": {"codeDestinataire": "21670447800017", "codeServiceExecutant": "28E"},
        "cadreDeFacturation": {"codeCadreFacturation": "A9_FACTURE_SOUSTRAITANT", "codeStructureValideur": "12345678900011"},
        "montantTotal": {"montantHtTotal": 100, "montantTVA": 20, "montantTtcTotal": 120, "montantAPayer": None},
        "references": {"deviseFacture": "EUR", "numeroBonCommande": "EJ-1", "typeTva": "TVA_SUR_DEBIT"}})
    assert fields == {"number": "F-1", "invoice_date": "2026-03-12", "comment": "Merci", "recipient_siret": "21670447800017",
                      "recipient_service_code": "28E", "cadre": "A9", "holder_siret": "12345678900011", "total_ht": 100,
                      "total_tva": 20, "total_ttc": 120, "currency": "EUR", "engagement_number": "EJ-1"}
    assert rules.routing_fields({"reference": {"numeroBonCommande": "EJ-2"}}, "reference") == {"engagement_number": "EJ-2"}
    with pytest.raises(rules.RuleError) as refused:
        rules.submitted_fields({"destinataire": "21670447800017"})
    assert refused.value.code == "objet_requis"


def test_a_download_request_is_bounded_and_deduplicated():
    asked = rules.download_request({"listeFacture": [{"idFacture": 3}, {"idFacture": "3"}, {"idFacture": 4}], "format": "zip",
                                    "avecPiecesJointesComplementaires": "OUI"})
    assert asked == rules.DownloadRequest((3, 4), zip=True, with_attachments=True)
    assert rules.download_request({"listeFacture": [{"idFacture": 5}]}) == rules.DownloadRequest((5,), zip=False, with_attachments=False)
    too_many = [{"idFacture": i} for i in range(1, rules.MAX_DOWNLOAD_INVOICES + 2)]
    for body, code in (({"listeFacture": too_many}, "trop_de_factures"), ({"listeFacture": []}, "liste_factures_requise"),
                       ({"listeFacture": [{"idFacture": 0}]}, "liste_factures_requise"),
                       ({"listeFacture": [{"idFacture": 1}], "format": "DOCX"}, "format_telechargement_inconnu")):
        with pytest.raises(rules.RuleError) as refused:
            rules.download_request(body)
        assert refused.value.code == code


def test_a_zip_entry_stays_inside_its_invoices_folder():
    assert rules.zip_entry_name(4, "F-2026/12", 9, "facture.pdf") == "4_F-2026_12/9_facture.pdf"
    assert rules.zip_entry_name(4, "F1", 9, None) == "4_F1/9_fichier"
    for hostile in ("../../etc/passwd", "..\\..\\x", "/abs", "a\x00b"):
        folder, name = rules.zip_entry_name(4, "..", 9, hostile).split("/")
        assert folder == "4_facture" and name.startswith("9_") and "\\" not in name and "\x00" not in name
