"""ARQ jobs of the invoices slice: PDF reading, routing, cleanup of abandoned uploads, the reconciler."""

from __future__ import annotations

import logging
from datetime import timedelta

from arq import cron

from backend.domain.invoices.routing import pending_routing, route_invoice as route
from backend.domain.invoices.sending import enqueue_routing
from backend.domain.invoices.store import files as file_store
from backend.domain.invoices.uploads import delete_orphan_uploads, enqueue_extraction, run_extraction
from backend.infra import storage

log = logging.getLogger(__name__)


async def extract_upload(ctx: dict, file_id: int, topic: str | None = None) -> str:
    return await run_extraction(file_id, topic, ctx.get("job_id", ""))


async def route_invoice(ctx: dict, invoice_id: int) -> str:
    return await route(invoice_id)


# Where the invoices slice stores files, each held by an invoice_file row (uploads and attachments, the
# invoices of lots, attachments reused by a copy).
FILE_AREAS = ("uploads", "invoices", "attachments")


async def cleanup_uploads(ctx: dict | None = None) -> int:
    """Abandoned uploads (rows and files), then stray files: written, but their row never committed (a
    worker killed mid-lot, an app stopped mid-upload)."""
    removed = await delete_orphan_uploads()
    if removed:
        log.info("removed %s abandoned uploads", removed)
    stray = 0
    for area in FILE_AREAS:
        stray += await storage.sweep_stray(area, file_store.held_keys)
    if stray:
        log.info("removed %s stray stored files", stray)
    return removed + stray


async def reconcile_invoices(ctx: dict | None = None) -> int:
    """Re-enqueue what the database says is pending but a lost queue (Redis restart) may no longer hold.
    Both jobs are keyed, so work still queued is not doubled."""
    count = 0
    for invoice_id in await pending_routing():
        await enqueue_routing(invoice_id)
        count += 1
    for file_id in await file_store.stale_extractions(timedelta(minutes=2)):
        await enqueue_extraction(file_id, None)
        count += 1
    return count


JOBS = [extract_upload, route_invoice]
CRON_JOBS = [
    cron(cleanup_uploads, minute={7, 37}, run_at_startup=False, unique=True),
    cron(reconcile_invoices, minute=set(range(0, 60, 5)), second=30, run_at_startup=False, unique=True),
]
