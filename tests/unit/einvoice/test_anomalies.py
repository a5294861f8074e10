"""Readable anomalies: the catalogue covers every rule of the four official stylesheets, and a report
groups its violations by rule with where they are, the value found and the value expected."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pytest

from backend.domain.einvoice import rule_skeleton
from backend.domain.einvoice.anomalies import field_text, grouped, readable_path
from backend.domain.einvoice.business_terms import term_label
from backend.domain.einvoice.pdf_attachments import PdfXmlProblem, the_invoice_xml
from backend.domain.einvoice.reading import UnreadableInvoice, xml_from_facturx
from backend.domain.einvoice.rule_catalogue import explain, skeleton
from backend.domain.einvoice.validation import ValidationReport, Violation, validate_en16931, validate_fr

DATA = Path(__file__).parents[2] / "data"
CORPUS = DATA / "corpus"


def test_the_skeleton_is_the_stylesheets_rule_list():
    built = rule_skeleton.build()
    assert built == skeleton(), "run python -m backend.domain.einvoice.rule_skeleton"
    layers = {(e["layer"], s) for e in built.values() for s in e["syntaxes"]}
    assert layers == {("en16931", "UBL"), ("en16931", "CII"), ("fr", "UBL"), ("fr", "CII")}
    assert len(built) > 1700


@pytest.mark.parametrize("rule_id", sorted(skeleton()))
def test_every_rule_has_a_french_and_an_english_text(rule_id):
    entry = explain(rule_id)
    assert entry.fr and entry.en and entry.fr != entry.en
    assert f"[{rule_id}]" not in entry.fr and not entry.fr.startswith(rule_id)
    # The French text is French: no untranslated EN 16931 sentence (« shall », « should ») left in it.
    assert not re.search(r"\b(shall|should|must|if|unless|with)\b", entry.fr), entry.fr


def test_business_rules_name_their_terms_and_the_form_field():
    total = explain("BR-CO-15")
    assert total.fr == "Le total TTC (BT-112) doit être égal au total HT (BT-109) + le total de la TVA (BT-110)."
    assert total.terms == ("BT-112", "BT-109", "BT-110") and total.field_fr == "Montant TTC" and total.hint_fr
    assert explain("BR-DEC-23").field_fr == "Montant HT de la ligne"
    assert explain("BR-S-08").fr.startswith("Dans la ventilation de TVA « taux normal »")
    assert "BT-22" in explain("BR-FR-05_BT-22_PMT").terms and explain("BR-FR-05_BT-22_PMT").hint_fr


def test_readable_path_drops_namespaces_and_first_positions():
    location = ("/*:Invoice[namespace-uri()='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'][1]"
                "/*:InvoiceLine[namespace-uri()='urn:x'][2]/*:Price[namespace-uri()='urn:x'][1]")
    assert readable_path(location) == "Invoice/InvoiceLine[2]/Price"


def test_duplicates_collapse_with_their_count_and_nothing_is_dropped():
    violations = [Violation("CII-DT-031", "fatal", "/", "[CII-DT-031]-x")] * 12 + [Violation("BR-16", "fatal", "/", "[BR-16]-y")]
    groups = grouped(ValidationReport(syntax="CII", violations=violations), None)
    assert [(g["rule"], g["count"]) for g in groups] == [("CII-DT-031", 12), ("BR-16", 1)]


def test_a_sum_that_does_not_add_up_shows_the_line_the_value_found_and_expected():
    xml = (CORPUS / "invalid" / "not_validating_full_invoice_based_onTest_EeISI_300_CENfullmodel.ubl.xml").read_bytes()
    groups = {g["rule"]: g for g in grouped(validate_en16931(xml), xml)}
    line_sum = groups["BR-CO-10"]["places"][0]
    assert line_sum["path"] == "Invoice/LegalMonetaryTotal/LineExtensionAmount" and line_sum["line"] > 261
    assert (line_sum["found"], line_sum["expected"]) == ("200", "2000")
    assert groups["BR-CO-15"]["places"][0]["expected"] == "250"


def test_a_value_the_stylesheet_cannot_read_is_validation_impossible_with_its_reason():
    xml = (DATA / "cii" / "CII_example1.xml").read_bytes()
    broken = re.sub(rb"<ram:LineTotalAmount>[0-9.]+</ram:LineTotalAmount>", b"<ram:LineTotalAmount>12,5</ram:LineTotalAmount>", xml, count=1)
    report = validate_en16931(broken)
    assert not report.valid and report.error and "12,5" in report.error and "template" not in report.error


def test_the_french_rules_run_as_their_own_layer():
    xml = (DATA / "cii" / "CII_example1.xml").read_bytes()
    report = validate_fr(xml)
    assert report.layer == "fr" and report.error is None
    assert {"BR-FR-05_BT-22_PMT", "BR-FR-08_BT-23", "BR-FR-10_BT-30"} <= set(report.fatal_rules)
    groups = grouped(report, xml, blocking=False)
    assert all(g["severity"] == "avertissement" and g["layer"] == "fr" for g in groups)
    assert not any(g["message"].startswith(("[", "BR-FR")) for g in groups)


def _pdf_with(attachments: dict[str, bytes]) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    for name, data in attachments.items():
        pdf.attachments[name] = pikepdf.AttachedFileSpec(pdf, data, filename=name)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_two_invoice_xmls_in_one_pdf_are_an_ambiguity():
    xml = (DATA / "cii" / "CII_example1.xml").read_bytes()
    with pytest.raises(UnreadableInvoice) as raised:
        xml_from_facturx(_pdf_with({"factur-x.xml": xml, "ZUGFeRD-invoice.xml": xml}))
    assert raised.value.code == "facturx_ambigu" and "factur-x.xml" in raised.value.message_fr
    assert the_invoice_xml(_pdf_with({"factur-x.xml": xml, "annexe.xml": b"<a/>"})) == xml


def test_an_unreadable_pdf_is_reported_as_unreadable_not_as_without_xml():
    with pytest.raises(PdfXmlProblem) as raised:
        the_invoice_xml((CORPUS / "invalid" / "corrupt-factur-x-waytoosmall.pdf").read_bytes())
    assert raised.value.code == "pdf_illisible"
    with pytest.raises(UnreadableInvoice) as plain:
        xml_from_facturx((CORPUS / "pdf_text" / "NetpresseInvoice.pdf").read_bytes())
    assert plain.value.code == "facturx_sans_xml"


def test_a_report_names_its_terms_and_field_by_key_and_reads_in_english():
    groups = grouped(ValidationReport(syntax="UBL", violations=[Violation("BR-CO-15", "fatal", "/", "[BR-CO-15]-x")]), None)
    total = groups[0]
    assert total["field_term"] == "BT-112" and [term["id"] for term in total["terms"]] == ["BT-112", "BT-109", "BT-110"]
    assert field_text(total, "fr") == "Montant TTC" and field_text(total, "en") == "Amount incl. VAT"
    assert total["terms"][0]["label"] == "total TTC (BT-112)"
    assert total["terms"][0]["label_en"] == "Invoice total amount with VAT (BT-112)"
    assert term_label("BT-112", "en") == "Invoice total amount with VAT (BT-112)" and term_label("BT-999", "en") == "BT-999 (BT-999)"


def test_a_report_stored_before_the_keys_still_reads_its_field():
    stored = {"code": "regle_en16931", "rule": "BR-CO-15", "message": "…", "message_en": "…",
              "field": "Montant TTC", "field_en": "Amount incl. VAT"}
    assert field_text(stored, "fr") == "Montant TTC" and field_text(stored, "en") == "Amount incl. VAT"
    assert field_text({"field": "Montant TTC"}, "en") == "Montant TTC" and field_text({}, "en") is None
