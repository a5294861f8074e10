"""The labels that announce each field on an invoice, in French, English, German, Dutch, Spanish and
Italian. Pure data and their compiled patterns: no I/O.

Patterns apply to folded text (lower case, no accents: `values.fold`). Each label has a weight: how surely
it announces that field (« Total TTC » surely; a bare « Total » less so). Labels of things that are *not*
our fields (delivery date, customer number…) are listed too, under IGNORED: a longer label claims the
words it covers, so « Date de livraison » is never read as « Date ».
"""

from __future__ import annotations

import re

TITLE = 0.69       # « Facture F-12 »: an invoice title followed by a figure
BARE_NUMBER = 0.68  # « N° 12 », « # INV-12 »: an invoice's number only right under or after its title (finder.py)
CONTEXTUAL = 0.71   # a label whose weight depends on its neighbours (finder._labels)
_N = r"(?:nummer|number|numero|num\.?|n\s?[°ºo]|no\.?|nr\.?|n\.|#)"   # « n° », « No. », « Nr. », « # »

LABELS: dict[str, tuple[tuple[str, float], ...]] = {
    "invoice_number": (
        # fr
        (rf"(?:facture|avoir)\s*{_N}", 1.0), (r"n(?:\s?[°º]|umero)\s*(?:de\s+)?(?:la\s+)?(?:facture|l'avoir|avoir)", 1.0),
        (r"numero\s*:|^numero$", 0.8), (r"n[°o]\.?\s*(?:de\s+)?piece\b|numero\s+de\s+piece|piece\s+n[°o]", 0.9),  # Sage's « N° pièce »
        (r"reference\s+(?:de\s+la\s+)?facture", 0.9), (r"^(?:facture|avoir)\b(?!\s+(?:d'|de\s|a\b|pro))", TITLE),
        # en
        (rf"invoice\s*{_N}|invoice\s+id|credit\s+note\s*{_N}|credit\s+note\s+number", 1.0), (r"^(?:tax\s+)?(?:invoice|credit\s+note)\b", TITLE),
        (r"^(?:number|no\.|nr\.)\s*:", 0.6), (r"^(?:n\s?[°o]\.?|nr\.?|no\.|#)(?=\s*[a-z/-]*\d)", BARE_NUMBER),
        # de
        (r"rechnungs?\s*-?\s*(?:nummer|nr\.?|no\.?)|\w*(?:rechnung|gutschrift|rechnungskorrektur)\s*(?:\(\d+\)\s*)?(?:nr\.?|nummer)|belegnummer", 1.0),
        (r"^(?:rechnung|gutschrift)\b", TITLE),
        # nl
        (r"factuur\s*(?:nummer|nr\.?|no\.?)|creditnota\s*(?:nummer|nr\.?)|factuurnummer", 1.0), (r"^(?:factuur|creditnota)\b", TITLE),
        # es
        (rf"(?:n(?:umero|\.?\s?[°ºo])\s*(?:de\s+)?)factura|factura\s*{_N}|factura\s+n[°º.]?|n[°º]\s*de\s+factura", 1.0),
        (r"^factura\b", TITLE),
        # it
        (rf"(?:numero|n\.)\s*(?:della\s+)?fattura|fattura\s*{_N}|fattura\s+n[°º.]?", 1.0), (r"^fattura\b", TITLE),
    ),
    "invoice_date": (
        (r"date\s+(?:de\s+(?:la\s+)?)?(?:facture|facturation|l'avoir)|date\s+d'emission|emise?\s+le|etablie?\s+le", 1.0),
        (r"(?:^|,\s*)le\b(?=\s+\d)", 0.7), (r"^date\b|\bdate\s*:", 0.75),
        # « Facture F-12 du 3 novembre 2026 », « Rechnung 12 vom … »: sure after an invoice number only (finder.py)
        (r"(?:(?<=\s)|^)(?:du|vom|van|del|of|dated|dd\.?)\b(?=\s+(?:\d|[a-z]+\s+\d))", CONTEXTUAL),
        (r"invoice\s+date|date\s+of\s+(?:issue|invoice)|issue\s+date|issued\s+(?:at|on)|date\s+issued|billing\s+date", 1.0),
        (r"rechnungsdatum|belegdatum|ausstellungsdatum|datum\s+der\s+rechnung", 1.0), (r"^datum\b|\bdatum\s*:", 0.75),
        (r"factuurdatum|datum\s+factuur", 1.0),
        (r"fecha\s+(?:de\s+)?(?:la\s+)?(?:factura|emision|expedicion)", 1.0), (r"^fecha\b|\bfecha\s*:", 0.75),
        (r"data\s+(?:della\s+)?(?:fattura|emissione|documento)", 1.0), (r"^data\b|\bdata\s*:", 0.75),
    ),
    "due_date": (
        (r"date\s+(?:d'|de\s+l'|limite\s+de\s+)?(?:echeance|paiement|reglement)|echeance|a\s+regler\s+(?:le|avant)|a\s+payer\s+(?:avant|au\s+plus\s+tard)\s+le"
         r"|payable\s+(?:avant\s+)?le|date\s+limite", 1.0), (r"au\s+plus\s+tard\s+le", 0.9),
        (r"due\s+date|payment\s+due|date\s+due|due\s+(?:on|by)|pay(?:able)?\s+by|please\s+remit\s+until|payment\s+date", 1.0),
        (r"faelligkeitsdatum|falligkeitsdatum|fallig\s+(?:am|bis)|zahlbar\s+bis|zahlungsziel|zahlungstermin", 1.0),
        (r"(?:uberweisen|zahlen|begleichen)\b[\w\s]{0,40}?\bbis\s+(?:zum\s+|spatestens\s+)?(?=\d)", 0.9),
        (r"vervaldatum|vervaldag|te\s+betalen\s+(?:voor|uiterlijk)|uiterste\s+betaaldatum", 1.0),
        (r"fecha\s+de\s+vencimiento|vencimiento", 1.0), (r"data\s+(?:di\s+)?scadenza|scadenza", 1.0),
    ),
    "total_ht": (
        (r"total\s+(?:net\s+)?h\.?\s?t\.?|montant\s+(?:total\s+)?h\.?\s?t\.?|total\s+hors\s+tax(?:e|es)|(?:base|montant)\s+hors\s+tax(?:e|es)"
         r"|sous[\s-]total\s+h\.?t\.?|total\s+net\s+h\.?t\.?|total\s+h\.?tva|total\s+hors\s+tva", 1.0),
        (r"sous[\s-]total|total\s+net\b|net\s+h\.?t\.?", 0.8),
        (r"sub\s?-?total|total\s+(?:excl\.?|excluding|before|net\s+of|ex\.?)\s*(?:vat|tax)|net\s+total|total\s+net\s+amount|net\s+amount"
         r"|amount\s+(?:excl\.?|excluding)\s+(?:vat|tax)|total\s+excl\.?|untaxed\s+amount|total\s+untaxed", 0.9),
        (r"netto(?:betrag|summe|\s*betrag)?|gesamt\s*netto|summe\s+netto|zwischensumme|(?:rechnungsbetrag|rechnungssumme|gesamtbetrag|gesamtsumme)\s+netto|positionssumme"
         r"|\w*summe\s+ohne\s+(?:ust|mwst|umsatzsteuer)", 0.9),
        (r"totaal\s+(?:excl\.?|exclusief)\s*(?:btw)?|subtotaal|bedrag\s+excl\.?\s*(?:btw)?|netto\s+bedrag", 0.9),
        (r"base\s+imponible|subtotal|total\s+sin\s+iva|importe\s+neto", 0.9),
        (r"imponibile|totale\s+imponibile|totale\s+netto|subtotale", 0.9),
    ),
    "total_tva": (
        (r"(?:total\s+(?:de\s+la\s+)?t\.?v\.?a\.?|montant\s+(?:total\s+)?(?:de\s+la\s+)?t\.?v\.?a\.?)(?![a-z])|total\s+taxes?", 1.0),
        (r"\bt\.?v\.?a\.?\b", 0.6),
        (r"total\s+(?:vat|tax)|vat\s+total|tax\s+total|total\s+(?:de\s+)?(?:iva|btw|mwst|ust)|totale\s+iva|totaal\s+btw"
         r"|(?:gesamt|summe)\s*(?:mwst|ust|mehrwertsteuer|umsatzsteuer)|(?:mwst|ust|iva|btw)\s+(?:gesamt|totaal|totale)", 1.0),
        (r"vat\s+amount|tax\s+amount|sales\s+tax|\bvat\b|\btax\b", 0.6),
        (r"(?:gesamt|summe)\s*(?:mwst|ust|mehrwertsteuer|umsatzsteuer)|steuerbetrag|\b(?:mwst|ust|umsatzsteuer|mehrwertsteuer)\b\.?(?:\s*-?\s*betrag)?", 0.6),
        (r"totaal\s+btw|btw(?:\s*-?\s*bedrag)?", 0.6), (r"total\s+iva|cuota\s+(?:de\s+)?iva|\biva\b", 0.6),
        (r"totale\s+iva|importo\s+iva|\biva\b", 0.6),
    ),
    "total_ttc": (
        (r"total\s+t\.?\s?t\.?\s?c\.?|montant\s+(?:total\s+)?t\.?t\.?c\.?|total\s+toutes\s+taxes|net\s+a\s+payer\s+t\.?t\.?c\.?"
         r"|toutes\s+taxes\s+comprises|total\s+t\.?v\.?a\.?c\b|total\s+tva\s+comprise", 1.0),
        (r"\bttc\b|montant\s+total|total\s+(?:a\s+payer|general|facture|de\s+la\s+facture)", 0.8),
        (r"total\s+(?:incl\.?|including|inc\.?)\s*(?:vat|tax)|grand\s+total|invoice\s+total|total\s+amount|amount\s+(?:incl|including)\.?\s*(?:vat|tax)"
         r"|total\s+due|total\s+payable", 0.9),
        (r"brutto(?:betrag|summe)?|bruttosumme|gesamtbetrag(?!\s+der)|rechnungsbetrag|rechnungssumme(?!\s+ohne)|endbetrag|endsumme|gesamtsumme"
         r"|summe\s+brutto|gesamt\s+brutto", 0.9),
        (r"totaal\s+(?:incl\.?|inclusief)\s*(?:btw)?|totaalbedrag|bedrag\s+incl\.?\s*(?:btw)?|factuurbedrag|totaal\s+te\s+betalen", 0.9),
        (r"total\s+(?:factura|con\s+iva)|importe\s+total|total\s+iva\s+incluido", 0.9),
        (r"totale\s+(?:fattura|documento|iva\s+inclusa|complessivo)|importo\s+totale|totale\s+a\s+pagare", 0.9),
        (r"^total\b(?!\s+(?:h\.?t|hors|net|tva|vat|tax|excl|iva|btw|mwst|ust))|^totaal\b|^totale\b|^gesamt\b|^summe\b", 0.6),
    ),
    "net_a_payer": (
        (r"net\s+a\s+payer|reste\s+a\s+payer|montant\s+(?:restant\s+)?(?:du|a\s+regler|a\s+payer)|solde\s+(?:du|a\s+payer)|a\s+regler", 1.0),
        (r"amount\s+due|balance\s+due|amount\s+payable|amount\s+to\s+pay|total\s+to\s+pay|please\s+pay|due\s+payable|net\s+payable", 1.0),
        (r"zahlbetrag|zu\s+zahlen(?:der\s+betrag)?|offener\s+betrag|restbetrag|zahlbarer\s+betrag", 1.0),
        (r"te\s+betalen(?:\s+bedrag)?|openstaand\s+bedrag|nog\s+te\s+betalen", 1.0),
        (r"importe\s+a\s+pagar|total\s+a\s+pagar|neto\s+a\s+pagar|liquido\s+a\s+pagar", 1.0),
        (r"netto\s+a\s+pagare|importo\s+(?:da\s+pagare|dovuto)|totale\s+da\s+pagare", 1.0),
    ),
    "purchase_order": (
        (r"(?:n[°º]\s*(?:de\s+)?|ref\.?\s*|reference\s+)?(?:bon\s+de\s+)?commande(?:\s+client)?(?:\s*n[°º])?|\bbc\s*n[°º]|bon\s+de\s+commande", 1.0),
        (r"purchase\s+order(?:\s*(?:number|no\.?|#))?|\bp\.?o\.?\s*(?:number|no\.?|#|:)|your\s+order(?:\s*(?:no\.?|number|ref\.?))?|order\s*(?:number|no\.?|ref\.?|#)", 1.0),
        (r"bestell(?:nummer|nr\.?|ung)|ihre\s+bestellung|auftrags?(?:nummer|nr\.?)|ihr\s+auftrag", 1.0),
        (r"inkoopordernummer|bestel(?:nummer|bon|ling)|uw\s+bestelling|ordernummer|po-nummer", 1.0),
        (r"(?:n[°º]\s*(?:de\s+)?|numero\s+de\s+)?pedido|orden\s+de\s+compra", 1.0),
        (r"(?:numero\s+)?ordine(?:\s+(?:di\s+|d')?acquisto)?|\bn\.\s*ordine", 1.0),
        # the buyer's own reference for what it ordered
        (r"votre\s+ref(?:erence|\.)|reference\s+client|your\s+ref(?:erence)?\b|customer\s+reference|ihre\s+referenz|uw\s+referentie"
         r"|su\s+referencia|vostro\s+riferimento", 0.85),
    ),
    "engagement_number": (
        (r"(?:(?:n[°º]|numero)\s*(?:d'|de\s+l')?)?engagement(?:\s+juridique)?|\bn[°º]\s*ej\b|\bej\s*:|^ej$|\bej\s+n[°º]|numero\s+d'engagement", 1.0),
        (r"engagement\s+number|commitment\s+number", 1.0),
    ),
    "service_code": (
        (r"code\s+(?:du\s+)?service(?:\s+(?:destinataire|executant))?|service\s+destinataire|service\s+executant|code\s+service", 1.0),
        (r"^service\s*:|^service$", 0.8), (r"service\s+code", 1.0),
    ),
    "iban": ((r"\biban\b", 1.0),),
    "bic": ((r"\bbic\b|\bswift\b|bic\s*/\s*swift|swift\s*/\s*bic|code\s+bic", 1.0),),
    "siret": ((r"\bsiret\b", 1.0),),
    "siren": ((r"\bsiren\b|\brcs\b|\br\.c\.s\.", 1.0),),
    "vat_id": (
        (r"(?:n[°º]\s*(?:de\s+)?)?tva\s+intra(?:communautaire)?|identifiant\s+tva|n[°º]\s*tva|numero\s+de\s+tva|\btva\s*:", 1.0),
        (r"vat\s*(?:id|reg(?:istration)?\.?\s*(?:no\.?|number)?|number|no\.?)|vat\s*-\s*id|\bvat\s*:|tax\s+id", 1.0),
        (r"ust\.?\s*-?\s*id(?:nr|\.-nr)?\.?|ust-?idnr|umsatzsteuer-?id(?:entifikationsnummer)?|steuernummer|steuer-nr", 1.0),
        (r"btw\s*-?\s*(?:nummer|nr\.?|id)|\bbtw\s*:", 1.0), (r"\bnif\b|\bcif\b|\bn\.?i\.?f\.?\s*:", 1.0),
        (r"partita\s+iva|p\.?\s?iva|codice\s+fiscale", 1.0),
    ),
    "currency": ((r"devise|currency|wahrung|valuta|moneda|divisa", 1.0),),
}

