"""The mail outbox: written in the caller's transaction, sent once by whichever worker locks it first."""

from __future__ import annotations

import uuid

import pytest

from backend.domain.notifications.jobs import send_outbox
from backend.domain.notifications.services import mailbox, queue_mail
from backend.infra.database import get_engine, open_pool, transaction


def _address() -> str:
    return f"outbox-{uuid.uuid4().hex[:8]}@test.chorale.fr"


async def test_a_mail_queued_in_a_rolled_back_transaction_is_not_kept(app):
    await open_pool()
    to = _address()
    with pytest.raises(RuntimeError):
        async with transaction():
            await queue_mail(to=to, subject="Annulé", body_text="…", kind="essai")
            raise RuntimeError("the cause fails")
    assert await mailbox(to) == []


async def test_a_mail_is_sent_once_and_one_another_worker_holds_is_left_to_it(app, monkeypatch):
    await open_pool()
    # queue_mail nudges the workers; a worker of the test process could then send both mails before the
    # "other worker" below takes its lock. This test is about send_outbox's locking, so no nudge here.
    from backend.domain.notifications import services

    class _NoNudge:
        async def enqueue_job(self, *args, **kwargs):
            return None

    async def _no_arq():
        return _NoNudge()

    monkeypatch.setattr(services, "get_arq", _no_arq)
    held, free = _address(), _address()
    async with transaction():
        held_id = await queue_mail(to=held, subject="Tenu", body_text="…", kind="essai")
        await queue_mail(to=free, subject="Libre", body_text="…", kind="essai")
    async with get_engine().pool.acquire() as other_worker, other_worker.transaction():
        await other_worker.execute("SELECT 1 FROM mail_outbox WHERE id = $1 FOR UPDATE", held_id)
        assert await send_outbox() >= 1
        assert (await mailbox(held))[0]["sent_at"] is None
    [sent] = await mailbox(free)
    assert sent["sent_at"] is not None and sent["attempts"] == 1 and sent["subject"] == "Libre"
    assert await send_outbox() >= 1
    [later] = await mailbox(held)
    assert later["sent_at"] is not None and later["attempts"] == 1
