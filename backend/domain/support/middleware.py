"""Journals every HTTP request made while support acts as a user: who, as whom, what, outcome, from where."""

from __future__ import annotations

import logging

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from backend.domain.support.services import record_request
from backend.infra.paths import ASSET_PREFIXES
from backend.infra.security import client_ip

log = logging.getLogger(__name__)


def impersonation_journal_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        principal = scope.get("principal") if scope["type"] in ("http", "websocket") else None
        if principal is None or not principal.impersonated or scope["path"].startswith(ASSET_PREFIXES):
            await app(scope, receive, send)
            return
        status = {"code": 101 if scope["type"] == "websocket" else 500}
        if scope["type"] == "websocket":
            receive = journaled_events(principal, scope, receive)

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


def journaled_events(principal, scope: Scope, receive: Receive) -> Receive:
    """Every event the interface's socket carries while support acts as a user is journaled as it comes
    (a click, a form sent): the socket's own row at its close says only that a page was open. Events
    the identity check refused never get here (it wraps this receive)."""
    async def receive_and_journal() -> Message:
        message = await receive()
        if message["type"] == "websocket.receive":
            try:
                await record_request(principal, "WS", f"{scope['path']} (événement)", 200, client_ip(scope))
            except Exception:
                log.exception("could not journal an impersonated socket event")
        return message

    return receive_and_journal
