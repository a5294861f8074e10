from __future__ import annotations

import time

from litestar import Controller, Response, get
from litestar.params import Parameter

from backend.domain.directory import rules, services
from backend.domain.directory.schemas import DirectorySearch, Establishment, EstablishmentPage
from backend.infra.errors import ChoraleError, NotFound
from backend.infra.schemas import decode_cursor, encode_cursor, shape
from backend.domain.directory import services
from backend.infra.errors import DomainError, NotFound


class DirectoryController(Controller):
    """Public: sign-up looks establishments up before an account exists."""

    path = "/api/directory"
    tags = ["annuaire"]

    @get("/search", operation_id="searchDirectory")
    async def search(self, q: str = Parameter(max_length=100), limit: int = Parameter(default=10, ge=1, le=20),
                     public_only: bool = False, include_closed: bool = True) -> Response[DirectorySearch]:
        started = time.perf_counter()
        result = await services.search(q, limit=limit, public_only=public_only, include_closed=include_closed)
        # The search's own time, as the app sees it (pool, query, rows): shown by browsers' developer
        # tools, and what the directory benchmark compares with the bare query.
        timing = f"search;dur={(time.perf_counter() - started) * 1000:.3f}"
        return Response(shape(result.to_dict(), DirectorySearch), headers={"Server-Timing": timing})

    @get("/advanced-search", operation_id="advancedDirectorySearch")
    async def advanced(self, name: str = Parameter(default="", max_length=200), postcode: str = Parameter(default="", max_length=10),
                       city: str = Parameter(default="", max_length=200), kind: str = Parameter(default="", max_length=20),
                       cursor: str | None = None, limit: int = Parameter(default=20, ge=1, le=100)) -> EstablishmentPage:
        """Recherche avancée: name words, postcode prefix, city words, public or private; by name."""
        values = decode_cursor(cursor)
        after = "|".join(values) if values and len(values) == 2 and all(isinstance(v, str) for v in values) else None
        found = await services.advanced_search(name=name, postcode=postcode, city=city, kind=kind, after=after, limit=limit + 1)
        shown = found[:limit]
        # the keyset the register is sorted by: the normalised name and enseigne, then the SIRET
        following = encode_cursor([rules.normalise(f"{shown[-1].denomination} {shown[-1].enseigne or ''}"), shown[-1].siret]
                                  ) if len(found) > limit else None
        return shape({"items": [e.to_dict() for e in shown], "next": following}, EstablishmentPage)

    @get("/{siret:str}", operation_id="getEstablishment")
    async def get_one(self, siret: str) -> Establishment:
        if not siret.isdigit() or len(siret) != 14:
            raise DomainError('siret_invalide', "siret")
        found = await services.get_establishment(siret)
        if found is None:
            raise NotFound('aucun_etablissement')
        return shape(found.to_dict(), Establishment)
