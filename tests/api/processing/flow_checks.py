"""What every invoice-changing flow must leave behind: its status-history row, the counters moved from
the old status to the new one on both sides, and the `invoice.status` event on the real Redis channel."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from backend.infra.database import connection
from backend.infra.events import Event, get_hub


async def status_counts(structure_id: int, side: str) -> dict[str, int]:
    async with connection() as conn:
        rows = await conn.fetch("""SELECT status, sum(count) AS n FROM invoice_daily_count WHERE side = $1 AND structure_id = $2
                                   GROUP BY status""", side, structure_id)
    return {r["status"]: r["n"] for r in rows if r["n"]}


async def last_history(invoice_id: int) -> dict:
    async with connection() as conn:
        return dict(await conn.fetchrow("SELECT * FROM invoice_status_history WHERE invoice_id = $1 ORDER BY id DESC LIMIT 1",
                                        invoice_id))


class Events:
    """The events heard on some topics, through the app's one subscription to the Redis channel."""

    def __init__(self, queue: asyncio.Queue[Event]) -> None:
        self.queue = queue
        self.heard: list[Event] = []

    async def next(self, type: str = "invoice.status", timeout: float = 10, **data) -> Event:
        """The first event not yet taken of `type` whose data holds `data`, in whatever order they came."""
        def matches(event: Event) -> bool:
            return event.type == type and all(event.data.get(k) == v for k, v in data.items())

        async def first() -> Event:
            while True:
                found = next((e for e in self.heard if matches(e)), None)
                if found is not None:
                    self.heard.remove(found)
                    return found
                self.heard.append(await self.queue.get())

        return await asyncio.wait_for(first(), timeout)


@contextlib.asynccontextmanager
async def events_on(*topics: str) -> AsyncIterator[Events]:
    async with get_hub().listen(list(topics)) as queue:
        yield Events(queue)


async def assert_moved(invoice: dict, before: dict[str, dict[str, int]], status_from: str, status_to: str) -> None:
    """The counters of the supplier ('S') and the recipient ('R') lost one `status_from` and gained one `status_to`."""
    for side, structure_id in (("S", invoice["supplier_structure_id"]), ("R", invoice["recipient_structure_id"])):
        expected = dict(before[side])
        expected[status_from] -= 1
        expected[status_to] = expected.get(status_to, 0) + 1
        assert await status_counts(structure_id, side) == {k: v for k, v in expected.items() if v}, side


async def counts_of(invoice: dict) -> dict[str, dict[str, int]]:
    return {"S": await status_counts(invoice["supplier_structure_id"], "S"),
            "R": await status_counts(invoice["recipient_structure_id"], "R")}
