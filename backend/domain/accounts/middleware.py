"""Puts the session's Principal (or None) on every HTTP and WebSocket scope, ReactPy's included."""

from __future__ import annotations

from litestar.types import ASGIApp, Receive, Scope, Send

from backend.domain.accounts.identity import COOKIE, decode_session
from backend.domain.accounts.services import principal_for
from backend.infra.paths import ASSET_PREFIXES


_PREFIX = COOKIE.encode() + b"="


def session_cookie(scope: Scope) -> str | None:
    # Only our own cookie is wanted, and its value (a JWT) needs no unquoting: splitting the header is
    # a tenth of the cost of http.cookies parsing every cookie of the site, on every request. As with
    # http.cookies, the last of several same-named cookies wins.
    found = None
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            for part in value.split(b";"):
                part = part.strip()
                if part.startswith(_PREFIX):
                    found = part[len(_PREFIX):].decode("latin-1").strip('"') or None
    return found


def identity_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            principal = None
            # Assets are the same for everyone: a page load fetches several, none needs the session's user.
            token = None if scope["path"].startswith(ASSET_PREFIXES) else session_cookie(scope)
            claims = decode_session(token) if token else None
            if claims is not None:
                # An HTTP request is short: its permission checks can use grants read with the user.
                principal = await principal_for(claims, with_grants=scope["type"] == "http")
            scope["principal"] = principal  # type: ignore[typeddict-unknown-key]
        await app(scope, receive, send)

    return middleware