# Labels of values that look like ours but are not (they claim their words first).
IGNORED = (
    r"facture\s+(?:liee|d'origine|initiale|associee|rectifiee|precedente)|n[°º]\s*de\s+facture\s+(?:associee|liee|d'origine)"
    r"|date\s+de\s+(?:la\s+)?facture\s+(?:associee|liee|d'origine|initiale)|related\s+invoice|original\s+invoice|invoice\s+reference"
    r"|ursprungsbeleg\S*|bezug\s+rechnung|gesamtbetrag\s+der\s+(?:zuschlage|abschlage)|"
    r"date\s+(?:de\s+)?(?:livraison|commande|prestation|debut|fin|naissance)|date\s+of\s+(?:delivery|order|supply|service)|delivery\s+date|order\s+date"
    r"|liefer(?:datum|termin)|leistungs(?:datum|zeitraum)|bestelldatum|leverdatum|besteldatum|fecha\s+de\s+(?:entrega|pedido)|data\s+(?:di\s+)?consegna"
    r"|n[°º]\s*(?:de\s+)?(?:client|dossier|compte|contrat|tva|siret|siren|commande\s+fournisseur)|numero\s+(?:de\s+)?(?:client|dossier|compte|contrat)"
    r"|customer\s*(?:number|no\.?|id|#)|account\s*(?:number|no\.?)|client\s*(?:number|no\.?|id)|contract\s*(?:number|no\.?)"
    r"|kunden\s*-?\s*(?:nummer|nr\.?)|kundennr|vertrags?\s*-?\s*(?:nummer|nr\.?)|mandatsreferenz|glaubiger-?id|klantnummer|klantnr|debiteurnummer"
    r"|numero\s+de\s+cliente|codice\s+cliente|telefon|phone|tel\.|fax|page|seite|pagina|blad|capital|kto-nr|blz"
)

