"""Small reads the deposit form needs: a recipient by SIRET with its requirements, a structure's services."""

from __future__ import annotations

from typing import Any

from backend.infra.database import connection


async def services_of(structure_id: int | None, *, active_only: bool = True) -> list[dict[str, Any]]:
    if not structure_id:
        return []
    async with connection() as conn:
        rows = await conn.fetch(
            f"SELECT id, code, libelle, active FROM service WHERE structure_id = $1 {'AND active' if active_only else ''} ORDER BY code",
            structure_id)
    return [dict(r) for r in rows]


async def recipient_by_siret(siret: str) -> dict[str, Any] | None:
    """The registered structure with this SIRET (public ones first), or None when none is registered."""
    async with connection() as conn:
        row = await conn.fetchrow(
            """SELECT id, identifier, raison_sociale, address, postcode, city, is_public, active, requires_engagement,
                      requires_service_code FROM structure WHERE identifier = $1 ORDER BY is_public DESC, id LIMIT 1""", siret)
    return dict(row) if row else None


async def structure_by_id(structure_id: int | None) -> dict[str, Any] | None:
    if not structure_id:
        return None
    async with connection() as conn:
        row = await conn.fetchrow(
            """SELECT id, identifier, raison_sociale, address, postcode, city, is_public, active, requires_engagement,
                      requires_service_code FROM structure WHERE id = $1""", structure_id)
    return dict(row) if row else None
