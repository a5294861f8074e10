"""The reading's word source (issue 18, speed): pdfium's characters grouped by pdfplumber's rules must give the
reading what pdfplumber gave it — the same words on every corpus PDF, nearly the same boxes, the same fields —
and pdfplumber must still read what pdfium does not read as it would."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pdfplumber
import pikepdf
import pypdfium2
import pytest

from backend.domain.invoices import extraction
from backend.domain.invoices.reading.words import Char, words_of
from tests.data.extraction.corpus import invoices
from tests.pdfgen import make_invoice_pdf

CORPUS = invoices()


def _both(path: Path):
    with pdfplumber.open(path) as pdf:
        plumber = extraction._plumber_pages(pdf)
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        pdfium = extraction._pdfium_pages(pdf)
    finally:
        pdf.close()
    return plumber, pdfium


@pytest.fixture(scope="module")
def corpus_pages():
    return {invoice.path.name: _both(invoice.path) for invoice in CORPUS}


def test_every_corpus_page_has_the_same_words(corpus_pages):
    differing = {}
    for name, (plumber, pdfium) in corpus_pages.items():
        assert pdfium is not None and len(pdfium) == len(plumber), name
        for theirs, ours in zip(plumber, pdfium):
            assert (ours.width, ours.height) == pytest.approx((theirs.width, theirs.height))
            expected, got = Counter(w.text for w in theirs.words), Counter(w.text for w in ours.words)
            if expected != got:
                differing[f"{name} p{theirs.number}"] = (dict(expected - got), dict(got - expected))
    assert differing == {}


def test_the_words_boxes_are_pdfplumbers_to_a_point(corpus_pages):
    """Vertically within 0.5 pt (the lines and the reach below a label depend on it); horizontally within
    1.5 pt except where a font's widths disagree with its glyphs (pdfminer gives « € » no width in one
    real PDF, pdfium its glyph's): at most 1 % of the words."""
    total, off = 0, []
    for name, (plumber, pdfium) in corpus_pages.items():
        for theirs, ours in zip(plumber, pdfium):
            left = list(ours.words)
            for word in theirs.words:
                match = min((w for w in left if w.text == word.text), key=lambda w: abs(w.x0 - word.x0) + abs(w.top - word.top))
                left.remove(match)
                total += 1
                assert abs(match.top - word.top) < 0.5 and abs(match.bottom - word.bottom) < 0.5, (name, word, match)
                if abs(match.x0 - word.x0) > 1.5 or abs(match.x1 - word.x1) > 1.5:
                    off.append((name, word.text))
    assert total > 8000 and len(off) <= total // 100, off


def test_every_corpus_pdf_gives_the_same_fields_from_either_source(corpus_pages):
    """Values, confidences and SIRET roles: the accuracy measured with pdfplumber's words stands."""
    def fields(pages):
        found, sirets = extraction._fields_of(pages, "text")
        return {n: (f.value, f.confidence, f.role) for n, f in found.items()}, [(f.value, f.role) for f in sirets]

    differing = {name: (fields(plumber), fields(pdfium)) for name, (plumber, pdfium) in corpus_pages.items()
                 if fields(plumber) != fields(pdfium)}
    assert differing == {}


# pdfplumber's grouping rules, on characters placed by hand ----------------------------------------------

def _line(text: str, x: float = 10.0, top: float = 100.0, width: float = 5.0, gap: float = 0.0, size: float = 10.0) -> list[Char]:
    chars = []
    for letter in text:
        chars.append(Char(letter, x, top, x + width, top + size))
        x += width + gap
    return chars


def test_a_space_ends_a_word_and_is_dropped():
    assert [w.text for w in words_of(_line("Total HT"))] == ["Total", "HT"]


def test_a_gap_past_the_x_tolerance_ends_a_word_and_one_within_it_does_not():
    assert [w.text for w in words_of(_line("abc", gap=2.0))] == ["abc"]
    assert [w.text for w in words_of(_line("abc", gap=2.01))] == ["a", "b", "c"]


def test_characters_a_little_off_the_line_stay_on_it_and_further_off_start_another():
    near = _line("ab") + [Char("c", 20.0, 102.4, 25.0, 112.4)]
    assert [w.text for w in words_of(near)] == ["abc"]
    far = _line("ab") + [Char("c", 20.0, 102.6, 25.0, 112.6)]
    assert [w.text for w in words_of(far)] == ["ab", "c"]


