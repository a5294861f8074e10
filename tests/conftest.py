"""Test session: real PostgreSQL (a fresh database cloned from a migrated template) and real Redis.

The servers are started in pytest_configure, before any test module imports the app, because the
settings and Piccolo's engine read DATABASE_URL once — but only when the run may collect tests outside
tests/unit: unit tests start neither PostgreSQL nor Redis. A unit-only run whose test asks for the
`servers` (or `app`) fixture starts them then, before the app is created.
"""

from __future__ import annotations

import asyncio
import os
import warnings
from pathlib import Path

import pytest

warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

_servers = None
UNIT = Path(__file__).resolve().parent / "unit"
# What a browser on the app's own pages sends with every request: the app refuses unsafe requests from elsewhere.
BASE_URL = "http://testserver.local"
BROWSER_HEADERS = {"Origin": BASE_URL}


def _only_unit_tests(config: pytest.Config) -> bool:
    """True when every path the run collects from is inside tests/unit (no argument: testpaths, all tests)."""
    for arg in config.args:
        path = (config.invocation_params.dir / arg.split("::")[0]).resolve()
        if path != UNIT and UNIT not in path.parents:
            return False
    return bool(config.args)


def _start_servers() -> None:
    global _servers
    from tests.support.servers import TestServers

    _servers = TestServers()
    _servers.start()


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput") or _servers is not None or _only_unit_tests(config):
        return
    _start_servers()


def pytest_unconfigure(config: pytest.Config) -> None:
    if _servers is not None:
        _servers.stop()


@pytest.fixture(scope="session")
def servers():
    if _servers is None:
        _start_servers()
        # A unit-only run started them late: settings read before now would hold no DATABASE_URL.
        from backend.settings import get_settings

        get_settings.cache_clear()
    return _servers


@pytest.fixture(scope="session")
async def app(servers):
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
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL, headers=BROWSER_HEADERS) as client:
        yield client
    for hook in app.on_shutdown:
        await hook()


@pytest.fixture
async def anonymous(app):
    """A second client with its own cookies, for tests that need two people."""
    import httpx

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL, headers=BROWSER_HEADERS) as other:
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
    # Browser tests last: the quick layers report first. Before them, the other tests of the session's live app
    # (schemathesis): once started, its worker process consumes the same Redis queue as the in-process `worker`
    # fixture, and would take jobs from a test that patched the worker's settings (a webhook's retry delays).
    def layer(item) -> int:
        if "tests/browser/" in str(item.fspath):
            return 2
        return 1 if "live_app" in getattr(item, "fixturenames", ()) else 0
    items.sort(key=layer)
