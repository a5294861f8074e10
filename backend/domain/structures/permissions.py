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


# The user's grants as one JSON value (a column of the principal's query, or read alone): per approved
# attachment, the structure, whether it is whole or which services, and each application's profile level
# (none: attached only). The one source of every permission answer below.
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


async def grants_of(principal: Principal) -> tuple[Grant, ...]:
    """The grants read with the user for this HTTP request, else (sockets, jobs) read now."""
    if principal.grants is not None:
        return principal.grants
    async with connection() as conn:
        return parse_grants(await conn.fetchval(f"SELECT {GRANTS_COLUMN.format(user='$1::bigint')}", principal.user_id))


async def structures_for(principal: Principal, application: Application, level: Level = Level.CONSULTATION) -> list[StructureRef]:
    return [g.ref for g in await grants_of(principal) if g.application == str(application) and g.ref.level.allows(level)]


async def access_to(principal: Principal, structure_id: int, application: Application) -> StructureRef | None:
    return next((g.ref for g in await grants_of(principal) if g.structure_id == structure_id and g.application == str(application)),
                None)


async def is_attached(principal: Principal, structure_id: int) -> bool:
    return any(g.structure_id == structure_id for g in await grants_of(principal))


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
