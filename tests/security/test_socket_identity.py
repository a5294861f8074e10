"""Issue 20, item 5: the interface's open socket keeps no identity it lost, and support's every event
through it is journaled.

The socket is driven through the app's own middleware stack (identity, then the support journal) with
the session cookie of the test's HTTP client, so the same tokens, sessions and interventions decide.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest

from backend.domain.accounts.middleware import IDENTITY_LAPSED
from backend.domain.middleware import MIDDLEWARE
from backend.infra.database import connection
from tests.conftest import BASE_URL, BROWSER_HEADERS
from tests.support.factories import login, make_user


@pytest.fixture
async def fresh(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL, headers=BROWSER_HEADERS) as c:
        yield c


class Socket:
    """An open interface socket: the app behind the middleware records whom each event it received came
    from; `event()` sends one and waits for the app (or the middleware) to answer."""

    def __init__(self, cookie: str) -> None:
        self.incoming: asyncio.Queue = asyncio.Queue()
        self.sent: list[dict] = []
        self.acted_as: list[tuple[int, int | None]] = []
        self.handled = asyncio.Event()
        scope = {"type": "websocket", "path": "/_reactpy/stream", "headers": [(b"cookie", f"chorale_session={cookie}".encode())],
                 "client": ("127.0.0.1", 50000), "query_string": b""}

        async def app(scope, receive, send):
            principal = scope["principal"]
            while True:
                message = await receive()
                if message["type"] == "websocket.disconnect":
                    self.handled.set()
                    return
                self.acted_as.append((principal.user_id, principal.impersonator_id))
                await send({"type": "websocket.send", "text": "rendered"})
                self.handled.set()

        async def send(message):
            self.sent.append(message)

        wrapped = app
        for middleware in reversed(MIDDLEWARE):
            wrapped = middleware(wrapped)
        self.task = asyncio.create_task(wrapped(scope, self.incoming.get, send))

    async def event(self) -> None:
        self.handled.clear()
        await self.incoming.put({"type": "websocket.receive", "text": '{"type": "layout-event", "target": "x", "data": []}'})
        await asyncio.wait_for(self.handled.wait(), 10)

    async def close(self) -> None:
        await self.incoming.put({"type": "websocket.disconnect", "code": 1000})
        await asyncio.wait_for(self.task, 10)

    @property
    def closed_for_identity(self) -> bool:
        return any(m["type"] == "websocket.close" and m.get("code") == IDENTITY_LAPSED for m in self.sent)


async def _impersonating(fresh) -> tuple[dict, dict]:
    agent, user = await make_user(is_support=True), await make_user()
    await login(fresh, agent["email"], agent["password"])
    started = await fresh.post("/api/support/impersonations", json={"user_id": user["id"], "reason": "TICKET-SOCKET"})
    assert started.status_code in (200, 201), started.text
    return agent, user


async def test_ending_the_intervention_stops_the_open_socket_acting_as_the_user(fresh):
    agent, user = await _impersonating(fresh)
    socket = Socket(fresh.cookies["chorale_session"])
    await socket.event()
    assert socket.acted_as == [(user["id"], agent["id"])]
    assert (await fresh.delete("/api/support/impersonations/current")).status_code == 200
    await socket.event()
    assert socket.acted_as == [(user["id"], agent["id"])], "an event after the end acted as the user"
    assert socket.closed_for_identity
    await asyncio.wait_for(socket.task, 10)


async def test_logging_out_stops_the_open_socket(fresh):
    user = await make_user()
    await login(fresh, user["email"], user["password"])
    socket = Socket(fresh.cookies["chorale_session"])
    await socket.event()
    assert (await fresh.post("/api/auth/logout")).status_code == 303
    await socket.event()
    assert socket.acted_as == [(user["id"], None)] and socket.closed_for_identity


async def test_a_socket_whose_identity_holds_carries_on(fresh):
    user = await make_user()
    await login(fresh, user["email"], user["password"])
    socket = Socket(fresh.cookies["chorale_session"])
    for _ in range(3):
        await socket.event()
    assert len(socket.acted_as) == 3 and not socket.closed_for_identity
    await socket.close()


async def test_each_socket_event_while_acting_as_a_user_is_journaled(fresh):
    agent, user = await _impersonating(fresh)
    socket = Socket(fresh.cookies["chorale_session"])
    for _ in range(3):
        await socket.event()
    await socket.close()
    async with connection() as conn:
        rows = await conn.fetch("SELECT method, path, support_user_id FROM support_journal WHERE target_user_id = $1 AND method = 'WS'"
                                " ORDER BY id", user["id"])
    events = [r for r in rows if r["path"].endswith("(événement)")]
    assert len(events) == 3 and all(r["support_user_id"] == agent["id"] for r in events)
