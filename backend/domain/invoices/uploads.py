"""Uploads before an invoice exists: stream to disk, check the type by content, read the PDF in a job.

The body is streamed chunk by chunk to a file under the storage folder while its SHA-256 is computed,
so a 30 MB upload never sits in the app's memory. The extraction job reports each step live
(`job.progress` on `upload:{file_id}` and the browser session's topic) and stores its outcome on the
`invoice_file` row, so any instance can show it after a reload.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections.abc import AsyncIterable
from typing import Any

from backend.domain.accounts.identity import Principal
from backend.domain.invoices.extraction import STEPS, ExtractionError, extract_invoice_fields
from backend.domain.invoices.queries import file_view
from backend.domain.structures.permissions import require, structures_for
from backend.infra import storage
from backend.infra.database import connection
from backend.infra.errors import ChoraleError, Forbidden, NotFound
from backend.infra.events import CHANNEL, Event, publish
from backend.infra.files import ALLOWED_ATTACHMENT_TYPES, CONTENT_TYPES, MAX_UPLOAD_BYTES, sniff_type
from backend.infra.redis import get_arq
from backend.settings import get_settings
from shared.applications import Application, Level

log = logging.getLogger(__name__)
ROLES = ("principal", "piece_jointe")
SESSION_TOPIC = re.compile(r"session:[0-9a-z]{1,64}")
ORPHAN_HOURS = 24


def too_large() -> ChoraleError:
    return ChoraleError("fichier_trop_volumineux", "Le fichier dépasse 30 Mo.", "The file exceeds 30 MB.",
                        field="file", status_code=413)


def refused_type(role: str) -> ChoraleError:
    if role == "principal":
        return ChoraleError("pas_un_pdf", "Le fichier n'est pas un PDF : déposez la facture au format PDF.",
                            "The file is not a PDF: deposit the invoice as a PDF.", field="file", status_code=415)
    return ChoraleError("type_refuse", "Type de fichier refusé : les pièces jointes acceptées sont BMP, PNG, XML, CSV, TIF et PDF.",
                        "File type refused: attachments may be BMP, PNG, XML, CSV, TIF or PDF.", field="file", status_code=415)


async def store_upload(chunks: AsyncIterable[bytes], *, content_length: int | None, area: str) -> storage.StoredFile:
    """A request body saved under a new storage key of `area`; past 30 MB, a 413 and nothing kept."""
    if content_length is not None and content_length > MAX_UPLOAD_BYTES:
        raise too_large()
    try:
        return await storage.save_stream(chunks, key=storage.new_key(area), max_bytes=MAX_UPLOAD_BYTES)
    except storage.TooLarge:
        raise too_large() from None


def clean_name(name: str | None) -> str:
    """A display name only (files are stored under generated keys): no path, no control characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C").strip()
    return base[:255] or "fichier"


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
        raise ChoraleError("role_invalide", "Type de pièce inconnu.", "Unknown file role.", field="role", status_code=422)
    if structure_id is not None:
        await require(principal, structure_id=structure_id, application=Application.FACTURES_EMISES, level=Level.MODIFICATION)
    elif not await structures_for(principal, Application.FACTURES_EMISES, Level.MODIFICATION):
        raise Forbidden()
    stored = await store_upload(chunks, content_length=content_length, area="uploads")
    key = stored.key
    kind = sniff_type(stored.head)
    allowed = {"pdf"} if role == "principal" else ALLOWED_ATTACHMENT_TYPES
    if stored.size == 0 or kind not in allowed:
        storage.delete(key)
        raise refused_type(role)
    try:
        async with connection() as conn:
            row = await conn.fetchrow(
                """INSERT INTO invoice_file (role, original_name, content_type, size, sha256, storage_key, uploaded_by,
                                             structure_id, extraction_status)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *""",
                role, clean_name(name), CONTENT_TYPES[kind], stored.size, stored.sha256, key, principal.user_id,
                structure_id, "attente" if role == "principal" else None)
    except BaseException:
        storage.delete(key)
        raise
    answer = {**file_view(row), "extraction_status": row["extraction_status"], "kind": kind}
    if role == "principal":
        answer["job"] = await enqueue_extraction(row["id"], topic)
    return answer


async def enqueue_extraction(file_id: int, topic: str | None) -> str:
    job_id = f"extract:{file_id}"
    await (await get_arq()).enqueue_job("extract_upload", file_id, topic, _job_id=job_id)
    return job_id


async def upload_status(principal: Principal, file_id: int) -> dict[str, Any]:
    """An upload of the principal's not yet tied to an invoice, with its extraction state and result."""
    async with connection() as conn:
        row = await conn.fetchrow("SELECT * FROM invoice_file WHERE id = $1 AND invoice_id IS NULL AND uploaded_by = $2",
                                  file_id, principal.user_id)
    if row is None:
        raise NotFound("Fichier introuvable.", "File not found.")
    extraction = row["extraction"]
    return {**file_view(row), "extraction_status": row["extraction_status"],
            "extraction": json.loads(extraction) if isinstance(extraction, str) else extraction}


