"""Sending the outbox: SMTP when configured, otherwise the built-in mailbox keeps the mail."""

from __future__ import annotations

import asyncio
import logging
import smtplib
from email.message import EmailMessage

from arq import cron

from backend.domain.notifications import store
from backend.infra.database import transaction
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
        async with transaction():
            mail = await store.lock_next_pending(MAX_ATTEMPTS)
            if mail is None:
                return sent
            try:
                if settings.smtp_host:
                    await asyncio.to_thread(_send_smtp, mail.to_address, mail.subject, mail.body_text, mail.body_html)
                await store.mark_sent(mail.id)
                sent += 1
            except Exception as error:  # the row stays pending and is retried later
                log.warning("mail %s not sent: %s", mail.id, error)
                await store.mark_failed(mail.id, str(error)[:500])


JOBS = [send_outbox]
CRON_JOBS = [cron(send_outbox, second=0, run_at_startup=True, unique=True)]
