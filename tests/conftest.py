"""Test session: real PostgreSQL (a fresh database cloned from a migrated template) and real Redis.

The servers are started in pytest_configure, before any test module imports the app, because the
settings and Piccolo's engine read DATABASE_URL once.
"""

from __future__ import annotations

import asyncio
import os
import warnings

import pytest

warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

_servers = None


def pytest_configure(config: pytest.Config) -> None:
    global _servers
    from tests.support.servers import TestServers

    if hasattr(config, "workerinput") or _servers is not None:
        return
    _servers = TestServers()
    _servers.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    if _servers is not None:
        _servers.stop()


@pytest.fixture(scope="session")
def servers():
    return _servers


@pytest.fixture(scope="session")
async def app():
    from backend.app import create_app

    return create_app()


@pytest.fixture(scope="session")
async def client(app):
    """HTTP against the app in the test's own event loop, so tests share its Redis and pool.

    Litestar's AsyncTestClient runs the app in a portal thread with another loop, which would split
    the process-wide clients in two.
    """
    import httpx

    for hook in app.on_startup:
        await hook()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client:
        yield client
    for hook in app.on_shutdown:
        await hook()


@pytest.fixture
async def anonymous(app):
    """A second client with its own cookies, for tests that need two people."""
    import httpx

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver.local") as other:
        yield other


@pytest.fixture(scope="session")
async def worker(app, client):
    """An ARQ worker in the test process, consuming the real Redis queue."""
    from arq.worker import Worker

    from backend.worker import WorkerSettings

    worker = Worker(
        functions=WorkerSettings.functions, redis_settings=WorkerSettings.redis_settings,
        on_startup=WorkerSettings.on_startup, max_jobs=10, poll_delay=0.05, handle_signals=False,
        max_tries=WorkerSettings.max_tries,
    )
    task = asyncio.create_task(worker.async_run())
    yield worker
    task.cancel()
    try:
        await task
    except (asyncio.CancelledError, Exception):
        pass
    await worker.close()


@pytest.fixture(scope="session")
def live_app(servers):
    from tests.support.servers import LiveApp

    live = LiveApp().start()
    yield live
    live.stop()


def pytest_collection_modifyitems(config, items):
    # browser tests last: the quick layers report first
    items.sort(key=lambda item: "tests/browser/" in str(item.fspath))
