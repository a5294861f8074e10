"""PDF deposit: reading a 3-page invoice through the job path, and a 30 MB upload's memory cost.

1. Latency. The same 3-page text PDF is read (a) by raw pdfplumber in this process (open + extract_text
   of the three pages: the floor) and (b) through the job path as the deposit screen uses it: enqueue
   `extract_upload` → an ARQ worker process picks it up → reads the file from storage → stores the
   result → publishes « prêt », timed until this process receives that event from Redis. Runs are
   interleaved so both see the same machine. The worker runs once with the poll delay configured in
   `backend.worker.WorkerSettings` (2 ms) and once with ARQ's default 0.5 s, which shows what the poll costs.
2. Memory. A 30 MB PDF is streamed to `POST /api/invoices/uploads` of a real app process while its
   resident memory (VmRSS) is sampled every 2 ms; reported: the growth of the peak over the baseline,
   and the time until the worker has read the file.

`python -m bench extraction [--runs=N]`; figures go to bench/RESULTS.md (section "Extraction").
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.common import ROOT, bench_servers, int_option, print_table

RESULTS = Path(__file__).parent / "RESULTS.md"
MB = 1024 * 1024


def _median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def _raw_read(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages[:3]:
            page.extract_text()


def _start_worker(poll_delay: float | None) -> subprocess.Popen:
    override = f", poll_delay={poll_delay}" if poll_delay is not None else ""
    code = ("from arq.worker import run_worker; from backend.worker import WorkerSettings; "
            f"run_worker(WorkerSettings{override})")
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def _owner() -> tuple[dict, dict]:
    from tests.support.factories import supplier_with_structure

    return await supplier_with_structure()


async def _latency(path: Path, runs: int, poll_delay: float | None) -> tuple[list[float], list[float]]:
    from backend.domain.invoices.uploads import enqueue_extraction
    from backend.infra import storage
    from backend.infra.database import close_pool, connection
    from backend.infra.events import close_hub, get_hub
    from backend.infra.redis import close_redis

    user, structure = await _owner()
    content = path.read_bytes()
    worker = _start_worker(poll_delay)
    raw_times, job_times = [], []
    try:
        await asyncio.sleep(2)  # the worker's imports and first poll
        for index in range(runs + 2):
            stored = storage.save_bytes(content, key=storage.new_key("uploads"))
            async with connection() as conn:
                file_id = await conn.fetchval(
                    """INSERT INTO invoice_file (role, original_name, content_type, size, sha256, storage_key, uploaded_by,
                                                 structure_id, extraction_status)
                       VALUES ('principal', 'bench.pdf', 'application/pdf', $1, $2, $3, $4, $5, 'attente') RETURNING id""",
                    stored.size, stored.sha256, stored.key, user["id"], structure["id"])
            started = time.perf_counter()
            _raw_read(path)
            raw = time.perf_counter() - started
            await asyncio.sleep(0.05)
            async with get_hub().listen([f"upload:{file_id}"]) as queue:
                started = time.perf_counter()
                await enqueue_extraction(file_id, None)
                while (await asyncio.wait_for(queue.get(), 60)).data.get("step") not in ("pret", "echec"):
                    pass
                job = time.perf_counter() - started
            if index >= 2:  # the first runs warm both paths up
                raw_times.append(raw)
                job_times.append(job)
    finally:
        worker.terminate()
        worker.wait(10)
        await close_hub()
        await close_redis()
        await close_pool()
    return raw_times, job_times


def _rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _big_pdf(path: Path, small: Path) -> int:
    """A real invoice PDF padded with comment lines after its end to 30 MB (the limit)."""
    content = small.read_bytes()
    line = b"%" + b"0" * 1022 + b"\n"
    with open(path, "wb") as out:
        out.write(content)
        size = len(content)
        while size + len(line) <= 30 * MB:
            out.write(line)
            size += len(line)
        out.write(b"\n" * (30 * MB - size))
    return path.stat().st_size


def _memory(big: Path, port: int = 8766) -> dict[str, float]:
    import httpx

    user, structure = asyncio.run(_owner_and_close())
    app = subprocess.Popen([sys.executable, "-m", "backend.cli", "serve", "--port", str(port)], cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = _start_worker(None)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline + 90:  # a loaded machine starts the app slowly
                raise RuntimeError("the app did not start")
            time.sleep(0.2)
        with httpx.Client(base_url=base, timeout=60, headers={"Origin": base}) as client:
            assert client.post("/api/auth/session", json={"email": user["email"], "password": user["password"]}).status_code == 200
            params = {"role": "principal", "structure_id": structure["id"], "name": "gros.pdf"}
            client.post("/api/invoices/uploads", params=params, content=b"%PDF-1.4\n%%EOF\n")  # warm the route
            time.sleep(0.5)
            baseline = _rss_kb(app.pid)
            peak = [baseline]
            done = threading.Event()

            def sample() -> None:
                while not done.is_set():
                    peak[0] = max(peak[0], _rss_kb(app.pid))
                    time.sleep(0.002)

            sampler = threading.Thread(target=sample)
            sampler.start()

            def chunks():
                with open(big, "rb") as source:
                    while chunk := source.read(64 * 1024):
                        yield chunk

            started = time.perf_counter()
            response = client.post("/api/invoices/uploads", params=params, content=chunks(),
                                   headers={"Content-Length": str(big.stat().st_size), "Content-Type": "application/pdf"})
            uploaded = time.perf_counter() - started
            done.set()
            sampler.join()
            assert response.status_code == 201, response.text
            file_id = response.json()["id"]
            while client.get(f"/api/invoices/uploads/{file_id}").json()["extraction_status"] not in ("pret", "echec"):
                time.sleep(0.02)
            read = time.perf_counter() - started
        return {"baseline_mb": baseline / 1024, "peak_growth_mb": (peak[0] - baseline) / 1024, "upload_s": uploaded,
                "worker_done_s": read}
    finally:
        for process in (app, worker):
            process.terminate()
            process.wait(10)


async def _owner_and_close():
    from backend.infra.database import close_pool

    try:
        return await _owner()
    finally:
        await close_pool()


def _accuracy() -> tuple[str, str, str, list[float], list[float]]:
    """Accuracy per field and per language on the corpus (tests/data/extraction), and the time of each PDF's
    reading in this process against raw pdfplumber on the same PDF."""
    from backend.domain.invoices.extraction import THRESHOLD, extract_invoice_fields
    from tests.data.extraction.corpus import invoices, score

    corpus = invoices()
    results, raw_times, read_times = {}, [], []
    for invoice in corpus:
        for _ in range(2):  # the second run is timed: both warm
            started = time.perf_counter()
            _raw_read(invoice.path)
            raw = time.perf_counter() - started
            started = time.perf_counter()
            results[invoice] = extract_invoice_fields(invoice.path, read_xml=False).to_dict()
            read = time.perf_counter() - started
        raw_times.append(raw)
        read_times.append(read)
    by_field, by_lang = score(results, THRESHOLD)
    fields = print_table(["field", "right", "scored", "accuracy", "wrong shown as sure"],
                         [[name, s.right, s.total, f"{s.accuracy:.1%}", len(s.wrong)] for name, s in sorted(by_field.items())])
    langs = print_table(["language", "invoices", "right", "scored", "accuracy", "wrong shown as sure"],
                        [[lang, sum(1 for i in corpus if i.lang == lang) if lang != "all" else len(corpus), s.right, s.total,
                          f"{s.accuracy:.1%}", len(s.wrong)] for lang, s in sorted(by_lang.items())])
    timing = print_table(["PDFs", "raw pdfplumber p50 ms", "reading p50 ms", "reading p95 ms", "ratio p50"],
                         [[len(corpus), f"{_median_ms(raw_times):.1f}", f"{_median_ms(read_times):.1f}",
                           f"{statistics.quantiles(read_times, n=20)[18] * 1000:.1f}", f"{_median_ms(read_times) / _median_ms(raw_times):.2f}"]])
    print(fields, langs, timing, sep="\n\n", flush=True)
    return fields, langs, timing, raw_times, read_times


def _heldout() -> str:
    """Accuracy per set and language on the held-out sets of tests/data/extraction/generate_heldout.py."""
    from backend.domain.invoices.extraction import THRESHOLD, extract_invoice_fields
    from tests.data.extraction.corpus import heldout, score

    rows = []
    for name, invoices in heldout(ROOT / "bench" / "out" / "extraction-heldout").items():
        _, by_lang = score({i: extract_invoice_fields(i.path, read_xml=False).to_dict() for i in invoices}, THRESHOLD)
        for lang, s in sorted(by_lang.items()):
            count = len(invoices) if lang == "all" else sum(1 for i in invoices if i.lang == lang)
            rows.append([name, lang, count, len({i.layout for i in invoices}) if lang == "all" else "", s.right, s.total,
                         f"{s.accuracy:.1%}", len(s.wrong)])
    table = print_table(["set", "language", "invoices", "layouts", "right", "scored", "accuracy", "wrong shown as sure"], rows)
    print(table, flush=True)
    return table


def _facturx() -> str:
    """Accuracy per half and language on the real Factur-X PDFs (tests/data/extraction/facturx.py: truth from
    their XML, only what the page prints), read from the shared corpus when it is there (all of them), else
    from the copies in tests/data."""
    from backend.domain.invoices.extraction import THRESHOLD, extract_invoice_fields
    from tests.data.extraction.corpus import score
    from tests.data.extraction.facturx import HERE, SHARED, facturx_sets

    rows, every = [], {}
    for name, invoices in facturx_sets(SHARED if SHARED.is_dir() else HERE).items():
        results = {i: extract_invoice_fields(i.path, read_xml=False).to_dict() for i in invoices}
        every.update(results)
        _, by_lang = score(results, THRESHOLD)
        for lang, s in sorted(by_lang.items()):
            count = len(invoices) if lang == "all" else sum(1 for i in invoices if i.lang == lang)
            rows.append([name, lang, count, s.right, s.total, f"{s.accuracy:.1%}", len(s.wrong)])
    by_field, _ = score(every, THRESHOLD)
    table = "\n\n".join((
        print_table(["half", "language", "invoices", "right", "scored", "accuracy", "wrong shown as sure"], rows),
        print_table(["field (both halves)", "right", "scored", "accuracy", "wrong shown as sure"],
                    [[name, s.right, s.total, f"{s.accuracy:.1%}", len(s.wrong)] for name, s in sorted(by_field.items())])))
    return table


def _write_results(section: str) -> None:
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    start = text.find("\n## Extraction")
    if start < 0:
        RESULTS.write_text(text.rstrip("\n") + "\n\n" + section.strip("\n") + "\n")
        return
    end = text.find("\n## ", start + 1)
    # in place: the other sections keep their order (and merges of RESULTS.md stay small)
    rest = text[end:] if end >= 0 else "\n"
    RESULTS.write_text(text[:start] + "\n" + section.strip("\n") + "\n" + rest)


def main(options: list[str]) -> None:
    runs = int_option(options, "runs", 30)
    load = os.getloadavg()[0]  # the figures' context: on a shared machine only the ratios compare
    fields, langs, timing, _, _ = _accuracy()
    held = _heldout()
    facturx = _facturx()
    os.environ.setdefault("STORAGE_DIR", tempfile.mkdtemp(prefix="chorale-bench-storage-"))
    with bench_servers():
        from backend.worker import WorkerSettings
        from tests.pdfgen import make_invoice_pdf

        folder = Path(tempfile.mkdtemp(prefix="chorale-bench-"))
        small = folder / "facture-3-pages.pdf"
        make_invoice_pdf(small, pages=3)
        configured = getattr(WorkerSettings, "poll_delay", 0.5)
        rows, verdicts = [], []
        for label, delay in ((f"WorkerSettings ({configured} s poll)", None), ("ARQ's default 0.5 s poll", 0.5)):
            raw, job = asyncio.run(_latency(small, runs, delay))
            ratio = _median_ms(job) / _median_ms(raw)
            rows.append([label, len(job), f"{_median_ms(raw):.1f}", f"{_median_ms(job):.1f}",
                         f"{statistics.quantiles(job, n=20)[18] * 1000:.1f}", f"{ratio:.2f}"])
            verdicts.append((label, ratio <= 1.3 and _median_ms(job) < 150))
        table = print_table(["worker", "runs", "raw pdfplumber p50 ms", "job path p50 ms", "job path p95 ms", "ratio p50"], rows)
        big = folder / "facture-30-mo.pdf"
        size = _big_pdf(big, small)
        try:
            memory = _memory(big)
        except RuntimeError as error:  # a loaded machine may not start the app in time: the latency figures stand
            print(f"memory not measured: {error}", flush=True)
            memory = None
        print(memory, flush=True)
    lines = [
        "## Extraction",
        "",
        f"Run on {time.strftime('%Y-%m-%d')} ({os.cpu_count()} cores, load average {load:.1f} at the start"
        f"{': a loaded machine, compare the ratios measured in the same run, not the times' if load > (os.cpu_count() or 1) else ''}),",
        f"`python -m bench extraction --runs={runs}`.",
        "",
        "Accuracy on the corpus of tests/data/extraction (generated invoices in eight layouts and six languages, and real",
        "ones; Factur-X PDFs read from their printed page). A field is right when the value shown (confidence at or above",
        "the threshold) is the truth; a value left as a hint counts as not found; « wrong shown as sure » is the worse miss.",
        "",
        fields,
        "",
        langs,
        "",
        "Held-out sets (tests/data/extraction/generate_heldout.py: 27 layouts imitating other invoicing software, four",
        "seeds; `tune` was tuned on, `check` and `fresh` each read once before being tuned on too, `last` never — see",
        "their first readings in the notes below):",
        "",
        held,
        "",
        "Real Factur-X / ZUGFeRD samples of the shared corpus not in the corpus above (tests/data/extraction/facturx.py:",
        "truth from the XML each embeds, only the fields its page prints, identifiers only when their check digits hold;",
        "split by layout: `tune` was improved on, `held` never looked into; 7 of the 8 are copied in tests/data, the",
        "1.1 MB one is read from ../shared/corpus, or $SHARED_CORPUS, when it is there):",
        "",
        facturx,
        "",
        "Their first reading, before any change (same scorer, `held` with its 4 files): tune 37 / 45 = 82.2 % (fr 86.5 %,",
        "de 62.5 %), 3 wrong shown as sure (« commande > 300 € HT » read as the purchase order 300); held 36 / 38 = 94.7 %",
        "(de), none wrong. Per field, over both halves: purchase_order 1 / 5 (3 wrong), iban 2 / 4, due_date 2 / 3, total_ht,",
        "total_tva, total_ttc 7 / 8 each, every other field (number, dates, currency, kind, net to pay, VAT ids) all right.",
        "",
        "Time of the reading (words from pdfium's characters grouped by pdfplumber's rules, labels, consistency) of each",
        "corpus PDF in this process, against raw pdfplumber (open + extract_text of the first three pages) on the same",
        "PDF, both warm:",
        "",
        timing,
        "",
        "Reading a 3-page text PDF (tests/pdfgen.py): raw pdfplumber (open + extract_text of the three pages) vs the",
        "job path (enqueue → ARQ worker process → read from storage → result stored → « prêt » event received).",
        "",
        table,
        "",
        *[f"- {label}: {'meets' if ok else 'misses'} the target (job path within 1.3× of raw pdfplumber, under 150 ms)."
          for label, ok in verdicts],
        "- ARQ polls Redis for new jobs every `poll_delay` (0.5 s by default): on average half of it is waited before a",
        "  job starts, which alone puts the job path past 100 ms. The 2 ms poll delay of `backend.worker.WorkerSettings`",
        "  (~500 cheap Redis commands per second per idle worker) removes that wait: the floor is the reading itself.",
        "",
        f"A {size / MB:.0f} MB PDF streamed to `POST /api/invoices/uploads` (app process VmRSS sampled every 2 ms):",
        "",
        print_table(["baseline RSS MB", "peak growth MB", "upload s", "read by the worker after s"],
                    [[f"{memory['baseline_mb']:.0f}", f"{memory['peak_growth_mb']:.1f}", f"{memory['upload_s']:.2f}",
                      f"{memory['worker_done_s']:.2f}"]]) if memory else "Not measured in this run: the app did not start in time.",
        "",
        "The body goes to disk chunk by chunk (SHA-256 computed on the way); the app never holds the file. The worker",
        "is started for this measurement: its first reading also starts the reading pool's fork server (which imports",
        "the PDF libraries), most of the time until the worker has read the file on a loaded machine.",
    ]
    _write_results("\n".join(lines))
