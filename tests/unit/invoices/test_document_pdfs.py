"""The deposit certificate and the Factur-X visual embed every font they use and print French amounts
(« 1 000,00 EUR », grouped by a narrow no-break space) as text a reader extracts, not as missing glyphs."""

from __future__ import annotations

import io
import re
from decimal import Decimal as D

import pikepdf
import pypdfium2
import pytest

from backend.domain.einvoice.facturx_pdf import make_facturx_pdf, render_pdf
from backend.domain.invoices.certificate import render_certificate
from backend.domain.invoices.rules import InvoiceLine
from tests.unit.einvoice.test_facturx import document

THOUSANDS = re.compile(r"1[ \u00a0\u202f]234[ \u00a0\u202f]567,89")
MISSING_GLYPHS = ("\ufffd", "\u25a0", "\x00")


def _fonts_of(pdf: bytes) -> list[tuple[str, bool]]:
    """(name, embedded) of every font the pages use, descendant fonts of composite ones included."""
    fonts = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            for _, font in (page.Resources.get("/Font") or {}).items():
                for face in [font, *(font.get("/DescendantFonts") or [])]:
                    descriptor = face.get("/FontDescriptor")
                    if descriptor is None:
                        if face.get("/Subtype") == "/Type0":
                            continue  # described by its descendant
                        fonts.append((str(face.get("/BaseFont")), False))
                        continue
                    embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
                    fonts.append((str(face.get("/BaseFont")), embedded))
    return fonts


def _text_of(pdf: bytes) -> str:
    document_ = pypdfium2.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document_)
    finally:
        document_.close()


def _certificate(lang: str = "fr") -> bytes:
    amount = "1234567.89"
    return render_certificate({
        "deposit_number": "DEP-2026-ABCDEF123456", "deposited_at": "2026-12-02T09:30:00+00:00", "number": "F-1",
        "invoice_date": "2026-11-30", "cadre": "A1", "currency": "EUR",
        "supplier": {"identifier": "73282932000074", "name": "Atelier Démo"},
        "recipient": {"identifier": "21670447800017", "name": "Mairie"}, "recipient_service": None,
        "total_ht": amount, "total_tva": "0.00", "total_ttc": amount, "net_a_payer": amount,
        "files": [{"role": "principal", "sha256": "ab" * 32}]}, lang)


def _visual(lang: str = "fr") -> bytes:
    return render_pdf(document([InvoiceLine("Travaux", D("1"), D("1234567.89"), D("0"), exemption_reason="Article 261 du CGI")]),
                      lang)


@pytest.mark.parametrize("make", [_certificate, _visual], ids=["certificate", "facturx-visual"])
def test_every_font_is_embedded_dejavu(make):
    fonts = _fonts_of(make())
    assert fonts and all(embedded for _, embedded in fonts), fonts
    assert all("DejaVu" in name for name, _ in fonts), fonts


@pytest.mark.parametrize("make", [_certificate, _visual], ids=["certificate", "facturx-visual"])
def test_french_amounts_are_printed_with_a_space_like_thousands_separator(make):
    text = _text_of(make())
    assert THOUSANDS.search(text), text
    assert not any(mark in text for mark in MISSING_GLYPHS)


def test_the_certificate_prints_the_amount_and_its_currency_and_paris_time():
    text = _text_of(_certificate())
    assert re.search(r"1[ \u00a0\u202f]234[ \u00a0\u202f]567,89 EUR", text)
    assert "02/12/2026 à 10:30:00" in text  # 09:30 UTC is 10:30 in Paris in winter
    english = _text_of(_certificate("en"))
    assert "1,234,567.89 EUR" in english and "Deposit certificate" in english


def test_the_facturx_file_keeps_its_embedded_fonts():
    pdf = make_facturx_pdf(document([InvoiceLine("Travaux", D("1"), D("1234567.89"), D("20"))]))
    fonts = _fonts_of(pdf)
    assert fonts and all(embedded for _, embedded in fonts), fonts
