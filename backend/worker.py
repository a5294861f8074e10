"""ARQ worker settings collecting every slice's jobs."""

from __future__ import annotations

from backend.domain.jobs import CRON_JOBS, JOBS
from backend.infra.database import close_pool, open_pool
from backend.infra.logs import configure_logging
from backend.infra.redis import close_redis, redis_settings
from backend.settings import get_settings


async def startup(ctx: dict) -> None:
    configure_logging(get_settings().log_level)
    await open_pool(max_size=10)


async def shutdown(ctx: dict) -> None:
    await close_redis()
    await close_pool()


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
