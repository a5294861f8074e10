from __future__ import annotations

from arq import cron

from backend.domain.accounts.services import principal_for
from backend.domain.accounts.identity import TokenClaims
from backend.domain.dashboard.exports import purge_old_exports, run_export
from backend.infra.database import connection


async def export_invoices(ctx: dict, export_id: int, user_id: int, topic: str | None = None) -> int:
    # The export runs with the rights the user has now, not those of whoever enqueued it.
    principal = await principal_for(TokenClaims(user_id=user_id, expires_at=0))
    if principal is None:
        async with connection() as conn:
            await conn.execute("UPDATE invoice_export SET status = 'erreur', error = 'compte inactif' WHERE id = $1", export_id)
        return 0
    try:
        return await run_export(export_id, principal, topic)
    except Exception as error:
        async with connection() as conn:
            await conn.execute("UPDATE invoice_export SET status = 'erreur', error = $2 WHERE id = $1", export_id, str(error)[:500])
        raise


async def purge_exports(ctx: dict) -> int:
    return await purge_old_exports()


JOBS = [export_invoices, purge_exports]
CRON_JOBS = [cron(purge_exports, minute=17, unique=True)]
