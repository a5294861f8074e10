"""Single-use links (activation, password reset): only a SHA-256 of the token is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from backend.domain.accounts import rules, store
from backend.infra.errors import DomainError


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue(user_id: int, kind: str, lifetime: timedelta) -> str:
    token = secrets.token_urlsafe(32)
    await store.add_token(user_id, kind, token_hash(token), datetime.now(UTC) + lifetime)
    return token


async def redeem(token: str, kind: str) -> int:
    """Lock and check the token; returns its user id (the caller spends it in the same transaction)."""
    return (await redeem_row(token, kind)).user_id


async def redeem_row(token: str, kind: str) -> store.AccountToken:
    """`redeem`, returning the whole token row."""
    found = await store.token(token_hash(token), kind)
    if found is None:
        raise DomainError('lien_invalide')
    if found.used_at is not None:
        raise link_used()
    if found.expires_at <= datetime.now(UTC):
        raise DomainError('lien_expire')
    return found


async def spend(token: str) -> None:
    await store.spend_token(token_hash(token))


async def spend_all(user_id: int, kind: str) -> None:
    await store.spend_tokens(user_id, kind)


async def record_failed_answer(token: str, found: store.AccountToken) -> bool:
    """Count a wrong secret answer given with this link; True when the link dies of it."""
    dies = rules.reset_link_spent_by_failure(found.failed_answers)
    await store.record_failed_answer(token_hash(token), spend=dies)
    return dies


def link_used() -> DomainError:
    return DomainError('lien_deja_utilise')
