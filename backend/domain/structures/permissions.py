"""The one permission check every route and screen uses: attachment + profile on a structure."""

from __future__ import annotations

import json
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


# The user's grants as one JSON column of the principal's query: per approved attachment, the structure,
# whether it is whole or which services, and each application's profile level (none: attached only).
GRANTS_COLUMN = """coalesce((
    SELECT json_agg(json_build_array(s.id, s.identifier, s.raison_sociale, s.libelle, s.is_public, p.application, p.level,
                                     g.whole, g.services) ORDER BY s.raison_sociale, s.id)
    FROM (SELECT a.structure_id, bool_or(a.service_id IS NULL) AS whole, array_remove(array_agg(a.service_id), NULL) AS services
          FROM attachment a WHERE a.user_id = {user} AND a.status = 'approuve' GROUP BY a.structure_id) g
    JOIN structure s ON s.id = g.structure_id
    LEFT JOIN profile p ON p.user_id = {user} AND p.structure_id = g.structure_id), '[]')"""


@dataclass(frozen=True)
class Grant:
    structure_id: int
    application: str | None  # None: attached, with no profile
    ref: StructureRef | None  # the structure as seen through that application's profile


def parse_grants(text: str) -> tuple[Grant, ...]:
    grants = []
    for sid, identifier, name, libelle, is_public, application, level, whole, services in json.loads(text):
        ref = None if application is None else StructureRef(
            id=sid, identifier=identifier, raison_sociale=name, libelle=libelle, is_public=is_public, level=Level(level),
            service_ids=None if whole else tuple(services))
        grants.append(Grant(sid, application, ref))
    return tuple(grants)


def _ref(row) -> StructureRef:
    return StructureRef(id=row["id"], identifier=row["identifier"], raison_sociale=row["raison_sociale"],
                        libelle=row["libelle"], is_public=row["is_public"], level=Level(row["level"]),
                        service_ids=None if row["whole"] else tuple(row["services"]))


async def structures_for(principal: Principal, application: Application, level: Level = Level.CONSULTATION) -> list[StructureRef]:
    if principal.grants is not None:
        refs = [g.ref for g in principal.grants if g.application == str(application)]
    else:
        async with connection() as conn:
            refs = list(map(_ref, await conn.fetch(_QUERY.format(extra=""), principal.user_id, str(application))))
    return [ref for ref in refs if ref.level.allows(level)]


async def access_to(principal: Principal, structure_id: int, application: Application) -> StructureRef | None:
    if principal.grants is not None:
        return next((g.ref for g in principal.grants if g.structure_id == structure_id and g.application == str(application)), None)
    async with connection() as conn:
        row = await conn.fetchrow(_QUERY.format(extra="AND a.structure_id = $3"), principal.user_id, str(application), structure_id)
    return _ref(row) if row else None


async def is_attached(principal: Principal, structure_id: int) -> bool:
    if principal.grants is not None:
        return any(g.structure_id == structure_id for g in principal.grants)
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
