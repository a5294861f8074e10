"""An uploaded file streamed to storage and checked by content: the limits every upload shares (invoice
files, lots, sollicitations, a structure's pièces-jointes). Moved from invoices/uploads.py so that slices
below invoices (structures) use the same checks without importing it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import AsyncIterable

from litestar.response import Stream

from backend.infra import storage
from backend.infra.errors import DomainError
from backend.infra.files import ALLOWED_ATTACHMENT_TYPES, MAX_UPLOAD_BYTES, sniff_type
from backend.infra.request_body import content_disposition


def too_large() -> DomainError:
    return DomainError('fichier_trop_volumineux', "file", status_code=413)


async def store_upload(chunks: AsyncIterable[bytes], *, content_length: int | None, area: str) -> storage.StoredFile:
    """A request body saved under a new storage key of `area`; past 30 MB, a 413 and nothing kept."""
    if content_length is not None and content_length > MAX_UPLOAD_BYTES:
        raise too_large()
    try:
        return await storage.save_stream(chunks, key=storage.new_key(area), max_bytes=MAX_UPLOAD_BYTES)
    except storage.TooLarge:
        raise too_large() from None


async def store_attachment(chunks: AsyncIterable[bytes], *, content_length: int | None, area: str) -> tuple[storage.StoredFile, str]:
    """`store_upload` for a pièce jointe: BMP, PNG, XML, CSV, TIFF or PDF by content, not empty; refused
    (415) with nothing kept. Returns the stored file and its type."""
    stored = await store_upload(chunks, content_length=content_length, area=area)
    kind = sniff_type(stored.head)
    if stored.size == 0 or kind not in ALLOWED_ATTACHMENT_TYPES:
        storage.delete(stored.key)
        raise DomainError('type_refuse', "file", status_code=415)
    return stored, kind


def clean_name(name: str | None) -> str:
    """A display name only (files are stored under generated keys): no path, no control characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C").strip()
    return base[:255] or "fichier"


def stored_download(key: str, *, content_type: str, name: str, size: int) -> Stream:
    """A stored file streamed back as it was uploaded, as an attachment the browser never sniffs."""
    return Stream(storage.iter_file(key), media_type=content_type, headers={
        "Content-Disposition": content_disposition(name), "Content-Length": str(size), "X-Content-Type-Options": "nosniff"})