# The extraction job ------------------------------------------------------------------------------

_sync_redis = None


def publish_now(type: str, topics: list[str], data: dict[str, Any]) -> None:
    """Publish from inside a blocking computation (the PDF reading below), on a plain Redis connection."""
    global _sync_redis
    if _sync_redis is None:
        import redis

        _sync_redis = redis.Redis.from_url(get_settings().redis_url)
    _sync_redis.publish(CHANNEL, Event(type=type, topics=tuple(topics), data=data).to_json())


async def run_extraction(file_id: int, topic: str | None, job_id: str = "") -> str:
    """Read the uploaded PDF, publishing each step; idempotent (a finished file is only re-announced).

    The reading runs on the worker's event loop, not in a thread: pdfplumber holds the GIL, so a thread
    would run nothing else alongside it and only add hand-offs (measured: +25 ms on a 3-page PDF, see
    bench/extraction.py); at most three pages are read, which bounds the pause."""
    topics = topics_for(file_id, topic)
    async with connection() as conn:
        row = await conn.fetchrow("SELECT storage_key, extraction_status, extraction FROM invoice_file WHERE id = $1", file_id)
    if row is None:
        return "absent"
    if row["extraction_status"] == "pret":
        await _announce_ready(topics, file_id, job_id, row["extraction"])
        return "pret"
    if row["extraction_status"] == "echec":
        return "echec"
    total = len(STEPS)

    def on_step(step: str) -> None:
        if step != "pret":  # « prêt » is announced once the result is stored, so whoever reacts finds it
            publish_now("job.progress", topics, {"job": job_id, "file_id": file_id, "step": step,
                                                 "index": STEPS.index(step) + 1, "total": total})

    try:
        result = extract_invoice_fields(storage.path_for(row["storage_key"]), on_step)
    except ExtractionError as error:
        await _fail(file_id, row["storage_key"], topics, job_id, error.code, error.message_fr, error.message_en)
        return error.code
    except FileNotFoundError:
        await _fail(file_id, row["storage_key"], topics, job_id, "fichier_absent",
                    "Le fichier n'a pas été trouvé : déposez-le de nouveau.", "The file is missing: upload it again.")
        return "fichier_absent"
    extraction = result.to_dict()
    async with connection() as conn:
        await conn.execute("UPDATE invoice_file SET extraction_status = 'pret', extraction = $2 WHERE id = $1",
                           file_id, json.dumps(extraction))
    await _announce_ready(topics, file_id, job_id, extraction)
    return "pret"


async def _announce_ready(topics: list[str], file_id: int, job_id: str, extraction: Any) -> None:
    if isinstance(extraction, str):
        extraction = json.loads(extraction)
    await publish("job.progress", topics, {
        "job": job_id, "file_id": file_id, "step": "pret", "index": len(STEPS), "total": len(STEPS),
        "kind": (extraction or {}).get("kind"), "manual": (extraction or {}).get("kind") == "scanned",
        "message": (extraction or {}).get("message"), "message_en": (extraction or {}).get("message_en"),
        "found": sorted(((extraction or {}).get("fields") or {}).keys())})


async def _fail(file_id: int, key: str, topics: list[str], job_id: str, code: str, fr: str, en: str) -> None:
    """An unreadable PDF is not kept: its file goes at once; the row stays (until the orphan cleanup) with
    the reason, so an API client polling the upload learns why."""
    error = {"code": code, "message": fr, "message_en": en}
    async with connection() as conn:
        await conn.execute("UPDATE invoice_file SET extraction_status = 'echec', extraction = $2 WHERE id = $1 AND invoice_id IS NULL",
                           file_id, json.dumps({"error": error}))
    storage.delete(key)
    await publish("job.progress", topics, {"job": job_id, "file_id": file_id, "step": "echec", **error,
                                           "index": 0, "total": len(STEPS)})


# Cleanup -----------------------------------------------------------------------------------------

async def delete_orphan_uploads(older_than_hours: float = ORPHAN_HOURS, batch: int = 500) -> int:
    """Files uploaded for a deposit that never happened (cancelled, abandoned): rows then files."""
    removed = 0
    while True:
        async with connection() as conn:
            rows = await conn.fetch(
                """DELETE FROM invoice_file WHERE id IN (
                       SELECT id FROM invoice_file WHERE invoice_id IS NULL
                         AND created_at < now() - make_interval(secs => $1) ORDER BY created_at LIMIT $2)
                   RETURNING storage_key""", older_than_hours * 3600, batch)
        for row in rows:
            try:
                storage.delete(row["storage_key"])
            except storage.StorageError:
                log.warning("orphan upload with a bad storage key: %s", row["storage_key"])
        removed += len(rows)
        if len(rows) < batch:
            return removed
