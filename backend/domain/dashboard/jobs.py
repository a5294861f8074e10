from __future__ import annotations

from arq import cron

from backend.domain.accounts.services import principal_of_user
from backend.domain.dashboard import store
from backend.domain.dashboard.exports import purge_old_exports, run_export


async def export_invoices(ctx: dict, export_id: int, user_id: int, topic: str | None = None) -> int:
    # The export runs with the rights the user has now, not those of whoever enqueued it.
    principal = await principal_of_user(user_id)
    if principal is None:
        await store.fail(export_id, "compte inactif")
        return 0
    try:
        return await run_export(export_id, principal, topic)
    except Exception as error:
        await store.fail(export_id, str(error)[:500])
        raise


async def purge_exports(ctx: dict) -> int:
    return await purge_old_exports()


JOBS = [export_invoices, purge_exports]
CRON_JOBS = [cron(purge_exports, minute=17, unique=True)]
