"""ARQ worker settings collecting every slice's jobs, and the worker that survives its servers' restarts.

ARQ's own worker exits when its Redis connection drops, leaves a killed job's in-progress key for
`job_timeout` + 10 s (the job cannot run again meanwhile) and fails a job for good when PostgreSQL is away
for a moment. `ChoraleWorker` keeps polling until Redis answers again, beats a heart in Redis so that the
others take back the jobs of a worker that died, and lets a job wait for the database rather than fail.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import time
import uuid
from typing import Any

from arq.constants import in_progress_key_prefix
from arq.worker import Worker, get_kwargs

from backend.domain.jobs import CRON_JOBS, JOBS, ON_SHUTDOWN, ON_STARTUP
from backend.infra.database import close_pool, open_pool
from backend.infra.errors import unavailable
from backend.infra.logs import configure_logging
from backend.infra.redis import close_redis, redis_settings
from backend.settings import get_settings

log = logging.getLogger(__name__)

HEARTBEAT_PREFIX = "chorale:worker:"
OWNERS = "chorale:job-owners"  # hash: job id -> id of the worker running it
# A worker refreshes its heartbeat every BEAT seconds; one silent for HEARTBEAT_TTL is dead, and its jobs are
# taken back by the next worker to look (every RECLAIM_EVERY seconds).
HEARTBEAT_TTL = 10.0
BEAT = 2.0
RECLAIM_EVERY = 2.0
# How long a job waits for an unreachable database (or Redis) before it fails this try.
DATABASE_PATIENCE = 120.0


async def startup(ctx: dict) -> None:
    configure_logging(get_settings().log_level)
    await open_pool(max_size=10)
    for hook in ON_STARTUP:
        await hook(ctx)


async def shutdown(ctx: dict) -> None:
    for hook in ON_SHUTDOWN:
        await hook(ctx)
    await close_redis()
    await close_pool()


def patient(coroutine: Any) -> Any:
    """The job, run again (it is keyed and idempotent) while PostgreSQL or Redis cannot be reached, for up to
    DATABASE_PATIENCE: a brief outage delays it instead of using up its tries."""

    @functools.wraps(coroutine)
    async def job(ctx: dict, *args: Any, **kwargs: Any) -> Any:
        deadline = time.monotonic() + DATABASE_PATIENCE
        delay = 0.5
        while True:
            try:
                return await coroutine(ctx, *args, **kwargs)
            except Exception as error:
                if not unavailable(error) or time.monotonic() + delay > deadline:
                    raise
                log.warning("job %s: server unreachable (%s), retrying in %.1f s", ctx.get("job_id"), error, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    return job


async def reclaim_orphans(redis: Any) -> list[str]:
    """Jobs whose worker's heartbeat stopped: their in-progress key cleared, so that a live worker runs them
    again now rather than when ARQ's key expires (they are still in the queue until they finish)."""
    reclaimed = []
    for job_id, owner in (await redis.hgetall(OWNERS)).items():
        if not await redis.exists(HEARTBEAT_PREFIX + owner.decode()):
            job = job_id.decode()
            # Clearing the key can race another reclaimer or a new start: ARQ's WATCH on it lets one start win.
            await redis.delete(in_progress_key_prefix + job)
            await redis.hdel(OWNERS, job)
            reclaimed.append(job)
    if reclaimed:
        log.warning("took back %s job(s) of stopped worker(s): %s", len(reclaimed), ", ".join(reclaimed))
    return reclaimed


class ChoraleWorker(Worker):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.worker_id = uuid.uuid4().hex
        self.functions = {name: dataclasses.replace(f, coroutine=patient(f.coroutine)) for name, f in self.functions.items()}
        self._beaten = self._reclaimed = 0.0
        self._redis_lost: float | None = None
        self._backoff = 0.2

    async def _poll_iteration(self) -> None:
        try:
            await super()._poll_iteration()
            await self._beat_and_reclaim()
        except Exception as error:
            if not unavailable(error):
                raise
            if self._redis_lost is None:
                self._redis_lost = time.monotonic()
                log.warning("Redis unreachable (%s): the worker waits for it", error)
            await asyncio.sleep(self._backoff)
            self._backoff = min(self._backoff * 2, 5.0)
            return
        if self._redis_lost is not None:
            log.warning("Redis reachable again after %.1f s: the worker carries on", time.monotonic() - self._redis_lost)
            self._redis_lost, self._backoff = None, 0.2

    async def _beat_and_reclaim(self) -> None:
        now = time.monotonic()
        if now - self._beaten >= BEAT:
            await self.pool.set(HEARTBEAT_PREFIX + self.worker_id, b"1", px=int(HEARTBEAT_TTL * 1000))
            self._beaten = now
        if now - self._reclaimed >= RECLAIM_EVERY:
            self._reclaimed = now
            await reclaim_orphans(self.pool)

    async def run_job(self, job_id: str, score: int) -> None:
        await self.pool.hset(OWNERS, job_id, self.worker_id)
        try:
            await super().run_job(job_id, score)
        finally:
            try:
                await self.pool.hdel(OWNERS, job_id)
            except Exception as error:  # Redis away: the entry goes when this worker's heartbeat has stopped
                log.warning("job %s: owner entry left (%s)", job_id, error)

    async def close(self) -> None:
        try:
            if self._pool is not None:
                await self.pool.delete(HEARTBEAT_PREFIX + self.worker_id)
        except Exception:
            pass
        await super().close()


class WorkerSettings:
    functions = JOBS
    cron_jobs = CRON_JOBS
    on_startup = startup
    on_shutdown = shutdown
    redis_settings = redis_settings()
    # ARQ polls Redis for new jobs; its default 0.5 s poll alone made a PDF's extraction wait ~250 ms on
    # average. 2 ms (≈500 cheap Redis commands a second per idle worker) keeps the job path close to raw
    # pdfplumber (bench/RESULTS.md, "Extraction").
    poll_delay = 0.002
    max_jobs = 20
    job_timeout = 600
    keep_result = 3600
    # Jobs are keyed and idempotent; a job cut by a crash is retried rather than lost.
    max_tries = 3
    health_check_interval = 30


def run() -> None:
    """The worker until SIGINT or SIGTERM (what `backend.cli worker` runs)."""
    ChoraleWorker(**get_kwargs(WorkerSettings)).run()  # type: ignore[arg-type]
