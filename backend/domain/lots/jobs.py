from __future__ import annotations

from arq import cron

from backend.domain.lots import store
from backend.domain.lots.services import integrate_lot as integrate
from backend.domain.lots.services import resume_unfinished
from backend.infra import storage


async def integrate_lot(ctx: dict, lot_id: int) -> str:
    return await integrate(lot_id)


async def resume_lots(ctx: dict | None = None) -> int:
    return await resume_unfinished()


async def cleanup_lot_files(ctx: dict | None = None) -> int:
    """Archives stored by a deposit whose lot row never committed (the app stopped in between)."""
    return await storage.sweep_stray("lots", store.held_keys)


JOBS = [integrate_lot]
CRON_JOBS: list = [cron(resume_lots, minute=set(range(2, 60, 5)), second=15, run_at_startup=False, unique=True),
                   cron(cleanup_lot_files, minute={22, 52}, run_at_startup=False, unique=True)]
