"""Directory autocomplete: 1,000,000 establishments, 50 people typing at once.

Each of the 50 clients types queries key by key (one request per keystroke, 250 ms apart: a brisk
four characters a second, each keystroke outlasting the component's 150 ms debounce): SIRET prefixes, SIRENs and name
fragments (one or two words, in any order, 1–8 characters each). The same keystrokes are replayed
twice, in three turns alternating: raw SQL through asyncpg (the floor) and the app over HTTP.
Reported per kind: p50 and p95 latency of the HTTP round trip, of the app's query path (the search
as the app runs it under that load — pool, query, rows — from its Server-Timing header) and of the raw
query, with the ratios of the p95s to the raw one.
"""

from __future__ import annotations

import asyncio
import os
import random
import time

from bench.common import app_process, bench_servers, int_option, interleaved, print_table, raw_pool, summary_ms

COUNT = int(os.environ.get("BENCH_DIRECTORY_COUNT", "1000000"))
CLIENTS = 50
KEYSTROKE = 0.25
QUERIES_PER_CLIENT = 12
REPEATS = 3


def _workload(samples: list[tuple[str, str]], rng: random.Random) -> list[list[tuple[str, str]]]:
    """For each client, a list of (kind, text typed so far) keystrokes."""
    clients = []
    for _ in range(CLIENTS):
        keystrokes: list[tuple[str, str]] = []
        for _ in range(QUERIES_PER_CLIENT):
            siret, name_norm = rng.choice(samples)
            kind = rng.choice(("siret", "siren", "name"))
            if kind == "siret":
                full = siret[: rng.randint(10, 14)]
                start = 3
            elif kind == "siren":
                full = siret[:9]
                start = 3
            else:
                words = [w for w in name_norm.split() if len(w) > 1] or name_norm.split()
                chosen = rng.sample(words, k=min(len(words), rng.choice((1, 2))))
                full = " ".join(w[: rng.randint(1, 8)] for w in chosen)
                start = 1
            keystrokes += [(kind, full[:n]) for n in range(start, len(full) + 1) if not full[:n].endswith(" ")]
        clients.append(keystrokes)
    return clients


async def _run(clients, call, inner: dict[str, list[float]] | None = None) -> dict[str, list[float]]:
    """Each client types its keystrokes; returns the latencies per kind. When `call` returns a duration
    (the app's own measure of the search), it is added to `inner` under the same kind."""
    timings: dict[str, list[float]] = {"siret": [], "siren": [], "name": []}

    async def typist(keystrokes):
        await asyncio.sleep(random.random() * KEYSTROKE)
        for kind, text in keystrokes:
            started = time.perf_counter()
            reported = await call(text)
            elapsed = time.perf_counter() - started
            timings[kind].append(elapsed)
            if inner is not None:
                inner.setdefault(kind, []).append(reported)
            await asyncio.sleep(max(0.0, KEYSTROKE - elapsed))

    await asyncio.gather(*(typist(k) for k in clients))
    return timings


async def _raw(clients) -> dict[str, list[float]]:
    from backend.domain.directory import rules
    from backend.domain.directory.store import search_sql

    pool = await raw_pool(20)

    async def call(text: str):
        parsed = rules.parse_query(text)
        sql, params = search_sql(parsed, public_only=False, include_closed=True, limit=10)
        async with pool.acquire() as conn:
            await conn.fetch(sql, *params)

    try:
        return await _run(clients, call)
    finally:
        await pool.close()


async def _http(clients, base_url: str, query_path: dict[str, list[float]]) -> dict[str, list[float]]:
    """Timings over HTTP; the app's own search times (its Server-Timing header) go to `query_path`."""
    from urllib.parse import quote

    from bench.common import KeepAliveClient

    connections: dict[int, KeepAliveClient] = {}

    async def typist_call(text: str):
        task = id(asyncio.current_task())
        client = connections.setdefault(task, KeepAliveClient(base_url))
        status, _ = await client.get(f"/api/directory/search?limit=10&q={quote(text)}")
        assert status == 200, status
        return float(client.headers[b"server-timing"].partition(b";dur=")[2]) / 1000

    try:
        return await _run(clients, typist_call, query_path)
    finally:
        for client in connections.values():
            await client.close()


