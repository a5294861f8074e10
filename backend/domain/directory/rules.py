"""Directory rules with no I/O: normalising names, reading what the user typed, ranking.

Name search rests on a table of word prefixes (prefix → establishment, in rank order) so that any
prefix is an equality lookup served in rank order by a btree, whatever its length.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

MAX_PREFIX = 8          # prefixes are stored up to this length; longer words are checked on the name
SHORT_PREFIX = 2        # prefixes this short keep only their best-ranked establishments
SHORT_PREFIX_KEEP = 200
MAX_QUERY_LENGTH = 100
MAX_LIMIT = 20

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise(text: str | None) -> str:
    """Lower case, accents stripped, punctuation as spaces: 'Mairie de l'Île-d'Yeu' → 'mairie de l ile d yeu'."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(_NON_ALNUM.sub(" ", folded).split())


def words(text: str | None) -> list[str]:
    return normalise(text).split()


def prefixes(name_norm: str) -> set[str]:
    """Every prefix (1..MAX_PREFIX characters) of every word of a normalised name."""
    found: set[str] = set()
    for word in name_norm.split():
        for length in range(1, min(len(word), MAX_PREFIX) + 1):
            found.add(word[:length])
    return found


class QueryKind(StrEnum):
    SIRET = "siret"      # 10–14 digits: a SIRET prefix
    SIREN = "siren"      # 1–9 digits: a SIREN (or SIRET) prefix
    NAME = "name"        # words of the name, each a prefix, any order
    EMPTY = "empty"


@dataclass(frozen=True)
class ParsedQuery:
    kind: QueryKind
    digits: str = ""
    words: tuple[str, ...] = ()

    @property
    def driving_word(self) -> str:
        """The most selective word to look up: the longest (ties: the first)."""
        return max(self.words, key=len)[:MAX_PREFIX]

    @property
    def full_siret_invalid(self) -> bool:
        return self.kind == QueryKind.SIRET and len(self.digits) == 14 and not is_valid_siret(self.digits)


def parse_query(raw: str) -> ParsedQuery:
    text = (raw or "")[:MAX_QUERY_LENGTH]
    compact = re.sub(r"[\s.\-]", "", text)
    if compact.isdigit():
        kind = QueryKind.SIRET if len(compact) > 9 else QueryKind.SIREN
        return ParsedQuery(kind=kind, digits=compact[:14])
    found = tuple(dict.fromkeys(words(text)))  # unique, in typed order
    if not found:
        return ParsedQuery(kind=QueryKind.EMPTY)
    return ParsedQuery(kind=QueryKind.NAME, words=found)


def is_valid_siret(value: str) -> bool:
    return stdnum_siret.is_valid(value)


def is_valid_siren(value: str) -> bool:
    return stdnum_siren.is_valid(value)


def is_public_category(categorie_juridique: str | None) -> bool:
    """Legal categories starting with 7 are public-law legal persons (State, local authorities, hospitals…)."""
    return bool(categorie_juridique) and categorie_juridique.startswith("7")


def rank(*, active: bool, is_public: bool, name_norm: str) -> int:
    """Lower first: open public bodies, then open companies, then closed; shorter names first."""
    category = 0 if active and is_public else 1 if active else 2
    return category * 1000 + min(len(name_norm), 999)
