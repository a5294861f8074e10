from __future__ import annotations

from arq import cron

from backend.domain.processing.services import send_digests


async def daily_digest(ctx: dict) -> int:
    return await send_digests()


JOBS = [daily_digest]
CRON_JOBS = [cron(daily_digest, hour=6, minute=0, unique=True)]  # 07:00 in Paris in winter
