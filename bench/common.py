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


@contextmanager
def bench_servers(database: str = "chorale_bench"):
    """Embedded PostgreSQL and Redis for benchmarks (kept under .data/bench), unless the URLs are set."""
    from backend.infra.db import ensure_database
    from backend.infra.embedded import EmbeddedRedis, start_postgres

    redis = None
    if not os.environ.get("DATABASE_URL"):
        server = start_postgres(BENCH_DATA / "pg")
        os.environ["DATABASE_URL"] = server.get_uri(database)
    asyncio.run(ensure_database(os.environ["DATABASE_URL"]))
    if not os.environ.get("REDIS_URL"):
        redis = EmbeddedRedis(BENCH_DATA / "redis").start(persistent=False)
        os.environ["REDIS_URL"] = redis.url
    os.environ.setdefault("CHORALE_DATA_DIR", str(BENCH_DATA))
    subprocess.run([sys.executable, "-m", "backend.cli", "migrate"], check=True, cwd=ROOT)
    try:
        yield
    finally:
        if redis:
            redis.stop()


@contextmanager
def app_process(port: int = 8765, *, worker: bool = False, workers: int = 1):
    """The app as `serve` runs it (uvicorn, `workers` processes), optionally with an ARQ worker."""
    import httpx

    processes = [subprocess.Popen([sys.executable, "-m", "backend.cli", "serve", "--port", str(port), "--workers", str(workers)],
                                  cwd=ROOT)]
    if worker:
        processes.append(subprocess.Popen([sys.executable, "-m", "backend.cli", "worker"], cwd=ROOT))
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise RuntimeError("the app did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(10)


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