async def _prepare(rebuild: bool) -> list[tuple[str, str]]:
    from backend.domain.directory.stock import load_generated
    from backend.infra.database import close_pool, connection

    try:
        async with connection() as conn:
            have = await conn.fetchval("SELECT count(*) FROM establishment")
            if rebuild or have < COUNT:
                print(f"generating {COUNT:,} establishments (once; kept in .data/bench)…", flush=True)
                await conn.execute("TRUNCATE establishment CASCADE")
        if rebuild or have < COUNT:
            started = time.perf_counter()
            await load_generated(COUNT)
            print(f"loaded in {time.perf_counter() - started:.0f} s", flush=True)
        async with connection() as conn:
            if not await conn.fetchval("SELECT EXISTS (SELECT 1 FROM establishment_prefix WHERE prefix = 'mair')"):
                from backend.domain.directory.store import rebuild_prefixes

                print("building the prefix index…", flush=True)
                started = time.perf_counter()
                async with conn.transaction():
                    await rebuild_prefixes(None)
                await conn.execute("ANALYZE establishment_prefix")
                print(f"prefix index built in {time.perf_counter() - started:.0f} s", flush=True)
            rows = await conn.fetch("SELECT siret, name_norm FROM establishment TABLESAMPLE SYSTEM (1) LIMIT 3000")
            if not rows:  # a small directory (a smoke run) has too few pages for a 1 % page sample
                rows = await conn.fetch("SELECT siret, name_norm FROM establishment LIMIT 3000")
        return [(r["siret"], r["name_norm"]) for r in rows]
    finally:
        await close_pool()


def main(options: list[str]) -> None:
    global COUNT, CLIENTS, QUERIES_PER_CLIENT
    COUNT = int_option(options, "count", COUNT)
    CLIENTS = int_option(options, "clients", CLIENTS)
    QUERIES_PER_CLIENT = int_option(options, "queries", QUERIES_PER_CLIENT)
    with bench_servers():
        samples = asyncio.run(_prepare("--rebuild" in options))
        clients = _workload(samples, random.Random(11))
        total = sum(len(c) for c in clients)
        print(f"{CLIENTS} clients, {total} keystrokes, one request each", flush=True)
        # Each client's keystrokes in REPEATS turns, app and raw alternating.
        turns = [[keys[i * len(keys) // REPEATS:(i + 1) * len(keys) // REPEATS] for keys in clients] for i in range(REPEATS)]
        with app_process(workers=int(os.environ.get("BENCH_APP_WORKERS", "2"))) as url:
            asyncio.run(_raw(clients[:5]))  # warm the cache and the app
            asyncio.run(_http(clients[:5], url, {}))
            query_path: dict[str, list[float]] = {}
            timings = interleaved({"raw": lambda i: asyncio.run(_raw(turns[i])),
                                   "http": lambda i: asyncio.run(_http(turns[i], url, query_path))}, REPEATS)
        raw, http = timings["raw"], timings["http"]
        rows = []
        for kind in ("siret", "siren", "name"):
            r, h, q = summary_ms(raw[kind]), summary_ms(http[kind]), summary_ms(query_path.get(kind, []))  # a smoke run may type no key of a kind
            rows.append([kind, h["n"], f"{h['p50']:.1f}", f"{h['p95']:.1f}", f"{q['p50']:.2f}", f"{q['p95']:.2f}",
                         f"{r['p50']:.2f}", f"{r['p95']:.2f}", f"{h['p95'] / r['p95']:.2f}", f"{q['p95'] / r['p95']:.2f}"])
        print_table(["kind", "requests", "HTTP p50 ms", "HTTP p95 ms", "query path p50 ms", "query path p95 ms",
                     "raw p50 ms", "raw p95 ms", "HTTP/raw p95", "query path/raw p95"], rows)
