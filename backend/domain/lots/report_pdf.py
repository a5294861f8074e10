"""The integration report (« compte rendu d'intégration ») of a lot as a PDF, with its embedded fonts.

Blocking (reportlab): callers run it in a thread. Each rejected file lists its failed rules as the screen
shows them: rule id, explanation, field, place in the file with the value found and expected, fix.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from backend.infra import pdf_fonts
from backend.infra.pdf_pdfa import make_pdfa3

STATUS_FR = {"INTEGREE": "intégrée", "REJETEE": "rejetée", "ATTENTE": "en attente"}


def _styles() -> dict[str, ParagraphStyle]:
    pdf_fonts.register()
    base = ParagraphStyle("base", fontName=pdf_fonts.REGULAR, bulletFontName=pdf_fonts.REGULAR, fontSize=9, leading=12)
    return {"title": ParagraphStyle("title", parent=base, fontName=pdf_fonts.BOLD, fontSize=14, leading=18),
            "file": ParagraphStyle("file", parent=base, fontName=pdf_fonts.BOLD, fontSize=10, spaceBefore=6),
            "rule": ParagraphStyle("rule", parent=base, leftIndent=6 * mm),
            "detail": ParagraphStyle("detail", parent=base, leftIndent=12 * mm, fontSize=8, leading=10),
            "base": base}


def anomaly_lines(anomaly: dict[str, Any]) -> list[tuple[str, str]]:
    """(style, text) lines of one anomaly, French, shared by the PDF and its tests."""
    count = anomaly.get("count") or 1
    head = f"{anomaly['rule']} — " if anomaly.get("rule") else ""
    lines = [("rule", f"{head}{anomaly['message']}" + (f" (×{count})" if count > 1 else ""))]
    if anomaly.get("field"):
        lines.append(("detail", f"Champ : {anomaly['field']}"))
    for place in (anomaly.get("places") or [])[:5]:
        text = place["path"] + (f" (ligne {place['line']})" if place.get("line") else "")
        if place.get("found") is not None:
            text += f" : trouvé « {place['found']} »"
        if place.get("expected") is not None:
            text += f", attendu « {place['expected']} »"
        lines.append(("detail", text))
    if anomaly.get("hint"):
        lines.append(("detail", f"Correction : {anomaly['hint']}"))
    return lines


def render(lot: dict[str, Any]) -> bytes:
    styles = _styles()
    story = [Paragraph(escape(f"Compte rendu d'intégration du lot {lot['number']}"), styles["title"]),
             Paragraph(escape(f"{lot['original_name']} — {lot['entry_count']} fichier(s) : {lot['integrated_count']} intégré(s), "
                              f"{lot['rejected_count']} rejeté(s)"), styles["base"]), Spacer(1, 4 * mm)]
    for entry in lot["entries"]:
        number = f" — facture {entry['invoice_number']}" if entry.get("invoice_number") else ""
        story.append(Paragraph(escape(f"{entry['position']}. {entry['name']}{number} : {STATUS_FR.get(entry['status'], entry['status'])}"),
                               styles["file"]))
        for anomaly in entry["anomalies"]:
            story += [Paragraph(escape(text), styles[style]) for style, text in anomaly_lines(anomaly)]
    buffer = io.BytesIO()
    title = f"Compte rendu {lot['number']}"
    SimpleDocTemplate(buffer, pagesize=A4, title=title, author="Chorale",
                      leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm,
                      # The canvas opens each page in its initial font: Helvetica by default, never embedded.
                      initialFontName=pdf_fonts.REGULAR, initialFontSize=9).build(story)
    return make_pdfa3(buffer.getvalue(), title=title, subject=f"Compte rendu d'intégration du lot {lot['number']}")
