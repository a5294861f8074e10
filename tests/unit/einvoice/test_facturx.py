"""Every generated invoice passes the official EN 16931 CII rules; corpus samples get the expected verdict."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pdfplumber
import pytest

from backend.domain.einvoice.cii import to_cii_xml
from backend.domain.einvoice.facturx_pdf import make_facturx_pdf, read_facturx_xml
from backend.domain.einvoice.model import DocumentLine, InvoiceDocument, Party, VatBreakdownLine, french_vat_id
from backend.domain.einvoice.validation import detect_syntax, validate_en16931
from backend.domain.invoices.rules import InvoiceLine, compute_totals

DATA = Path(__file__).resolve().parents[2] / "data"
SELLER = Party("Atelier Démo Fournitures", siret="73282932000074", vat_id=french_vat_id("732829320"),
               address="12 rue des Artisans", postcode="67300", city="Schiltigheim")
BUYER = Party("Mairie de Schiltigheim", siret="21670447800017", address="110 route de Bischwiller", postcode="67300", city="Schiltigheim")


def document(lines: list[InvoiceLine], **extra) -> InvoiceDocument:
    totals = compute_totals(lines)
    return InvoiceDocument(
        number=extra.pop("number", "F-2026-0001"), issue_date=date(2026, 3, 12), seller=SELLER, buyer=BUYER,
        lines=tuple(DocumentLine(str(i), l.description, l.quantity, l.unit_price, l.net_amount, "E" if l.vat_rate == 0 else "S",
                                 l.vat_rate, discount=l.discount) for i, l in enumerate(lines, 1)),
        vat_breakdown=tuple(VatBreakdownLine(b.category, b.rate, b.base, b.amount, b.exemption_reason) for b in totals.vat_breakdown),
        total_ht=totals.total_ht, total_tva=totals.total_tva, total_ttc=totals.total_ttc, net_a_payer=totals.net_a_payer,
        buyer_reference="28E", purchase_order_reference="EJ-2026-778", iban="FR7630006000011234567890189", **extra)


CASES = {
    "one line": [InvoiceLine("Fournitures", D("10"), D("12.50"), D("20"))],
    "three lines, two rates": [InvoiceLine("Papier", D("3"), D("4.99"), D("20")), InvoiceLine("Livres", D("2"), D("17.35"), D("5.5")),
                               InvoiceLine("Classeurs", D("7"), D("2.15"), D("20"))],
    "exempt beside standard": [InvoiceLine("Formation", D("1"), D("800"), D("0"), exemption_reason="Exonération de TVA, article 261 du CGI"),
                               InvoiceLine("Support", D("1"), D("100"), D("20"))],
    "line discount": [InvoiceLine("Mobilier", D("2"), D("450"), D("20"), discount=D("50"))],
}


@pytest.mark.parametrize("name", CASES)
def test_generated_cii_passes_the_en16931_rules(name):
    extra = {"type_code": "381", "preceding_invoice_reference": "F-2026-0001", "number": "AV-1"} if name == "one line" else {}
    xml = to_cii_xml(document(CASES[name], **extra))
    report = validate_en16931(xml)
    assert report.syntax == "CII"
    assert report.valid, [(v.rule_id, v.text) for v in report.violations if v.flag == "fatal"]


def test_the_facturx_pdf_embeds_valid_xml_and_reads_as_an_invoice():
    doc = document(CASES["three lines, two rates"])
    pdf = make_facturx_pdf(doc)
    assert pdf.startswith(b"%PDF")
    xml = read_facturx_xml(pdf)
    assert xml is not None and validate_en16931(xml).valid
    import io

    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        text = opened.pages[0].extract_text()
    assert "F-2026-0001" in text and "Net à payer" in text and f"{doc.total_ttc:.2f}".replace(".", ",") in text


def test_inconsistent_totals_never_leave():
    doc = document(CASES["one line"])
    from dataclasses import replace

    with pytest.raises(ValueError):
        to_cii_xml(replace(doc, total_ttc=doc.total_ttc + D("0.01")))


@pytest.mark.parametrize("path,valid", [
    ("cii/CII_example1.xml", True), ("ubl/ubl-tc434-example1.xml", True), ("ubl/ubl-21-en16931.xml", True),
    ("invalid/invalidXRV30_BR-DEC-23.xml", False), ("invalid/05.01a-INVOICE_ubl.xml", False),
])
def test_corpus_samples_get_the_expected_verdict(path, valid):
    xml = (DATA / path).read_bytes()
    assert detect_syntax(xml) in ("CII", "UBL")
    assert validate_en16931(xml).valid is valid


def test_the_french_vat_number_is_derived_from_the_siren():
    assert french_vat_id("404833048") == "FR83404833048"


def test_an_invoice_in_another_declared_encoding_is_validated():
    xml = to_cii_xml(document(CASES["one line"]))
    latin = xml.decode().replace("encoding='UTF-8'", "encoding='ISO-8859-1'", 1).encode("iso-8859-1")
    assert b"encoding='ISO-8859-1'" in latin
    assert "Démo".encode("iso-8859-1") in latin and b"\xc3" not in latin
    report = validate_en16931(latin)
    assert report.valid, [(v.rule_id, v.text) for v in report.violations if v.flag == "fatal"]
