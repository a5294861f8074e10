"""The countries a structure's address can be in: ISO 3166-1 alpha-2 codes, named in French or English by
Babel's CLDR data (no hand-kept list). Pure: used by the sign-up rules and by the form's « Pays » list."""

from __future__ import annotations

from functools import cache

from babel import Locale

# CLDR territories that are not countries (groupings, pseudo-codes, the EU and the UN)
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}


@cache
def countries(lang: str = "fr") -> tuple[tuple[str, str], ...]:
    """(code, name) pairs, sorted by name as a reader of `lang` would (accents ignored)."""
    from unicodedata import normalize

    names = Locale("en" if lang == "en" else "fr").territories
    pairs = [(code, name) for code, name in names.items() if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES]
    return tuple(sorted(pairs, key=lambda p: normalize("NFKD", p[1]).encode("ascii", "ignore").decode().lower()))


@cache
def country_codes() -> frozenset[str]:
    return frozenset(code for code, _ in countries("fr"))


def is_country(code: str) -> bool:
    return (code or "").strip().upper() in country_codes()
