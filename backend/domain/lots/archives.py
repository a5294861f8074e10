"""Reading a lot's archive (ZIP or TAR.GZ) from storage. Blocking: callers run these in a thread."""

from __future__ import annotations

import tarfile
import zipfile
from pathlib import Path

from backend.domain.lots.rules import ArchiveMember, LotRuleError


def _unreadable() -> LotRuleError:
    return LotRuleError("archive_illisible", "L'archive ne peut pas être ouverte : est-elle complète et non chiffrée ?",
                        "The archive cannot be opened: is it complete and not encrypted?")


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


def read_member(path: Path, kind: str, name: str, max_bytes: int) -> bytes:
    """One member's bytes (at most `max_bytes` + 1, so a size lied about in the directory is caught)."""
    try:
        if kind == "zip":
            with zipfile.ZipFile(path) as archive, archive.open(name) as member:
                return member.read(max_bytes + 1)
        with tarfile.open(path, "r:gz") as archive:
            member = archive.extractfile(name)
            if member is None:
                raise _unreadable()
            return member.read(max_bytes + 1)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError, ValueError, KeyError, RuntimeError, NotImplementedError):
        # RuntimeError: an encrypted ZIP member; NotImplementedError: an unsupported compression method.
        raise _unreadable() from None
