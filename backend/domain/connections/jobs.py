"""The connections slice's worker jobs, and its hooks on the worker's start and stop (the webhook dispatcher)."""

from __future__ import annotations

from backend.domain.connections import webhooks


async def deliver_webhook(ctx: dict, delivery_id: int) -> str:
    return await webhooks.deliver(delivery_id)


# A failed attempt schedules the next itself (RETRY_DELAYS, each attempt recorded).
JOBS = [deliver_webhook]
ON_STARTUP = [webhooks.start_dispatcher]
ON_SHUTDOWN = [webhooks.stop_dispatcher]
