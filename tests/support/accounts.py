"""Helpers for sign-up tests: solving the human check the way a person would (reading it), mail."""

from __future__ import annotations

import re

from backend.domain.accounts.challenge import _digest
from backend.infra.database import connection
from backend.infra.redis import get_redis


async def solve_challenge(challenge_id: str) -> str:
    """Find the answer among plausible ones by comparing with the stored hash (tests cannot read words)."""
    stored = (await get_redis().get(f"challenge:{challenge_id}")).decode()
    return next(str(n) for n in range(-20, 40) if _digest(challenge_id, str(n)) == stored)


async def last_mail(to: str) -> dict:
    async with connection() as conn:
        row = await conn.fetchrow("SELECT * FROM mail_outbox WHERE to_address = $1 ORDER BY id DESC LIMIT 1", to)
    assert row is not None, f"no mail to {to}"
    return dict(row)


def link_in(body: str, path: str) -> str:
    found = re.search(rf"https?://[^\s]+({re.escape(path)}[A-Za-z0-9_\-]+)", body)
    assert found, body
    return found.group(1)
