"""Issue 20, item 6: a file written before its transaction is not left behind when the transaction never
commits.

As found: a worker killed mid-lot (after an invoice's file was written, before its transaction
committed) and an app stopped mid-upload left files no row names, for ever. Failures inside the process
already removed theirs; a killed process cannot, so the cleanup jobs now sweep the storage for files
older than the grace that no row holds.
"""

from __future__ import annotations

import os
import time

from backend.domain.invoices.jobs import cleanup_uploads
from backend.domain.lots.jobs import cleanup_lot_files
from backend.infra import storage
from tests.api.invoices.helpers import pdf_bytes, upload
from tests.support.factories import supplier_with_structure

HOURS = 3600


def _written(area: str, *, hours_ago: float, suffix: str = "") -> str:
    """A file as a process writes it before its row, `hours_ago` old."""
    key = storage.new_key(area, suffix)
    storage.save_bytes(b"%PDF-1.7 written, then the process died", key=key)
    moment = time.time() - hours_ago * HOURS
    os.utime(storage.path_for(key), (moment, moment))
    return key


async def test_files_no_row_holds_are_swept_and_held_or_young_ones_kept(client):
    # What a killed worker or app leaves: an integrated invoice's file, an upload, a reused attachment, a
    # half-written upload (`.part`), a lot's archive — all older than the grace.
    strays = [_written(area, hours_ago=2) for area in ("invoices", "uploads", "attachments")]
    partial = _written("uploads", hours_ago=2, suffix=".part")
    lot_archive = _written("lots", hours_ago=2)
    young = _written("invoices", hours_ago=0)  # may still be waiting for its transaction
    _, structure = await supplier_with_structure(client)
    held = await upload(client, pdf_bytes()[0], structure_id=structure["id"])
    assert held.status_code == 201, held.text
    from backend.domain.invoices.store import files as file_store

    held_key = (await file_store.get(held.json()["id"])).storage_key
    moment = time.time() - 2 * HOURS
    os.utime(storage.path_for(held_key), (moment, moment))

    await cleanup_uploads()
    await cleanup_lot_files()

    for key in (*strays, partial, lot_archive):
        assert not storage.exists(key), key
    assert storage.exists(young) and storage.exists(held_key)


def _stored(area: str) -> set[str]:
    return set(storage.keys_written_before(area, time.time() + 60))


async def _failing(*args, **kwargs):
    raise ConnectionError("the database went away between the write and the row")


async def test_a_row_that_fails_after_its_file_was_written_takes_the_file_with_it(client, monkeypatch):
    from backend.domain.invoices import uploads
    from backend.domain.lots import services as lots
    from tests.api.lots.test_lots import deposit
    from tests.support.lots import archive, cii_invoice

    _, structure = await supplier_with_structure(client)
    before = _stored("uploads") | _stored("lots")
    monkeypatch.setattr(uploads.file_store, "insert", _failing)
    assert (await upload(client, pdf_bytes()[0], structure_id=structure["id"])).status_code >= 500
    monkeypatch.setattr(lots.store, "create_lot", _failing)
    assert (await deposit(client, structure["id"], archive({"f.xml": cii_invoice(structure["identifier"], structure["identifier"], number="F-1")}))
            ).status_code >= 500
    assert _stored("uploads") | _stored("lots") == before
