from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from backend.domain.invoices.extraction import STEPS, ExtractionError, extract_invoice_fields, parse_amount, parse_date
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


def test_a_value_right_after_its_keyword_is_surer_than_one_on_the_next_line(tmp_path):
    make_invoice_pdf(tmp_path / "a.pdf", layout="classic")
    make_invoice_pdf(tmp_path / "b.pdf", layout="compact")
    same_line = extract_invoice_fields(tmp_path / "a.pdf").fields["total_ht"]
    next_line = extract_invoice_fields(tmp_path / "b.pdf").fields["total_ht"]
    assert same_line.confidence > next_line.confidence
    assert same_line.page == 1 and "Total HT" in same_line.snippet


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


def test_amounts_and_dates_in_french_formats():
    assert parse_amount("1 234,56") == "1234.56"
    assert parse_amount("1.234,56") == "1234.56"
    assert parse_amount("1,234.56") == "1234.56"
    assert parse_date("12/03/2026") == "2026-03-12"
    assert parse_date("1er mars 2026") == "2026-03-01"
    assert parse_date("31/02/2026") is None
