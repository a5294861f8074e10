"""Journals every HTTP request made while support acts as a user: who, as whom, what, outcome, from where."""

from __future__ import annotations

import logging

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from backend.domain.support.services import record_request
from backend.infra.paths import ASSET_PREFIXES

log = logging.getLogger(__name__)


def client_ip(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"x-forwarded-for":
            return value.decode("latin-1").split(",")[0].strip()
    client = scope.get("client")
    return client[0] if client else None


def impersonation_journal_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        principal = scope.get("principal") if scope["type"] in ("http", "websocket") else None
        if principal is None or not principal.impersonated or scope["path"].startswith(ASSET_PREFIXES):
            await app(scope, receive, send)
            return
        status = {"code": 101 if scope["type"] == "websocket" else 500}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await app(scope, receive, capture)
        finally:
            try:
                await record_request(principal, scope.get("method", "WS"), scope["path"], status["code"], client_ip(scope))
            except Exception:  # the journal must not turn a served request into an error
                log.exception("could not journal an impersonated request")

    return middleware
