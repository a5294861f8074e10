"""Realistic French invoice PDFs for tests, in several layouts, made with reportlab."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from stdnum import luhn


def make_siret(siren_prefix: str | None = None) -> str:
    body = (siren_prefix or f"{random.randint(10_000_000, 99_999_999)}")[:8]
    siren = body + luhn.calc_check_digit(body)
    nic = f"{random.randint(1, 9999):04d}"
    return siren + nic + luhn.calc_check_digit(siren + nic)


def french(amount: Decimal) -> str:
    """1234.5 → '1 234,50'."""
    whole, cents = f"{amount:.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return " ".join(groups) + "," + cents


def _totals(lines):
    ht = sum((Decimal(str(q)) * Decimal(str(p))).quantize(Decimal("0.01"), ROUND_HALF_UP) for _, q, p, _ in lines)
    by_rate: dict[Decimal, Decimal] = {}
    for _, q, p, rate in lines:
        by_rate[Decimal(str(rate))] = by_rate.get(Decimal(str(rate)), Decimal(0)) + (Decimal(str(q)) * Decimal(str(p))).quantize(Decimal("0.01"), ROUND_HALF_UP)
    tva = sum(((base * rate / 100).quantize(Decimal("0.01"), ROUND_HALF_UP) for rate, base in by_rate.items()), Decimal("0"))
    return ht, tva, ht + tva


def make_invoice_pdf(path: Path, *, layout: str = "classic", supplier_siret: str | None = None,
                     recipient_siret: str = "21670447800017", invoice_number: str = "F-2026-0042",
                     invoice_date: str = "2026-03-12", engagement_number: str | None = "EJ-2026-778",
                     service_code: str | None = "28E", lines=(("Fournitures de bureau", 10, "12.50", 20),
                                                              ("Livres scolaires", 4, "25.00", 5.5)),
                     iban: str | None = "FR7630006000011234567890189", pages: int = 1, scanned: bool = False,
                     encrypted: bool = False, page_of_fields: int = 1) -> dict:
    """Write the PDF and return the fields a reader should find (strings as the extraction gives them)."""
    supplier_siret = supplier_siret or make_siret()
    ht, tva, ttc = _totals(lines)
    year, month, day = invoice_date.split("-")
    encrypt = None
    if encrypted:
        from reportlab.lib.pdfencrypt import StandardEncryption

        encrypt = StandardEncryption("secret-user", ownerPassword="owner", canPrint=1)
    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    width, height = A4

    def write(x, y, text, size=10, bold=False):
        pdf.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        pdf.drawString(x, y, text)

    for page in range(1, pages + 1):
        if scanned:
            pdf.setFillGray(0.85)
            pdf.rect(40, 200, width - 80, height - 260, fill=1, stroke=0)
            pdf.setFillGray(0.2)
            for row in range(30):
                pdf.rect(60, 230 + row * 18, random.randint(100, 400), 6, fill=1, stroke=0)
        elif page != page_of_fields:
            write(50, height - 60, f"Conditions générales de vente — page {page}", 12, True)
            write(50, height - 90, "Tout retard de paiement entraîne une indemnité forfaitaire de 40 euros.")
        elif layout == "classic":
            write(50, height - 60, "Atelier des Fournitures SARL", 14, True)
            write(50, height - 78, "12 rue des Artisans, 67300 Schiltigheim")
            write(50, height - 94, f"SIRET : {supplier_siret}")
            write(330, height - 60, f"Facture n° {invoice_number}", 14, True)
            write(330, height - 78, f"Date de facture : {day}/{month}/{year}")
            write(50, height - 140, "Destinataire : Mairie de Schiltigheim", 11, True)
            write(50, height - 156, f"SIRET client : {recipient_siret}")
            if service_code:
                write(50, height - 172, f"Code service : {service_code}")
            if engagement_number:
                write(50, height - 188, f"N° d'engagement : {engagement_number}")
            y = height - 240
            write(50, y, "Désignation", bold=True); write(300, y, "Qté", bold=True); write(350, y, "PU HT", bold=True); write(430, y, "TVA", bold=True)
            for description, qty, price, rate in lines:
                y -= 18
                write(50, y, description); write(300, y, str(qty)); write(350, y, french(Decimal(price)) + " €"); write(430, y, f"{rate} %")
            y -= 40
            write(330, y, f"Total HT : {french(ht)} €")
            write(330, y - 16, f"Total TVA : {french(tva)} €")
            write(330, y - 32, f"Total TTC : {french(ttc)} €", bold=True)
            write(330, y - 48, f"Net à payer : {french(ttc)} €")
            if iban:
                write(50, 80, f"IBAN : {iban[:4]} {iban[4:8]} {iban[8:12]} {iban[12:16]} {iban[16:20]} {iban[20:24]} {iban[24:]}")
        elif layout == "table":
            write(50, height - 60, "FACTURE", 18, True)
            write(50, height - 90, "Numéro de facture")
            write(200, height - 90, invoice_number)
            write(50, height - 106, "Date d'émission")
            write(200, height - 106, f"{int(day)} {['janvier','février','mars','avril','mai','juin','juillet','août','septembre','octobre','novembre','décembre'][int(month)-1]} {year}")
            write(50, height - 140, "Émetteur", bold=True)
            write(50, height - 156, supplier_siret[:3] + " " + supplier_siret[3:6] + " " + supplier_siret[6:9] + " " + supplier_siret[9:])
            write(300, height - 140, "Ministère de l'Économie et des Finances", bold=True)
            write(300, height - 156, f"SIRET destinataire {recipient_siret}")
            if engagement_number:
                write(300, height - 172, "Bon de commande")
                write(300, height - 188, engagement_number)
            if service_code:
                write(300, height - 204, f"Code service {service_code}")
            y = height - 260
            for description, qty, price, rate in lines:
                write(50, y, f"{description} x{qty} à {Decimal(price):.2f} EUR (TVA {rate}%)")
                y -= 16
            write(300, y - 30, "Montant HT")
            write(450, y - 30, f"{french(ht)} EUR")
            write(300, y - 46, "Montant TVA")
            write(450, y - 46, f"{french(tva)} EUR")
            write(300, y - 62, "Montant TTC")
            write(450, y - 62, f"{french(ttc)} EUR")
            if iban:
                write(50, 80, f"Paiement par virement — IBAN {iban}")
        else:  # compact: values on the line below their label
            write(50, height - 50, f"Facture N° {invoice_number} du {day}.{month}.{year}", 12, True)
            write(50, height - 80, "Fournisseur")
            write(50, height - 94, supplier_siret)
            write(300, height - 80, "Client")
            write(300, height - 94, recipient_siret)
            if engagement_number:
                write(50, height - 120, "EJ")
                write(50, height - 134, engagement_number)
            write(50, height - 170, "Total HT")
            write(50, height - 184, f"{ht:.2f}")
            write(200, height - 170, "TVA")
            write(200, height - 184, f"{tva:.2f}")
            write(350, height - 170, "Total TTC")
            write(350, height - 184, f"{ttc:.2f} €")
        pdf.showPage()
    pdf.save()
    expected = {"supplier_siret": supplier_siret, "recipient_siret": recipient_siret, "invoice_number": invoice_number,
                "invoice_date": invoice_date, "total_ht": f"{ht:.2f}", "total_tva": f"{tva:.2f}", "total_ttc": f"{ttc:.2f}"}
    if engagement_number:
        expected["engagement_number"] = engagement_number
    if service_code and layout != "compact":
        expected["service_code"] = service_code
    if iban and layout != "compact":
        expected["iban"] = iban
    if layout == "classic":
        expected["net_a_payer"] = f"{ttc:.2f}"
    return expected


def make_scanned_pdf(path: Path) -> None:
    make_invoice_pdf(path, scanned=True)
