"""Fault suite: real processes (app, workers, `backend.cli run`, Redis, PostgreSQL) on loopback and Unix
sockets, each test with its own servers where it breaks them, every process it starts stopped at its end."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest

from backend.infra.embedded import EmbeddedRedis
from tests.support.servers import ROOT


class Processes:
    """`backend.cli` commands started by a test, their output in files, all stopped by the fixture."""

    def __init__(self) -> None:
        self.started: list[subprocess.Popen] = []
        self.log_dir = Path(tempfile.mkdtemp(prefix="chorale-faults-"))

    def cli(self, name: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
        log = open(self.log_dir / f"{name}-{len(self.started)}.log", "wb")
        process = subprocess.Popen([sys.executable, "-m", "backend.cli", *args], cwd=ROOT, env={**os.environ, **(env or {})},
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.started.append(process)
        return process

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in sorted(self.log_dir.glob("*.log")))

    def stop(self) -> None:
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.started:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        shutil.rmtree(self.log_dir, ignore_errors=True)


@pytest.fixture
def processes():
    started = Processes()
    yield started
    started.stop()


@pytest.fixture
def own_redis():
    """A Redis of the test's own, persistent (AOF) like `just run`'s, so that it can be restarted."""
    redis = EmbeddedRedis(Path(tempfile.mkdtemp(prefix="chorale-faults-redis-"))).start(persistent=True)
    yield redis
    redis.stop()
    shutil.rmtree(redis.directory, ignore_errors=True)


def wait_until(predicate, seconds: float, what: str, logs=lambda: "") -> float:
    """Seconds it took for `predicate()` to be true; fails past `seconds`."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.1)
    raise AssertionError(f"{what}: not within {seconds} s\n{logs()}")


def health(url: str) -> int | None:
    try:
        return httpx.get(url + "/health", timeout=2).status_code
    except httpx.HTTPError:
        return None
