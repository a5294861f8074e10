"""Cross-site request refusal and security headers, for every route and the interface's socket (issue 20).

CSRF: the session is a cookie, so a page of another site (or of another port of this host: SameSite=Lax
does not tell ports apart) could make the browser send a state-changing request with it. Browsers send
`Origin` on every non-GET request and on every WebSocket handshake; an unsafe request whose `Origin`
(else `Referer`) is not this app's own origin is refused, login included (login CSRF). A request with
neither header comes from no browser (a script, an API client): it is refused only when it carries a
cookie, since it then claims a browser's session. JSON routes also require `Content-Type:
application/json` when a body is sent: `text/plain` is one of the types a page may post cross-site
without a CORS preflight.

Litestar's CSRFConfig (a double-submit token) was not used: it does not cover WebSockets, and every form
the interface renders would have to carry the token; the Origin check covers both with no change to them.

The app's own origin is the request's scheme and Host (uvicorn turns `X-Forwarded-Proto` from a trusted
proxy into the scheme) and, when set, the origin of `BASE_URL`.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from litestar.enums import RequestEncodingType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from backend.settings import get_settings

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Machine routes (Chorus Pro's PISTE API and its OAuth2 token): they read no cookie, every call proves who
# it is with a bearer token (and a technical account), so a page of another site can forge nothing there;
# an ERP's HTTP client may still carry cookies from a load balancer, which must not get it refused.
BEARER_PATHS = ("/cpro/", "/api/oauth/token")
_WS_SCHEMES = {"ws": "http", "wss": "https"}

# The interface's needs: its own scripts and ES modules (ReactPy's client and chorale.js, served under
# /_reactpy and /static), its socket, its stylesheet; React sets `style` through the DOM (allowed), but
# chorale.js renders an upload bar with a `style` attribute, hence style-src-attr. No eval: ReactPy only
# evaluates the contents of html.script elements, which the interface never renders.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
HSTS = (b"strict-transport-security", b"max-age=31536000")
SCHEMA_CSP = (b"content-security-policy", b"frame-ancestors 'none'")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


def _origin_of(url: str) -> str | None:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def served_over_tls(scope: Scope) -> bool:
    """The request reached us over TLS (directly or via a trusted proxy), or the settings say it always does."""
    forced = get_settings().secure_cookies
    return forced if forced is not None else scope.get("scheme") in ("https", "wss")


def own_origins(scope: Scope) -> set[str]:
    origins = set()
    host = _header(scope, b"host")
    if host:
        scheme = scope.get("scheme", "http")
        origins.add(f"{_WS_SCHEMES.get(scheme, scheme)}://{host}".lower())
    base = get_settings().base_url
    if base and (origin := _origin_of(base)):
        origins.add(origin)
    return origins


def cross_site(scope: Scope) -> bool:
    """True when the request comes from a page that is not this app (or from a browser hiding where)."""
    origin = _header(scope, b"origin")
    if origin is None:
        referer = _header(scope, b"referer")
        if referer is None:
            return scope["type"] == "http" and _header(scope, b"cookie") is not None
        origin = _origin_of(referer) or "null"
    return origin.strip().lower() not in own_origins(scope)


def expects_json(scope: Scope) -> bool:
    handler = scope.get("route_handler")
    field = getattr(handler, "parsed_data_field", None) if handler is not None else None
    if field is None:
        return False
    media_type = getattr(field.kwarg_definition, "media_type", RequestEncodingType.JSON)
    return media_type == RequestEncodingType.JSON


def _has_body(scope: Scope) -> bool:
    length = _header(scope, b"content-length")
    return _header(scope, b"transfer-encoding") is not None or (length is not None and length.strip() != "0")


def _is_json(content_type: str | None) -> bool:
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    return mime == "application/json" or (mime.startswith("application/") and mime.endswith("+json"))


REFUSALS = {
    "origine": (403, "origine_refusee", "Requête refusée : elle ne vient pas d'une page de Chorale.",
                "Request refused: it does not come from a Chorale page."),
    "nul": (400, "caractere_nul", "Un paramètre de l'adresse contient un caractère NUL, refusé.",
            "An address parameter contains a NUL character, refused."),
    "type": (415, "type_de_contenu_refuse", "Le corps de la requête doit être du JSON (Content-Type: application/json).",
             "The request body must be JSON (Content-Type: application/json)."),
}


def refusal(scope: Scope) -> tuple[int, str, str, str] | None:
    """Why this HTTP request is refused before reaching its route, or None."""
    query = scope.get("query_string") or b""
    if b"%00" in query or b"\x00" in query:  # PostgreSQL refuses NUL in text: every filter at once
        return REFUSALS["nul"]
    if scope.get("method", "GET") not in UNSAFE_METHODS:
        return None
    if cross_site(scope) and not scope.get("path", "").startswith(BEARER_PATHS):
        return REFUSALS["origine"]
    if expects_json(scope) and _has_body(scope) and not _is_json(_header(scope, b"content-type")):
        return REFUSALS["type"]
    return None


async def _refuse(send: Send, status: int, code: str, fr: str, en: str) -> None:
    import json

    body = json.dumps({"code": code, "message": fr, "message_en": en}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def cross_site_middleware(app: ASGIApp) -> ASGIApp:
    """Runs after routing (Litestar applies middleware per route), so it knows whether the route reads JSON."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            refused = refusal(scope)
            if refused is not None:
                await _refuse(send, *refused)
                return
        elif scope["type"] == "websocket" and cross_site(scope):
            # Closing before accepting makes the server answer the handshake with 403.
            await send({"type": "websocket.close", "code": 4403, "reason": "origine refusée"})
            return
        await app(scope, receive, send)

    return middleware


