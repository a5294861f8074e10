"""Who is making a request: the logged-in user, and the support agent acting as them, if any.

The session token is a JWT (python-jose) in an HttpOnly cookie. When support impersonates a user the
token carries both identities (an `act` claim as in RFC 8693), so every instance enforces it alone.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from jose import JWTError, jwt

from backend.domain.accounts.rules import SESSION_LIFETIME
from backend.settings import get_settings

COOKIE = "chorale_session"
ALGORITHM = "HS256"


@dataclass(frozen=True)
class Principal:
    user_id: int
    email: str
    display_name: str
    lang: str = "fr"
    is_support: bool = False
    impersonator_id: int | None = None
    impersonator_email: str | None = None
    impersonation_id: int | None = None
    actions_enabled: bool = False
    # The session's owner's (the support agent's, when impersonating) session version: a token signed
    # with an older one was revoked (logout, password change); new tokens for this session carry it.
    session_version: int = 0
    # The user's structure grants read with the user row (same query) for one HTTP request, so permission
    # checks need no round trip; None (sockets, jobs: long-lived) means "ask the database".
    grants: tuple[Any, ...] | None = field(default=None, compare=False, repr=False)

    @property
    def impersonated(self) -> bool:
        return self.impersonator_id is not None

    @property
    def acting_as_label(self) -> str | None:
        if not self.impersonated:
            return None
        return f"par support {self.impersonator_email} pour le compte de {self.email}"


def with_session_cookie(response: Any, token: str | None) -> Any:
    """The (Litestar) response carrying the session token, or clearing it (None): login, logout, and
    support starting or ending an impersonation."""
    if token is None:
        response.delete_cookie(COOKIE, path="/")
    else:
        response.set_cookie(COOKIE, token, httponly=True, samesite="lax", path="/",
                            max_age=int(SESSION_LIFETIME.total_seconds()))
    return response


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    expires_at: int
    actor: dict[str, Any] | None = None
    session_version: int = 0  # the owner's (actor's, when impersonating) version when it was signed


def encode_session(user_id: int, *, version: int = 0, actor: dict[str, Any] | None = None, lifetime: int | None = None) -> str:
    """`version`: the session owner's current session version (the support agent's when `actor` is set)."""
    now = int(time.time())
    claims: dict[str, Any] = {"sub": str(user_id), "iat": now, "sv": version,
                              "exp": now + (lifetime or int(SESSION_LIFETIME.total_seconds()))}
    if actor:
        claims["act"] = actor
    return jwt.encode(claims, get_settings().secret_key, algorithm=ALGORITHM)


def decode_session(token: str) -> TokenClaims | None:
    """None for a missing, tampered or expired token."""
    claims = _signed_claims(token, get_settings().secret_key)
    if claims is None or claims.expires_at < time.time():
        return None
    return claims


@lru_cache(maxsize=8192)
def _signed_claims(token: str, secret_key: str) -> TokenClaims | None:
    """The signature check, which costs more than the rest of a dashboard request's Python, is done once
    per token: its result cannot change. Expiry is time-dependent, so decode_session checks it on each use."""
    try:
        claims = jwt.decode(token, secret_key, algorithms=[ALGORITHM], options={"verify_exp": False})
        return TokenClaims(user_id=int(claims["sub"]), expires_at=int(claims["exp"]), actor=claims.get("act"),
                           session_version=int(claims.get("sv", 0)))
    except (JWTError, KeyError, ValueError, TypeError):
        return None
