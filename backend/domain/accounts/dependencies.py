from __future__ import annotations

from litestar.connection import ASGIConnection

from backend.domain.accounts.identity import Principal
from backend.infra.errors import Unauthenticated


async def provide_principal(request: ASGIConnection) -> Principal:
    principal = request.scope.get("principal")
    if principal is None:
        raise Unauthenticated()
    return principal


async def provide_optional_principal(request: ASGIConnection) -> Principal | None:
    return request.scope.get("principal")
