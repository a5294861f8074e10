"""A list shown page by page (keyset cursor), reloaded live when one of its topics announces a change."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from reactpy import use_effect, use_state

from backend.infra.errors import DomainError
from frontend.hooks.live import use_live_events

Page = dict[str, Any]  # {"items": [...], "next": cursor | None}


def use_pages(key: Any, fetch: Callable[[Any], Awaitable[Page]], topics: Iterable[str], lang: str = "fr"):
    """(pages | None while loading, more, error message | None, reload). `fetch(cursor)` returns one page,
    the first for cursor None; `key` (e.g. the structure) changing starts over; `more()` appends the next."""
    pages, set_pages = use_state(None)
    tick, set_tick = use_state(0)
    error, set_error = use_state(None)

    @use_effect(dependencies=[key, tick])
    async def load():
        if key is None:
            return
        try:
            set_pages(await fetch(None))
            set_error(None)
        except DomainError as failure:
            set_error(failure.message(lang))

    def reload(*_) -> None:
        set_tick(lambda n: n + 1)

    use_live_events(topics if key is not None else [], reload)

    async def more(_=None) -> None:
        following = await fetch(pages["next"])
        set_pages({"items": [*pages["items"], *following["items"]], "next": following["next"]})

    return pages, more, error, reload
