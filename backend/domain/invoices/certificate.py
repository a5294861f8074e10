"""The deposit certificate (attestation de dépôt) as a one-page PDF, drawn with reportlab.

It is rebuilt from the database on each download: the figures it shows are those of the deposit, which
no longer change once the invoice is deposited.
"""

from __future__ import annotations

import io
from typing import Any

import shared.i18n_documents  # noqa: F401  (registers the texts)
from backend.infra import pdf_fonts
from backend.infra.pdf_pdfa import PDF_LANG, make_pdfa3
from shared import formatting
from shared.i18n import t


def certificate_amount(value: str | None, currency: str = "EUR", lang: str = "fr") -> str:
    """« 1 000,00 EUR »: Babel's narrow no-break space, which the embedded DejaVu font draws."""
    return f"{formatting.amount(value, lang)} {currency}" if value is not None else formatting.EMPTY


def certificate_moment(iso: str | None, lang: str = "fr") -> str:
    if not iso:
        return formatting.EMPTY
    return t("certificate.moment", lang, day=formatting.date(iso, lang), time=formatting.moment(iso, lang, seconds=True)[-8:])


def certificate_lines(invoice: dict[str, Any], lang: str = "fr") -> list[tuple[str, str]]:
    currency = invoice.get("currency") or "EUR"
    recipient = invoice.get("recipient") or {}
    supplier = invoice.get("supplier") or {}
    service = invoice.get("recipient_service") or {}
    lines = [
        (t("certificate.deposit_number", lang), invoice["deposit_number"] or "—"),
        (t("certificate.deposit_date", lang), certificate_moment(invoice.get("deposited_at"), lang)),
        (t("certificate.invoice_number", lang), invoice.get("number") or "—"),
        (t("certificate.invoice_date", lang), formatting.date(invoice.get("invoice_date"), lang)),
        (t("certificate.cadre", lang), invoice.get("cadre") or "A1"),
        (t("certificate.supplier", lang), f"{supplier.get('identifier') or ''} - {supplier.get('name') or ''}"),
        (t("certificate.recipient", lang), f"{recipient.get('identifier') or ''} - {recipient.get('name') or ''}"),
    ]
    if service:
        lines.append((t("certificate.service", lang), f"{service.get('code')} - {service.get('libelle') or ''}"))
    if invoice.get("engagement_number"):
        lines.append((t("certificate.engagement", lang), invoice["engagement_number"]))
    lines += [(t(f"certificate.{name}", lang), certificate_amount(invoice.get(name), currency, lang))
              for name in ("total_ht", "total_tva", "total_ttc", "net_a_payer")]
    principal = next((f for f in invoice.get("files", []) if f["role"] == "principal"), None)
    if principal:
        lines.append((t("certificate.sha256", lang), principal["sha256"]))
    return lines


def render_certificate(invoice: dict[str, Any], lang: str = "fr") -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    pdf_fonts.register()
    buffer = io.BytesIO()
    # The initial font too: reportlab would otherwise list an unembedded Helvetica on the page.
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=pdf_fonts.REGULAR)
    title = t("certificate.document_title", lang, number=invoice["deposit_number"])
    pdf.setTitle(title)
    pdf.setAuthor("Chorale")
    width, height = A4
    y = height - 25 * mm
    pdf.setFont(pdf_fonts.BOLD, 18)
    pdf.drawString(20 * mm, y, t("certificate.title", lang))
    y -= 8 * mm
    pdf.setFont(pdf_fonts.REGULAR, 10)
    pdf.drawString(20 * mm, y, t("certificate.portal", lang))
    y -= 12 * mm
    pdf.setFont(pdf_fonts.REGULAR, 11)
    pdf.drawString(20 * mm, y, t("certificate.deposited", lang, number=invoice.get("number")))
    y -= 10 * mm
    fingerprint = t("certificate.sha256", lang)
    for label, value in certificate_lines(invoice, lang):
        pdf.setFont(pdf_fonts.BOLD, 10)
        pdf.drawString(20 * mm, y, label)
        pdf.setFont(pdf_fonts.MONO if label == fingerprint else pdf_fonts.REGULAR, 8 if label == fingerprint else 10)
        pdf.drawString(75 * mm, y, value)
        y -= 7 * mm
    pdf.setFont(pdf_fonts.REGULAR, 8)
    pdf.drawString(20 * mm, 15 * mm, t("certificate.footer", lang))
    pdf.showPage()
    pdf.save()
    return make_pdfa3(buffer.getvalue(), title=title, lang=PDF_LANG.get(lang, "fr-FR"))
