"""The jobs of a worker whose heartbeat stopped are taken back; those of a live worker are left alone."""

from __future__ import annotations

import uuid

from arq.constants import in_progress_key_prefix


async def test_only_the_jobs_of_a_silent_worker_are_taken_back(servers):
    from redis.asyncio import Redis

    from backend.settings import get_settings
    from backend.worker import HEARTBEAT_PREFIX, OWNERS, reclaim_orphans

    redis = Redis.from_url(get_settings().redis_url)
    dead_job, live_job = f"lot:{uuid.uuid4().hex}", f"route:{uuid.uuid4().hex}"
    alive, dead = f"alive-{uuid.uuid4().hex}", f"dead-{uuid.uuid4().hex}"
    try:
        await redis.set(HEARTBEAT_PREFIX + alive, b"1", px=10_000)  # none for the dead one
        await redis.hset(OWNERS, mapping={dead_job: dead, live_job: alive})
        for job in (dead_job, live_job):
            await redis.set(in_progress_key_prefix + job, b"1", px=610_000)

        reclaimed = await reclaim_orphans(redis)  # (other workers of the session may own jobs too)
        assert dead_job in reclaimed and live_job not in reclaimed
        assert not await redis.exists(in_progress_key_prefix + dead_job)  # free to run again at once
        assert await redis.exists(in_progress_key_prefix + live_job)
        owned = await redis.hkeys(OWNERS)
        assert live_job.encode() in owned and dead_job.encode() not in owned
    finally:
        await redis.hdel(OWNERS, dead_job, live_job)
        await redis.delete(HEARTBEAT_PREFIX + alive, *(in_progress_key_prefix + j for j in (dead_job, live_job)))
        await redis.aclose()
