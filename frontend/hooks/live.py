"""Live updates inside a component: events from any app instance or worker, through Redis."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable

from reactpy import use_effect, use_ref

from backend.infra.events import Event, get_hub

log = logging.getLogger(__name__)


def use_live_events(topics: Iterable[str], on_event: Callable[[Event], None]) -> None:
    """Call `on_event` for every event published to one of `topics` while the component is mounted."""
    topics = tuple(sorted(set(topics)))
    handler = use_ref(on_event)
    handler.current = on_event  # the latest closure, without re-subscribing on every render

    # A string, not the tuple: ReactPy compares dependencies by identity (except numbers and strings), so a
    # new tuple on every render would unsubscribe and resubscribe each time and drop events in between.
    @use_effect(dependencies=["\n".join(topics)])
    async def subscribe() -> None:
        if not topics:
            return
        try:
            async with get_hub().listen(topics) as queue:
                while True:
                    event = await queue.get()
                    try:
                        handler.current(event)
                    except Exception:
                        log.exception("live event handler failed for %s", event.type)
        except asyncio.CancelledError:
            pass


def use_poll(active: bool, token: object, refresh: Callable[[], None], seconds: float = 2.0) -> None:
    """While `active`, call `refresh` `seconds` after each new `token` (the data last read). Live events
    are the fast path; one published between a read and the subscription must not freeze a screen."""

    @use_effect(dependencies=[token, active])
    async def poll() -> None:
        if active:
            await asyncio.sleep(seconds)
            refresh()
