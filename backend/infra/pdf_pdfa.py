"""PDF/A-3 (part 3, conformance B) for every PDF the product generates: the Factur-X visual, the deposit
certificate, the lot's integration report.

reportlab draws the pages (fonts embedded by `pdf_fonts`); this step adds what PDF/A-3 asks of the file
and reportlab does not write: an sRGB OutputIntent (the ICC profile in `icc/`, licence beside it), and an
XMP packet that declares PDF/A-3B and agrees with the document information dictionary (title, author,
subject, keywords, producer, creator tool, dates — a reader compares them). What the XMP already holds is
kept: the Factur-X extension schema and `fx:ConformanceLevel` written by the factur-x library stay.
Blocking (pikepdf): call from a thread where it matters.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

ICC_PROFILE = Path(__file__).parent / "icc" / "sRGB.icc"
OUTPUT_CONDITION = "sRGB IEC61966-2.1"
PRODUCER = "Chorale (reportlab, pikepdf)"
PDF_LANG = {"fr": "fr-FR", "en": "en-GB"}  # the document language (/Lang) of each interface language


@cache
def _icc() -> bytes:
    return ICC_PROFILE.read_bytes()


def _add_output_intent(document) -> None:
    import pikepdf

    profile = pikepdf.Stream(document, _icc())
    profile["/N"] = 3  # RGB: three components
    intent = pikepdf.Dictionary(Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1,
                                OutputConditionIdentifier=OUTPUT_CONDITION, Info=OUTPUT_CONDITION,
                                RegistryName="http://www.color.org", DestOutputProfile=profile)
    document.Root.OutputIntents = pikepdf.Array([document.make_indirect(intent)])


def make_pdfa3(pdf: bytes, *, title: str, author: str = "Chorale", subject: str | None = None,
               keywords: str | None = None, lang: str = "fr-FR") -> bytes:
    """The same PDF, made PDF/A-3B: OutputIntent, language, and an XMP agreeing with its information."""
    import pikepdf

    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        _add_output_intent(document)
        if "/Lang" not in document.Root:
            document.Root.Lang = lang
        # Only the keys written below, the XMP mirroring each (PDF/A: the two must agree); /Trapped and the
        # like, which reportlab or the factur-x library add, would have no XMP twin.
        for key in list(document.docinfo.keys()):
            del document.docinfo[key]
        with document.open_metadata(set_pikepdf_as_editor=False, update_docinfo=True) as meta:
            meta["pdfaid:part"] = "3"
            meta["pdfaid:conformance"] = "B"
            meta["dc:title"] = title
            meta["dc:creator"] = [author]
            if subject:
                meta["dc:description"] = subject
            if keywords:
                meta["pdf:Keywords"] = keywords
            meta["pdf:Producer"] = PRODUCER
            meta["xmp:CreatorTool"] = PRODUCER
            meta["xmp:CreateDate"] = meta.get("xmp:CreateDate") or now
            meta["xmp:ModifyDate"] = now
            meta["xmp:MetadataDate"] = now
        out = io.BytesIO()
        # A trailer /ID is required by PDF/A; qpdf writes one. Object streams are PDF 1.5+, fine for PDF/A-3.
        document.save(out, min_version="1.7")
    return out.getvalue()
