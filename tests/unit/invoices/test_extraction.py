from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from backend.domain.invoices import ocr
from backend.domain.invoices.extraction import OCR_CONFIDENCE, STEPS, ExtractionError, extract_invoice_fields
from tests.pdfgen import make_invoice_pdf, make_scanned_pdf

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.mark.parametrize("layout", ["classic", "table", "compact"])
def test_every_layout_gives_every_field(tmp_path, layout):
    expected = make_invoice_pdf(tmp_path / "f.pdf", layout=layout)
    result = extract_invoice_fields(tmp_path / "f.pdf")
    assert result.kind == "text"
    found = {name: result.value(name) for name in expected}
    assert found == expected
    assert all(0 < result.fields[name].confidence <= 1 for name in expected)


def test_every_field_has_its_place_on_the_page(tmp_path):
    make_invoice_pdf(tmp_path / "a.pdf", layout="classic")
    total = extract_invoice_fields(tmp_path / "a.pdf").fields["total_ht"]
    assert total.page == 1 and "Total HT" in total.snippet
    x0, top, x1, bottom = total.box
    assert 0 < x0 < x1 <= 1 and 0 < top < bottom <= 1  # fractions of the page, around the amount


def test_fields_on_page_three_are_found_but_not_on_page_four(tmp_path):
    expected = make_invoice_pdf(tmp_path / "p3.pdf", pages=4, page_of_fields=3)
    assert extract_invoice_fields(tmp_path / "p3.pdf").value("invoice_number") == expected["invoice_number"]
    make_invoice_pdf(tmp_path / "p4.pdf", pages=4, page_of_fields=4)
    result = extract_invoice_fields(tmp_path / "p4.pdf")
    assert result.value("invoice_number") is None and result.pages_read == 3


def test_steps_are_reported_in_order(tmp_path):
    make_invoice_pdf(tmp_path / "f.pdf")
    steps = []
    extract_invoice_fields(tmp_path / "f.pdf", on_step=steps.append)
    assert tuple(steps) == STEPS


def test_a_scanned_pdf_asks_for_manual_entry(tmp_path):
    make_scanned_pdf(tmp_path / "scan.pdf")
    result = extract_invoice_fields(tmp_path / "scan.pdf")
    assert result.kind == "scanned" and not result.fields
    assert "saisissez les informations manuellement" in result.message_fr


def test_a_renamed_file_is_not_a_pdf(tmp_path):
    fake = tmp_path / "facture.pdf"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    with pytest.raises(ExtractionError) as refused:
        extract_invoice_fields(fake)
    assert refused.value.code == "not_pdf" and refused.value.message_fr == "Le fichier n'est pas un PDF valide."


def test_an_encrypted_pdf_is_refused(tmp_path):
    make_invoice_pdf(tmp_path / "locked.pdf", encrypted=True)
    with pytest.raises(ExtractionError) as refused:
        extract_invoice_fields(tmp_path / "locked.pdf")
    assert refused.value.code == "encrypted"


def test_a_corrupt_pdf_is_refused(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n" + b"garbage" * 50)
    with pytest.raises(ExtractionError) as refused:
        extract_invoice_fields(broken)
    assert refused.value.code == "corrupt"


def test_a_facturx_pdf_is_read_from_its_embedded_xml():
    result = extract_invoice_fields(DATA / "facturx" / "Facture_FR_EN16931.pdf")
    assert result.kind == "facturx"
    assert result.value("invoice_number") == "FA-2017-0010"
    assert result.value("total_ttc") == "671.15" and result.value("total_ht") == "624.90"
    assert result.value("net_a_payer") == "470.15" and result.value("engagement_number") == "PO445"
    assert result.value("recipient_siret") == "78787878400035"
    assert result.fields["total_ttc"].confidence == 1.0


def _image_pdf(tmp_path) -> Path:
    """A text invoice printed to an image and wrapped in a PDF: what a scanner gives."""
    import pypdfium2
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    make_invoice_pdf(tmp_path / "text.pdf", layout="classic")
    document = pypdfium2.PdfDocument(str(tmp_path / "text.pdf"))
    image = document[0].render(scale=150 / 72).to_pil()
    document.close()
    pdf = canvas.Canvas(str(tmp_path / "scan.pdf"))
    pdf.drawImage(ImageReader(image), 0, 0, width=595, height=842)
    pdf.showPage()
    pdf.save()
    return tmp_path / "scan.pdf"


@pytest.mark.skipif(not ocr.available(), reason="Tesseract is not installed (just ocr-deps)")
def test_a_scan_is_read_by_ocr_and_every_field_stays_doubtful(tmp_path):
    result = extract_invoice_fields(_image_pdf(tmp_path))
    assert result.kind == "ocr" and "OCR" in result.message_fr
    assert result.value("total_ttc") == "255.50" and result.value("invoice_number") == "F-2026-0042"
    assert all(f.confidence <= OCR_CONFIDENCE for f in result.fields.values())
    assert result.fields["total_ttc"].box is not None


def test_tesseracts_words_come_back_in_pdf_points():
    tsv = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
           "5\t1\t1\t1\t1\t1\t300\t150\t90\t30\t96.5\tTotal\n5\t1\t1\t1\t1\t2\t400\t150\t60\t30\t12\t~~\n")
    words = ocr.words_of_tsv(tsv, 150 / 72)
    assert [(w.text, round(w.x0), round(w.top), round(w.x1)) for w in words] == [("Total", 144, 72, 187)]
