"""What an uploaded file is, by its content (never by its name), and the upload limits."""

from __future__ import annotations

import re

MAX_UPLOAD_BYTES = 30 * 1024 * 1024
ALLOWED_ATTACHMENT_TYPES = frozenset({"bmp", "png", "xml", "csv", "tiff", "pdf"})
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "bmp": "image/bmp", "tiff": "image/tiff",
                 "xml": "application/xml", "csv": "text/csv", "zip": "application/zip"}

_HTML = re.compile(r"<!doctype\s+html|<html[\s>/]|<(?:head|body|script|iframe|svg)[\s>/]|http://www\.w3\.org/1999/xhtml",
                   re.IGNORECASE)

# Without a declaration, a root element that is namespaced (`<rsm:…`, `<Invoice xmlns=…`) or a UBL `<Invoice`:
# any text with a colon in its first line (« <p>voir http://… ») is not XML.
_XML_ROOT = re.compile(r"<(?:[A-Za-z_][\w.-]*:[A-Za-z_]|[A-Za-z_][\w.-]*\s[^>]*\bxmlns\b|Invoice\b)")


def sniff_type(head: bytes) -> str | None:
    """The type of a file from its first bytes (a kilobyte is plenty)."""
    # At byte 0, as PDF/A (hence Factur-X) requires: readers that look through the first kilobyte would
    # take an executable with `%PDF-` at byte 64 for a PDF, and store it as one.
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"BM") and len(head) > 14:
        return "bmp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):  # the second: an empty archive
        return "zip"
    text = _as_text(head)
    if text is None:
        return None
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("<") and _HTML.search(stripped):
        return None  # HTML or XHTML: a browser runs its scripts, even served as application/xml
    if stripped.startswith("<?xml") or _XML_ROOT.match(stripped):
        return "xml"
    lines = [line for line in stripped.splitlines()[:6] if line.strip()][:5]
    for separator in (";", "\t", ","):
        counts = {line.count(separator) for line in lines}
        if len(lines) >= 2 and len(counts) == 1 and counts.pop() > 0:
            return "csv"
    return None


def _as_text(head: bytes) -> str | None:
    if b"\x00" in head:
        return None
    for encoding in ("utf-8", "latin-1"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            # a multi-byte character cut at the end of the sample is not a reason to refuse
            try:
                text = head[:-3].decode(encoding)
            except UnicodeDecodeError:
                continue
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
        return text if text and printable / len(text) > 0.95 else None
    return None
