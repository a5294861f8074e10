"""The worker against its own faults: killed mid-lot, its Redis restarted with jobs queued."""

from __future__ import annotations

import asyncio
import os
import signal
import time
import uuid
from pathlib import Path

import httpx
import pytest
from arq.connections import RedisSettings, create_pool
from arq.jobs import Job, JobStatus

from backend.infra.database import connection
from tests.api.invoices.helpers import recipient
from tests.faults.conftest import health, wait_until
from tests.support.factories import login, supplier_with_structure
from tests.support.lots import archive, cii_invoice
from tests.support.servers import free_port

LOT_SIZE = 40


async def _lot(http: httpx.AsyncClient, lot_id: int) -> dict:
    return (await http.get(f"/api/lots/{lot_id}")).json()


async def test_a_worker_killed_mid_lot_is_relieved_by_a_new_one_within_30_s_without_duplicates(client, processes, own_redis):
    env = {"REDIS_URL": own_redis.url}  # this test's queue: no other worker of the session takes its jobs
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    processes.cli("app", "serve", "--host", "127.0.0.1", "--port", str(port), env=env)
    first = processes.cli("worker", "worker", env=env)
    user, supplier = await supplier_with_structure()
    town = await recipient()
    numbers = [f"K-{uuid.uuid4().hex[:8]}-{i}" for i in range(LOT_SIZE)]
    content = archive({f"f{i:02}.xml": cii_invoice(supplier["identifier"], town["identifier"], number=n)
                       for i, n in enumerate(numbers)})
    await asyncio.to_thread(wait_until, lambda: health(url) == 200, 30, "the app answers", processes.logs)
    since = time.time()
    async with httpx.AsyncClient(base_url=url, headers={"Origin": url}, timeout=10) as http:
        await login(http, user["email"], user["password"])
        response = await http.post("/api/lots", params={"structure_id": supplier["id"], "deposit_format": "XML_STRUCTURE",
                                                        "syntax": "CII", "name": "lot.zip"},
                                   content=content, headers={"Content-Type": "application/octet-stream"})
        assert response.status_code == 201, response.text
        lot_id = response.json()["id"]
        deadline = time.monotonic() + 60
        while (await _lot(http, lot_id))["integrated_count"] < 3:
            assert time.monotonic() < deadline, processes.logs()
            await asyncio.sleep(0.05)
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        cut = await _lot(http, lot_id)
        assert cut["processed_at"] is None and cut["integrated_count"] < LOT_SIZE, "the kill must land mid-lot"

        processes.cli("worker", "worker", env=env)
        started = time.monotonic()
        while not (lot := await _lot(http, lot_id))["processed_at"]:
            assert time.monotonic() - started < 30, f"the lot stalled at {lot['integrated_count']}\n{processes.logs()}"
            await asyncio.sleep(0.2)

    assert (lot["status"], lot["integrated_count"], lot["rejected_count"]) == ("TRAITE", LOT_SIZE, 0)
    async with connection() as conn:
        invoices = await conn.fetch("SELECT number FROM invoice WHERE lot_id = $1", lot_id)
        keys = {row["storage_key"] for row in await conn.fetch("SELECT storage_key FROM invoice_file")}
    assert sorted(row["number"] for row in invoices) == sorted(numbers)  # each once: no duplicate
    root = Path(os.environ["STORAGE_DIR"])
    written = {str(path.relative_to(root)) for path in (root / "invoices").rglob("*")
               if path.is_file() and path.stat().st_mtime >= since}
    # A kill between writing an invoice's file and committing its transaction must leave nothing behind:
    # the entry's re-run writes its file under the same key.
    assert not written - keys, f"orphan files after the kill: {sorted(written - keys)}"


async def test_jobs_queued_across_a_redis_restart_are_all_run_by_the_same_worker(processes, own_redis):
    env = {"REDIS_URL": own_redis.url}
    worker = processes.cli("worker", "worker", env=env)
    arq = await create_pool(RedisSettings.from_dsn(own_redis.url))
    try:
        await arq.enqueue_job("live_check", "session:warm", _job_id="warm")
        await asyncio.to_thread(wait_until, lambda: asyncio.run(_done(own_redis.url, ["warm"])), 30,
                                "the worker runs a first job", processes.logs)
        # queued for a moment from now, so that they are still waiting when Redis stops
        ids = [f"queued-{i}" for i in range(20)]
        for job_id in ids:
            await arq.enqueue_job("live_check", "session:faults", _job_id=job_id, _defer_by=2)
        await arq.aclose()
        own_redis.stop()
        time.sleep(1.5)  # the worker meets a closed socket for a while
        assert worker.poll() is None, "the worker exited when Redis stopped\n" + processes.logs()
        own_redis.start(persistent=True)
        await asyncio.to_thread(wait_until, lambda: asyncio.run(_done(own_redis.url, ids)), 30,
                                "every queued job ran after the restart", processes.logs)
        assert worker.poll() is None, "the same worker process carried on"
    finally:
        await arq.aclose()


async def _done(redis_url: str, job_ids: list[str]) -> bool:
    arq = await create_pool(RedisSettings.from_dsn(redis_url, ), )
    try:
        statuses = [await Job(job_id, arq).status() for job_id in job_ids]
        return all(status == JobStatus.complete for status in statuses)
    finally:
        await arq.aclose()
