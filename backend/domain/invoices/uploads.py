"""Uploads before an invoice exists: stream to disk, check the type by content, read the PDF in a job.

The body is streamed chunk by chunk to a file under the storage folder while its SHA-256 is computed,
so a 30 MB upload never sits in the app's memory. The extraction job reports each step live
(`job.progress` on `upload:{file_id}` and the browser session's topic) and stores its outcome on the
`invoice_file` row, so any instance can show it after a reload.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterable
from datetime import timedelta
from typing import Any

from backend.domain.accounts.identity import Principal
from backend.domain.invoices.extraction import MANUAL_KINDS, STEPS, ExtractionError, unreadable
from backend.domain.invoices.reading_pool import TooCostly, read_pdf
from backend.domain.invoices.queries import file_view
from backend.domain.invoices.store import files as file_store
from backend.domain.structures.permissions import Action, Target, require, require_somewhere
from backend.infra import storage
from backend.infra.errors import DomainError, Forbidden, NotFound
from backend.infra.events import publish, publish_in_order
from backend.infra.files import ALLOWED_ATTACHMENT_TYPES, CONTENT_TYPES, sniff_type
from backend.infra.redis import get_arq
from backend.infra.uploads import clean_name, store_upload  # noqa: F401 (re-exported through invoices.services)

log = logging.getLogger(__name__)
ROLES = ("principal", "piece_jointe")
SESSION_TOPIC = re.compile(r"session:[0-9a-z]{1,64}")
ORPHAN_HOURS = 24


def refused_type(role: str) -> DomainError:
    if role == "principal":
        return DomainError('pas_un_pdf', "file", status_code=415)
    return DomainError('type_refuse', "file", status_code=415)


def topics_for(file_id: int, topic: str | None) -> list[str]:
    topics = [f"upload:{file_id}"]
    if topic and SESSION_TOPIC.fullmatch(topic):
        topics.append(topic)
    return topics


async def receive_upload(principal: Principal, chunks: AsyncIterable[bytes], *, content_length: int | None, name: str | None,
                         role: str = "principal", structure_id: int | None = None, topic: str | None = None) -> dict[str, Any]:
    """Store an uploaded file (invoice PDF or attachment) not yet tied to an invoice; a PDF's reading
    starts at once. Refused: > 30 MB (413), wrong type by content (415), no issuing profile (403/404)."""
    if role not in ROLES:
        raise DomainError('role_invalide', "role", status_code=422)
    if structure_id is not None:
        await require(principal, Action.DEPOSIT, Target(structure_id))
    else:
        await require_somewhere(principal, Action.DEPOSIT)
    stored = await store_upload(chunks, content_length=content_length, area="uploads")
    key = stored.key
    kind = sniff_type(stored.head)
    allowed = {"pdf"} if role == "principal" else ALLOWED_ATTACHMENT_TYPES
    if stored.size == 0 or kind not in allowed:
        storage.delete(key)
        raise refused_type(role)
    try:
        row = await file_store.insert({
            "role": role, "original_name": clean_name(name), "content_type": CONTENT_TYPES[kind], "size": stored.size,
            "sha256": stored.sha256, "storage_key": key, "uploaded_by": principal.user_id, "structure_id": structure_id,
            "extraction_status": "attente" if role == "principal" else None})
    except BaseException:
        storage.delete(key)
        raise
    answer = {**file_view(row.as_dict()), "extraction_status": row.extraction_status, "kind": kind}
    if role == "principal":
        answer["job"] = await enqueue_extraction(row.id, topic)
    return answer


async def enqueue_extraction(file_id: int, topic: str | None) -> str:
    job_id = f"extract:{file_id}"
    await (await get_arq()).enqueue_job("extract_upload", file_id, topic, _job_id=job_id)
    return job_id


async def upload_status(principal: Principal, file_id: int) -> dict[str, Any]:
    """An upload of the principal's not yet tied to an invoice, with its extraction state and result."""
    row = await file_store.pending_upload(file_id, principal.user_id)
    if row is None:
        raise NotFound('fichier')
    return {**file_view(row.as_dict()), "extraction_status": row.extraction_status, "extraction": row.extraction}


