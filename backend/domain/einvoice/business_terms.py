"""EN 16931 business terms (BT-…, BG-…) and the typed-in form's field for each, by their catalogue keys.

The names live in the catalogue (shared/i18n_terms.py): `term.<BT-x>` for the term (French names after
NF EN 16931-1), `form_field.<BT-x>` for the field of « Saisir une facture » that carries it, so a report can
say where a person would correct it. Pure data, no I/O.
"""

from __future__ import annotations

import re

import shared.i18n_terms  # noqa: F401  (registers the names)
from shared.i18n import DEFAULT_LANG, has, t


def term_key(term: str) -> str:
    return f"term.{term}"


def form_field_key(term: str) -> str:
    return f"form_field.{term}"


def known(term: str) -> bool:
    """Whether the catalogue names `term`."""
    return has(term_key(term))


_TERM = re.compile(r"\b(B[TG]-\d+)\b")


def terms_in(text: str) -> list[str]:
    """The business terms a rule's text names, in order, once each."""
    return list(dict.fromkeys(_TERM.findall(text)))


def term_name(term: str, lang: str = DEFAULT_LANG) -> str:
    """The term's name in `lang`, or its id when the catalogue does not name it."""
    return t(term_key(term), lang) if known(term) else term


def term_label(term: str, lang: str = DEFAULT_LANG) -> str:
    return f"{term_name(term, lang)} ({term})"


def form_field_term(terms: list[str]) -> str | None:
    """The first term the typed-in form has a field for, or None."""
    return next((term for term in terms if has(form_field_key(term))), None)


def form_field(terms: list[str], lang: str = DEFAULT_LANG) -> str | None:
    """The form field of the first term the form has, in `lang`, or None."""
    term = form_field_term(terms)
    return t(form_field_key(term), lang) if term else None
