"""The generated part of the extraction corpus: invoices in eight layouts and six languages, with their truth.

`python -m tests.data.extraction.generate` writes `generated/*.pdf` and `truth.json` (the real invoices'
truth, typed by hand, is kept in `real.json`). Seeded: the same files every time. Layouts vary what the
reading must cope with: labels left of or above their values, two-column headers, item tables whose
column titles are labels (« Total HT »), VAT breakdowns, several rates, « dont TVA », totals in words,
credit notes, foreign currencies, dates in words, every usual number format.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from stdnum import iban as stdnum_iban
from stdnum import luhn

from backend.infra import pdf_fonts

HERE = Path(__file__).parent
OUT = HERE / "generated"
LANGS = ("fr", "en", "de", "nl", "es", "it")
LAYOUTS = ("classic", "grid", "title", "vatsummary", "credit", "sidebar", "stacked", "foreign")

L = {  # per language: two wordings of each label where invoices commonly differ
    "fr": dict(invoice=("Facture", "FACTURE"), credit="Avoir", number=("Facture n°", "N° de facture", "Numéro"), date=("Date", "Date de facture", "Émise le"),
               due=("Échéance", "Date d'échéance"), po=("Commande", "Bon de commande n°"), ht=("Total HT", "Montant HT"), tva=("TVA", "Total TVA"),
               ttc=("Total TTC", "Montant TTC"), net=("Net à payer", "Reste à payer"), seller=("Fournisseur", "Émetteur"), buyer=("Client", "Facturé à"),
               desc="Désignation", qty="Qté", pu="Prix unitaire HT", amount="Montant HT", rate="Taux", base="Base HT", vatcol="Montant TVA",
               words="Arrêtée la présente facture à la somme de", iban="IBAN", vat="N° TVA intracommunautaire", currency="Devise", of="du",
               months="janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split(), incl="dont TVA"),
    "en": dict(invoice=("Invoice", "INVOICE"), credit="Credit note", number=("Invoice number", "Invoice No.", "Invoice #"), date=("Invoice date", "Date", "Issue date"),
               due=("Due date", "Payment due"), po=("Purchase order", "PO number"), ht=("Subtotal", "Total excl. VAT"), tva=("VAT", "Total VAT"),
               ttc=("Total", "Total incl. VAT"), net=("Amount due", "Balance due"), seller=("From", "Supplier"), buyer=("Bill to", "Customer"),
               desc="Description", qty="Qty", pu="Unit price", amount="Amount", rate="Rate", base="Net", vatcol="VAT amount",
               words="Amount in words:", iban="IBAN", vat="VAT number", currency="Currency", of="of",
               months="January February March April May June July August September October November December".split(), incl="incl. VAT"),
    "de": dict(invoice=("Rechnung", "RECHNUNG"), credit="Gutschrift", number=("Rechnungsnummer", "Rechnung Nr."), date=("Rechnungsdatum", "Datum"),
               due=("Fälligkeitsdatum", "Zahlbar bis"), po=("Bestellnummer", "Ihre Bestellung"), ht=("Nettobetrag", "Summe netto"), tva=("MwSt.", "USt."),
               ttc=("Gesamtbetrag", "Bruttobetrag"), net=("Zahlbetrag", "Zu zahlen"), seller=("Lieferant", "Rechnungssteller"), buyer=("Kunde", "Rechnungsempfänger"),
               desc="Beschreibung", qty="Menge", pu="Einzelpreis", amount="Betrag", rate="Satz", base="Netto", vatcol="Steuer",
               words="In Worten:", iban="IBAN", vat="USt-IdNr.", currency="Währung", of="vom",
               months="Januar Februar März April Mai Juni Juli August September Oktober November Dezember".split(), incl="enthaltene MwSt."),
    "nl": dict(invoice=("Factuur", "FACTUUR"), credit="Creditnota", number=("Factuurnummer", "Factuur nr."), date=("Factuurdatum", "Datum"),
               due=("Vervaldatum", "Te betalen voor"), po=("Inkoopordernummer", "Uw bestelling"), ht=("Subtotaal", "Totaal excl. btw"), tva=("BTW", "Btw-bedrag"),
               ttc=("Totaal incl. btw", "Totaalbedrag"), net=("Te betalen", "Openstaand bedrag"), seller=("Leverancier", "Van"), buyer=("Klant", "Factuuradres"),
               desc="Omschrijving", qty="Aantal", pu="Prijs", amount="Bedrag", rate="Tarief", base="Grondslag", vatcol="Btw",
               words="In woorden:", iban="IBAN", vat="Btw-nummer", currency="Valuta", of="van",
               months="januari februari maart april mei juni juli augustus september oktober november december".split(), incl="waarvan btw"),
    "es": dict(invoice=("Factura", "FACTURA"), credit="Factura rectificativa", number=("Número de factura", "Factura n.º"), date=("Fecha de factura", "Fecha"),
               due=("Fecha de vencimiento", "Vencimiento"), po=("Número de pedido", "Pedido"), ht=("Base imponible", "Subtotal"), tva=("IVA", "Cuota IVA"),
               ttc=("Total factura", "Importe total"), net=("Total a pagar", "Importe a pagar"), seller=("Proveedor", "Emisor"), buyer=("Cliente", "Destinatario"),
               desc="Descripción", qty="Cantidad", pu="Precio", amount="Importe", rate="Tipo", base="Base", vatcol="Cuota",
               words="Importe en letra:", iban="IBAN", vat="NIF", currency="Moneda", of="del",
               months="enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split(), incl="IVA incluido"),
    "it": dict(invoice=("Fattura", "FATTURA"), credit="Nota di credito", number=("Numero fattura", "Fattura n."), date=("Data fattura", "Data"),
               due=("Data di scadenza", "Scadenza"), po=("Numero ordine", "Ordine d'acquisto"), ht=("Imponibile", "Totale imponibile"), tva=("IVA", "Totale IVA"),
               ttc=("Totale fattura", "Totale documento"), net=("Netto a pagare", "Totale da pagare"), seller=("Fornitore", "Cedente"), buyer=("Cliente", "Cessionario"),
               desc="Descrizione", qty="Quantità", pu="Prezzo", amount="Importo", rate="Aliquota", base="Imponibile", vatcol="Imposta",
               words="Importo in lettere:", iban="IBAN", vat="Partita IVA", currency="Valuta", of="del",
               months="gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre".split(), incl="di cui IVA"),
}
RATES = {"fr": (20, 10, 5.5), "en": (20, 5), "de": (19, 7), "nl": (21, 9), "es": (21, 10), "it": (22, 10)}
VAT_PREFIX = {"fr": "FR", "en": "GB", "de": "DE", "nl": "NL", "es": "ES", "it": "IT"}
IBAN_COUNTRY = {"fr": ("FR", 23), "en": ("GB", 18), "de": ("DE", 18), "nl": ("NL", 14), "es": ("ES", 20), "it": ("IT", 23)}
CITIES = {"fr": "75011 Paris", "en": "London EC1A 1BB", "de": "10115 Berlin", "nl": "1012 AB Amsterdam", "es": "28001 Madrid", "it": "00184 Roma"}
WORDS = {"fr": "mille deux cent trente-quatre euros", "en": "one thousand two hundred", "de": "eintausendzweihundert", "nl": "duizend tweehonderd",
         "es": "mil doscientos", "it": "milleduecento"}
ITEMS = ("Maintenance", "Audit", "Formation", "Licence", "Support", "Conseil", "Hébergement", "Développement")
CENT = Decimal("0.01")


def siret(rng: random.Random) -> str:
    body = f"{rng.randint(10_000_000, 99_999_999)}"
    siren = body + luhn.calc_check_digit(body)
    nic = f"{rng.randint(1, 9999):04d}"
    return siren + nic + luhn.calc_check_digit(siren + nic)


def iban(rng: random.Random, lang: str) -> str:
    country, length = IBAN_COUNTRY[lang]
    for _ in range(5000):  # national formats (Italy's CIN letter, Spain's check digits): drawn until valid
        prefix = {"GB": "NWBK", "NL": "ABNA", "IT": rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}.get(country, "")
        bban = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - len(prefix)))
        if country == "ES":
            from stdnum.es import ccc
            bban = bban[:8] + ccc.calc_check_digits(bban[:8] + "00" + bban[10:]) + bban[10:]
        candidate = country + stdnum_iban.calc_check_digits(country + "00" + bban) + bban
        if stdnum_iban.is_valid(candidate):
            return candidate
    raise RuntimeError(country)


def vat_id(rng: random.Random, lang: str, siret_value: str | None) -> str:
    from stdnum.eu import vat

    for _ in range(2000):
        if lang == "fr" and siret_value:
            siren = siret_value[:9]
            key = (12 + 3 * (int(siren) % 97)) % 97
            candidate = f"FR{key:02d}{siren}"
        elif lang == "de":
            body = f"{rng.randint(10_000_000, 99_999_999)}"
            from stdnum.iso7064 import mod_11_10
            candidate = "DE" + body + mod_11_10.calc_check_digit(body)
        elif lang == "nl":
            body = f"{rng.randint(10_000_000, 99_999_999)}"
            total = sum(int(d) * (9 - i) for i, d in enumerate(body)) % 11
            if total == 10:
                continue
            candidate = f"NL{body}{total}B01"
        elif lang == "it":
            body = f"{rng.randint(1_000_000, 9_999_999):07d}001"
            candidate = "IT" + body + luhn.calc_check_digit(body)
        elif lang == "es":
            body = f"B{rng.randint(1_000_000, 9_999_999):07d}"
            from stdnum.es import cif
            candidate = "ES" + body + cif.calc_check_digits(body)[0]
        else:
            body = f"{rng.randint(1_000_000, 9_999_999):07d}"
            total = sum(int(d) * w for d, w in zip(body, (8, 7, 6, 5, 4, 3, 2)))
            candidate = f"GB{body}{(-total) % 97:02d}"
        from stdnum.gb import vat as gb
        if vat.is_valid(candidate) or (candidate.startswith("GB") and gb.is_valid(candidate)):
            return candidate
    raise RuntimeError(lang)


def money(amount: Decimal, lang: str, style: int) -> str:
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    sign = "-" if amount < 0 else ""
    if lang == "en":
        return sign + ",".join(groups) + "." + cents
    if lang == "fr":
        return sign + ("\u202f" if style else " ").join(groups) + "," + cents
    return sign + ".".join(groups) + "," + cents


def day(value: date, lang: str, words: bool) -> str:
    if words:
        month = L[lang]["months"][value.month - 1]
        if lang == "en":
            return f"{month} {value.day}, {value.year}"
        if lang == "de":
            return f"{value.day}. {month} {value.year}"
        if lang == "es":
            return f"{value.day} de {month} de {value.year}"
        return f"{value.day} {month} {value.year}"
    if lang == "de":
        return value.strftime("%d.%m.%Y")
    if lang == "nl":
        return value.strftime("%d-%m-%Y")
    if lang == "en" and value.day % 2:
        return value.isoformat()
    return value.strftime("%d/%m/%Y")


class Doc:
    def __init__(self, path: Path):
        pdf_fonts.register()
        self.c = canvas.Canvas(str(path), pagesize=A4)
        self.c.setTitle("Invoice")
        self.h = A4[1]

    def text(self, x: float, y: float, text: str, size: float = 10, bold: bool = False, right: bool = False):
        self.c.setFont(pdf_fonts.BOLD if bold else pdf_fonts.REGULAR, size)
        (self.c.drawRightString if right else self.c.drawString)(x, self.h - y, text)

    def save(self):
        self.c.showPage()
        self.c.save()


def make(path: Path, lang: str, layout: str, rng: random.Random) -> dict:
    w = L[lang]
    pick = lambda options: options[rng.randrange(len(options))]  # noqa: E731
    credit = layout == "credit"
    currency = {"foreign": pick(("GBP", "USD", "CHF", "SEK")) if lang != "en" else pick(("USD", "GBP"))}.get(layout, "EUR")
    if lang == "en" and layout != "foreign":
        currency = pick(("GBP", "EUR"))
    symbol = {"EUR": "€", "GBP": "£", "USD": "$"}.get(currency, currency)
    issued = date(2026, 1, 1) + timedelta(days=rng.randint(0, 330))
    due = issued + timedelta(days=pick((15, 30, 45, 60)))
    number = pick((f"F-2026-{rng.randint(1, 9999):04d}", f"{rng.randint(2026000, 2026999)}", f"INV{rng.randint(100, 99999)}",
                   f"FA{rng.randint(10, 99)}/{rng.randint(100, 999)}"))
    po = pick((f"BC-{rng.randint(10, 99)}-2026", f"PO{rng.randint(1000, 99999)}", None))
    rates = RATES[lang]
    several = layout in ("vatsummary", "title") or rng.random() < 0.3
    items = []
    for _ in range(rng.randint(2, 5)):
        qty = rng.randint(1, 12)
        price = Decimal(rng.randint(500, 250000)) / 100
        items.append((pick(ITEMS), qty, price, Decimal(str(pick(rates) if several else rates[0]))))
    by_rate: dict[Decimal, Decimal] = {}
    for _, qty, price, rate in items:
        by_rate[rate] = by_rate.get(rate, Decimal(0)) + (qty * price).quantize(CENT, ROUND_HALF_UP)
    vat_by_rate = {rate: (base * rate / 100).quantize(CENT, ROUND_HALF_UP) for rate, base in by_rate.items()}
    ht = sum(by_rate.values(), Decimal(0))
    tva = sum(vat_by_rate.values(), Decimal(0))
    ttc = ht + tva
    prepaid = Decimal(rng.randint(1, 20) * 10) if layout == "classic" and rng.random() < 0.3 else Decimal(0)
    net = ttc - prepaid
    sign = -1 if credit else 1
    m = lambda a: money(sign * a, lang, rng.randint(0, 1)) + ("" if layout == "foreign" else f" {symbol}")  # noqa: E731
    if layout == "foreign":
        m = lambda a: f"{money(sign * a, lang, 0)} {currency}"  # noqa: E731
    supplier_siret = siret(rng) if lang == "fr" else None
    recipient_siret = siret(rng) if lang == "fr" else None
    bank = iban(rng, lang)
    supplier_vat = vat_id(rng, lang, supplier_siret)
    service = pick(("DAF", "SG-01", "COMPTA", None)) if lang == "fr" else None
    engagement = pick((f"EJ{rng.randint(1000000000, 9999999999)}", None)) if lang == "fr" else None
    words = layout in ("vatsummary", "stacked") or rng.random() < 0.2
    in_words = rng.random() < 0.4
    title = w["credit"] if credit else pick(w["invoice"])
    d = Doc(path)
    truth = {"invoice_number": number, "invoice_date": issued.isoformat(), "due_date": due.isoformat(), "total_ht": str(ht),
             "total_tva": str(tva), "total_ttc": str(ttc), "currency": currency, "iban": bank, "supplier_vat_id": supplier_vat,
             "kind": "AVOIR" if credit else "FACTURE"}
    if net != ttc:
        truth["net_a_payer"] = str(net)
    if po:
        truth["purchase_order"] = po
        if lang == "fr" and not engagement:
            truth["engagement_number"] = po  # the guide: « Commande » announces the engagement too
    if supplier_siret:
        truth["supplier_siret"] = supplier_siret
        truth["recipient_siret"] = recipient_siret
    if service:
        truth["service_code"] = service
    if engagement:
        truth["engagement_number"] = engagement

    seller_lines = [f"Société {pick(('Alpha', 'Nordwind', 'Delta', 'Iberia', 'Lagune', 'Polder'))} {pick(('SAS', 'GmbH', 'Ltd', 'BV', 'SL', 'Srl'))}",
                    f"{rng.randint(1, 99)} {pick(('rue des Lilas', 'Main Street', 'Hauptstraße', 'Kerkstraat', 'Calle Mayor', 'Via Roma'))}", CITIES[lang]]
    buyer_lines = [pick(("Mairie de Lyon", "Acme Corp", "Stadtwerke Nord", "Gemeente Delft", "Ayuntamiento", "Comune di Pisa")),
                   f"{rng.randint(1, 99)} {pick(('avenue Foch', 'High Road', 'Ringstraße', 'Dam', 'Gran Vía', 'Corso Italia'))}", CITIES[lang]]

    def party(x, y, head, lines, siret_value, vat_value=None, inline=False):
        d.text(x, y, head + (" :" if lang == "fr" else ":"), 9, bold=True)
        for i, line in enumerate(lines):
            d.text(x, y + 13 * (i + 1), line, 9)
        extra = y + 13 * (len(lines) + 1)
        if siret_value:
            d.text(x, extra, f"SIRET : {siret_value[:3]} {siret_value[3:6]} {siret_value[6:9]} {siret_value[9:]}" if rng.random() < 0.5 else f"SIRET {siret_value}", 9)
            extra += 13
        if vat_value:
            d.text(x, extra, f"{w['vat']} : {vat_value}" if lang == "fr" else f"{w['vat']}: {vat_value}", 9)

    def item_table(y):
        cols = (50, 260, 330, 420, 545)
        heads = (w["desc"], w["qty"], w["pu"], w["rate"] + " %", w["amount"])
        for x, head in zip(cols, heads):
            d.text(x, y, head, 9, bold=True, right=x == 545)
        for i, (desc, qty, price, rate) in enumerate(items):
            yy = y + 16 * (i + 1)
            d.text(50, yy, desc, 9)
            d.text(260, yy, str(qty), 9)
            d.text(330, yy, money(price, lang, 0), 9)
            d.text(420, yy, f"{rate.normalize():f} %".replace(".", "," if lang != "en" else "."), 9)
            d.text(545, yy, money(sign * (qty * price).quantize(CENT, ROUND_HALF_UP), lang, 0), 9, right=True)
        return y + 16 * (len(items) + 2)

    def totals(y, *, incl=False, net_only=False):
        rows = [(pick(w["ht"]), ht)]
        if incl:
            rows.append((pick(w["ttc"]), ttc))
            for rate, amount in vat_by_rate.items():
                rows.append((f"{w['incl']} {rate.normalize():f} %".replace(".", ","), amount))
        elif net_only and lang == "fr":
            for rate, amount in vat_by_rate.items():
                rows.append((f"TVA {rate.normalize():f} %".replace(".", ","), amount))
            rows.append(("Net à payer T.T.C.", ttc))
        else:
            if len(vat_by_rate) > 1:
                for rate, amount in vat_by_rate.items():
                    rows.append((f"{w['tva'][0]} {rate.normalize():f} %".replace(".", "," if lang != "en" else "."), amount))
                rows.append((w["tva"][1] if "Total" in w["tva"][1] or lang != "fr" else "Total TVA", tva) if lang in ("fr", "en", "it") else
                            (f"{w['tva'][0]} gesamt" if lang == "de" else ("Totaal btw" if lang == "nl" else "Total IVA"), tva))
            else:
                rows.append((f"{pick(w['tva'])} {next(iter(vat_by_rate)).normalize():f} %".replace(".", ","), tva))
            rows.append((pick(w["ttc"]), ttc))
        if prepaid:
            rows.append(({"fr": "Acompte versé", "en": "Paid"}.get(lang, "Anzahlung"), prepaid))
            rows.append((pick(w["net"]), net))
        for i, (label, amount) in enumerate(rows):
            d.text(340, y + 15 * i, label + (" :" if lang == "fr" and rng.random() < 0.5 else ""), 10, bold="TTC" in label or label in w["ttc"])
            d.text(545, y + 15 * i, m(amount), 10, right=True)
        return y + 15 * len(rows) + 10

    def bank_block(y):
        d.text(50, y, f"IBAN : {' '.join(bank[i:i + 4] for i in range(0, len(bank), 4))}" if rng.random() < 0.6 else f"IBAN {bank}", 9)
        if in_words:
            d.text(50, y + 13, f"{w['words']} {WORDS[lang]}", 8)

    def refs(x, y, gap=14, label_width=None):
        rows = [(pick(w["number"][:2]), number), (pick(w["date"][:2]), day(issued, lang, words)), (pick(w["due"]), day(due, lang, False))]
        if po:
            rows.append((pick(w["po"]), po))
        if engagement:
            rows.append(("N° d'engagement", engagement))
        if service:
            rows.append(("Code service", service))
        from reportlab.pdfbase.pdfmetrics import stringWidth

        width = max(stringWidth(label + " :", pdf_fonts.BOLD, 9) for label, _ in rows) + 12
        for i, (label, value) in enumerate(rows):
            d.text(x, y + gap * i, label + (" :" if lang == "fr" else ":"), 9, bold=True)
            d.text(x + width, y + gap * i, value, 9)
        return y + gap * len(rows)

    footer = f"{seller_lines[0]} – {seller_lines[2]}" + (f" – SIRET {supplier_siret}" if supplier_siret and layout in ("sidebar", "stacked") else "") + \
             (f" – {w['vat']} {supplier_vat}" if layout in ("sidebar", "grid") else "")

    if layout == "classic" or layout == "credit":
        d.text(50, 60, f"{title}", 18, bold=True)
        party(50, 100, w["seller"][0], seller_lines, supplier_siret, supplier_vat)
        party(330, 100, w["buyer"][0], buyer_lines, recipient_siret)
        y = refs(50, 200)
        y = item_table(y + 20)
        y = totals(y)
        bank_block(y + 10)
    elif layout == "grid":
        d.text(50, 50, seller_lines[0], 14, bold=True)
        for i, line in enumerate(seller_lines[1:]):
            d.text(50, 66 + 12 * i, line, 9)
        party(330, 100, w["buyer"][1], buyer_lines, recipient_siret)
        d.text(50, 180, title, 16, bold=True)
        heads = [pick(w["number"][:2]), w["date"][1] if lang != "fr" else "Date", w["due"][0]] + ([pick(w["po"])] if po else [])
        vals = [number, day(issued, lang, False), day(due, lang, False)] + ([po] if po else [])
        for i, (head, value) in enumerate(zip(heads, vals)):
            d.text(50 + 130 * i, 210, head, 9, bold=True)
            d.text(50 + 130 * i, 224, value, 9)
        if supplier_siret:
            d.text(50, 245, f"SIRET {w['seller'][0].lower()} : {supplier_siret}", 8)
        y = item_table(275)
        heads = [w["ht"][0], w["tva"][1], w["ttc"][0]]
        for i, (head, amount) in enumerate(zip(heads, (ht, tva, ttc))):
            d.text(250 + 110 * i, y, head, 9, bold=True)
            d.text(250 + 110 * i, y + 14, m(amount), 9)
        bank_block(y + 50)
        d.text(50, 800, footer, 7)
    elif layout == "title":
        heading = f"{title} {number} {w['of']} {day(issued, lang, True)}"
        d.text(50, 60, heading, 15, bold=True)
        party(50, 100, w["seller"][1], seller_lines, supplier_siret)
        party(330, 100, w["buyer"][0], buyer_lines, recipient_siret)
        if lang == "fr":
            d.text(50, 190, f"Émise le {day(issued, lang, True)} – à régler le {day(due, lang, False)}", 9)
            truth["due_date"] = due.isoformat()
        else:
            d.text(50, 190, f"{w['due'][0]}: {day(due, lang, False)}", 9)
        if po:
            d.text(50, 204, f"{w['po'][0]} : {po}", 9)
        if service:
            d.text(300, 204, f"Service : {service}", 9)
        if engagement:
            d.text(50, 218, f"Engagement : {engagement}", 9)
        y = item_table(245)
        y = totals(y, incl=lang != "fr", net_only=lang == "fr")
        bank_block(y + 10)
    elif layout == "vatsummary":
        d.text(330, 50, title, 18, bold=True)
        refs(330, 75)
        party(50, 50, w["seller"][0], seller_lines, supplier_siret, supplier_vat)
        party(50, 160, w["buyer"][1], buyer_lines, recipient_siret)
        y = item_table(260)
        for x, head in zip((50, 150, 260), (w["rate"], w["base"], w["vatcol"])):
            d.text(x, y, head, 9, bold=True)
        for i, (rate, base) in enumerate(by_rate.items()):
            d.text(50, y + 14 * (i + 1), f"{rate.normalize():f} %".replace(".", ","), 9)
            d.text(150, y + 14 * (i + 1), money(base, lang, 0), 9)
            d.text(260, y + 14 * (i + 1), money(vat_by_rate[rate], lang, 0), 9)
        y2 = y
        for i, (label, amount) in enumerate(((pick(w["ht"]), ht), (w["tva"][1] if lang in ("fr", "en", "it") else w["tva"][0], tva), (pick(w["ttc"]), ttc))):
            d.text(380, y2 + 15 * i, label, 10, bold=i == 2)
            d.text(545, y2 + 15 * i, m(amount), 10, right=True)
        d.text(50, y + 14 * (len(by_rate) + 2), f"{w['words']} {WORDS[lang]}", 8)
        bank_block(y + 14 * (len(by_rate) + 4))
    elif layout == "sidebar":
        for i, line in enumerate(seller_lines):
            d.text(50, 50 + 12 * i, line, 10 if i else 13, bold=not i)
        d.text(380, 50, title, 20, bold=True)
        refs(350, 80)
        if lang == "fr":
            d.text(50, 180, f"Facturé à : {buyer_lines[0]} (SIRET {recipient_siret})", 9)
        else:
            d.text(50, 180, f"{w['buyer'][0]}: {buyer_lines[0]}, {buyer_lines[2]}", 9)
        y = item_table(215)
        y = totals(y)
        bank_block(y + 10)
        d.text(50, 800, footer, 7)
    elif layout == "stacked":
        d.text(50, 50, title, 16, bold=True)
        labels_values = [("Numéro" if lang == "fr" else w["number"][0], number), (w["date"][0], day(issued, lang, True)), (w["due"][1], day(due, lang, False))]
        if po:
            labels_values.append(("Commande" if lang == "fr" else w["po"][1], po))
        if service:
            labels_values.append(("Service", service))
        if engagement:
            labels_values.append(("N° EJ", engagement))
        for i, (label, value) in enumerate(labels_values):
            d.text(50 + 120 * (i % 4), 80 + 34 * (i // 4), label, 8, bold=True)
            d.text(50 + 120 * (i % 4), 92 + 34 * (i // 4), value, 10)
        party(50, 170, w["buyer"][0], buyer_lines, recipient_siret)
        y = item_table(260)
        y = totals(y, incl=lang != "fr" and rng.random() < 0.5)
        bank_block(y + 10)
        d.text(50, 800, footer, 7)
    else:  # foreign
        d.text(50, 50, seller_lines[0], 13, bold=True)
        party(50, 70, w["seller"][1], seller_lines[1:], supplier_siret, supplier_vat)
        d.text(330, 50, f"{title} {number}", 14, bold=True)
        d.text(330, 70, f"{w['date'][0]}: {day(issued, lang, True)}", 9)
        d.text(330, 84, f"{w['due'][0]}: {day(due, lang, True)}", 9)
        d.text(330, 98, f"{w['currency']}: {currency}", 9)
        if po:
            d.text(330, 112, f"{w['po'][0]}: {po}", 9)
        party(330, 140, w["buyer"][0], buyer_lines, recipient_siret)
        y = item_table(240)
        y = totals(y)
        bank_block(y + 10)
    d.save()
    return _printed(path, truth)


def _printed(path: Path, truth: dict) -> dict:
    """The truth of what the page shows: an identifier a layout does not print is no field to find."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages).replace(" ", "").replace("\u202f", "")
    identifiers = ("invoice_number", "purchase_order", "engagement_number", "service_code", "supplier_siret", "recipient_siret",
                   "iban", "supplier_vat_id")
    return {name: value for name, value in truth.items() if name not in identifiers or value in text}


def main() -> None:
    OUT.mkdir(exist_ok=True)
    truth = {}
    rng = random.Random(18)
    for index in range(66):
        lang = LANGS[index % len(LANGS)]
        layout = LAYOUTS[(index // len(LANGS) + index) % len(LAYOUTS)]
        name = f"{index:02d}-{lang}-{layout}.pdf"
        truth[name] = {"lang": lang, "layout": layout, "fields": make(OUT / name, lang, layout, rng)}
    (HERE / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
