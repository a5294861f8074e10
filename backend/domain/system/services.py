"""Health of the two servers every instance depends on, a diagnostic job for live updates, and the
transactional outbox other slices write their durable events to (backend/domain/system/outbox.py)."""

from __future__ import annotations

import asyncio
import uuid

from backend.domain.system import store
from backend.domain.system.outbox import Outbox, durable_transaction
from backend.infra.events import publish
from backend.infra.redis import get_arq, get_redis

__all__ = ["Outbox", "durable_transaction", "check_health", "start_live_check", "run_live_check"]


async def check_health(timeout: float = 2.0) -> dict[str, bool]:
    async def redis() -> bool:
        return bool(await get_redis().ping())

    results = {}
    for name, probe in (("postgres", store.database_answers), ("redis", redis)):
        try:
            results[name] = await asyncio.wait_for(probe(), timeout)
        except Exception:
            results[name] = False
    return results


async def start_live_check(topic: str) -> str:
    """Enqueue the worker's live check; its steps reach every session listening on `topic`."""
    job_id = f"live-check:{uuid.uuid4().hex}"
    await (await get_arq()).enqueue_job("live_check", topic, _job_id=job_id)
    return job_id


LIVE_CHECK_STEPS = ("recu", "en_cours", "termine")


async def run_live_check(topic: str, job_id: str, pause: float = 0.05) -> None:
    for index, step in enumerate(LIVE_CHECK_STEPS, start=1):
        await publish("job.progress", [topic], {"job": job_id, "step": step, "index": index, "total": len(LIVE_CHECK_STEPS)})
        await asyncio.sleep(pause)
