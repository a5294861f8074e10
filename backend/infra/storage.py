"""Uploaded files on disk under `settings.storage_dir`, addressed by opaque keys.

Keys are generated here (`<area>/<yyyy>/<mm>/<dd>/<hex>`), never taken from a file name, and every key is
checked again when it is turned into a path, so no stored value can reach outside the storage folder.
Files are written to a temporary name first and renamed once complete: a reader never sees half a file.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
import uuid
from collections.abc import AsyncIterable, Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from backend.settings import get_settings

_KEY = re.compile(r"[a-z0-9_-]{1,40}(/[a-z0-9_-]{1,64}){1,6}(\.[a-z0-9]{1,8})?")
HEAD_BYTES = 8192


class StorageError(Exception):
    pass


class TooLarge(StorageError):
    """The stream went past the allowed size; nothing was kept."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} bytes")
        self.limit = limit


@dataclass(frozen=True)
class StoredFile:
    key: str
    size: int
    sha256: str
    head: bytes  # the first bytes, for type sniffing without reading the file again


def root() -> Path:
    return get_settings().storage_dir


def new_key(area: str = "uploads", suffix: str = "") -> str:
    today = datetime.now(UTC)
    key = f"{area}/{today:%Y/%m/%d}/{uuid.uuid4().hex}{suffix}"
    check_key(key)
    return key


def check_key(key: str) -> str:
    if not isinstance(key, str) or not _KEY.fullmatch(key) or ".." in key:
        raise StorageError(f"invalid storage key {key!r}")
    return key


def path_for(key: str) -> Path:
    base = root().resolve()
    path = (base / check_key(key)).resolve()
    if not path.is_relative_to(base):
        raise StorageError(f"storage key {key!r} leaves the storage folder")
    return path


async def save_stream(chunks: AsyncIterable[bytes], *, key: str, max_bytes: int) -> StoredFile:
    """Write `chunks` to `key`, hashing as it goes and never holding more than one chunk in memory.

    Raises TooLarge as soon as more than `max_bytes` arrived; on any failure (too large, client gone)
    the partial file is removed before the exception propagates.
    """
    path = path_for(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    digest = hashlib.sha256()
    size = 0
    head = bytearray()
    try:
        with open(partial, "wb") as out:
            async for chunk in chunks:
                if not chunk:
                    continue
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(max_bytes)
                if len(head) < HEAD_BYTES:
                    head += chunk[: HEAD_BYTES - len(head)]
                digest.update(chunk)
                out.write(chunk)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return StoredFile(key=key, size=size, sha256=digest.hexdigest(), head=bytes(head))


def save_bytes(data: bytes, *, key: str) -> StoredFile:
    path = path_for(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data)
    os.replace(partial, path)
    return StoredFile(key=key, size=len(data), sha256=hashlib.sha256(data).hexdigest(), head=data[:HEAD_BYTES])


def delete(key: str) -> None:
    """Remove a stored file; a file already gone is not an error (deletes are retried by cleanup jobs)."""
    path_for(key).unlink(missing_ok=True)


def exists(key: str) -> bool:
    return path_for(key).is_file()


def iter_file(key: str, chunk_size: int = 64 * 1024):
    """Chunks of a stored file, for streaming responses."""
    with open(path_for(key), "rb") as source:
        while chunk := source.read(chunk_size):
            yield chunk


# Stray files: written, but their row never committed -----------------------------------------------

# A write's own failure removes its file (the callers' except blocks), but a process killed between the
# write and its transaction's commit (a worker stopped mid-lot, an app mid-upload) cannot: the sweep
# below finds such files. A file younger than the grace may still be waiting for its row.
STRAY_GRACE = timedelta(hours=1)


def keys_written_before(area: str, moment: float) -> Iterator[str]:
    """The keys of the files under `area` last written before `moment` (a time.time()), unfinished
    writes (`.part`) included."""
    if not re.fullmatch(r"[a-z0-9_-]{1,40}", area):
        raise StorageError(f"invalid storage area {area!r}")
    base = root().resolve()
    folder = base / area
    if not folder.is_dir():
        return
    for path in folder.rglob("*"):
        if path.is_file() and path.stat().st_mtime < moment:
            yield path.relative_to(base).as_posix()


async def sweep_stray(area: str, known: Callable[[list[str]], Awaitable[set[str]]], *,
                      older_than: timedelta = STRAY_GRACE, batch: int = 500) -> int:
    """Remove the files under `area` older than `older_than` whose key `known` (the slice's store: which
    of these keys a row holds) does not hold; returns how many went."""
    removed = 0
    keys = list(keys_written_before(area, time.time() - older_than.total_seconds()))
    for start in range(0, len(keys), batch):
        chunk = keys[start:start + batch]
        held = await known(chunk)
        for key in chunk:
            if key not in held:
                delete(key)
                removed += 1
    return removed
