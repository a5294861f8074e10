"""« XML mixte » (Chorus Pro's UBL Invoice Min / CII Min): an invoice XML carrying the minimum data and, as
an embedded attachment, the invoice's PDF, which is the document that makes the invoice (its main file).

Where the PDF sits is the syntax's own place for an embedded document: in UBL,
`cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject` (BT-125); in CII,
`ram:ApplicableHeaderTradeAgreement/ram:AdditionalReferencedDocument/ram:AttachmentBinaryObject` (BT-125), in
base64 with its `mimeCode` and `filename`. Other attachments (a delivery note, a timesheet) may sit beside it:
the first one declared `application/pdf` is the invoice; the others stay supporting documents.

Three outcomes a person can act on: no attachment at all, an attachment that is not a PDF, a PDF that
cannot be read. Pure apart from opening the PDF with pikepdf (blocking: call from a thread).
"""

from __future__ import annotations

import binascii
import io
import re
from base64 import b64decode
from dataclasses import dataclass

from lxml import etree

from backend.domain.einvoice.reading import NS, ROOTS, UnreadableInvoice

PDF_MIME = "application/pdf"
ATTACHMENTS = {
    "UBL": "cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject",
    "CII": "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:AdditionalReferencedDocument"
           "/ram:AttachmentBinaryObject",
}
_SPACES = re.compile(rb"\s+")


@dataclass(frozen=True)
class EmbeddedPdf:
    data: bytes
    filename: str | None  # as the XML names it (the `filename` attribute), when it does


def _syntax(root: etree._Element) -> str:
    syntax = next((name for name, tags in ROOTS.items() if root.tag in tags), None)
    if syntax is None:
        raise UnreadableInvoice("syntaxe_inconnue")
    return syntax


def embedded_pdf(root: etree._Element) -> EmbeddedPdf:
    """The invoice's PDF carried by an « XML mixte » (its parsed root), or UnreadableInvoice:
    `mixte_sans_pdf` (no embedded attachment), `mixte_pas_un_pdf` (attachments, none a PDF, or declared a PDF
    but holding something else), `mixte_pdf_illisible` (broken base64, or a PDF that cannot be opened)."""
    attachments = root.xpath(ATTACHMENTS[_syntax(root)], namespaces=NS)
    if not attachments:
        raise UnreadableInvoice("mixte_sans_pdf")
    pdfs = [a for a in attachments if (a.get("mimeCode") or "").strip().lower() == PDF_MIME]
    if not pdfs:
        found = ", ".join(sorted({(a.get("mimeCode") or "?").strip() for a in attachments}))
        raise UnreadableInvoice("mixte_pas_un_pdf", found=found)
    attachment = pdfs[0]
    try:
        data = b64decode(_SPACES.sub(b"", (attachment.text or "").encode("ascii")), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise UnreadableInvoice("mixte_pdf_illisible") from None
    if not data.lstrip()[:5] == b"%PDF-":
        raise UnreadableInvoice("mixte_pas_un_pdf", found=PDF_MIME)
    _check_opens(data)
    filename = (attachment.get("filename") or "").strip() or None
    return EmbeddedPdf(data, filename)


def _check_opens(pdf: bytes) -> None:
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            if len(document.pages) == 0:
                raise UnreadableInvoice("mixte_pdf_illisible")
    except UnreadableInvoice:
        raise
    except Exception:  # pikepdf raises many kinds on a broken file; every one means « cannot be read »
        raise UnreadableInvoice("mixte_pdf_illisible") from None
