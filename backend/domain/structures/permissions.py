"""The one permission check every route and screen uses: attachment + profile on a structure."""

from __future__ import annotations

from dataclasses import dataclass

from backend.domain.accounts.identity import Principal
from backend.infra.database import connection
from backend.infra.errors import Forbidden, NotFound
from shared.applications import Application, Level


@dataclass(frozen=True)
class StructureRef:
    id: int
    identifier: str
    raison_sociale: str
    libelle: str | None
    is_public: bool
    level: Level
    service_ids: tuple[int, ...] | None  # None: attached to the whole structure


_QUERY = """
SELECT s.id, s.identifier, s.raison_sociale, s.libelle, s.is_public, p.level,
       bool_or(a.service_id IS NULL) AS whole, array_remove(array_agg(a.service_id), NULL) AS services
FROM attachment a
JOIN structure s ON s.id = a.structure_id
JOIN profile p ON p.user_id = a.user_id AND p.structure_id = a.structure_id AND p.application = $2
WHERE a.user_id = $1 AND a.status = 'approuve' {extra}
GROUP BY s.id, p.level
ORDER BY s.raison_sociale, s.id
"""


def _ref(row) -> StructureRef:
    return StructureRef(id=row["id"], identifier=row["identifier"], raison_sociale=row["raison_sociale"],
                        libelle=row["libelle"], is_public=row["is_public"], level=Level(row["level"]),
                        service_ids=None if row["whole"] else tuple(row["services"]))


async def structures_for(principal: Principal, application: Application, level: Level = Level.CONSULTATION) -> list[StructureRef]:
    async with connection() as conn:
        rows = await conn.fetch(_QUERY.format(extra=""), principal.user_id, str(application))
    return [ref for ref in map(_ref, rows) if ref.level.allows(level)]


async def access_to(principal: Principal, structure_id: int, application: Application) -> StructureRef | None:
    async with connection() as conn:
        row = await conn.fetchrow(_QUERY.format(extra="AND a.structure_id = $3"), principal.user_id, str(application), structure_id)
    return _ref(row) if row else None


async def is_attached(principal: Principal, structure_id: int) -> bool:
    async with connection() as conn:
        return bool(await conn.fetchval(
            "SELECT 1 FROM attachment WHERE user_id = $1 AND structure_id = $2 AND status = 'approuve'",
            principal.user_id, structure_id))


async def require(principal: Principal, *, structure_id: int, application: Application, level: Level,
                  service_id: int | None = None) -> StructureRef:
    """NotFound when the user has nothing to do with the structure (its existence is not revealed),
    Forbidden when attached but without the profile the action needs."""
    ref = await access_to(principal, structure_id, application)
    if ref is None:
        if await is_attached(principal, structure_id):
            raise Forbidden()
        raise NotFound()
    if ref.service_ids is not None and service_id is not None and service_id not in ref.service_ids:
        raise NotFound()
    if not ref.level.allows(level):
        raise Forbidden("Votre profil est en consultation : il ne permet pas cette action.",
                        "Your profile is read-only: it does not allow this action.", code="profil_consultation")
    return ref


async def visible_service_ids(principal: Principal, structure_id: int, application: Application) -> tuple[int, ...] | None:
    ref = await access_to(principal, structure_id, application)
    if ref is None:
        raise NotFound()
    return ref.service_ids
