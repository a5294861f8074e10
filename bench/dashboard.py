"""Dashboard and lists: 1,000,000 invoices over 10,000 supplier structures (one with 100,000).

20 users at once (4 of them working for the largest supplier), each loading their dashboard counts and
the first page of a filtered list, over and over, with 100 ms between two requests (a person clicking through, not a closed loop that would only
measure the queue of a saturated machine). Measured three times in the same run: the app over HTTP
(session cookie, permission checks, JSON); the same SQL statements raw through asyncpg (the session's
user with its grants, then the counts or the page); and the counts or the page query alone. Then an
export of the largest supplier's 100,000 rows, with the process's peak memory growth while it streams.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from bench.common import KeepAliveClient, app_process, bench_servers, int_option, interleaved, print_table, raw_pool, summary_ms

TOTAL = int(os.environ.get("BENCH_INVOICES", "1000000"))
SUPPLIERS = 10_000
BIG = 100_000
USERS = 20
BIG_USERS = 4  # of the USERS, those of the largest supplier
ROUNDS = 100
REPEATS = 4  # the rounds are run in four turns, app and raw alternating
THINK = 0.1
PASSWORD = "Bench-Password-2026!"
STATUSES = (("MISE_A_DISPOSITION", 30), ("SERVICE_FAIT", 15), ("MISE_EN_PAIEMENT", 25), ("SUSPENDUE", 5), ("REFUSEE", 4),
            ("REJETEE", 2), ("DEPOSEE", 3), ("BROUILLON", 6), ("MANDATEE", 8), ("COMPLETEE", 2))
COLUMNS = ("mise_a_disposition", "suspendue", "refusee_rejetee", "mise_en_paiement", "validee", "brouillon")


async def _prepare(rebuild: bool) -> list[dict]:
    from backend.domain.accounts.passwords import hash_secret
    from backend.infra.database import close_pool, connection

    try:
        async with connection() as conn:
            have = await conn.fetchval("SELECT count(*) FROM invoice WHERE number LIKE 'B-%'")
            if rebuild or have < TOTAL:
                print(f"generating {TOTAL:,} invoices (once; kept in .data/bench)…", flush=True)
                started = time.perf_counter()
                await _generate(conn)
                print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)
            await _make_users(conn, hash_secret(PASSWORD))
            users = await conn.fetch(
                """SELECT u.id AS user_id, u.email, a.structure_id FROM user_account u JOIN attachment a ON a.user_id = u.id
                   WHERE u.email LIKE 'bench-user-%' ORDER BY u.email LIMIT $1""", USERS)
        return [dict(u) for u in users]
    finally:
        await close_pool()


async def _make_users(conn, password_hash: str) -> None:
    """USERS people: BIG_USERS of them work for the largest supplier, the others for one typical supplier each."""
    await conn.execute("DELETE FROM user_account WHERE email LIKE 'bench-user-%'")
    suppliers = [r["id"] for r in await conn.fetch("SELECT id FROM structure WHERE identifier LIKE 'BS%' ORDER BY id LIMIT $1", USERS)]
    for index in range(USERS):
        structure_id = suppliers[0] if index < BIG_USERS else suppliers[1 + index - BIG_USERS]
        user_id = await conn.fetchval(
            "INSERT INTO user_account (email, first_name, last_name, status, password_hash) VALUES ($1, 'Banc', 'Utilisateur', 'actif', $2) RETURNING id",
            f"bench-user-{index:02d}@bench.chorale.fr", password_hash)
        await conn.execute("INSERT INTO attachment (user_id, structure_id, is_principal) VALUES ($1, $2, $3)", user_id, structure_id,
                           index == 0 or index >= BIG_USERS)
        await conn.execute("INSERT INTO profile (user_id, structure_id, application, level) VALUES ($1, $2, 'factures_emises', 'modification')",
                           user_id, structure_id)


async def _generate(conn) -> None:
    rng = random.Random(5)
    await conn.execute("DELETE FROM invoice_daily_count WHERE structure_id IN (SELECT id FROM structure WHERE identifier LIKE 'B%')")
    await conn.execute("DELETE FROM invoice WHERE number LIKE 'B-%'")
    await conn.execute("DELETE FROM user_account WHERE email LIKE 'bench-user-%'")
    await conn.execute("DELETE FROM structure WHERE identifier LIKE 'B%'")
    suppliers = [r["id"] for r in await conn.fetch(
        """INSERT INTO structure (identifier_type, identifier, raison_sociale, address, postcode, city)
           SELECT 'AUTRE', 'BS' || g, 'Fournisseur banc ' || g, '1 rue du Banc', '75001', 'Paris' FROM generate_series(1, $1) g
           RETURNING id""", SUPPLIERS)]
    recipients = [r["id"] for r in await conn.fetch(
        """INSERT INTO structure (identifier_type, identifier, raison_sociale, address, postcode, city, is_public)
           SELECT 'AUTRE', 'BR' || g, 'Destinataire banc ' || g, '1 place du Banc', '75001', 'Paris', TRUE FROM generate_series(1, 50) g
           RETURNING id""")]
    weights = [w for _, w in STATUSES]
    names = [s for s, _ in STATUSES]
    now = datetime.now(UTC)
    columns = ("supplier_structure_id", "recipient_structure_id", "source", "number", "number_norm", "invoice_date", "total_ht",
               "total_tva", "total_ttc", "net_a_payer", "status", "status_at", "deposited_at", "created_at")

    def rows(start: int, count: int):
        for n in range(start, start + count):
            supplier = suppliers[0] if n < BIG else suppliers[1 + (n - BIG) % (SUPPLIERS - 1)]
            status = rng.choices(names, weights)[0]
            at = now - timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
            ttc = Decimal(rng.randint(1000, 5_000_000)) / 100
            ht = (ttc / Decimal("1.2")).quantize(Decimal("0.01"))
            deposited = None if status == "BROUILLON" else at
            yield (supplier, rng.choice(recipients), "PDF", f"B-{n}", f"b-{n}", at.date(), ht, ttc - ht, ttc, ttc, status, at,
                   deposited, at)

    for start in range(0, TOTAL, 100_000):
        await conn.copy_records_to_table("invoice", records=list(rows(start, min(100_000, TOTAL - start))), columns=columns)
        print(f"  {min(start + 100_000, TOTAL):,} invoices", flush=True)
    for side, column in (("S", "supplier_structure_id"), ("R", "recipient_structure_id")):
        await conn.execute(f"""
            INSERT INTO invoice_daily_count (side, structure_id, status, day, count, amount_ttc)
            SELECT '{side}', {column}, status, (coalesce(deposited_at, created_at) AT TIME ZONE 'Europe/Paris')::date, count(*), sum(total_ttc)
            FROM invoice WHERE number LIKE 'B-%' GROUP BY 2, 3, 4
            ON CONFLICT (side, structure_id, status, day) DO UPDATE SET count = invoice_daily_count.count + EXCLUDED.count,
                amount_ttc = invoice_daily_count.amount_ttc + EXCLUDED.amount_ttc""")
    await conn.execute("ANALYZE invoice; ANALYZE invoice_daily_count")


async def _raw(users: list[dict], *, identity: bool, rounds: int) -> dict[str, list[float]]:
    """The app's SQL straight through asyncpg: with `identity`, every statement an app request runs (who the
    session is for, with its grants, then the counts or the page), else the counts or the page alone."""
    import backend.domain.middleware  # noqa: F401  (gives the session query its grants column)
    from backend.domain.accounts.services import principal_with_grants_sql
    from backend.domain.dashboard import rules
    from backend.domain.dashboard.rules import ListFilter
    from backend.domain.dashboard.services import COUNTS_SQL, list_query, today_paris, window_params
    from backend.domain.structures.permissions import StructureRef
    from shared.applications import Level
    from shared.invoice_status import DashboardColumn

    pool = await raw_pool(USERS)
    timings: dict[str, list[float]] = {"counts big": [], "counts typical": [], "list big": [], "list typical": []}
    since = rules.dashboard_since(today_paris())
    identity_sql = principal_with_grants_sql()

    async def user_loop(index: int, user: dict):
        size = "big" if index < BIG_USERS else "typical"
        ref = StructureRef(user["structure_id"], "", "", None, False, Level.MODIFICATION, None)
        rng = random.Random(index)

        async def who():
            if identity:
                async with pool.acquire() as conn:
                    await conn.fetchrow(identity_sql, user["user_id"])

        await asyncio.sleep(rng.random() * THINK)  # people do not click in step
        for _ in range(rounds):
            started = time.perf_counter()
            await who()
            async with pool.acquire() as conn:
                await conn.fetch(COUNTS_SQL, *window_params("S", [ref.id], since))
            timings[f"counts {size}"].append(time.perf_counter() - started)
            f = ListFilter(side="S", structure_id=ref.id, column=DashboardColumn(rng.choice(COLUMNS)))
            sql, params = list_query(f, [ref], limit=26)
            started = time.perf_counter()
            await who()
            async with pool.acquire() as conn:
                await conn.fetch(sql, *params)
            timings[f"list {size}"].append(time.perf_counter() - started)
            await asyncio.sleep(THINK)

    try:
        await asyncio.gather(*(user_loop(i, u) for i, u in enumerate(users)))
    finally:
        await pool.close()
    return timings


async def _http(users: list[dict], base_url: str, *, rounds: int) -> dict[str, list[float]]:
    import httpx

    timings: dict[str, list[float]] = {"counts big": [], "counts typical": [], "list big": [], "list typical": []}
    cookies = []
    async with httpx.AsyncClient(base_url=base_url, headers={"Origin": base_url}) as http:
        for user in users:
            response = await http.post("/api/auth/session", json={"email": user["email"], "password": PASSWORD})
            response.raise_for_status()
            cookies.append(f"chorale_session={response.cookies['chorale_session']}")

    async def user_loop(index: int, user: dict):
        size = "big" if index < BIG_USERS else "typical"
        client = KeepAliveClient(base_url, cookies[index])
        rng = random.Random(index)
        await asyncio.sleep(rng.random() * THINK)
        try:
            for _ in range(rounds):
                started = time.perf_counter()
                status, _ = await client.get("/api/dashboard?side=S")
                timings[f"counts {size}"].append(time.perf_counter() - started)
                assert status == 200, status
                started = time.perf_counter()
                status, _ = await client.get(f"/api/invoice-list?cote=S&structure={user['structure_id']}&colonne={rng.choice(COLUMNS)}")
                timings[f"list {size}"].append(time.perf_counter() - started)
                assert status == 200, status
                await asyncio.sleep(THINK)
        finally:
            await client.close()

    await asyncio.gather(*(user_loop(i, u) for i, u in enumerate(users)))
    return timings


async def _export(user: dict) -> tuple[int, float, float]:
    import psutil

    from backend.domain.accounts.services import principal_of_user
    from backend.domain.dashboard.exports import run_export
    from backend.infra.database import close_pool, connection
    from backend.infra.redis import close_redis

    process = psutil.Process()
    principal = None
    try:
        async with connection() as conn:
            user_id = await conn.fetchval("SELECT id FROM user_account WHERE email = $1", user["email"])
            export_id = await conn.fetchval("INSERT INTO invoice_export (user_id, params, format) VALUES ($1, $2::jsonb, 'xlsx') RETURNING id",
                                            user_id, f'{{"query": "cote=S&structure={user["structure_id"]}"}}')
        principal = await principal_of_user(user_id)
        baseline = process.memory_info().rss
        peak = baseline
        done = asyncio.Event()

        async def sample():
            nonlocal peak
            while not done.is_set():
                peak = max(peak, process.memory_info().rss)
                await asyncio.sleep(0.05)

        sampler = asyncio.create_task(sample())
        started = time.perf_counter()
        rows = await run_export(export_id, principal)
        elapsed = time.perf_counter() - started
        done.set()
        await sampler
        return rows, elapsed, (peak - baseline) / 1024 / 1024
    finally:
        await close_redis()  # the export published its progress: no client left bound to this loop
        await close_pool()


def main(options: list[str]) -> None:
    global TOTAL, ROUNDS
    TOTAL = int_option(options, "invoices", TOTAL)
    ROUNDS = max(REPEATS, int_option(options, "rounds", ROUNDS))
    with bench_servers():
        users = asyncio.run(_prepare("--rebuild" in options))
        print(f"{len(users)} users, {ROUNDS} rounds each (counts + first page of a filtered list)", flush=True)
        with app_process(workers=int(os.environ.get("BENCH_APP_WORKERS", "2"))) as url:
            asyncio.run(_raw(users[:3], identity=True, rounds=3))  # warm up both
            asyncio.run(_http(users[:3], url, rounds=3))
            timings = interleaved({"raw": lambda _: asyncio.run(_raw(users, identity=True, rounds=ROUNDS // REPEATS)),
                                   "alone": lambda _: asyncio.run(_raw(users, identity=False, rounds=ROUNDS // REPEATS)),
                                   "http": lambda _: asyncio.run(_http(users, url, rounds=ROUNDS // REPEATS))}, REPEATS)
        raw, alone, http = timings["raw"], timings["alone"], timings["http"]
        rows = []
        for kind in ("counts big", "counts typical", "list big", "list typical"):
            r, h, a = summary_ms(raw[kind]), summary_ms(http[kind]), summary_ms(alone[kind])
            rows.append([kind, h["n"], f"{h['p50']:.1f}", f"{h['p95']:.1f}", f"{r['p50']:.1f}", f"{r['p95']:.1f}", f"{h['p95'] / r['p95']:.2f}",
                         f"{a['p95']:.1f}", f"{h['p95'] / a['p95']:.2f}"])
        print_table(["request", "n", "app p50 ms", "app p95 ms", "raw p50 ms", "raw p95 ms", "p95 ratio", "main query alone p95 ms",
                     "ratio to it"], rows)
        count, seconds, peak_mb = asyncio.run(_export(users[0]))
        print(f"export of the largest supplier: {count:,} rows to XLSX in {seconds:.1f} s, peak memory growth {peak_mb:.0f} MB", flush=True)
