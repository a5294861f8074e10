"""The invoice XML embedded in a PDF (Factur-X, ZUGFeRD), found among its attachments with pikepdf.

Three outcomes a person can act on, instead of « no Factur-X XML » for all of them: a PDF that cannot be
read at all, a PDF with no invoice XML, and a PDF with two invoice XMLs (e.g. ZUGFeRD 1 and Factur-X
side by side), which is ambiguous: which one is the invoice is not for the portal to guess.
"""

from __future__ import annotations

import io

# Names the Factur-X / ZUGFeRD / XRechnung specifications give the invoice XML attachment.
INVOICE_XML_NAMES = frozenset({"factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml", "order-x.xml"})


class PdfXmlProblem(Exception):
    """What is wrong with a PDF's invoice XML: a catalogue code (`error.<code>`) and its parameters."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code, self.params = code, params


def invoice_xmls(pdf: bytes) -> dict[str, bytes]:
    """Every invoice XML attachment of the PDF by file name; PdfXmlProblem when the PDF is unreadable."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            found = {}
            for name, attachment in document.attachments.items():
                filename = (attachment.filename or name or "").strip()
                if filename.lower() in INVOICE_XML_NAMES:
                    found[filename] = attachment.get_file().read_bytes()
            return found
    except (pikepdf.PdfError, ValueError, OSError, KeyError, AttributeError) as error:
        raise PdfXmlProblem("pdf_illisible") from error


def the_invoice_xml(pdf: bytes) -> bytes:
    """The one invoice XML of a Factur-X PDF, or PdfXmlProblem (unreadable, none, or more than one)."""
    found = invoice_xmls(pdf)
    if not found:
        raise PdfXmlProblem("facturx_sans_xml")
    if len(found) > 1:
        names = ", ".join(sorted(found))
        raise PdfXmlProblem("facturx_ambigu", names=names)
    return next(iter(found.values()))
