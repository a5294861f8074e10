from __future__ import annotations

import time

from litestar import Controller, Response, get
from litestar.params import Parameter

from backend.domain.directory import services
from backend.infra.errors import ChoraleError, NotFound


class DirectoryController(Controller):
    """Public: sign-up looks establishments up before an account exists."""

    path = "/api/directory"
    tags = ["annuaire"]

    @get("/search", operation_id="searchDirectory")
    async def search(self, q: str = Parameter(max_length=100), limit: int = Parameter(default=10, ge=1, le=20),
                     public_only: bool = False, include_closed: bool = True) -> Response[dict]:
        started = time.perf_counter()
        result = await services.search(q, limit=limit, public_only=public_only, include_closed=include_closed)
        # The search's own time, as the app sees it (pool, query, rows): shown by browsers' developer
        # tools, and what the directory benchmark compares with the bare query.
        timing = f"search;dur={(time.perf_counter() - started) * 1000:.3f}"
        return Response(result.to_dict(), headers={"Server-Timing": timing})

    @get("/{siret:str}", operation_id="getEstablishment")
    async def get_one(self, siret: str) -> dict:
        if not siret.isdigit() or len(siret) != 14:
            raise ChoraleError("siret_invalide", "Un numéro SIRET comporte 14 chiffres.", "A SIRET number has 14 digits.", field="siret")
        found = await services.get_establishment(siret)
        if found is None:
            raise NotFound("Aucun établissement ne correspond à ce SIRET.", "No establishment has this SIRET.")
        return found.to_dict()