# Words that head a party's block: the SIRET, VAT number or address under them belongs to that party.
SUPPLIER_WORDS = (r"^van\s*:|fournisseur|emetteur|vendeur|prestataire|titulaire\s+du\s+marche|seller|supplier|vendor|\bfrom\b|issued\s+by"
                  r"|lieferant|verkaufer|rechnungssteller|leverancier|verkoper|proveedor|emisor|vendedor|fornitore|cedente|venditore|prestatore")
RECIPIENT_WORDS = (r"client|destinataire|a\s+l'attention\s+de|factures?\s+a\b(?!\s+la\s+somme)|adresse\s+de\s+facturation|adresse\s+a|acheteur|acquereur|\bbill(?:ed)?\s+to"
                   r"|invoice\s+to|sold\s+to|buyer|customer|kunde|rechnungsempfanger|empfanger|leistungsempfanger|klant|afnemer|factuuradres"
                   r"|cliente|destinatario|comprador|facturar\s+a|cessionario|committente|acquirente")

# Columns of an item table: a line holding two of them is a table's header, whose labels (« Total HT »,
# « TVA ») announce the column below, never the invoice's total.
TABLE_COLUMNS = (r"designation|description|libelle|article|produit|prestation|quantite|\bqte\b|\bqty\b|quantity|prix\s+unitaire|\bp\.?\s?u\.?\b"
                 r"|unit\s+price|unit\s+cost|\bunit\b|\bunite\b|\brate\b|beschreibung|bezeichnung|artikel|\bart\.?\s?-?nr\b|menge|\beinheit\b|einzelpreis|\bpos\.?\b|omschrijving"
                 r"|aantal|prijs|descripcion|concepto|cantidad|precio|descrizione|quantita|prezzo|\bref\b|reference|item|\bproduct\b|zeilenbetrag")

