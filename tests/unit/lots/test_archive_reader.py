"""A lot's archive is read with one opening: a TAR.GZ decompressed in a single bounded pass, whatever its size."""

from __future__ import annotations

import tarfile

import pytest

from backend.domain.lots import archives
from backend.domain.lots.rules import LotRuleError
from tests.support.lots import archive


@pytest.mark.parametrize("kind", ["zip", "tar.gz"])
def test_members_are_read_in_order_with_the_archive_opened_once(tmp_path, monkeypatch, kind):
    files = {f"f{i:03d}.xml": f"<i n='{i}'/>".encode() * 50 for i in range(300)}
    path = tmp_path / "lot"
    path.write_bytes(archive(files, kind))
    opened = []
    real_open = tarfile.open
    monkeypatch.setattr(tarfile, "open", lambda *a, **k: opened.append(a) or real_open(*a, **k))
    reader = archives.Reader(path, kind)
    try:
        assert [reader.read(name, 10_000) for name in files] == list(files.values())
    finally:
        reader.close()
    assert len(opened) == (1 if kind == "tar.gz" else 0)


def test_a_member_missing_from_the_stream_is_unreadable_and_a_broken_archive_too(tmp_path):
    path = tmp_path / "lot.tar.gz"
    path.write_bytes(archive({"a.xml": b"<a/>"}, "tar.gz"))
    reader = archives.Reader(path, "tar.gz")
    with pytest.raises(LotRuleError):
        reader.read("absent.xml", 100)
    reader.close()
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 nothing")
    with pytest.raises(LotRuleError):
        archives.Reader(broken, "zip")


def test_a_truncated_or_oversized_tar_gz_is_unreadable_and_nothing_is_left_behind(tmp_path, monkeypatch):
    import os

    content = archive({f"f{i}.xml": os.urandom(2000) for i in range(50)}, "tar.gz")
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(content[: len(content) // 2])
    with pytest.raises(LotRuleError) as refused:
        archives.Reader(truncated, "tar.gz")
    assert refused.value.code == "archive_illisible"
    # A « bomb »: more unpacked than the lot's limits allow is refused while decompressing, not after.
    bomb = tmp_path / "bomb.tar.gz"
    bomb.write_bytes(archive({"big.xml": b"0" * 3_000_000}, "tar.gz"))
    monkeypatch.setattr(archives, "MAX_TAR_BYTES", 1_000_000)
    written = []
    real = archives.tempfile.SpooledTemporaryFile

    def spy(*args, **kwargs):
        file = real(*args, **kwargs)
        written.append(file)
        return file

    monkeypatch.setattr(archives.tempfile, "SpooledTemporaryFile", spy)
    with pytest.raises(LotRuleError):
        archives.Reader(bomb, "tar.gz")
    assert written and all(f.closed for f in written)  # the partial tar is dropped at once
    monkeypatch.setattr(archives, "MAX_TAR_BYTES", 10_000_000)
    reader = archives.Reader(bomb, "tar.gz")
    try:
        assert reader.read("big.xml", 4_000_000) == b"0" * 3_000_000
    finally:
        reader.close()
