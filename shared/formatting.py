"""How numbers, amounts, percentages, dates and times are shown (French and English), and read back.

One module (Babel, CLDR data) for the screens, the e-mails, the PDFs and the exports, instead of
hand-written `f"{x:,.2f}".replace(...)` copies that disagreed. French groups thousands with a narrow
no-break space (U+202F) and writes a decimal comma: « 1 000,00 ». Moments are shown in Europe/Paris
whatever the server's zone. `parse_amount` reads what people type, in either convention.
"""

from __future__ import annotations

import re
from datetime import date as Date
from datetime import datetime as DateTime
from datetime import time as Time
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from functools import lru_cache

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_percent, parse_pattern

import shared.i18n_invoices  # noqa: F401  (the units' names)
from shared.i18n import normalise_lang, t

PARIS = ZoneInfo("Europe/Paris")
LOCALES = {"fr": "fr_FR", "en": "en_GB"}
EMPTY = "—"
AMOUNT_PATTERN = "#,##0.00"
CURRENCY_SYMBOLS = {"EUR": "€"}

# The characters people (and copy-paste from PDFs or spreadsheets) put between thousands.
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']")
_AMOUNT = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")


@lru_cache(maxsize=None)
def _locale(lang: str) -> Locale:
    return Locale.parse(LOCALES[normalise_lang(lang)])


@lru_cache(maxsize=64)
def _pattern(pattern: str):
    return parse_pattern(pattern)


def format_decimal(value: Decimal, *, format: str, locale: Locale | str) -> str:  # noqa: A002  (Babel's name)
    """Babel's format_decimal with the locale and pattern parsed once (a list page formats hundreds)."""
    return _pattern(format).apply(value, locale if isinstance(locale, Locale) else Locale.parse(locale))


def number(value: Decimal | int | float | str | None, lang: str = "fr", *, digits: int | None = None) -> str:
    """A number as the language writes it: « 1 234,5 » / « 1,234.5 »; `digits` fixes the decimals."""
    if value in (None, ""):
        return EMPTY
    pattern = "#,##0" + ("." + "0" * digits if digits else "" if digits == 0 else ".###")
    return format_decimal(Decimal(str(value)), format=pattern, locale=_locale(lang))


def file_size(size: int | None, lang: str = "fr") -> str:
    """A file's size in kilobytes, at least 1, with the language's unit: « 1 234 Ko » / « 1,234 KB »."""
    if size is None:
        return EMPTY
    return f"{number(max(1, round(size / 1024)), lang)}\u00a0{t('fileupload.small_unit', lang)}"


def amount(value: Decimal | int | str | None, lang: str = "fr") -> str:
    """An amount with its two decimals: « 1 000,00 » / « 1,000.00 »."""
    if value in (None, ""):
        return EMPTY
    return format_decimal(Decimal(str(value)), format=AMOUNT_PATTERN, locale=_locale(lang))


def money(value: Decimal | int | str | None, currency: str | None = "EUR", lang: str = "fr", *, symbol: bool = False) -> str:
    """An amount and its currency: « 1 000,00 EUR » (documents), « 1 000,00 € » with `symbol` (screens)."""
    if value in (None, ""):
        return EMPTY
    unit = CURRENCY_SYMBOLS.get(currency or "", currency) if symbol else currency
    return f"{amount(value, lang)}\u00a0{unit}" if unit else amount(value, lang)


def percent(rate: Decimal | int | str | None, lang: str = "fr") -> str:
    """A rate given in percent (a VAT rate of 5.5): « 5,5 % » / « 5.5% »."""
    if rate in (None, ""):
        return EMPTY
    # The locale's own pattern (« 20 % » in French), keeping the decimals a rate has (5,5) and no others.
    return format_percent((Decimal(str(rate)) / 100).normalize(), locale=_locale(lang), decimal_quantization=False)


