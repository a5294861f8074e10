"""Load: 200 people at once on two app instances and two workers, one PostgreSQL, one Redis.

Two `serve` processes (ports 8771 and 8772) and two `worker` processes run as a deployment would, on
one database and one Redis; the users are spread over the two instances (even users on one, odd on
the other). Three in four users are suppliers, one in four recipients, each with a structure of their
own, known to the directory. Each user logs in, then works through tasks with a person's pauses
(`--think=MS` on average between two requests, 250 ms between two keystrokes), logging out and in again
every few tasks:
- a supplier opens the dashboard counts and a list (all, or one state), then either types a recipient's
  SIRET or name in the directory autocomplete (`GET /api/directory/search`, one request per keystroke),
  or deposits a PDF invoice: upload, wait for the worker's reading, create the invoice, check it, send it
  (the workers then route it to its recipient);
- a recipient opens the dashboard (received side), lists the invoices made available to them, opens one
  and validates it (« Service fait »), or, once those are done, orders payment of a validated one.
Recipients start with a backlog of invoices made available; the deposits keep feeding them.

After `--warmup=S` seconds (default 10) of the same load, `--seconds=S` seconds (default 60) are
measured: throughput, p50/p95 per kind of request, and the errors (any status outside 2xx/3xx and
any connection error or timeout, by kind and status; warm-up included: the goal is none at all).
`--users=N` (default 200) sets the number of people. Everything runs in a fresh `chorale_load` database.
"""

from __future__ import annotations

import asyncio
import math
import random
import signal
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import app_cluster, bench_servers, int_option, print_table, summary_ms

PORTS = (8771, 8772)
WORKERS = 2
USERS = 200
SECONDS = 60
WARMUP = 10
THINK = 1000  # ms, the mean pause between two requests of one person
KEYSTROKE = 0.25
TASKS_PER_SESSION = (5, 15)  # tasks between a login and its logout
DEPOSIT_SHARE = 0.3  # of a supplier's tasks
PASSWORD = "Bench-Password-2026!"
SERVICE = ("28E", "Enfance jeunesse")


@dataclass
class Person:
    email: str
    supplier: bool
    structure_id: int
    base_url: str = ""
    pdfs: list[bytes] = field(default_factory=list)  # a supplier's invoices to deposit, numbers unique


@dataclass
class Directory:
    """What people type in the autocomplete: the recipients' SIRETs and names."""
    entries: list[tuple[str, str]]


# Preparation ------------------------------------------------------------------------------------

