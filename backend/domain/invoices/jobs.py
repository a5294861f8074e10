"""ARQ jobs of the invoices slice: PDF reading, routing, cleanup of abandoned uploads, the reconciler."""

from __future__ import annotations

import logging

from arq import cron

from backend.domain.invoices.routing import pending_routing, route_invoice as route
from backend.domain.invoices.sending import enqueue_routing
from backend.domain.invoices.uploads import delete_orphan_uploads, enqueue_extraction, run_extraction
from backend.infra.database import connection

log = logging.getLogger(__name__)


async def extract_upload(ctx: dict, file_id: int, topic: str | None = None) -> str:
    return await run_extraction(file_id, topic, ctx.get("job_id", ""))


async def route_invoice(ctx: dict, invoice_id: int) -> str:
    return await route(invoice_id)


async def cleanup_uploads(ctx: dict | None = None) -> int:
    removed = await delete_orphan_uploads()
    if removed:
        log.info("removed %s abandoned uploads", removed)
    return removed


async def reconcile_invoices(ctx: dict | None = None) -> int:
    """Re-enqueue what the database says is pending but a lost queue (Redis restart) may no longer hold.
    Both jobs are keyed, so work still queued is not doubled."""
    count = 0
    for invoice_id in await pending_routing():
        await enqueue_routing(invoice_id)
        count += 1
    async with connection() as conn:
        stale = await conn.fetch(
            """SELECT id FROM invoice_file WHERE extraction_status IN ('attente', 'en_cours')
               AND created_at < now() - interval '2 minutes' LIMIT 200""")
    for row in stale:
        await enqueue_extraction(row["id"], None)
        count += 1
    return count


JOBS = [extract_upload, route_invoice]
CRON_JOBS = [
    cron(cleanup_uploads, minute={7, 37}, run_at_startup=False, unique=True),
    cron(reconcile_invoices, minute=set(range(0, 60, 5)), second=30, run_at_startup=False, unique=True),
]
