"""Single-use links (activation, password reset): only a SHA-256 of the token is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from backend.infra.errors import ChoraleError


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue(conn, user_id: int, kind: str, lifetime: timedelta) -> str:
    token = secrets.token_urlsafe(32)
    await conn.execute("INSERT INTO account_token (user_id, kind, token_hash, expires_at) VALUES ($1, $2, $3, $4)",
                       user_id, kind, token_hash(token), datetime.now(UTC) + lifetime)
    return token


async def redeem(conn, token: str, kind: str) -> int:
    """Lock and check the token; returns its user id (the caller marks it used in the same transaction)."""
    row = await conn.fetchrow("SELECT id, user_id, expires_at, used_at FROM account_token WHERE token_hash = $1 AND kind = $2 FOR UPDATE",
                              token_hash(token), kind)
    if row is None:
        raise ChoraleError("lien_invalide", "Ce lien n'est pas valide.", "This link is not valid.")
    if row["used_at"] is not None:
        raise ChoraleError("lien_deja_utilise", "Ce lien a déjà été utilisé.", "This link has already been used.")
    if row["expires_at"] <= datetime.now(UTC):
        raise ChoraleError("lien_expire", "Ce lien a expiré : demandez-en un nouveau.", "This link has expired: ask for a new one.")
    return row["user_id"]


async def spend(conn, token: str) -> None:
    await conn.execute("UPDATE account_token SET used_at = now() WHERE token_hash = $1", token_hash(token))
