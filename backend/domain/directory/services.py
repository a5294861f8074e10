"""Directory use cases: search as the user types, look one up, search by criteria."""

from __future__ import annotations

from dataclasses import dataclass

from backend.domain.directory import rules, store
from backend.domain.directory.rules import QueryKind


@dataclass(frozen=True)
class SearchResult:
    query_kind: str
    items: list[store.Establishment]
    invalid_siret: bool = False

    def to_dict(self) -> dict:
        return {"kind": self.query_kind, "invalid_siret": self.invalid_siret, "items": [i.to_dict() for i in self.items]}


async def search(query: str, *, limit: int = 10, public_only: bool = False, include_closed: bool = True) -> SearchResult:
    parsed = rules.parse_query(query)
    limit = max(1, min(limit, rules.MAX_LIMIT))
    if parsed.kind == QueryKind.EMPTY:
        return SearchResult(query_kind=parsed.kind, items=[])
    rows = await store.search(parsed, public_only=public_only, include_closed=include_closed, limit=limit)
    return SearchResult(query_kind=parsed.kind, items=rows, invalid_siret=parsed.full_siret_invalid)


async def get_establishment(siret: str) -> store.Establishment | None:
    return await store.establishment(siret)


async def advanced_search(*, name: str = "", postcode: str = "", city: str = "", kind: str = "",
                          after: str | None = None, limit: int = 20) -> list[store.Establishment]:
    """Name words, postcode prefix, city words, public/private; `after` is the page cursor "name_norm|siret"."""
    name_after, _, siret_after = (after or "").partition("|")
    return await store.advanced_search(name_words=rules.words(name), postcode=postcode.strip(), city_words=rules.words(city),
                                       kind=kind, after=(name_after, siret_after) if after else None,
                                       limit=max(1, min(limit, 100)))
