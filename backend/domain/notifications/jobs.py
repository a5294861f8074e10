"""Sending the outbox: SMTP when configured, otherwise the built-in mailbox keeps the mail."""

from __future__ import annotations

import asyncio
import logging
import smtplib
from email.message import EmailMessage

from arq import cron

from backend.infra.database import connection
from backend.settings import get_settings

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def _send_smtp(to: str, subject: str, text: str, html: str | None) -> None:
    settings = get_settings()
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.mail_from, to, subject
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=20) as smtp:
        if settings.smtp_user:
            smtp.starttls()
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)


async def send_outbox(ctx: dict | None = None) -> int:
    """Send pending mail; each row is locked while sent so several workers never send it twice."""
    settings = get_settings()
    sent = 0
    while True:
        async with connection() as conn:
            async with conn.transaction():
                row = await conn.fetchrow(
                    """SELECT id, to_address, subject, body_text, body_html, attempts FROM mail_outbox
                       WHERE sent_at IS NULL AND attempts < $1 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED""", MAX_ATTEMPTS)
                if row is None:
                    return sent
                try:
                    if settings.smtp_host:
                        await asyncio.to_thread(_send_smtp, row["to_address"], row["subject"], row["body_text"], row["body_html"])
                    await conn.execute("UPDATE mail_outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = $1", row["id"])
                    sent += 1
                except Exception as error:  # the row stays pending and is retried later
                    log.warning("mail %s not sent: %s", row["id"], error)
                    await conn.execute("UPDATE mail_outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1",
                                       row["id"], str(error)[:500])


JOBS = [send_outbox]
CRON_JOBS = [cron(send_outbox, second=0, run_at_startup=True, unique=True)]
