"""E-mails: written to the outbox in the caller's transaction, sent by a worker job after commit."""

from __future__ import annotations

from backend.infra.database import connection
from backend.infra.redis import get_arq
from backend.settings import get_settings


async def queue_mail(conn, *, to: str, subject: str, body_text: str, body_html: str | None = None, kind: str,
                     user_id: int | None = None) -> int:
    """Write one mail to the outbox with `conn` (inside the caller's transaction); returns its id."""
    return await conn.fetchval(
        """INSERT INTO mail_outbox (to_address, subject, body_text, body_html, kind, user_id)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id""", to, subject, body_text, body_html, kind, user_id)


async def wake_sender() -> None:
    """Ask a worker to send pending mail now (the cron job catches anything this misses)."""
    await (await get_arq()).enqueue_job("send_outbox")


def absolute_link(path: str) -> str:
    return get_settings().public_url.rstrip("/") + path


async def mailbox(to: str | None = None, limit: int = 50) -> list[dict]:
    async with connection() as conn:
        rows = await conn.fetch(
            """SELECT id, to_address, subject, body_text, kind, created_at, sent_at, attempts, last_error
               FROM mail_outbox WHERE ($1::text IS NULL OR to_address = $1) ORDER BY id DESC LIMIT $2""", to, limit)
    return [dict(r) for r in rows]
