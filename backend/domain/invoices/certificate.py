"""The deposit certificate (attestation de dépôt) as a one-page PDF, drawn with reportlab.

It is rebuilt from the database on each download: the figures it shows are those of the deposit, which
no longer change once the invoice is deposited.
"""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal
from typing import Any

from backend.domain.invoices.counters import PARIS


def french_amount(value: str | None, currency: str = "EUR") -> str:
    if value is None:
        return "—"
    amount = Decimal(value)
    whole, _, cents = f"{abs(amount):.2f}".partition(".")
    groups = f"{int(whole):,}".replace(",", "\u202f")
    return f"{'-' if amount < 0 else ''}{groups},{cents} {currency}"


def french_moment(iso: str | None) -> str:
    if not iso:
        return "—"
    return datetime.fromisoformat(iso).astimezone(PARIS).strftime("%d/%m/%Y à %H:%M:%S")


def certificate_lines(invoice: dict[str, Any]) -> list[tuple[str, str]]:
    currency = invoice.get("currency") or "EUR"
    recipient = invoice.get("recipient") or {}
    supplier = invoice.get("supplier") or {}
    service = invoice.get("recipient_service") or {}
    lines = [
        ("Certificat de dépôt n°", invoice["deposit_number"] or "—"),
        ("Date de dépôt", french_moment(invoice.get("deposited_at"))),
        ("Numéro de facture", invoice.get("number") or "—"),
        ("Date de facture", datetime.fromisoformat(invoice["invoice_date"]).strftime("%d/%m/%Y") if invoice.get("invoice_date") else "—"),
        ("Cadre de facturation", invoice.get("cadre") or "A1"),
        ("Fournisseur", f"{supplier.get('identifier') or ''} - {supplier.get('name') or ''}"),
        ("Destinataire", f"{recipient.get('identifier') or ''} - {recipient.get('name') or ''}"),
    ]
    if service:
        lines.append(("Code service", f"{service.get('code')} - {service.get('libelle') or ''}"))
    if invoice.get("engagement_number"):
        lines.append(("Numéro d'engagement", invoice["engagement_number"]))
    lines += [
        ("Montant HT", french_amount(invoice.get("total_ht"), currency)),
        ("Montant TVA", french_amount(invoice.get("total_tva"), currency)),
        ("Montant TTC total", french_amount(invoice.get("total_ttc"), currency)),
        ("Montant à payer", french_amount(invoice.get("net_a_payer"), currency)),
    ]
    principal = next((f for f in invoice.get("files", []) if f["role"] == "principal"), None)
    if principal:
        lines.append(("Empreinte SHA-256 du PDF", principal["sha256"]))
    return lines


def render_certificate(invoice: dict[str, Any]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(f"Attestation de dépôt {invoice['deposit_number']}")
    pdf.setAuthor("Chorale")
    width, height = A4
    y = height - 25 * mm
    pdf.setFont("Helvetica-Bold", 18)
    pdf.drawString(20 * mm, y, "Attestation de dépôt")
    y -= 8 * mm
    pdf.setFont("Helvetica", 10)
    pdf.drawString(20 * mm, y, "Chorale — portail de la facturation électronique publique")
    y -= 12 * mm
    pdf.setFont("Helvetica", 11)
    pdf.drawString(20 * mm, y, f"La facture n° {invoice.get('number')} a été déposée ; elle est transmise au destinataire.")
    y -= 10 * mm
    for label, value in certificate_lines(invoice):
        pdf.setFont("Helvetica-Bold", 10)
        pdf.drawString(20 * mm, y, label)
        pdf.setFont("Courier" if label.startswith("Empreinte") else "Helvetica", 8 if label.startswith("Empreinte") else 10)
        pdf.drawString(75 * mm, y, value)
        y -= 7 * mm
    pdf.setFont("Helvetica-Oblique", 8)
    pdf.drawString(20 * mm, 15 * mm, "Le fichier PDF déposé a valeur probante. Ce certificat atteste de la date et du contenu du dépôt.")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
