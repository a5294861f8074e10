from __future__ import annotations

from backend.domain.system.services import run_live_check


async def live_check(ctx: dict, topic: str) -> str:
    await run_live_check(topic, ctx["job_id"])
    return "ok"


JOBS = [live_check]
