"""The process-wide Redis client and ARQ pool."""

from __future__ import annotations

from arq.connections import ArqRedis, RedisSettings, create_pool
from redis.asyncio import Redis

from backend.settings import get_settings

_redis: Redis | None = None
_arq: ArqRedis | None = None


def redis_settings() -> RedisSettings:
    return RedisSettings.from_dsn(get_settings().redis_url)


def get_redis() -> Redis:
    global _redis
    if _redis is None:
        _redis = Redis.from_url(get_settings().redis_url, decode_responses=False)
    return _redis


async def get_arq() -> ArqRedis:
    global _arq
    if _arq is None:
        _arq = await create_pool(redis_settings())
    return _arq


async def close_redis() -> None:
    global _redis, _arq
    if _arq is not None:
        await _arq.aclose()
        _arq = None
    if _redis is not None:
        await _redis.aclose()
        _redis = None
