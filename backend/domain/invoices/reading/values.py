"""Values as invoices print them: amounts in every usual format, dates in figures or in words (six languages),
identifiers checked by their check digits (SIRET, IBAN, BIC, VAT numbers), currencies. Pure: no I/O.

Each `find_*` takes a piece of text and returns `(value, start, end)` of the first value it holds, or None;
each parse is strict, since a value that does not parse is better left to the user than guessed.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.eu import vat as stdnum_vat
from stdnum.gb import vat as stdnum_gb_vat  # left the EU list: checked on its own
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret


def fold(text: str) -> str:
    """Lower case without accents, one character for one (positions in the folded text are those of the
    original): « Émise » → « emise », « Fälligkeit » → « falligkeit »."""
    out = []
    for char in text:
        base = unicodedata.normalize("NFKD", char)
        base = "".join(c for c in base if not unicodedata.combining(c))
        out.append(base.lower() if len(base) == 1 else char.lower()[:1] or char)
    return "".join(out)


# Amounts -------------------------------------------------------------------------------------------

_SPACES = "\u00a0\u202f\u2009 "
# Thousands grouped by space, dot, comma or apostrophe; decimals by comma or dot; a sign, or brackets, in front.
_AMOUNT_RE = re.compile(
    r"(?<![\w.,])(?P<sign>[-\u2212(]\s?)?"
    r"(?P<num>\d{1,3}(?:[" + _SPACES + r".,'’]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)"
    r"(?![\d])(?!\s?%)(?![.,]\d)")


def parse_amount(raw: str) -> Decimal | None:
    """« 1 234,56 », « 1.234,56 », « 1,234.56 », « 1'234.56 », « 1234.5 », « -12,00 », « (12,00) » → Decimal."""
    found = _AMOUNT_RE.fullmatch(raw.strip().rstrip(")"))
    if not found:
        return None
    return _amount_of(found)


def _amount_of(found: re.Match) -> Decimal | None:
    text = found["num"]
    for space in _SPACES + "'’":
        text = text.replace(space, "")
    decimals = re.search(r"[.,](\d{1,2})$", text)
    if decimals and not re.fullmatch(r"\d{1,3}[.,]\d{3}", found["num"]):
        whole, cents = text[: decimals.start()], decimals[1]
    elif decimals:  # « 1.234 » or « 1,234 »: thousands, never three decimals on an invoice total
        whole, cents = text, "0"
    else:
        whole, cents = text, "0"
    whole = whole.replace(".", "").replace(",", "")
    try:
        value = Decimal(f"{whole}.{cents}").quantize(Decimal("0.01"))
    except InvalidOperation:
        return None
    return -value if found["sign"] else value


def find_amounts(text: str) -> list[tuple[Decimal, int, int, bool]]:
    """Every amount in the text: (value, start, end, has_decimals). A figure without decimals may be a
    quantity; callers trust it less."""
    found = []
    for match in _AMOUNT_RE.finditer(text):
        value = _amount_of(match)
        if value is None:
            continue
        # a date's pieces, a percentage, a year or a phone number are not amounts
        after = text[match.end(): match.end() + 3]
        if re.match(r"\s?[/.\-]\d", after) or re.match(r"\s?%", after):
            continue
        found.append((value, match.start(), match.end(), bool(re.search(r"[.,]\d{1,2}$", match["num"]))))
    return found


# Dates ---------------------------------------------------------------------------------------------

MONTHS = {
    # fr
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4, "mai": 5, "juin": 6,
    "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11,
    "decembre": 12, "dec": 12,
    # en
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5, "june": 6,
    "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "october": 10, "november": 11,
    "december": 12,
    # de
    "januar": 1, "jänner": 1, "februar": 2, "marz": 3, "maerz": 3, "juni": 6, "juli": 7, "oktober": 10, "dezember": 12,
    "dez": 12, "okt": 10,
    # nl
    "januari": 1, "februari": 2, "maart": 3, "mei": 5, "augustus": 8,
    # es
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8, "septiembre": 9,
    "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    # it
    "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7, "settembre": 9, "ottobre": 10,
    "dicembre": 12,
}
_MONTH_WORD = r"(?P<month>[a-z]{3,10})\.?"
_DATE_RES = (
    re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)"),
    re.compile(r"(?<![\d.,/])(?P<d>\d{1,2})\s?[/.\-]\s?(?P<m>\d{1,2})\s?[/.\-]\s?(?P<y>\d{4}|\d{2})(?![\d,]|\.\d)"),
    # 3 novembre 2026, 1er mars 2026, 3. November 2026, 3 de noviembre de 2026, 3rd November 2026
    re.compile(r"(?<!\d)(?P<d>\d{1,2})(?:er|st|nd|rd|th|º|°)?\.?\s+(?:de\s+)?" + _MONTH_WORD + r",?\s+(?:de\s+|del\s+)?(?P<y>\d{4})(?!\d)"),
    # November 3, 2026
    re.compile(r"(?<![a-z])" + _MONTH_WORD + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})(?!\d)"),
)