def test_lines_are_read_top_down_and_left_to_right_whatever_the_content_order():
    chars = _line("Net", x=60.0, top=200.0) + _line("Date", top=100.0) + _line("TTC", x=10.0, top=200.0)
    words = words_of(chars)
    assert [w.text for w in words] == ["Date", "TTC", "Net"]
    assert (words[0].x0, words[0].top, words[0].x1, words[0].bottom) == (10.0, 100.0, 30.0, 110.0)


def test_a_character_before_the_previous_one_starts_a_word():
    overlapping = [Char("a", 10.0, 100.0, 15.0, 110.0), Char("b", 9.0, 100.0, 14.0, 110.0)]
    assert [w.text for w in words_of(overlapping)] == ["ba"]  # sorted by x0 first: « b » then « a » within 2 pt


def test_ligatures_are_spelled_out():
    assert [w.text for w in words_of(_line("ﬁn"))] == ["fin"]


def test_rotated_text_reads_top_down_apart_from_upright_text():
    upright = _line("Total")
    rotated = [Char(letter, 500.0, 300.0 + 6 * index, 510.0, 305.0 + 6 * index, upright=False) for index, letter in enumerate("Page")]
    assert [w.text for w in words_of(upright + rotated)] == ["Total", "Page"]


# Turned pages, and pdfplumber as the fallback ----------------------------------------------------------

@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_a_turned_page_is_read_level_and_its_boxes_are_placed_on_the_page_as_shown(tmp_path, rotation):
    """pdfplumber turned a /Rotate page's words (a landscape invoice's lines became vertical words: no field);
    pdfium reads them as written, and each box is turned onto the page as the preview shows it."""
    import ctypes

    import pypdfium2.raw as raw

    expected = make_invoice_pdf(tmp_path / "f.pdf", layout="classic")
    with pikepdf.open(tmp_path / "f.pdf") as pdf:
        pdf.pages[0].Rotate = rotation
        pdf.save(tmp_path / "turned.pdf")
    level = extraction.extract_invoice_fields(tmp_path / "f.pdf")
    turned = extraction.extract_invoice_fields(tmp_path / "turned.pdf")
    assert {name: turned.value(name) for name in expected} == expected
    written = level.fields["total_ht"].box
    shown = turned.fields["total_ht"].box
    # pdfium's own page → device mapping of the box's corners, on the page as rendered (its /Rotate applied)
    document = pypdfium2.PdfDocument(str(tmp_path / "turned.pdf"))
    try:
        page = document[0]
        width, height = page.get_size()
        mediabox = page.get_mediabox()
        x, y = ctypes.c_int(), ctypes.c_int()
        corners = []
        for fx, ftop in ((written[0], written[1]), (written[2], written[3])):
            raw.FPDF_PageToDevice(page, 0, 0, 10000, round(10000 * height / width), 0, fx * mediabox[2],
                                  mediabox[3] * (1 - ftop), ctypes.byref(x), ctypes.byref(y))
            corners.append((x.value / 10000, y.value / round(10000 * height / width)))
        page.close()
    finally:
        document.close()
    (ax, ay), (bx, by) = corners
    assert shown == pytest.approx((min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)), abs=0.002)


def test_a_pdf_pdfium_refuses_is_judged_by_pdfplumber(tmp_path):
    """Encrypted: pdfium refuses it without saying why as pdfplumber does; the user still reads « encrypted »."""
    make_invoice_pdf(tmp_path / "locked.pdf", encrypted=True)
    with pytest.raises(pypdfium2.PdfiumError):
        pypdfium2.PdfDocument(str(tmp_path / "locked.pdf"))
    with pytest.raises(extraction.ExtractionError) as refused:
        extraction.extract_invoice_fields(tmp_path / "locked.pdf")
    assert refused.value.code == "encrypted"


def test_a_pdf_without_text_that_only_pdfium_can_open_is_still_taken_for_a_scan(tmp_path, monkeypatch):
    """pdfplumber's error stands only for what pdfium refused too: pages pdfium read, without text, go to the
    OCR (here absent or finding nothing: typed by hand) rather than being called damaged."""
    from tests.pdfgen import make_scanned_pdf

    make_scanned_pdf(tmp_path / "scan.pdf")

    def refuses(path):
        raise extraction.ExtractionError("corrupt")

    monkeypatch.setattr(extraction, "_read_plumber", refuses)
    assert extraction.extract_invoice_fields(tmp_path / "scan.pdf").kind == "scanned"
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n" + b"garbage" * 50)
    with pytest.raises(extraction.ExtractionError):
        extraction.extract_invoice_fields(broken)
