"""Shared pieces of the benchmarks: servers, timing, percentiles, a closed set of typists."""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATA = Path(os.environ.get("CHORALE_BENCH_DIR", ROOT / ".data" / "bench"))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(values: list[float]) -> dict[str, float]:
    return {"n": len(values), "p50": percentile(values, 50) * 1000, "p95": percentile(values, 95) * 1000,
            "mean": statistics.fmean(values) * 1000 if values else float("nan")}


_SERVER_VARIABLES = ("DATABASE_URL", "REDIS_URL", "CHORALE_DATA_DIR", "CHORALE_RATE_LIMITS")


def int_option(options: list[str], name: str, default: int) -> int:
    """`--name=N` from a benchmark's options (smaller sizes make a quick smoke run of every benchmark)."""
    prefix = f"--{name}="
    return next((int(o[len(prefix):]) for o in options if o.startswith(prefix)), default)


@contextmanager
def bench_servers(database: str = "chorale_bench", *, fresh: bool = False):
    """Embedded PostgreSQL and Redis for one benchmark (kept under .data/bench), unless the URLs are set;
    with `fresh`, the database is dropped first (a benchmark that writes and must not find its last run's rows).

    On leaving, the servers started here stop and the environment and cached settings are put back as
    they were: the next benchmark of `python -m bench` starts its own instead of finding the URL of a
    Redis that is gone."""
    from backend.infra.db import database_name, drop_database, ensure_database
    from backend.infra.embedded import EmbeddedRedis, start_postgres

    saved = {name: os.environ.get(name) for name in _SERVER_VARIABLES}
    redis = server = None
    try:
        if not os.environ.get("DATABASE_URL"):
            server = start_postgres(BENCH_DATA / "pg")
            os.environ["DATABASE_URL"] = server.get_uri(database)
        if fresh:
            asyncio.run(drop_database(os.environ["DATABASE_URL"], database_name(os.environ["DATABASE_URL"])))
        asyncio.run(ensure_database(os.environ["DATABASE_URL"]))
        if not os.environ.get("REDIS_URL"):
            redis = EmbeddedRedis(BENCH_DATA / "redis").start(persistent=False)
            os.environ["REDIS_URL"] = redis.url
        os.environ.setdefault("CHORALE_DATA_DIR", str(BENCH_DATA))
        # Every simulated user logs in from 127.0.0.1: the per-address limits (issue 20) would refuse them
        # after a few dozen; the benchmarks measure the app's path, not the limiter.
        os.environ.setdefault("CHORALE_RATE_LIMITS", "0")
        subprocess.run([sys.executable, "-m", "backend.cli", "migrate"], check=True, cwd=ROOT)
        yield
    finally:
        if redis:
            redis.stop()
        if server is not None:
            server.cleanup()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        _forget_cached_settings()


def _forget_cached_settings() -> None:
    # The settings (and so the URLs) are read once per process: drop them with the servers they name.
    from backend.settings import get_settings

    get_settings.cache_clear()


@contextmanager
def app_process(port: int = 8765, *, worker: bool = False, workers: int = 1):
    """The app as `serve` runs it (uvicorn, `workers` processes), optionally with an ARQ worker."""
    with app_cluster((port,), workers=1 if worker else 0, processes=workers) as urls:
        yield urls[0]


@contextmanager
def app_cluster(ports: tuple[int, ...], *, workers: int = 0, processes: int = 1):
    """One app instance per port (`serve`, uvicorn with `processes` processes each) and `workers` ARQ
    workers, each its own OS process; yields the instances' base URLs once every one answers /health.

    Every process started here is stopped on leaving, whatever the way out (error, Ctrl-C): terminated,
    then killed if it has not exited within 10 s."""
    import httpx

    from backend.infra.embedded import port_is_free

    for port in ports:
        if not port_is_free("127.0.0.1", port):  # else /health would be answered by whatever holds the port
            raise RuntimeError(f"port {port} is already in use")
    children: list[subprocess.Popen] = []
    try:
        for port in ports:
            children.append(subprocess.Popen([sys.executable, "-m", "backend.cli", "serve", "--port", str(port),
                                              "--workers", str(processes)], cwd=ROOT))
        for _ in range(workers):
            children.append(subprocess.Popen([sys.executable, "-m", "backend.cli", "worker"], cwd=ROOT))
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        # A cold start imports the whole app (about 12 s alone on this shared machine): several at once take longer.
        deadline = time.monotonic() + 120
        waiting = list(urls)
        while waiting:
            exited = [" ".join(child.args[3:6]) + f" (exit {child.returncode})" for child in children if child.poll() is not None]
            if exited or time.monotonic() > deadline:
                raise RuntimeError(f"the app did not start ({', '.join(waiting)}): {', '.join(exited) or 'no answer in 120 s'}")
            try:
                if httpx.get(f"{waiting[0]}/health", timeout=5).status_code == 200:
                    waiting.pop(0)
            except httpx.HTTPError:
                time.sleep(0.2)
        yield urls
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def interleaved(phases: dict, repeats: int) -> dict[str, dict[str, list[float]]]:
    """Run each phase (a function of the repetition's index returning timings per kind) `repeats` times,
    in turn: a slow spell of this shared machine then falls on the app and its raw baseline alike."""
    merged: dict[str, dict[str, list[float]]] = {name: {} for name in phases}
    for index in range(repeats):
        for name, run in phases.items():
            for kind, values in run(index).items():
                merged[name].setdefault(kind, []).extend(values)
    return merged


async def raw_pool(size: int):
    """An asyncpg pool set up as the app's (server settings, no reset query on release): the raw baseline."""
    import asyncpg

    from backend.infra.database import keep_session
    from backend.infra.db import SERVER_SETTINGS

    return await asyncpg.create_pool(os.environ["DATABASE_URL"], min_size=size, max_size=size, server_settings=SERVER_SETTINGS,
                                     reset=keep_session)


def print_table(headers: list[str], rows: list[list]) -> str:
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(headers)]
    lines = ["| " + " | ".join(str(h).ljust(w) for h, w in zip(headers, widths)) + " |",
             "| " + " | ".join("-" * w for w in widths) + " |"]
    lines += ["| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths)) + " |" for row in rows]
    text = "\n".join(lines)
    print(text, flush=True)
    return text


class KeepAliveClient:
    """A minimal HTTP/1.1 keep-alive client (GET only): the load generator shares the app's two cores, so
    it must cost as little CPU as possible per request, or it, not the app, is what gets measured."""

    def __init__(self, base_url: str, cookie: str | None = None) -> None:
        from urllib.parse import urlsplit

        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.cookie = cookie
        self.reader = self.writer = None
        self.headers: dict[bytes, bytes] = {}  # the last response's, names lower-cased

    async def get(self, path_and_query: str) -> tuple[int, bytes]:
        import asyncio

        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        headers = f"GET {path_and_query} HTTP/1.1\r\nHost: {self.host}\r\nConnection: keep-alive\r\n"
        if self.cookie:
            headers += f"Cookie: {self.cookie}\r\n"
        self.writer.write((headers + "\r\n").encode())
        head = await self.reader.readuntil(b"\r\n\r\n")  # one wake-up for the whole head, not one per line
        lines = head.split(b"\r\n")
        self.headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            self.headers[name.lower()] = value.strip()
        length = int(self.headers.get(b"content-length", 0))
        body = await self.reader.readexactly(length) if length else b""
        return int(lines[0].split()[1]), body

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None