def find_date(text: str, *, month_first: bool = False) -> tuple[str, int, int] | None:
    """The first date in the text, ISO formatted. Figures are read day first (Europe) unless the day
    cannot be one or the document is American (`month_first`)."""
    folded = fold(text)
    best = None
    for pattern in _DATE_RES:
        for found in pattern.finditer(folded):
            value = _date_of(found, month_first)
            if value and (best is None or found.start() < best[1]):
                best = (value, found.start(), found.end())
            if value:
                break
    return best


_NUMERIC_DATE_RE = re.compile(r"(?<![\d.,/-])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?![\d/.-]\d)")


def date_order(text: str) -> str | None:
    """« dmy » or « mdy » when a date of the text can be read one way only (31/01 or 01/31), else None."""
    orders = set()
    for first, second, _ in _NUMERIC_DATE_RE.findall(text):
        first, second = int(first), int(second)
        if 12 < first <= 31 and second <= 12:
            orders.add("dmy")
        elif 12 < second <= 31 and first <= 12:
            orders.add("mdy")
    return orders.pop() if len(orders) == 1 else None


def is_ambiguous_date(text: str) -> bool:
    """Figures that make a date either way round (03/04/2026)."""
    found = _NUMERIC_DATE_RE.search(text)
    return bool(found) and int(found[1]) <= 12 and int(found[2]) <= 12 and found[1] != found[2]


def _date_of(found: re.Match, month_first: bool) -> str | None:
    parts = found.groupdict()
    try:
        year = int(parts["y"])
        if year < 100:
            year += 2000
        if parts.get("month") is not None:
            month = MONTHS.get(parts["month"])
            if month is None:
                return None
            day = int(parts["d"])
        else:
            day, month = int(parts["d"]), int(parts["m"])
            if "-" not in found.group(0)[:5] or len(parts["y"]) != 4 or found.group(0)[:4] != parts["y"]:
                if (month_first and day <= 12) or month > 12:
                    day, month = month, day
        if not 1990 <= year <= 2100:
            return None
        return date(year, month, day).isoformat()
    except (ValueError, TypeError):
        return None


# Identifiers ---------------------------------------------------------------------------------------

_SIRET_RE = re.compile(r"(?<!\d)(\d{3}[ \u00a0.]?\d{3}[ \u00a0.]?\d{3}[ \u00a0.]?\d{5})(?!\d)")
_SIREN_RE = re.compile(r"(?<!\d)(\d{3}[ \u00a0.]?\d{3}[ \u00a0.]?\d{3})(?![\d ]?\d)")
_IBAN_RE = re.compile(r"(?<![A-Z0-9])([A-Z]{2}\d{2}(?:[ \u00a0]?[A-Z0-9]){11,30})")
_BIC_RE = re.compile(r"(?<![A-Z0-9])([A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)(?![A-Z0-9])")
_VAT_RE = re.compile(r"(?<![A-Z0-9])((?:AT|BE|BG|CY|CZ|DE|DK|EE|EL|ES|FI|FR|HR|HU|IE|IT|LT|LU|LV|MT|NL|PL|PT|RO|SE|SI|SK|GB|CHE)"
                     r"[ \u00a0.\-]?[0-9A-Z](?:[ \u00a0.\-]?[0-9A-Z]){6,13})")


def find_sirets(text: str) -> list[tuple[str, int, int]]:
    found = []
    for match in _SIRET_RE.finditer(text):
        digits = re.sub(r"\D", "", match[1])
        if stdnum_siret.is_valid(digits):
            found.append((digits, match.start(1), match.end(1)))
    return found


def find_siren(text: str) -> tuple[str, int, int] | None:
    for match in _SIREN_RE.finditer(text):
        digits = re.sub(r"\D", "", match[1])
        if stdnum_siren.is_valid(digits):
            return digits, match.start(1), match.end(1)
    return None


def find_iban(text: str) -> tuple[str, int, int] | None:
    for match in _IBAN_RE.finditer(text.upper()):
        raw = match[1]
        # the pattern may run into the next word (« … 39 - BIC »): shorten until the check digits agree
        compact = re.sub(r"\s", "", raw)
        for length in range(len(compact), 14, -1):
            if stdnum_iban.is_valid(compact[:length]):
                return compact[:length], match.start(1), match.end(1)
    return None


