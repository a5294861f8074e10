"""Reading a lot's archive (ZIP or TAR.GZ) from storage. Blocking: callers run these in a thread."""

from __future__ import annotations

import tarfile
import tempfile
import zipfile
import zlib
from pathlib import Path

from backend.domain.lots.rules import MAX_ENTRIES, MAX_UNPACKED_BYTES, ArchiveMember, LotRuleError


def _unreadable() -> LotRuleError:
    return LotRuleError('archive_illisible')


def members(path: Path, kind: str) -> list[ArchiveMember]:
    """Every member, from the archive's directory (a TAR.GZ is read through once, nothing is kept)."""
    try:
        if kind == "zip":
            with zipfile.ZipFile(path) as archive:
                return [ArchiveMember(info.filename, info.file_size, not info.is_dir()) for info in archive.infolist()]
        with tarfile.open(path, "r:gz") as archive:
            # Links, devices and folders are not invoices: only regular files count.
            return [ArchiveMember(member.name, member.size, member.isfile()) for member in archive.getmembers()]
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError, ValueError):
        raise _unreadable() from None


# What a TAR.GZ may unpack to: its members (the lot's limit) plus tar's own headers and padding (512 bytes
# and up to 511 more per member, with room for long-name records).
MAX_TAR_BYTES = MAX_UNPACKED_BYTES + MAX_ENTRIES * 4096 + (1 << 20)
_CHUNK = 1 << 20
# The unpacked tar stays in memory up to this size, then goes to a temporary file (worker RSS stays bounded).
_IN_MEMORY = 32 * 1024 * 1024


def _gunzipped(path: Path) -> tempfile.SpooledTemporaryFile:
    """The TAR.GZ's tar, decompressed in one pass by zlib (C) in 1 MB steps, bounded by MAX_TAR_BYTES: tarfile's
    own gzip stream reads it 512 bytes at a time through Python, ≈2.5× slower than the same lot as a ZIP."""
    out = tempfile.SpooledTemporaryFile(max_size=_IN_MEMORY)
    inflater, total = zlib.decompressobj(wbits=31), 0  # 31: the gzip wrapper
    try:
        with open(path, "rb") as source:
            while pending := source.read(_CHUNK):
                while pending:
                    # At most what is still allowed, plus one byte to see a bomb (max_length stays ≥ 1: 0 is « no limit »).
                    data = inflater.decompress(pending, MAX_TAR_BYTES + 1 - total)
                    total += len(data)
                    if total > MAX_TAR_BYTES:
                        raise _unreadable()
                    out.write(data)
                    pending = inflater.unconsumed_tail
                if inflater.eof:
                    break  # a second gzip member or trailing bytes: tar's end is in the first
        if not inflater.eof:
            raise _unreadable()  # truncated
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


class Reader:
    """Reads a lot's members in archive order with the archive opened once: a ZIP by its directory, a
    TAR.GZ decompressed once (gzip cannot seek: opening it again per member decompressed everything before
    that member each time, ≈80 s for 500 members) then read as a plain tar. `read(name)` for names in
    archive order."""

    def __init__(self, path: Path, kind: str) -> None:
        self.kind = kind
        self._tar_file = None
        try:
            if kind == "zip":
                self._archive = zipfile.ZipFile(path)
            else:
                self._tar_file = _gunzipped(path)
                self._archive = tarfile.open(fileobj=self._tar_file, mode="r:")
        except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError, ValueError, zlib.error):
            if self._tar_file is not None:
                self._tar_file.close()
            raise _unreadable() from None
        self._stream = None if kind == "zip" else iter(self._archive)

    def read(self, name: str, max_bytes: int) -> bytes:
        try:
            if self.kind == "zip":
                with self._archive.open(name) as member:
                    return member.read(max_bytes + 1)
            for member in self._stream:
                if member.name == name and member.isfile():
                    return self._archive.extractfile(member).read(max_bytes + 1)
            raise _unreadable()
        except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError, ValueError, KeyError, RuntimeError, NotImplementedError):
            raise _unreadable() from None

    def close(self) -> None:
        self._archive.close()
        if self._tar_file is not None:
            self._tar_file.close()