# The extraction job ------------------------------------------------------------------------------

async def run_extraction(file_id: int, topic: str | None, job_id: str = "") -> str:
    """Read the uploaded PDF, publishing each step; idempotent (a finished file is only re-announced).

    The reading runs in a child process bounded in memory and time (reading_pool), never on the worker's
    event loop: a PDF bomb took the worker to 2.1 GB and held its loop 5 s. One over the limits is not an
    error: its form says it could not be read, every field to type by hand."""
    topics = topics_for(file_id, topic)
    row = await file_store.get(file_id)
    if row is None:
        return "absent"
    if row.extraction_status == "pret":
        await _announce_ready(topics, file_id, job_id, row.extraction)
        return "pret"
    if row.extraction_status == "echec":
        return "echec"

    try:
        extraction, steps = await read_pdf(storage.path_for(row.storage_key))
    except TooCostly:  # a bomb, or a reader stuck: the form opens with every field to type
        extraction, steps = unreadable().to_dict(), []
    except ExtractionError as error:
        await _fail(file_id, row.storage_key, topics, job_id, error.code, error.message_fr, error.message_en)
        return error.code
    except FileNotFoundError:
        missing = DomainError("fichier_absent")
        await _fail(file_id, row.storage_key, topics, job_id, missing.code, missing.message_fr, missing.message_en)
        return "fichier_absent"
    # The steps gone through are announced in one Redis round trip while the result is stored (they were
    # three round trips before the write, on the job path the deposit screen waits on); « prêt » only once
    # the result is stored, so whoever reacts finds it.
    await asyncio.gather(_announce_steps(topics, file_id, job_id, [step for step in steps if step != "pret"]),
                         file_store.update(file_id, {"extraction_status": "pret", "extraction": extraction}))
    await _announce_ready(topics, file_id, job_id, extraction)
    return "pret"


async def _announce_steps(topics: list[str], file_id: int, job_id: str, steps: list[str]) -> None:
    if steps:
        await publish_in_order("job.progress", topics, [{"job": job_id, "file_id": file_id, "step": step,
                                                         "index": STEPS.index(step) + 1, "total": len(STEPS)} for step in steps])


async def _announce_ready(topics: list[str], file_id: int, job_id: str, extraction: Any) -> None:
    await publish("job.progress", topics, {
        "job": job_id, "file_id": file_id, "step": "pret", "index": len(STEPS), "total": len(STEPS),
        "kind": (extraction or {}).get("kind"), "manual": (extraction or {}).get("kind") in MANUAL_KINDS,
        "message": (extraction or {}).get("message"), "message_en": (extraction or {}).get("message_en"),
        "found": sorted(((extraction or {}).get("fields") or {}).keys())})


async def _fail(file_id: int, key: str, topics: list[str], job_id: str, code: str, fr: str, en: str) -> None:
    """An unreadable PDF is not kept: its file goes at once; the row stays (until the orphan cleanup) with
    the reason, so an API client polling the upload learns why."""
    error = {"code": code, "message": fr, "message_en": en}
    await file_store.update(file_id, {"extraction_status": "echec", "extraction": {"error": error}}, only_pending=True)
    storage.delete(key)
    await publish("job.progress", topics, {"job": job_id, "file_id": file_id, "step": "echec", **error,
                                           "index": 0, "total": len(STEPS)})


# Cleanup -----------------------------------------------------------------------------------------

async def delete_orphan_uploads(older_than_hours: float = ORPHAN_HOURS, batch: int = 500) -> int:
    """Files uploaded for a deposit that never happened (cancelled, abandoned): rows then files."""
    removed = 0
    while True:
        keys = await file_store.delete_orphans(timedelta(hours=older_than_hours), batch)
        for key in keys:
            try:
                storage.delete(key)
            except storage.StorageError:
                log.warning("orphan upload with a bad storage key: %s", key)
        removed += len(keys)
        if len(keys) < batch:
            return removed
