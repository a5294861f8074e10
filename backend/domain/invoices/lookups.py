"""Small reads the deposit form needs: a recipient by SIRET with its requirements, a structure's services."""

from __future__ import annotations

from typing import Any

from backend.domain.structures import store as structures_store


async def services_of(structure_id: int | None, *, active_only: bool = True) -> list[dict[str, Any]]:
    if not structure_id:
        return []
    return [{"id": s.id, "code": s.code, "libelle": s.libelle, "active": s.active}
            for s in await structures_store.services_of_structure(structure_id, active_only=active_only)]


async def recipient_by_siret(siret: str) -> dict[str, Any] | None:
    """The registered structure with this SIRET (public ones first), or None when none is registered."""
    party = await structures_store.invoicing_party_by_siret(siret)
    return party.as_dict() if party else None


async def structure_by_id(structure_id: int | None) -> dict[str, Any] | None:
    if not structure_id:
        return None
    party = await structures_store.invoicing_party(structure_id)
    return party.as_dict() if party else None
