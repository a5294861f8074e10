"""Every PDF the product generates (Factur-X, deposit certificate, lot report) is the PDF/A-3B it declares,
and a Factur-X's XMP names the profile its XML is in."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pikepdf
import pytest

from backend.domain.einvoice.layers import check_xml, profile_of, xmp_profile
from backend.domain.einvoice.pdf_attachments import the_invoice_xml
from backend.domain.einvoice.reading import parse_invoice_xml
from backend.domain.invoices.rules import InvoiceLine
from backend.domain.lots import report_pdf
from backend.domain.einvoice.facturx_pdf import make_facturx_pdf
from backend.infra.pdf_pdfa import make_pdfa3
from tests.support.pdfa import pdfa_problems
from tests.unit.einvoice.test_facturx import document
from tests.unit.invoices.test_document_pdfs import _certificate

LOT = {"number": "CPP2026000000000000000042", "original_name": "lot.zip", "entry_count": 2, "integrated_count": 1,
       "rejected_count": 1, "entries": [
           {"position": 1, "name": "a.xml", "status": "INTEGREE", "invoice_number": "F-1", "anomalies": []},
           {"position": 2, "name": "b.xml", "status": "REJETEE", "invoice_number": "F-2", "anomalies": [
               {"code": "BR-CO-15", "rule": "BR-CO-15", "message": "Le total TTC (BT-112) doit être égal…", "count": 2,
                "field": "Montant TTC", "places": [{"path": "/Invoice/Total", "line": 12, "found": "151.00", "expected": "150.00"}],
                "hint": "Corrigez le total."}]}]}


def _facturx() -> bytes:
    return make_facturx_pdf(document([InvoiceLine("Travaux", D("2"), D("100"), D("20"))]))


GENERATED = {"facturx": _facturx, "certificate": _certificate, "certificate-en": lambda: _certificate("en"),
             "lot-report": lambda: report_pdf.render(LOT)}


@pytest.mark.parametrize("make", GENERATED.values(), ids=GENERATED.keys())
def test_every_generated_pdf_is_pdfa_3b(make):
    assert pdfa_problems(make()) == []


def test_the_checker_sees_what_reportlab_alone_lacks():
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Helvetica, not embedded")
    page.save()
    problems = pdfa_problems(buffer.getvalue())
    assert any("output intents" in p for p in problems) and any("not embedded" in p for p in problems)
    assert any("XMP declares part None" in p for p in problems)


def test_the_facturx_xmp_agrees_with_its_xml_and_it_passes_every_layer():
    pdf = _facturx()
    xml = the_invoice_xml(pdf)
    assert xmp_profile(pdf) == profile_of(parse_invoice_xml(xml)) == "EN 16931"
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        meta = doc.open_metadata()
        assert meta.get("{urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#}DocumentFileName") == "factur-x.xml"
        assert meta.get("{urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#}DocumentType") == "INVOICE"
        (attachment,) = doc.attachments.values()
        assert attachment.obj.get("/AFRelationship") in (pikepdf.Name.Data, pikepdf.Name.Alternative)
        assert doc.Root.Lang == "fr-FR"
    report = check_xml(xml, pdf=pdf, french_blocking=True)
    assert report.accepted and report.profile_xmp == "EN 16931" and not report.anomalies


def test_making_pdfa_keeps_the_pages_and_the_creation_date():
    first = make_pdfa3(_certificate(), title="Titre")
    again = make_pdfa3(first, title="Titre")
    with pikepdf.open(io.BytesIO(first)) as a, pikepdf.open(io.BytesIO(again)) as b:
        assert len(a.pages) == len(b.pages) == 1
        assert a.open_metadata()["xmp:CreateDate"] == b.open_metadata()["xmp:CreateDate"]
