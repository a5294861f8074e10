"""Puts the session's Principal (or None) on every HTTP and WebSocket scope, ReactPy's included."""

from __future__ import annotations

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from backend.domain.accounts.identity import COOKIE, Principal, decode_session
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
        claims = None
        if scope["type"] in ("http", "websocket"):
            principal = None
            # Assets are the same for everyone: a page load fetches several, none needs the session's user.
            token = None if scope["path"].startswith(ASSET_PREFIXES) else session_cookie(scope)
            claims = decode_session(token) if token else None
            if claims is not None:
                # An HTTP request is short: its permission checks can use grants read with the user.
                principal = await principal_for(claims, with_grants=scope["type"] == "http")
            scope["principal"] = principal  # type: ignore[typeddict-unknown-key]
            if scope["type"] == "websocket" and principal is not None:
                receive, send = rechecked_socket(token, principal, receive, send)
        await app(scope, receive, send)

    return middleware


# Code sent when a socket's identity lapsed: the interface reconnects, with the browser's current cookie.
IDENTITY_LAPSED = 4401


def same_identity(now: Principal | None, then: Principal) -> bool:
    return (now is not None and now.user_id == then.user_id and now.impersonator_id == then.impersonator_id
            and now.impersonation_id == then.impersonation_id and now.actions_enabled == then.actions_enabled)


def rechecked_socket(token: str | None, principal: Principal, receive: Receive, send: Send) -> tuple[Receive, Send]:
    """The interface's socket lives for as long as the page: its identity is checked again before each
    event it carries. After a logout or a password change (the session version moved on), the end or
    expiry of a support intervention, the socket closes instead of acting as whom it no longer is; the
    page reconnects with the browser's current cookie (the login page, or support's own identity)."""
    closed = False

    async def checked_receive() -> Message:
        nonlocal closed
        message = await receive()
        if message["type"] != "websocket.receive" or closed:
            return message
        claims = decode_session(token) if token else None
        if not same_identity(await principal_for(claims) if claims else None, principal):
            closed = True
            await send({"type": "websocket.close", "code": IDENTITY_LAPSED})
            return {"type": "websocket.disconnect", "code": IDENTITY_LAPSED}
        return message

    async def guarded_send(message: Message) -> None:
        if not closed:  # what the page would still render after the close goes nowhere
            await send(message)

    return checked_receive, guarded_send
