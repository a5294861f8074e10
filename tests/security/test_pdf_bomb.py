"""Issue 20, item 6: a PDF bomb neither takes the worker's memory nor holds its event loop.

As found: a 1 MB PDF whose page content stream inflates to 1 GiB took the worker to 2.1 GB of memory
and blocked its event loop for 5 s (pdfplumber ran on it). The reading now runs in a child process
capped in memory and time; the invoice's form says the PDF could not be read, fields to type by hand.
"""

from __future__ import annotations

import resource
import time
import zlib
from pathlib import Path

from backend.domain.invoices import reading_pool
from tests.api.invoices.helpers import pdf_bytes, upload, wait_extracted
from tests.support.event_loop import loop_gaps
from tests.support.factories import supplier_with_structure

MB = 1024 * 1024


def deflated_spaces(inflated: int) -> bytes:
    """A zlib stream of `inflated` spaces (≈1 MB for 1 GiB), built without compressing them all: after a
    full flush the compressor starts afresh, so every further megabyte deflates to the same bytes."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_RLE)  # raw deflate: header and checksum written here
    spaces = b" " * MB
    first = packer.compress(spaces) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(spaces) + packer.flush(zlib.Z_FULL_FLUSH)
    checksum = 1
    for _ in range(inflated // MB):
        checksum = zlib.adler32(spaces, checksum)
    return b"\x78\xda" + first + again * (inflated // MB - 1) + packer.flush() + checksum.to_bytes(4, "big")


def pdf_bomb(inflated: int = 1024 * MB) -> bytes:
    """A one-page PDF whose content stream is the deflate of `inflated` spaces."""
    stream = deflated_spaces(inflated)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out, offsets = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def test_a_pdf_bomb_is_read_as_unreadable_in_bounded_time_while_the_worker_carries_on(client, worker):
    assert zlib.decompress(deflated_spaces(4 * MB)) == b" " * 4 * MB  # a true deflate stream
    bomb = pdf_bomb()
    assert len(bomb) < 2 * MB
    invoice, _ = pdf_bytes()
    _, structure = await supplier_with_structure(client)
    peak_before = _max_rss_mb()

    started = time.monotonic()
    # the worker shares this test's event loop: how long it ever went unanswered
    async with loop_gaps(0.02) as gaps:
        bomb_id = (await upload(client, bomb, structure_id=structure["id"], name="bombe.pdf")).json()["id"]
        other_id = (await upload(client, invoice, structure_id=structure["id"])).json()["id"]
        other = await wait_extracted(client, other_id, timeout=reading_pool.TIME_LIMIT)
        bombed = await wait_extracted(client, bomb_id, timeout=reading_pool.TIME_LIMIT + 10)
    elapsed = time.monotonic() - started

    assert other["extraction_status"] == "pret" and other["extraction"]["kind"] == "text" and other["extraction"]["fields"]
    assert bombed["extraction_status"] == "pret", bombed
    assert bombed["extraction"]["kind"] == "unreadable" and bombed["extraction"]["fields"] == {}
    assert bombed["extraction"]["message"].startswith("Lecture impossible")
    assert elapsed < reading_pool.TIME_LIMIT + 5
    assert max(gaps) < 1.0, f"the event loop was held {max(gaps):.1f} s"
    assert _max_rss_mb() - peak_before < 300, "the bomb was inflated in the worker's own process"

    # The worker lives on and reads the next PDF.
    after = (await upload(client, invoice, structure_id=structure["id"])).json()["id"]
    assert (await wait_extracted(client, after))["extraction"]["kind"] == "text"


async def test_a_reading_past_its_time_limit_is_killed_and_the_next_gets_a_fresh_child(tmp_path: Path):
    path = tmp_path / "facture.pdf"
    path.write_bytes(pdf_bytes()[0])
    await reading_pool.read_pdf(path)  # a child, warm
    (slow,) = reading_pool.children()
    try:
        await reading_pool.read_pdf(path, timeout=0.0001)
    except reading_pool.TooCostly:
        pass
    else:
        raise AssertionError("a reading past its time limit went on")
    assert slow not in reading_pool.children()
    result, steps = await reading_pool.read_pdf(path)
    assert result["kind"] == "text" and steps[:2] == ["recu", "texte_lu"]
