"""Fixed-window counters in Redis, shared by every app instance: a limit holds however requests are spread.

Each (bucket, key) counts its hits in a window that starts at the first one; past the limit the request
is refused with 429 and `Retry-After` (the seconds left in the window).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from backend.infra.errors import DomainError
from backend.infra.redis import get_redis
from backend.infra.security import client_ip  # the one reading of the client's address
from backend.settings import get_settings


@dataclass(frozen=True)
class Limit:
    bucket: str
    hits: int
    window_seconds: int


class TooManyRequests(DomainError):
    status_code = 429

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, -(-retry_after // 60))
        super().__init__("trop_de_requetes", variant="minutes" if minutes > 1 else "minute", minutes=minutes,
                         details={"retry_after": retry_after}, headers={"Retry-After": str(retry_after)})


def _name(limit: Limit, key: str) -> str:
    # Hashed: keys are e-mail addresses and IPs, which need not sit in clear in Redis.
    return f"ratelimit:{limit.bucket}:{hashlib.sha256(key.encode()).hexdigest()[:32]}"


async def hit(limit: Limit, key: str | None) -> None:
    """Count one request for `key` (an address, an IP); raise TooManyRequests past the limit."""
    if not key or not get_settings().rate_limits:
        return
    name = _name(limit, key)
    async with get_redis().pipeline(transaction=True) as pipe:
        pipe.set(name, 0, ex=limit.window_seconds, nx=True)
        pipe.incr(name)
        pipe.ttl(name)
        _, count, ttl = await pipe.execute()
    if count > limit.hits:
        raise TooManyRequests(max(int(ttl), 1))


def peer_address(scope) -> str | None:
    """The address the connection comes from. X-Forwarded-For only from a trusted proxy
    (CHORALE_TRUSTED_PROXIES): a limit keyed by a header the client writes would be dodged by changing it."""
    return client_ip(scope)