def find_bic(text: str) -> tuple[str, int, int] | None:
    for match in _BIC_RE.finditer(text):
        if stdnum_bic.is_valid(match[1]) and match[1][4:6] in _COUNTRIES:
            return match[1], match.start(1), match.end(1)
    return None


_COUNTRIES = set("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK GB CH NO US CA MC LI IS".split())


def find_vat_id(text: str) -> tuple[str, int, int] | None:
    upper, position = text.upper(), 0
    while (match := _VAT_RE.search(upper, position)) is not None:
        position = match.start(1) + 1  # « GB VAT GB123… »: the country code of a label may open a match
        compact = re.sub(r"[ \u00a0.\-]", "", match[1])
        for length in range(len(compact), 7, -1):
            candidate = compact[:length]
            try:
                if stdnum_vat.is_valid(candidate) or (candidate.startswith("GB") and stdnum_gb_vat.is_valid(candidate)):
                    return candidate, match.start(1), match.end(1)
            except Exception:  # a country stdnum does not know
                break
    return None


# VAT ids printed without their country, as Italy and Spain do: « P.IVA 12345678901 », « NIF: B12345674 »
_NATIONAL_VAT_RE = (
    ("IT", re.compile(r"(?<![\w.])(?:p\.?\s?iva|partita\s+iva)\s*[:.]?\s*(\d{11})(?!\d)", re.IGNORECASE)),
    ("ES", re.compile(r"(?<![\w.])(?:n\.?i\.?f\.?|c\.?i\.?f\.?)\s*[:.]?\s*([A-Z0-9]\d{7}[A-Z0-9])(?![\w])", re.IGNORECASE)),
)


def find_national_vat_id(text: str) -> tuple[str, int, int] | None:
    """A VAT id its label announces without the country prefix; returned with it, when its check digits hold."""
    for country, pattern in _NATIONAL_VAT_RE:
        for match in pattern.finditer(text):
            candidate = country + match[1].upper()
            if stdnum_vat.is_valid(candidate):
                return candidate, match.start(1), match.end(1)
    return None


_AMOUNT_AFTER_RE = re.compile(r"[ \u00a0]?(?:[.,]\d+[ \u00a0]?)?(?:€|\$|£|(?:EUR|USD|GBP|CHF|HT|TTC)\b)", re.IGNORECASE)
_COMPARED_RE = re.compile(r"[<>≤≥][ \u00a0]*$")
_REFERENCE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-_/.#]*[A-Za-z0-9]|[A-Za-z0-9]")


def find_reference(text: str, *, max_length: int = 50) -> tuple[str, int, int] | None:
    """An identifier (invoice number, order, engagement): the first token, if it holds a figure and is
    not a date."""
    match = _REFERENCE_RE.search(text)
    if not match:
        return None
    token = match.group(0)
    if not re.search(r"\d", token) or len(token) > max_length:
        return None
    as_date = find_date(token)
    if as_date and as_date[1] == 0 and as_date[2] >= len(token) - 1:
        return None
    # an amount (« commande > 300 € HT », « commande de 50 EUR »): a threshold in a sentence, no reference
    if _AMOUNT_AFTER_RE.match(text, match.end()) or _COMPARED_RE.search(text, 0, match.start()):
        return None
    return token, match.start(), match.end()


def find_code(text: str) -> tuple[str, int, int] | None:
    """A service code: one token of letters, figures, dashes or underscores."""
    match = re.match(r"[\s:.#°\-–]*([A-Za-z0-9][A-Za-z0-9\-_]{0,29})(?![\w\-])", text)
    return (match[1], match.start(1), match.end(1)) if match else None


# Currencies ----------------------------------------------------------------------------------------

ISO_CURRENCIES = ("EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "BGN", "JPY", "CAD",
                  "AUD", "CNY", "XPF", "MAD", "TND", "XOF")
SYMBOLS = {"€": "EUR", "£": "GBP", "$": "USD", "US$": "USD", "C$": "CAD", "CA$": "CAD", "A$": "AUD", "¥": "JPY",
           "kr": "SEK", "zł": "PLN", "Kč": "CZK", "Fr.": "CHF", "CHF": "CHF", "Ft": "HUF"}
_CURRENCY_RE = re.compile(r"(?<![A-Za-z])(" + "|".join(ISO_CURRENCIES) + r")(?![A-Za-z])|(US\$|CA\$|C\$|A\$|[€£$¥])")
CURRENCY_WORDS = {"euro": "EUR", "euros": "EUR", "dollars": "USD", "livres sterling": "GBP", "pounds": "GBP",
          "francs suisses": "CHF"}


def currencies_in(text: str) -> list[str]:
    found = []
    for match in _CURRENCY_RE.finditer(text):
        found.append(match[1] or SYMBOLS[match[2]])
    return found