async def add_security_headers(message: Message, scope: Scope) -> None:
    """Litestar before_send hook: every HTTP response, errors and static files included."""
    if message["type"] != "http.response.start":
        return
    headers: list[Any] = list(message.get("headers") or [])
    names = {name.lower() if isinstance(name, bytes) else name.lower().encode() for name, _ in headers}
    extra = [header for header in HEADERS if header[0] not in names]
    if scope.get("path", "").startswith("/schema"):
        # Litestar's API documentation pages load their viewer from a CDN: keep them unframeable only.
        extra = [SCHEMA_CSP if name == b"content-security-policy" else (name, value) for name, value in extra]
    if served_over_tls(scope):
        extra.append(HSTS)
        # The session cookie travels only over TLS once the app is served over it.
        headers = [(name, value + b"; Secure") if _is_set_cookie(name) and b"secure" not in value.lower() else (name, value)
                   for name, value in ((_bytes(n), _bytes(v)) for n, v in headers)]
    message["headers"] = [*headers, *extra]


def _bytes(value: bytes | str) -> bytes:
    return value if isinstance(value, bytes) else value.encode("latin-1")


def _is_set_cookie(name: bytes) -> bool:
    return name.lower() == b"set-cookie"


def client_ip(scope: Scope) -> str | None:
    """Where a request came from (rate limits, support's journal): the peer, unless the peer is a trusted
    proxy (CHORALE_TRUSTED_PROXIES); then the nearest `X-Forwarded-For` address that is not one of them.
    A client writes that header as it likes: read from anyone else, it would dodge the rate limits and
    forge the journal's addresses."""
    client = scope.get("client")
    peer = client[0] if client else None
    trusted = _trusted_proxies(get_settings().trusted_proxies)
    if peer is None or not _within(peer, trusted):
        return peer
    forwarded = [part.strip() for name, value in scope.get("headers", ()) if name == b"x-forwarded-for"
                 for part in value.decode("latin-1").split(",")]
    # Each proxy appends the address it received from: read from the right, past our own proxies.
    for address in reversed([a for a in forwarded if a]):
        if not _within(address, trusted):
            return address if _parses(address) else peer
    return peer


@lru_cache(maxsize=4)
def _trusted_proxies(setting: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in setting.split(",") if part.strip())


def _parses(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def _within(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)
