"""The embedded fonts can print what French formatting produces."""

from __future__ import annotations

from backend.infra import pdf_fonts


def test_the_embedded_fonts_print_french_amounts_and_reportlabs_vera_does_not():
    assert pdf_fonts.has_glyph("1\u202f000,00\u00a0€ — œuvre d’art", pdf_fonts.REGULAR)
    assert pdf_fonts.has_glyph("1\u202f000,00", pdf_fonts.BOLD)
    from pathlib import Path

    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("VeraForTest", str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")))
    assert not pdf_fonts.has_glyph("1\u202f000", "VeraForTest")
