"""The transactional outbox: durable events committed with their cause, relayed to the durable stream.

A change whose event the webhook dispatcher must not miss (DURABLE_TYPES) writes the event into
`outbox_event` inside its own transaction (`Outbox.add`, or `durable_transaction()`). After the commit,
`Outbox.published()` sends the events to the live channel at once (screens), then relays this process's
own rows to DURABLE_STREAM: the nudge that keeps webhooks as quick as before. If that publish fails, or the
process dies between the commit and Redis, the rows stay unrelayed and the worker's relay (every
POLL_SECONDS) appends them later. A relay locks rows `FOR UPDATE SKIP LOCKED`, appends them, then marks
them relayed in the same transaction: two relays never send one row twice while both run; a relay cut
between the append and its commit sends the row again later (at least once), and the dispatcher records
an event once per endpoint whatever the number of times it reads it (webhooks.py, its event key).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from backend.domain.system import rules, store
from backend.infra.database import transaction
from backend.infra.errors import unavailable
from backend.infra.events import DURABLE_TYPES, Event, append_durable, publish_live
from backend.infra.tasks import cancel

log = logging.getLogger(__name__)
BATCH = 100
POLL_SECONDS = 1.0


class Outbox:
    """The durable events of one transaction: added inside it, published once it has committed."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.ids: list[int] = []

    async def add(self, type: str, topics: Iterable[str], data: dict[str, Any]) -> Event:
        """Write the event in the open transaction (it commits or rolls back with the change)."""
        if type not in DURABLE_TYPES:
            raise ValueError(f"{type} is a live event: publish it after the commit")
        event = Event(type=type, topics=tuple(topics), data=data)
        self.ids.append(await store.add_event(event.type, event.topics, event.data))
        self.events.append(event)
        return event

    async def published(self) -> None:
        """After the commit: the live channel, then this transaction's rows relayed (failures left to the
        worker's relay; a failed live publish still raises, as any live event's would)."""
        events, ids = self.events, self.ids
        self.events, self.ids = [], []
        await publish_live(events)
        if ids:
            try:
                await relay(ids=ids)
            except Exception as error:
                log.warning("outbox: %d event(s) left for the worker's relay (%s)", len(ids), error)


@asynccontextmanager
async def durable_transaction() -> AsyncIterator[Outbox]:
    """`async with durable_transaction() as outbox:` a transaction whose `outbox.add(...)` events are
    published once it has committed. Opened inside another transaction it joins it, and its events are
    published live before that one commits (their rows, not yet visible, are relayed by the worker's relay)."""
    outbox = Outbox()
    async with transaction():
        yield outbox
    await outbox.published()


async def relay(*, ids: list[int] | None = None, limit: int = BATCH) -> int:
    """Append committed, unrelayed rows (only `ids` if given) to the durable stream; how many."""
    async with store.unrelayed(limit, ids) as rows:
        if rows:
            await append_durable(rules.stream_entry(row.id, Event(type=row.type, topics=tuple(row.topics), data=row.data).to_json())
                                 for row in rows)
    return len(rows)


async def relay_all() -> int:
    """Relay until no committed row is left unrelayed (or another relay holds the rest)."""
    total = 0
    while (moved := await relay()) > 0:
        total += moved
        if moved < BATCH:
            break
    return total


async def purge() -> int:
    """Delete the rows relayed more than rules.KEEP_RELAYED_DAYS ago (the worker's daily cron)."""
    return await store.purge_relayed(rules.purge_before(datetime.now(UTC)))


async def _relay_forever(poll_seconds: float) -> None:
    """The worker's relay: what the committing processes could not send (a crash, Redis away) goes later."""
    while True:
        try:
            if moved := await relay_all():
                log.info("outbox: relayed %d event(s) left unrelayed after their commit", moved)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # PostgreSQL or Redis away: the rows wait in the table meanwhile
            if unavailable(error):
                log.warning("outbox relay: server unreachable (%s); retrying", error)
            else:
                log.exception("outbox relay failed; retrying")
        await asyncio.sleep(poll_seconds)


_relay: asyncio.Task | None = None


async def start_relay(ctx: dict | None = None) -> None:
    """Start this process's relay (the worker's start hook); once only."""
    global _relay
    if _relay is None:
        _relay = asyncio.create_task(_relay_forever(POLL_SECONDS), name="outbox-relay")


async def stop_relay(ctx: dict | None = None) -> None:
    global _relay
    await cancel(_relay)
    _relay = None
