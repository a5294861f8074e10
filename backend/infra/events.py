"""Live events: published to one Redis channel by any app instance or worker, fanned out locally.

Each process holds a single pub/sub connection (not one per browser session) and hands every event to
the local subscribers whose topics it names. Topics are strings such as `user:12`, `structure:3`,
`invoice:41` or `job:<id>`.

Durable events (DURABLE_TYPES, the ones the webhook dispatcher consumes) are not published here: they are
written to the transactional outbox inside the transaction that causes them, and published live after its
commit by backend/domain/system/outbox.py, whose relay appends them to DURABLE_STREAM.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis

from backend.infra.redis import get_redis
from backend.infra.tasks import cancel
from backend.settings import get_settings

log = logging.getLogger(__name__)
CHANNEL = "chorale:events"
# The events a consumer must not miss while it is down (the webhook dispatcher): besides the live channel,
# which keeps nothing, they are appended to a Redis stream its consumer group reads from where it stopped,
# by the outbox's relay (backend/domain/system/outbox.py) once their transaction has committed.
DURABLE_STREAM = "chorale:events:durable"
DURABLE_TYPES = frozenset({"invoice.status", "lot.status"})
DURABLE_MAXLEN = 100_000  # about a week of a busy install's moves; older entries are trimmed


@dataclass(frozen=True)
class Event:
    type: str
    topics: tuple[str, ...]
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({"type": self.type, "topics": list(self.topics), "data": self.data}, default=str)

    @classmethod
    def from_json(cls, raw: str | bytes) -> "Event":
        body = json.loads(raw)
        return cls(type=body["type"], topics=tuple(body["topics"]), data=body.get("data") or {})


def _refuse_durable(type: str) -> None:
    if type in DURABLE_TYPES:
        raise ValueError(f"{type} is durable: write it to the outbox inside its transaction (system.services)")


async def publish(type: str, topics: Iterable[str], data: dict[str, Any] | None = None, *, redis: Redis | None = None) -> None:
    """A live event, after the commit of what it announces. Durable types go through the outbox instead."""
    _refuse_durable(type)
    await (redis or get_redis()).publish(CHANNEL, Event(type=type, topics=tuple(topics), data=data or {}).to_json())


async def publish_live(events: Iterable[Event]) -> None:
    """Events already made durable (in the outbox), to the live channel only: one round trip, in order."""
    events = list(events)
    if not events:
        return
    async with get_redis().pipeline(transaction=False) as pipe:
        for event in events:
            pipe.publish(CHANNEL, event.to_json())
        await pipe.execute()


async def append_durable(entries: Iterable[dict[str, str]]) -> None:
    """Entries to the durable stream the webhook dispatcher reads, all or none (the outbox's relay)."""
    async with get_redis().pipeline(transaction=True) as pipe:
        for fields in entries:
            pipe.xadd(DURABLE_STREAM, fields, maxlen=DURABLE_MAXLEN, approximate=True)
        await pipe.execute()


async def publish_in_order(type: str, topics: Iterable[str], datas: Iterable[dict[str, Any]]) -> None:
    """Several events of one type in one Redis round trip, on one connection: they arrive in this order."""
    _refuse_durable(type)
    topics = tuple(topics)
    await publish_live(Event(type=type, topics=topics, data=data) for data in datas)


class EventHub:
    """One Redis subscription per process, shared by every local listener."""

    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[Event]]] = defaultdict(set)
        self._everything: set[asyncio.Queue[Event]] = set()  # listeners of every event (the webhook dispatcher)
        self._task: asyncio.Task | None = None
        self._ready = asyncio.Event()
        self._client: Redis | None = None

    async def start(self) -> None:
        if self._task is None:
            self._client = Redis.from_url(get_settings().redis_url)
            self._task = asyncio.create_task(self._run(), name="event-hub")
        await asyncio.wait_for(self._ready.wait(), 10)

    async def stop(self) -> None:
        await cancel(self._task)
        self._task = None
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        self._ready.clear()

    async def _run(self) -> None:
        assert self._client is not None
        while True:
            try:
                async with self._client.pubsub() as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    self._ready.set()
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self._dispatch(Event.from_json(message["data"]))
            except asyncio.CancelledError:
                raise
            except Exception:  # a Redis restart must not end live updates for good
                log.exception("event hub lost its Redis subscription; retrying")
                await asyncio.sleep(0.5)

    def _dispatch(self, event: Event) -> None:
        for queue in self._everything:
            queue.put_nowait(event)
        delivered: set[int] = set()
        for topic in event.topics:
            for queue in self._queues.get(topic, ()):
                if id(queue) not in delivered:
                    delivered.add(id(queue))
                    queue.put_nowait(event)

    @contextlib.asynccontextmanager
    async def listen(self, topics: Iterable[str]) -> AsyncIterator[asyncio.Queue[Event]]:
        await self.start()
        queue: asyncio.Queue[Event] = asyncio.Queue()
        topics = tuple(topics)
        for topic in topics:
            self._queues[topic].add(queue)
        try:
            yield queue
        finally:
            for topic in topics:
                self._queues[topic].discard(queue)
                if not self._queues[topic]:
                    del self._queues[topic]

    @contextlib.asynccontextmanager
    async def listen_all(self) -> AsyncIterator[asyncio.Queue[Event]]:
        """Every event, whatever its topics."""
        await self.start()
        queue: asyncio.Queue[Event] = asyncio.Queue()
        self._everything.add(queue)
        try:
            yield queue
        finally:
            self._everything.discard(queue)


_hub: EventHub | None = None


def get_hub() -> EventHub:
    global _hub
    if _hub is None:
        _hub = EventHub()
    return _hub


async def close_hub() -> None:
    global _hub
    if _hub is not None:
        await _hub.stop()
        _hub = None
