"""PostgreSQL stopped for a moment: the app answers 503 meanwhile and recovers alone; jobs wait, not fail."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from arq.connections import RedisSettings, create_pool
from arq.jobs import JobStatus

from tests.faults.conftest import health, wait_until
from tests.support.servers import ROOT, free_port


@pytest.fixture
def own_postgres():
    """A PostgreSQL cluster of the test's own (the session's is shared), migrated, stopped and started at will."""
    import pgserver

    directory = Path(tempfile.mkdtemp(prefix="chorale-faults-pg-")) / "pg"
    server = pgserver.get_server(directory, cleanup_mode="delete")
    url = server.get_uri("postgres")
    subprocess.run([sys.executable, "-m", "backend.cli", "migrate"], cwd=ROOT, env={**os.environ, "DATABASE_URL": url},
                   check=True, capture_output=True)
    socket_dir = parse_qs(urlparse(url).query)["host"][0]

    class Control:
        def stop(self) -> None:
            pgserver.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=directory, user=server.system_user)

        def start(self) -> None:
            pgserver.pg_ctl(["-w", "-o", '-h ""', "-o", f"-k {socket_dir}", "-l", str(directory / "log"), "start"],
                            pgdata=directory, user=server.system_user)

    control = Control()
    control.url = url
    yield control
    server.cleanup()
    shutil.rmtree(directory.parent, ignore_errors=True)


async def test_postgres_stopped_briefly_gives_503_then_the_app_and_the_jobs_recover(processes, own_redis, own_postgres):
    env = {"DATABASE_URL": own_postgres.url, "REDIS_URL": own_redis.url}
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app = processes.cli("app", "serve", "--host", "127.0.0.1", "--port", str(port), env=env)
    worker = processes.cli("worker", "worker", env=env)
    await asyncio.to_thread(wait_until, lambda: health(url) == 200, 30, "the app answers", processes.logs)
    arq = await create_pool(RedisSettings.from_dsn(own_redis.url))
    try:
        own_postgres.stop()
        await asyncio.to_thread(wait_until, lambda: health(url) == 503, 10, "health reports the database", processes.logs)
        async with httpx.AsyncClient(base_url=url, headers={"Origin": url}) as http:
            login = await http.post("/api/auth/session", json={"email": "a@b.fr", "password": "x" * 12})
        assert login.status_code == 503 and login.json()["code"] == "base_indisponible", login.text
        # a job that reads the database, enqueued while it is away
        job = await arq.enqueue_job("route_invoice", 999_999_999, _job_id="route-during-outage")
        await asyncio.sleep(3)
        status = await job.status()
        assert status == JobStatus.in_progress, processes.logs()  # waiting for the database, not failed

        own_postgres.start()
        await asyncio.to_thread(wait_until, lambda: health(url) == 200, 20, "the app recovers", processes.logs)
        assert app.poll() is None and worker.poll() is None  # without a restart
        assert await job.result(timeout=20) == "absent"  # it read the database once it was back
        assert (await job.result_info()).job_try == 1  # on its first try: the outage used none of its tries
    finally:
        await arq.aclose()