CREDIT_NOTE = r"^\s*(?:avoir|facture\s+d'avoir|credit\s+note|gutschrift|rechnungskorrektur|creditnota|nota\s+de\s+credito|factura\s+rectificativa|nota\s+di\s+credito)\b"

_FLAGS = re.IGNORECASE
COMPILED = {name: tuple((re.compile(pattern, _FLAGS), weight) for pattern, weight in labels) for name, labels in LABELS.items()}
# Any label at all, in one pass: most segments (values, items, addresses) hold none, and are then spared a
# search by each of the ~90 patterns above (the reading's costliest step; issue 18's speed target).
ANY_LABEL_RE = re.compile("|".join(f"(?:{pattern})" for labels in LABELS.values() for pattern, _ in labels), _FLAGS)
IGNORED_RE = re.compile(IGNORED, _FLAGS)
SUPPLIER_RE = re.compile(SUPPLIER_WORDS, _FLAGS)
# « Ihre USt-IdNr. », « Your VAT number », « Votre n° TVA »: the identifier right after is the reader's, the recipient's
YOURS_RE = re.compile(r"(?:^|\s)(?:votre|vos|your|ihre?|uw|su|vostr[ao])\s+(?:n[°o]\.?\s*(?:de\s+)?)?(?:tva|vat|ust|btw|nif|cif|p\.?\s?iva"
                      r"|partita|siret|siren|tax|umsatzsteuer|steuer)", _FLAGS)
RECIPIENT_RE = re.compile(RECIPIENT_WORDS, _FLAGS)
TABLE_RE = re.compile(TABLE_COLUMNS, _FLAGS)
CREDIT_RE = re.compile(CREDIT_NOTE, _FLAGS)
RATE_RE = re.compile(r"(\d{1,2}(?:[.,]\d{1,2})?)\s?%")

# Language guesses for the benchmark's figures and the date order (American month first).
LANGUAGE_WORDS = {
    "fr": r"\b(?:facture|montant|total\s+ttc|tva|date|echeance|reglement)\b",
    "en": r"\b(?:invoice|amount|due|total|vat|tax|bill)\b",
    "de": r"\b(?:rechnung|betrag|mwst|ust|datum|netto|brutto)\b",
    "nl": r"\b(?:factuur|bedrag|btw|totaal|datum|betalen)\b",
    "es": r"\b(?:factura|importe|iva|fecha|total|pagar)\b",
    "it": r"\b(?:fattura|importo|iva|data|totale|pagare)\b",
}
