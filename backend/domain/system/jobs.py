from __future__ import annotations

from arq import cron

from backend.domain.system import outbox
from backend.domain.system.services import run_live_check


async def live_check(ctx: dict, topic: str) -> str:
    await run_live_check(topic, ctx["job_id"])
    return "ok"


async def purge_outbox(ctx: dict) -> int:
    return await outbox.purge()


JOBS = [live_check]
CRON_JOBS: list = [cron(purge_outbox, hour={3}, minute={41}, run_at_startup=False, unique=True)]
# The outbox's relay runs in every worker (SKIP LOCKED shares the rows out).
ON_STARTUP = [outbox.start_relay]
ON_SHUTDOWN = [outbox.stop_relay]