async def _prepare(users: int, backlog: int, pdfs_each: int, seed: int) -> tuple[list[Person], Directory]:
    from backend.domain.accounts import store as accounts
    from backend.domain.accounts.passwords import hash_secret
    from backend.domain.directory import store as directory_store
    from backend.domain.directory.seed import seed_directory
    from backend.domain.directory.stock import record
    from backend.infra.database import close_pool
    from tests.pdfgen import make_siret

    rng = random.Random(seed)
    recipients_count = max(1, users // 4)
    try:
        await seed_directory()  # the demo register: a neighbourhood of establishments to search among
        password_hash, answer_hash = hash_secret(PASSWORD), hash_secret("banc de charge")
        people: list[Person] = []
        records, sirets = [], {}
        for index in range(users):
            supplier = index >= recipients_count
            siret = make_siret()
            name = f"{'Fournisseur' if supplier else 'Commune'} charge {index:03d}"
            structure_id = await _structure(siret, name, public=not supplier)
            # Signed up, then activated as if the activation link had been followed (as the demo seed does).
            user_id = await accounts.create_user(email=f"load-{index:03d}@bench.chorale.fr", first_name="Banc",
                                                 last_name=f"Charge {index:03d}", lang="fr", consent_survey=False, purposes=[])
            await accounts.activate(user_id, password_hash=password_hash, secret_question="Banc ?", secret_answer_hash=answer_hash)
            await _attach(user_id, structure_id, supplier=supplier)
            records.append(record(siret=siret, denomination=name, street_number="1", street_type="RUE", street_name="DU BANC",
                                  postcode="67000", city="STRASBOURG", categorie_juridique="5710" if supplier else "7210"))
            sirets[structure_id] = siret
            people.append(Person(f"load-{index:03d}@bench.chorale.fr", supplier, structure_id))
        await directory_store.rebuild_prefixes(await directory_store.load_records(records))
        recipients = [p for p in people if not p.supplier]
        suppliers = [p for p in people if p.supplier] or recipients
        await _backlog(recipients, suppliers, backlog, rng)
        with tempfile.TemporaryDirectory() as folder:
            for person in people:
                if person.supplier:
                    person.pdfs = [_pdf(Path(folder), sirets[person.structure_id], sirets[rng.choice(recipients).structure_id],
                                        f"LOAD-{person.structure_id}-{n}") for n in range(pdfs_each)]
        directory = Directory([(sirets[p.structure_id], f"commune charge {i:03d}") for i, p in enumerate(recipients)])
        return people, directory
    finally:
        await close_pool()


async def _structure(siret: str, name: str, *, public: bool) -> int:
    from backend.domain.structures import store

    structure_id = await store.upsert_structure({"identifier": siret, "siren": siret[:9], "raison_sociale": name,
                                                 "address": "1 rue du Banc", "postcode": "67000", "city": "Strasbourg",
                                                 "is_public": public})
    if public:
        await store.add_service(structure_id, *SERVICE)
    return structure_id


async def _attach(user_id: int, structure_id: int, *, supplier: bool) -> None:
    from backend.domain.structures import store
    from shared.applications import Application, Level

    applications = (Application.FACTURES_EMISES, Application.ORGANISATION) if supplier else (Application.FACTURES_RECUES,)
    await store.attach(user_id, structure_id, is_principal=True)
    for application in applications:
        await store.grant_profile(user_id, structure_id, str(application), str(Level.MODIFICATION))
        await store.open_workspace(user_id, str(application))


async def _backlog(recipients: list[Person], suppliers: list[Person], count: int, rng: random.Random) -> None:
    """`count` invoices made available to each recipient, from suppliers picked at random (so suppliers'
    lists and dashboards have rows too), through the unit of work like any invoice."""
    from datetime import UTC, datetime, timedelta
    from decimal import Decimal

    from backend.domain.invoices.unit_of_work import atomic, create_invoice
    from backend.domain.structures import store

    for recipient in recipients:
        service_id = await store.service_id_of(recipient.structure_id, code=SERVICE[0])
        async with atomic():
            for n in range(count):
                at = datetime.now(UTC) - timedelta(days=rng.randint(1, 60))
                ht = Decimal(rng.randint(5_000, 2_500_000)) / 100
                tva = (ht * Decimal("0.2")).quantize(Decimal("0.01"))
                number = f"LOAD-B-{recipient.structure_id}-{n}"
                async with create_invoice(None, supplier_structure_id=rng.choice(suppliers).structure_id,
                                          recipient_structure_id=recipient.structure_id, recipient_service_id=service_id,
                                          source="PDF", number=number, number_norm=number.lower(), invoice_date=at.date(),
                                          total_ht=ht, total_tva=tva, total_ttc=ht + tva, net_a_payer=ht + tva,
                                          status="MISE_A_DISPOSITION", status_at=at, deposited_at=at, created_at=at,
                                          deposit_number=f"DEP-LOAD-{recipient.structure_id}-{n}"):
                    pass


def _pdf(folder: Path, supplier_siret: str, recipient_siret: str, number: str) -> bytes:
    from tests.pdfgen import make_invoice_pdf

    path = folder / "facture.pdf"
    make_invoice_pdf(path, supplier_siret=supplier_siret, recipient_siret=recipient_siret, invoice_number=number,
                     service_code=SERVICE[0])
    return path.read_bytes()


# The load -----------------------------------------------------------------------------------------

class Recorder:
    """Times every request started in the measured window, by kind; counts every error, by kind and status."""

    def __init__(self, measure_from: float, measure_until: float) -> None:
        self.measure_from, self.measure_until = measure_from, measure_until
        self.timings: dict[str, list[float]] = {}
        self.errors: Counter[tuple[str, str]] = Counter()
        self.measured = 0  # requests started in the window, errors included
        self.done: Counter[str] = Counter()  # deposits sent and processing actions applied in the window

    async def call(self, kind: str, request):
        """The response when 2xx/3xx, else None (the error counted)."""
        import httpx

        started = time.perf_counter()
        try:
            response = await request
        except httpx.HTTPError as error:
            response, status = None, type(error).__name__
        else:
            status = str(response.status_code)
        elapsed = time.perf_counter() - started
        in_window = self.measure_from <= started < self.measure_until
        self.measured += in_window
        if response is None or not 200 <= response.status_code < 400:
            self.errors[(kind, status)] += 1
            return None
        if in_window:
            self.timings.setdefault(kind, []).append(elapsed)
        return response

    def completed(self, what: str) -> None:
        """A deposit sent or an action applied, counted when it ends inside the measured window."""
        if self.measure_from <= time.perf_counter() < self.measure_until:
            self.done[what] += 1

    def failed(self, kind: str, what: str) -> None:
        """An error that is no HTTP status (e.g. a reading that never finished)."""
        self.errors[(kind, what)] += 1


class Session:
    """One person's browser: its cookie jar, its instance, its pauses."""

    def __init__(self, person: Person, directory: Directory, recorder: Recorder, stop_at: float, think: float, rng: random.Random):
        import httpx

        self.person, self.directory, self.rec, self.stop_at, self.think_mean, self.rng = person, directory, recorder, stop_at, think, rng
        # The Origin a browser sends (the app refuses cross-site unsafe requests); httpx's json= sets the
        # JSON Content-Type. One keep-alive connection per person, as a browser tab would mostly use.
        self.http = httpx.AsyncClient(base_url=person.base_url, headers={"Origin": person.base_url}, timeout=30,
                                      limits=httpx.Limits(max_connections=2))

    def over(self) -> bool:
        return time.perf_counter() >= self.stop_at

    async def pause(self, mean: float | None = None) -> None:
        await asyncio.sleep(self.rng.uniform(0.5, 1.5) * (self.think_mean if mean is None else mean))

    async def run(self, ramp: float) -> None:
        await asyncio.sleep(self.rng.random() * ramp)  # people arrive over the warm-up, not all in one instant
        try:
            while not self.over():
                if await self.rec.call("login", self.http.post("/api/auth/session", json={"email": self.person.email, "password": PASSWORD})) is None:
                    await self.pause()
                    continue
                for _ in range(self.rng.randint(*TASKS_PER_SESSION)):
                    if self.over():
                        break
                    await self.pause()
                    await (self.supplier_task() if self.person.supplier else self.recipient_task())
                await self.pause()
                await self.rec.call("logout", self.http.post("/api/auth/logout"))
                self.http.cookies.clear()
        finally:
            await self.http.aclose()

    async def supplier_task(self) -> None:
        await self.rec.call("dashboard", self.http.get("/api/dashboard", params={"side": "S"}))
        await self.pause()
        state = self.rng.choice((None, "MISE_A_DISPOSITION", "SERVICE_FAIT", "DEPOSEE"))
        await self.rec.call("list", self.http.get("/api/invoice-list", params={"cote": "S", **({"etat": state} if state else {})}))
        if self.over():
            return
        await self.pause()
        if self.person.pdfs and self.rng.random() < DEPOSIT_SHARE:
            await self.deposit(self.person.pdfs.pop())
        else:
            await self.autocomplete()

    async def autocomplete(self) -> None:
        siret, name = self.rng.choice(self.directory.entries)
        by_siret = self.rng.random() < 0.6
        typed = siret if by_siret else name
        for length in range(3 if by_siret else 1, len(typed) + 1):
            if typed[length - 1] == " ":
                continue
            await self.rec.call("autocomplete", self.http.get("/api/directory/search", params={"q": typed[:length]}))
            await asyncio.sleep(KEYSTROKE)

    async def deposit(self, pdf: bytes) -> None:
        structure_id = self.person.structure_id
        uploaded = await self.rec.call("upload", self.http.post(
            "/api/invoices/uploads", params={"name": "facture.pdf", "role": "principal", "structure_id": structure_id},
            content=pdf, headers={"Content-Type": "application/octet-stream"}))
        if uploaded is None:
            return
        file_id = uploaded.json()["id"]
        deadline = time.perf_counter() + 60
        while True:  # the page polls until the workers have read the PDF
            await asyncio.sleep(0.5)
            state = await self.rec.call("upload status", self.http.get(f"/api/invoices/uploads/{file_id}"))
            if state is None:
                return
            status = state.json().get("extraction_status")
            if status == "pret":
                break
            if status == "echec" or time.perf_counter() > deadline:
                self.rec.failed("reading", "failed" if status == "echec" else "no result within 60 s")
                return
        created = await self.rec.call("create", self.http.post("/api/invoices", json={"upload_id": file_id, "structure_id": structure_id}))
        if created is None:
            return
        invoice = created.json()
        await self.pause(2 * self.think_mean)  # the person checks the prefilled fields
        sent = await self.rec.call("send", self.http.post(f"/api/invoices/{invoice['id']}/send", json={"version": invoice["version"]}))
        if sent is not None:
            self.rec.completed("deposits sent")

    async def recipient_task(self) -> None:
        await self.rec.call("dashboard", self.http.get("/api/dashboard", params={"side": "R"}))
        for state, action in (("MISE_A_DISPOSITION", "VALIDATE"), ("SERVICE_FAIT", "MANDATE")):
            await self.pause()
            listed = await self.rec.call("received list", self.http.get(
                "/api/received-invoices", params={"structure": self.person.structure_id, "etat": state}))
            rows = [] if listed is None else listed.json()["rows"]
            if rows:
                await self.process(self.rng.choice(rows[:10])["id"], action)
                return

    async def process(self, invoice_id: int, action: str) -> None:
        await self.pause()
        opened = await self.rec.call("received invoice", self.http.get(f"/api/received-invoices/{invoice_id}"))
        if opened is None:
            return
        await self.pause()
        done = await self.rec.call("action", self.http.post(f"/api/received-invoices/{invoice_id}/actions",
                                                            json={"action": action, "expected_version": opened.json()["version"]}))
        if done is not None:
            self.rec.completed(f"{action} applied")


async def _load(people: list[Person], directory: Directory, *, warmup: float, seconds: float, think: float) -> Recorder:
    start = time.perf_counter()
    recorder = Recorder(start + warmup, start + warmup + seconds)
    rng = random.Random(7)
    sessions = [Session(p, directory, recorder, recorder.measure_until, think, random.Random(rng.random())) for p in people]
    tasks = [asyncio.create_task(s.run(ramp=warmup)) for s in sessions]
    try:
        # People stop starting requests at the end of the window; the last ones in flight get 30 s.
        done, pending = await asyncio.wait(tasks, timeout=warmup + seconds + 30)
        for task in pending:
            task.cancel()
        for task in done:
            if task.exception() is not None:
                raise task.exception()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return recorder


def _report(recorder: Recorder, users: int, seconds: float, command: str) -> None:
    total = sum(len(v) for v in recorder.timings.values())
    print(f"\n{command}\n{users} users ({users - max(1, users // 4)} suppliers, {max(1, users // 4)} recipients) on {len(PORTS)} app "
          f"instances and {WORKERS} workers, {seconds:.0f} s measured: {recorder.measured} requests, "
          f"{recorder.measured / seconds:.1f} requests/s; {', '.join(f'{n} {k}' for k, n in sorted(recorder.done.items())) or 'nothing completed'}",
          flush=True)
    rows = []
    for kind in sorted(recorder.timings, key=lambda k: -len(recorder.timings[k])):
        s = summary_ms(recorder.timings[kind])
        errors = sum(n for (k, _), n in recorder.errors.items() if k == kind)
        rows.append([kind, s["n"], f"{s['n'] / seconds:.1f}", f"{s['p50']:.1f}", f"{s['p95']:.1f}", errors])
    s = summary_ms([v for values in recorder.timings.values() for v in values])
    rows.append(["all", total, f"{total / seconds:.1f}", f"{s['p50']:.1f}", f"{s['p95']:.1f}", sum(recorder.errors.values())])
    print_table(["request", "ok", "per s", "p50 ms", "p95 ms", "errors"], rows)
    if recorder.errors:
        print("\nerrors (warm-up included):", flush=True)
        print_table(["request", "status", "count"], [[k, status, n] for (k, status), n in sorted(recorder.errors.items())])
    else:
        print("\nno errors (warm-up included)", flush=True)


def main(options: list[str]) -> None:
    users = int_option(options, "users", USERS)
    seconds = int_option(options, "seconds", SECONDS)
    warmup = int_option(options, "warmup", WARMUP)
    think = int_option(options, "think", THINK) / 1000
    # Enough backlog and PDFs for the whole run at the expected pace (a task every ~4 pauses), with margin.
    backlog = 5 + math.ceil((warmup + seconds) / (4 * think))
    pdfs_each = 2 + math.ceil((warmup + seconds) * DEPOSIT_SHARE / (4 * think))
    command = (f"python -m bench load --users={users} --seconds={seconds} --warmup={warmup} --think={round(think * 1000)}")
    previous = signal.signal(signal.SIGTERM, _interrupt)  # a `kill` cleans up as Ctrl-C does
    try:
        _run(users, seconds, warmup, think, backlog, pdfs_each, command)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def _run(users: int, seconds: int, warmup: int, think: float, backlog: int, pdfs_each: int, command: str) -> None:
    with bench_servers("chorale_load", fresh=True):
        started = time.perf_counter()
        people, directory = asyncio.run(_prepare(users, backlog, pdfs_each, seed=2026))
        print(f"prepared {len(people)} users, {backlog} invoices awaiting each recipient, {pdfs_each} PDFs per supplier "
              f"in {time.perf_counter() - started:.0f} s", flush=True)
        with app_cluster(PORTS, workers=WORKERS) as urls:
            for index, person in enumerate(people):
                person.base_url = urls[index % len(urls)]
            recorder = asyncio.run(_load(people, directory, warmup=warmup, seconds=seconds, think=think))
        _report(recorder, users, seconds, command)
