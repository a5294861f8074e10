"""What accounts needs from the slices that import it, handed in once by the composition root
(`backend/domain/middleware.py`): accounts imports none of them (see `accounts/__init__.py`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol


class StructureRows(Protocol):
    """The structures store's functions sign-up and Mon compte use (`structures.store` is one)."""

    async def structure_id_by_identifier(self, identifier_type: str, identifier: str) -> int | None: ...
    async def structure(self, structure_id: int) -> Any | None: ...
    async def create_structure(self, **fields: Any) -> int: ...
    async def attach(self, user_id: int, structure_id: int, *, is_principal: bool = False,
                     service_id: int | None = None) -> None: ...
    async def grant_profile(self, user_id: int, structure_id: int, application: str, level: str) -> None: ...
    async def open_workspace(self, user_id: int, application: str) -> None: ...
    async def workspaces_of(self, user_id: int) -> list[Any]: ...
    async def memberships_of(self, user_id: int) -> list[Any]: ...


@dataclass(frozen=True)
class Ports:
    """Until configured, a session has no preloaded grants (permission checks then read them from the
    database: same answers, one more query) and no impersonation is taken as open (the token falls back
    to the support agent): never more rights. Sign-up and Mon compte need `structures`."""

    # structures: an SQL expression of `{user}` giving the user's grants, read with the session's user,
    # and the parser of its value.
    grants_column: str | None = None
    parse_grants: Callable[[Any], tuple[Any, ...]] | None = None
    # support: whether an impersonation (by id, from the session token) is still open.
    impersonation_open: Callable[[Any], Awaitable[bool]] | None = None
    # structures: the rows of the structures a user belongs to.
    structures: StructureRows | None = None
    # structures: a sign-up's request to join a registered structure (user, structure, comment, services:
    # none for the whole structure), written, journaled and announced to its gestionnaires in the sign-up's
    # transaction.
    request_attachment: Callable[[int, int, str, list[int]], Awaitable[None]] | None = None
    # structures: a registered structure's active services a sign-up may ask to join ({id, code, libelle}),
    # and the check of those asked (refused with `service_inconnu` unless each is one of them).
    attachment_services: Callable[[int], Awaitable[list[dict]]] | None = None
    check_attachment_services: Callable[[int, list[int]], Awaitable[Any]] | None = None
    # structures: the pending requests the user may decide (the policy's « Organisation modification »).
    requests_to_decide: Callable[[Any], Awaitable[list[Any]]] | None = None


_ports = Ports()


def configure(ports: Ports) -> None:
    global _ports
    _ports = ports


def current() -> Ports:
    return _ports


def requests_to_decide() -> Callable[[Any], Awaitable[list[Any]]]:
    return _configured(_ports.requests_to_decide)


def _configured(port: Callable | None) -> Callable:
    if port is None:
        raise RuntimeError("accounts.ports.configure has not run (backend.domain.middleware does it)")
    return port


def request_attachment() -> Callable[[int, int, str, list[int]], Awaitable[None]]:
    return _configured(_ports.request_attachment)


def attachment_services() -> Callable[[int], Awaitable[list[dict]]]:
    return _configured(_ports.attachment_services)


def check_attachment_services() -> Callable[[int, list[int]], Awaitable[Any]]:
    return _configured(_ports.check_attachment_services)


def structures() -> StructureRows:
    if _ports.structures is None:
        raise RuntimeError("accounts.ports.configure has not run (backend.domain.middleware does it)")
    return _ports.structures


__all__ = ["Ports", "StructureRows", "attachment_services", "check_attachment_services", "configure", "current",
           "request_attachment", "requests_to_decide", "structures"]
