"""Response bodies of the directory routes (the register of establishments)."""

from __future__ import annotations

import msgspec


class Establishment(msgspec.Struct):
    """An establishment as the register shows it: the street on one line, and a label."""

    siret: str
    siren: str
    denomination: str
    enseigne: str | None
    address: str | None
    address_complement: str | None
    postcode: str | None
    city: str | None
    country: str | None
    active: bool
    is_public: bool
    categorie_juridique: str | None
    label: str


class DirectorySearch(msgspec.Struct):
    """What the autocomplete found; `kind`: how the text was read (SIRET prefix, SIREN, name…)."""

    kind: str
    invalid_siret: bool
    items: list[Establishment]


class EstablishmentPage(msgspec.Struct):
    """Recherche avancée: a page by name; `next`: the following page's cursor."""

    items: list[Establishment]
    next: str | None