def _as_date(value: Date | DateTime | str) -> Date:
    if isinstance(value, str):
        value = DateTime.fromisoformat(value) if "T" in value or " " in value.strip() else Date.fromisoformat(value[:10])
    if isinstance(value, DateTime):
        return value.astimezone(PARIS).date() if value.tzinfo else value.date()
    return value


def _as_moment(value: DateTime | str) -> DateTime:
    moment = DateTime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=PARIS) if moment.tzinfo is None else moment.astimezone(PARIS)


def date(value: Date | DateTime | str | None, lang: str = "fr") -> str:
    """A day: « 02/12/2026 » in both languages (en_GB), the day of Paris for a moment."""
    if not value:
        return EMPTY
    return format_date(_as_date(value), "dd/MM/yyyy", locale=_locale(lang))


def moment(value: DateTime | str | None, lang: str = "fr", *, seconds: bool = False) -> str:
    """A moment in Paris time: « 02/12/2026 14:05 » (a naive value is taken as Paris time)."""
    if not value:
        return EMPTY
    pattern = "dd/MM/yyyy HH:mm:ss" if seconds else "dd/MM/yyyy HH:mm"
    return format_datetime(_as_moment(value), pattern, tzinfo=PARIS, locale=_locale(lang))


def time(value: DateTime | Time | str | None, lang: str = "fr") -> str:
    """A time of day in Paris: « 14:05 »."""
    if not value:
        return EMPTY
    if isinstance(value, Time):
        return format_time(value, "HH:mm", locale=_locale(lang))
    return format_datetime(_as_moment(value), "HH:mm", tzinfo=PARIS, locale=_locale(lang))


def parse_amount(text: str | int | float | Decimal | None) -> Decimal | None:
    """What a person typed as an amount, in French or English habits: « 1 000,50 », « 1000,50 »,
    « 1000.50 », « 1,000.50 », « 1.000,50 », with spaces, no-break or narrow no-break spaces between
    thousands, and a trailing € or EUR. None for an empty value; ValueError when it is not an amount."""
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueError("not an amount: a boolean")
    if isinstance(text, Decimal) and not text.is_finite():
        raise ValueError(f"not an amount: {text!r}")
    if isinstance(text, (int, Decimal)):
        return Decimal(text)
    if isinstance(text, float):
        return Decimal(str(text))
    cleaned = _SPACES.sub("", str(text))
    cleaned = re.sub(r"(€|EUR)$", "", cleaned, flags=re.IGNORECASE)
    if not cleaned:
        return None
    if "," in cleaned and "." in cleaned:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        grouping = "." if decimal_mark == "," else ","
        whole, _, _ = cleaned.rpartition(decimal_mark)
        if not re.fullmatch(r"[+-]?\d{1,3}(\%s\d{3})*" % grouping, whole):
            raise ValueError(f"not an amount: {text!r}")
        cleaned = cleaned.replace(grouping, "")
    elif cleaned.count(",") > 1 or cleaned.count(".") > 1:
        mark = "," if cleaned.count(",") > 1 else "."
        if not re.fullmatch(r"[+-]?\d{1,3}(\%s\d{3})+" % mark, cleaned):
            raise ValueError(f"not an amount: {text!r}")
        cleaned = cleaned.replace(mark, "")  # « 1.000.000 »: thousands only
    cleaned = cleaned.replace(",", ".")
    if not _AMOUNT.fullmatch(cleaned):
        raise ValueError(f"not an amount: {text!r}")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"not an amount: {text!r}") from None


def amount_input(value: Decimal | str | None) -> str:
    """An amount as a form field shows it, to be typed over: decimal comma, no grouping (« 1000,50 »)."""
    if value in (None, ""):
        return ""
    return format_decimal(Decimal(str(value)), format="0.00", locale=_locale("fr"))


def number_input(value: Decimal | int | str | None) -> str:
    """A quantity or rate as a form field shows it: decimal comma, no trailing zeros (« 2,5 », « 20 »)."""
    if value in (None, ""):
        return ""
    return format_decimal(Decimal(str(value)), format="0.######", locale=_locale("fr"))
