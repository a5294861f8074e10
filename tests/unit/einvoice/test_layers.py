"""The three layers reported separately, and the Factur-X profile read from the XML and the XMP."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf

from backend.domain.einvoice.layers import check_document, check_xml

CORPUS = Path(__file__).parents[2] / "data" / "corpus"


def layers(report) -> dict[str, str]:
    return {layer.name: layer.status for layer in report.layers}


def test_a_valid_invoice_passes_xsd_and_en16931_and_gets_french_rules_as_warnings():
    report = check_document((CORPUS / "cii" / "CII_example1.xml").read_bytes(), is_pdf=False)
    assert layers(report) == {"xsd": "conforme", "en16931": "conforme", "fr": "non_conforme"}
    assert report.accepted and not report.errors()
    assert {a["rule"] for a in report.warnings()} >= {"BR-FR-10_BT-30", "BR-FR-08_BT-23"}


def test_french_rules_block_for_a_structure_that_opts_in():
    report = check_document((CORPUS / "cii" / "CII_example1.xml").read_bytes(), is_pdf=False, french_blocking=True)
    assert not report.accepted and all(a["layer"] == "fr" for a in report.errors())


def test_an_xsd_failure_is_its_own_layer_with_a_french_message_and_line():
    report = check_document((CORPUS / "invalid" / "periods.ubl.xml").read_bytes(), is_pdf=False)
    xsd = next(layer for layer in report.layers if layer.name == "xsd")
    assert xsd.status == "non_conforme" and xsd.anomalies
    first = xsd.anomalies[0]
    assert first["message"].startswith("L'élément") and first["places"][0]["line"] > 1 and not report.accepted


def test_minimum_and_basic_wl_are_reported_as_profiles_below_en16931():
    for name, profile in (("Facture_FR_MINIMUM.pdf", "MINIMUM"), ("Facture_FR_BASICWL.pdf", "BASIC WL")):
        report = check_document((CORPUS / "facturx" / name).read_bytes(), is_pdf=True)
        assert (report.profile, report.profile_xmp) == (profile, profile)
        assert [a["code"] for a in report.errors()] == ["profil_insuffisant"]
        assert "BG-25" in report.errors()[0]["message"] and layers(report)["en16931"] == "non_applicable"


def test_an_xmp_profile_disagreeing_with_the_xml_is_an_anomaly():
    pdf = (CORPUS / "facturx" / "invoice_EN16931.pdf").read_bytes()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        with document.open_metadata() as meta:
            meta["{urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#}ConformanceLevel"] = "BASIC"
        out = io.BytesIO()
        document.save(out)
    report = check_document(out.getvalue(), is_pdf=True)
    assert (report.profile, report.profile_xmp) == ("EN 16931", "BASIC")
    assert [a["code"] for a in report.errors()] == ["profil_incoherent"]
    assert check_document(pdf, is_pdf=True).accepted


def test_a_stylesheet_failure_is_validation_impossible_in_its_layer():
    xml = (CORPUS / "cii" / "CII_example1.xml").read_bytes()
    broken = xml.replace(b"<ram:LineTotalAmount>", b"<ram:LineTotalAmount>1,", 1)
    report = check_xml(broken)
    en = next(layer for layer in report.layers if layer.name == "en16931")
    assert en.status == "impossible" and en.anomalies[0]["code"] == "validation_impossible" and not report.accepted
