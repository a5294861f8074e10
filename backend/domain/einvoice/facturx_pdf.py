"""A readable invoice PDF with its CII XML embedded: Factur-X, EN 16931 profile (PDF/A-3)."""

from __future__ import annotations

import io
from decimal import Decimal

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from backend.domain.einvoice.cii import to_cii_xml
from backend.domain.einvoice.model import InvoiceDocument
from backend.infra import pdf_fonts
from backend.infra.pdf_pdfa import PDF_LANG, make_pdfa3
import shared.i18n_labels  # noqa: F401  (registers the words)
from shared import formatting
from shared.i18n import t

# The visual's words are in the catalogue (shared/i18n_labels.py, facturx_pdf.<word>, facturx_pdf.col.<column>).
WORDS = ('380', '381', 'number', 'date', 'seller', 'buyer', 'engagement', 'service', 'preceding', 'recap', 'base', 'vat', 'ht', 'tva', 'ttc', 'due', 'iban', 'terms', 'siret', 'vat_id')
COLUMNS = ('designation', 'quantity', 'unit_price', 'discount', 'vat', 'net')


def _words(lang: str) -> dict:
    found: dict = {word: t(f"facturx_pdf.{word}", lang) for word in WORDS}
    found["cols"] = tuple(t(f"facturx_pdf.col.{column}", lang) for column in COLUMNS)
    return found


def money(value: Decimal, lang: str = "fr") -> str:
    return formatting.amount(value, lang)


def render_pdf(doc: InvoiceDocument, lang: str = "fr") -> bytes:
    pdf_fonts.register()  # embedded DejaVu: PDF/A forbids relying on the reader's fonts
    words = _words(lang)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, initialFontName=pdf_fonts.REGULAR)  # no unembedded Helvetica
    pdf.setTitle(f"{words.get(doc.type_code, words['380'])} {doc.number}")
    width, height = A4

    def text(x, y, value, size=9, bold=False, right=False):
        pdf.setFont(pdf_fonts.BOLD if bold else pdf_fonts.REGULAR, size)
        (pdf.drawRightString if right else pdf.drawString)(x, y, str(value))

    text(40, height - 50, f"{words.get(doc.type_code, words['380'])} {words['number']} {doc.number}", 16, True)
    text(40, height - 68, f"{words['date']} : {formatting.date(doc.issue_date, lang)}")
    y = height - 105
    for x, title, party in ((40, words["seller"], doc.seller), (310, words["buyer"], doc.buyer)):
        text(x, y, title, 10, True)
        lines = [party.name, party.address, f"{party.postcode} {party.city}".strip(), party.country_code]
        if party.siret:
            lines.append(f"{words['siret']} : {party.siret}")
        if party.vat_id:
            lines.append(f"{words['vat_id']} : {party.vat_id}")
        for index, line in enumerate(filter(None, lines), start=1):
            text(x, y - 13 * index, line)
    y -= 115
    for label, value in ((words["engagement"], doc.purchase_order_reference), (words["service"], doc.buyer_reference),
                         (words["preceding"], doc.preceding_invoice_reference)):
        if value:
            text(40, y, f"{label} : {value}")
            y -= 13
    y -= 12
    columns = (40, 300, 350, 420, 470, 555)
    for x, title in zip(columns, words["cols"]):
        text(x, y, title, 9, True, right=x != 40)
    pdf.line(40, y - 4, 555, y - 4)
    for line in doc.lines:
        y -= 15
        if y < 160:
            pdf.showPage()
            y = height - 60
        text(40, y, line.description[:48])
        text(300, y, formatting.number(line.quantity, lang), right=True)
        text(350, y, money(line.unit_price, lang), right=True)
        text(420, y, money(line.discount, lang) if line.discount else "—", right=True)
        text(470, y, formatting.percent(line.vat_rate, lang), right=True)
        text(555, y, money(line.net_amount, lang), right=True)
    y -= 30
    text(40, y, words["recap"], 10, True)
    for vat in doc.vat_breakdown:
        y -= 13
        reason = f" — {vat.exemption_reason}" if vat.exemption_reason else ""
        text(40, y, f"{formatting.percent(vat.rate, lang)} ({vat.category}) : {words['base']} {money(vat.base, lang)} · {words['vat']} {money(vat.amount, lang)}{reason}"[:95])
    y -= 25
    for label, value, bold in ((words["ht"], doc.total_ht, False), (words["tva"], doc.total_tva, False),
                               (words["ttc"], doc.total_ttc, True), (words["due"], doc.net_a_payer, True)):
        text(420, y, label, 10, bold)
        text(555, y, f"{money(value, lang)} {doc.currency}", 10, bold, right=True)
        y -= 15
    if doc.payment_terms:
        text(40, 90, f"{words['terms']} : {doc.payment_terms}"[:100])
    if doc.iban:
        text(40, 75, f"{words['iban']} : {doc.iban}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_facturx_pdf(doc: InvoiceDocument, lang: str = "fr") -> bytes:
    from facturx import generate_from_binary

    xml = to_cii_xml(doc)
    info = {"author": doc.seller.name, "keywords": "Factur-X, Chorale", "title": f"{doc.seller.name}: {doc.number}",
            "subject": f"Facture {doc.number}"}
    # The library embeds the XML and writes the Factur-X XMP (profile EN 16931); PDF/A-3 itself is ours.
    facturx = generate_from_binary(render_pdf(doc, lang), xml, flavor="factur-x", level="en16931", check_xsd=True,
                                   pdf_metadata=info, lang=PDF_LANG[lang])
    return make_pdfa3(facturx, title=info["title"], author=info["author"], subject=info["subject"], keywords=info["keywords"],
                      lang=PDF_LANG[lang])



def read_facturx_xml(pdf: bytes) -> bytes | None:
    from facturx import get_xml_from_pdf

    _, xml = get_xml_from_pdf(pdf, check_xsd=False)
    return xml or None
