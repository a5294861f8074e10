"""Puts the session's Principal (or None) on every HTTP and WebSocket scope, ReactPy's included."""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie

from litestar.types import ASGIApp, Receive, Scope, Send

from backend.domain.accounts.identity import COOKIE, decode_session
from backend.domain.accounts.services import principal_for


def session_cookie(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except CookieError:
                return None
            if COOKIE in jar:
                return jar[COOKIE].value
    return None


def identity_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            principal = None
            token = session_cookie(scope)
            claims = decode_session(token) if token else None
            if claims is not None:
                # An HTTP request is short: its permission checks can use grants read with the user.
                principal = await principal_for(claims, with_grants=scope["type"] == "http")
            scope["principal"] = principal  # type: ignore[typeddict-unknown-key]
        await app(scope, receive, send)

    return middleware
