"""PDF reading off the worker's event loop, bounded in memory and time (issue 20, item 6).

A 1 MB PDF whose content stream inflates to 1 GiB took the worker to 2.1 GB of memory and held its event
loop for 5 s when pdfplumber ran in the worker itself. Each reading now runs in a child process whose
address space is capped (`resource.RLIMIT_AS`, MEMORY_LIMIT) and which is killed past TIME_LIMIT; the
worker's event loop only waits on a pipe. The children are kept between readings (a PDF costs a pipe
round trip, not a process start: the extraction benchmark's path) and forked from a fork server that has
the reading libraries imported (a killed child is replaced in milliseconds, and no child inherits the
worker's threads, sockets or event loop).

`await read_pdf(path)` gives `(result dict, steps)` — `ExtractionResult.to_dict()` and the steps the
reading went through, in order — or raises ExtractionError (not a PDF, encrypted, damaged) or
`TooCostly` (over a limit, or the child died).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import resource
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from backend.domain.invoices.extraction import ExtractionError, extract_invoice_fields
from backend.domain.invoices.preview import NoSuchPage, render_page_png

log = logging.getLogger(__name__)

MEMORY_LIMIT = 512 * 1024 * 1024   # address space of a reading child (it needs ≈100 MB for three pages)
TIME_LIMIT = 20.0                  # seconds for one PDF's first three pages (≈20 ms for a usual invoice)
MAX_CHILDREN = 2                   # readings at once; more wait (the machine's cores, not the worker's jobs)


class TooCostly(Exception):
    """The PDF needed more memory or time than a reading may take: its fields are typed by hand."""


def _serve(conn: Connection, memory_limit: int) -> None:
    """The child: cap its address space, then read each path sent until the pipe closes."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    while True:
        try:
            path = conn.recv()
        except EOFError:
            return
        steps: list[str] = []
        try:
            if isinstance(path, tuple):  # ("render", path, page): a page preview (preview.py)
                answer: tuple[Any, ...] = ("ok", render_page_png(Path(path[1]), int(path[2])), steps)
            else:
                answer = ("ok", extract_invoice_fields(Path(path), steps.append).to_dict(), steps)
        except NoSuchPage:
            answer = ("absent", None, steps)
        except ExtractionError as error:
            answer = ("error", error.code, steps)
        except FileNotFoundError:
            answer = ("absent", None, steps)
        except MemoryError:
            answer = ("too_costly", None, steps)
        except Exception:  # a reader library's bug on a strange file: damaged, as far as the user knows
            log.exception("PDF reading failed: %s", path)
            answer = ("error", "corrupt", [])
        conn.send(answer)
        if answer[0] == "too_costly":
            return  # a fresh child rather than one whose heap a bomb has fragmented


def _context() -> multiprocessing.context.BaseContext:
    context = multiprocessing.get_context("forkserver")
    # pypdfium2 too (previews, OCR): imported once in the fork server, not by each fresh child under load
    context.set_forkserver_preload(["backend.domain.invoices.extraction", "backend.domain.invoices.preview", "pdfplumber", "facturx",
                                    "pypdfium2", "PIL.Image"])
    return context


class _Child:
    def __init__(self) -> None:
        context = _context()
        self.conn, child_end = context.Pipe()
        self.process = context.Process(target=_serve, args=(child_end, MEMORY_LIMIT), daemon=True, name="chorale-pdf-reader")
        self.process.start()
        child_end.close()

    async def read(self, path: Path | tuple, timeout: float) -> tuple:
        loop = asyncio.get_running_loop()
        ready = loop.create_future()
        fd = self.conn.fileno()
        loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
        try:
            self.conn.send(path if isinstance(path, tuple) else str(path))
            await asyncio.wait_for(ready, timeout)
        finally:
            loop.remove_reader(fd)
        return self.conn.recv()  # EOFError when the child died (killed by the system, a crash in C)

    def close(self) -> None:
        self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)


_idle: list[_Child] = []
_busy = 0


async def read_pdf(path: Path, *, timeout: float | None = None) -> tuple[dict, list[str]]:
    return await _ask(path, timeout)


async def render_page(path: Path, page: int, *, timeout: float | None = None) -> bytes:
    """Page `page` (1-3) of the PDF as a PNG; FileNotFoundError for a page it does not have."""
    try:
        png, _ = await _ask(("render", str(path), page), timeout)
    except TooCostly:
        # a child freshly forked in the app process may die before answering (seen once per process under
        # load); a preview is cheap to ask again, and a real bomb fails the second time too
        png, _ = await _ask(("render", str(path), page), timeout)
    return png


async def _ask(path: Path | tuple, timeout: float | None) -> tuple[Any, list[str]]:
    global _busy
    while _busy >= MAX_CHILDREN:
        await asyncio.sleep(0.01)
    _busy += 1
    child = None
    try:
        child = _idle.pop() if _idle else await asyncio.to_thread(_Child)
        try:
            status, value, steps = await child.read(path, TIME_LIMIT if timeout is None else timeout)
        except (asyncio.TimeoutError, EOFError, OSError) as error:
            log.warning("PDF reading stopped (%s): %s", type(error).__name__, path)
            raise TooCostly() from None
        else:
            if status == "too_costly":
                log.warning("PDF reading over its memory limit: %s", path)
                raise TooCostly()
            keep, child = child, None
            _idle.append(keep)
        if status == "absent":
            raise FileNotFoundError(path)
        if status == "error":
            raise ExtractionError(value)
        return value, steps
    finally:
        _busy -= 1
        # Stopped, over a limit or cancelled mid-reading (its late answer must not reach the next reading):
        # killed; the next reading gets a fresh child.
        if child is not None:
            child.close()


def shutdown() -> None:
    """Stop the idle children (the worker's shutdown; they are daemons, so they also end with it)."""
    while _idle:
        _idle.pop().close()


def children() -> list[int]:
    """The idle children's pids (tests)."""
    return [child.process.pid for child in _idle if child.process.pid is not None and child.process.pid != os.getpid()]
