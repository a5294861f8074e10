"""Real time: from an action's HTTP response to the event arriving in the other connected sessions.

200 sessions listen on the recipient structure's events (the SSE stream `/api/events`, through the same
Redis fan-out as the interface's sockets); a recipient user then processes 40 invoices one after the
other over HTTP. For each action, the delay from the moment its response is received to the moment
each session receives the `invoice.status` event is recorded.
"""

from __future__ import annotations

import asyncio
import json
import os
import time

from bench.common import app_process, bench_servers, int_option, print_table, summary_ms

SESSIONS = 200
ACTIONS = 40
PASSWORD = "Bench-Password-2026!"


async def _prepare() -> tuple[str, int, list[int]]:
    from datetime import UTC, datetime
    from decimal import Decimal

    from backend.domain.accounts.passwords import hash_secret
    from backend.domain.invoices import counters
    from backend.domain.invoices.store import counters as counter_store
    from backend.infra.database import close_pool, connection

    try:
        async with connection() as conn:
            async with conn.transaction():
                email = f"bench-recipient-{int(time.time())}@bench.chorale.fr"
                user_id = await conn.fetchval(
                    "INSERT INTO user_account (email, first_name, last_name, status, password_hash) VALUES ($1, 'Banc', 'Destinataire', 'actif', $2) RETURNING id",
                    email, hash_secret(PASSWORD))
                recipient = await conn.fetchval(
                    "INSERT INTO structure (identifier_type, identifier, raison_sociale, address, postcode, city, is_public) "
                    "VALUES ('AUTRE', $1, 'Destinataire temps réel', '1 place', '75001', 'Paris', TRUE) RETURNING id", f"RT{user_id}")
                supplier = await conn.fetchval(
                    "INSERT INTO structure (identifier_type, identifier, raison_sociale, address, postcode, city) "
                    "VALUES ('AUTRE', $1, 'Fournisseur temps réel', '1 rue', '75001', 'Paris') RETURNING id", f"RTS{user_id}")
                await conn.execute("INSERT INTO attachment (user_id, structure_id, is_principal) VALUES ($1, $2, TRUE)", user_id, recipient)
                await conn.execute("INSERT INTO profile (user_id, structure_id, application, level) VALUES ($1, $2, 'factures_recues', 'modification')",
                                   user_id, recipient)
                ids = []
                for n in range(ACTIONS):
                    row = await conn.fetchrow(
                        """INSERT INTO invoice (supplier_structure_id, recipient_structure_id, source, number, number_norm, invoice_date,
                                                total_ht, total_tva, total_ttc, net_a_payer, status, deposited_at)
                           VALUES ($1, $2, 'PDF', $3::varchar, lower($3::varchar), current_date, 100, 20, 120, 120, 'MISE_A_DISPOSITION', now())
                           RETURNING *""", supplier, recipient, f"RT-{user_id}-{n}")
                    await counter_store.add(counters.deltas(None, dict(row)))
                    ids.append(row["id"])
        return email, recipient, ids
    finally:
        await close_pool()


class Listener:
    """One SSE session on a raw keep-alive connection (chunked; only `data:` lines matter)."""

    def __init__(self, base_url: str, cookie: str, topic: str) -> None:
        from urllib.parse import urlsplit

        parts = urlsplit(base_url)
        self.host, self.port, self.cookie, self.topic = parts.hostname, parts.port, cookie, topic
        self.arrivals: dict[int, float] = {}
        self.ready = asyncio.Event()

    async def run(self) -> None:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        writer.write((f"GET /api/events?topics={self.topic} HTTP/1.1\r\nHost: {self.host}\r\nCookie: {self.cookie}\r\n"
                      "Accept: text/event-stream\r\n\r\n").encode())
        try:
            while True:
                line = await reader.readline()
                if not line:
                    return
                if line.startswith(b"event: ready"):
                    self.ready.set()
                elif line.startswith(b"data: {"):
                    event = json.loads(json.loads(line[6:])) if line[6:7] == b'"' else json.loads(line[6:])
                    if event.get("type") == "invoice.status":
                        self.arrivals.setdefault(event["data"]["id"], time.perf_counter())
        finally:
            writer.close()


async def _measure(base_url: str, email: str, recipient: int, ids: list[int]) -> tuple[list[float], int]:
    import httpx

    async with httpx.AsyncClient(base_url=base_url, timeout=10, headers={"Origin": base_url}) as http:
        response = await http.post("/api/auth/session", json={"email": email, "password": PASSWORD})
        response.raise_for_status()
        cookie = f"chorale_session={response.cookies['chorale_session']}"
        listeners = [Listener(base_url, cookie, f"structure:{recipient}") for _ in range(SESSIONS)]
        tasks = [asyncio.create_task(listener.run()) for listener in listeners]
        await asyncio.wait_for(asyncio.gather(*(listener.ready.wait() for listener in listeners)), 60)
        await asyncio.sleep(0.5)
        delays: list[float] = []
        from_request: list[float] = []
        missed = 0
        for invoice_id in ids:
            sent = time.perf_counter()
            await http.post(f"/api/received-invoices/{invoice_id}/actions", json={"action": "VALIDATE"})
            answered = time.perf_counter()
            deadline = answered + 3
            while time.perf_counter() < deadline and any(invoice_id not in l.arrivals for l in listeners):
                await asyncio.sleep(0.005)
            for listener in listeners:
                if invoice_id in listener.arrivals:
                    # Events are published at commit, before the response is written: most arrive first (0).
                    delays.append(max(0.0, listener.arrivals[invoice_id] - answered))
                    from_request.append(listener.arrivals[invoice_id] - sent)
                else:
                    missed += 1
        for task in tasks:
            task.cancel()
        return delays, from_request, missed


def main(options: list[str]) -> None:
    global SESSIONS, ACTIONS
    SESSIONS = int_option(options, "sessions", SESSIONS)
    ACTIONS = int_option(options, "actions", ACTIONS)
    with bench_servers():
        email, recipient, ids = asyncio.run(_prepare())
        with app_process(workers=2) as url:
            delays, from_request, missed = asyncio.run(_measure(url, email, recipient, ids))
        print(f"{SESSIONS} connected sessions, {len(ids)} actions, {len(delays)} deliveries, {missed} missed", flush=True)
        rows = []
        for label, values in (("after the action's response", delays), ("after the action's request was sent", from_request)):
            s = summary_ms(values)
            rows.append([label, s["n"], f"{s['p50']:.1f}", f"{s['p95']:.1f}", f"{max(values) * 1000 if values else float('nan'):.1f}"])
        print_table(["delay measured", "deliveries", "p50 ms", "p95 ms", "max ms"], rows)
