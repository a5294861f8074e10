"""Reading an invoice PDF's fields for the deposit form, as the guide promises: the first three pages.

A Factur-X PDF carries its own XML, which is read instead of the text. Otherwise the words of the first
three pages, with their places, are read by the layout-aware finder (reading/): labels, their values to the
right or below, consistency between candidates. The words come from pdfium's characters grouped by
pdfplumber's rules (reading/words.py), ≈10× faster than pdfplumber itself, which stays the fallback.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from backend.domain.invoices.reading.finder import THRESHOLD, find_fields
from backend.domain.invoices.reading.layout import Page, Word, shown_box
from backend.domain.invoices.reading.words import X_TOLERANCE, Y_TOLERANCE, Char, words_of
from backend.domain.invoices import ocr
from backend.infra.files import sniff_type
from shared.errors import DomainError

MAX_PAGES = 3
# Kinds of reading whose form the supplier fills in by hand: no text in the PDF, or a PDF over the limits.
MANUAL_KINDS = ("scanned", "unreadable")
STEPS = ("recu", "texte_lu", "champs_trouves", "pret")


@dataclass(frozen=True)
class ExtractedField:
    name: str
    value: str
    page: int | None
    source: str           # "facturx" | "text"
    snippet: str
    confidence: float
    box: tuple[float, float, float, float] | None = None   # fractions of the page: x0, top, x1, bottom
    role: str | None = None                                # a SIRET's: "supplier", "recipient" or None

    def to_dict(self) -> dict:
        found = {"value": self.value, "page": self.page, "source": self.source, "snippet": self.snippet,
                 "confidence": round(self.confidence, 2)}
        if self.box is not None:
            found["box"] = list(self.box)
        if self.confidence < THRESHOLD:
            found["low"] = True  # not prefilled: shown as a hint
        if self.role is not None:
            found["role"] = self.role
        return found


@dataclass
class ExtractionResult:
    fields: dict[str, ExtractedField] = field(default_factory=dict)
    kind: str = "text"    # "text" | "facturx" | "ocr" | "scanned"
    pages_read: int = 0
    sirets: list[ExtractedField] = field(default_factory=list)  # every SIRET seen, with its role
    message_fr: str | None = None
    message_en: str | None = None

    def value(self, name: str) -> str | None:
        found = self.fields.get(name)
        return found.value if found else None

    def to_dict(self) -> dict:
        return {"kind": self.kind, "pages_read": self.pages_read, "message": self.message_fr, "message_en": self.message_en,
                "fields": {name: f.to_dict() for name, f in self.fields.items()},
                "sirets": [f.to_dict() for f in self.sirets]}


class ExtractionError(DomainError):
    """A PDF that cannot be read: `not_pdf`, `encrypted` or `corrupt` (texts under error.<code>)."""


SCANNED_FR = "Ce PDF ne contient pas de texte lisible (document numérisé ?) : saisissez les informations manuellement."
SCANNED_EN = "This PDF has no readable text (a scan?): type the information in by hand."

# Characters recognised on an image are never sure: every field read by OCR stays below « sure ».
OCR_CONFIDENCE = 0.65
OCR_FR = "Ce PDF est une image : son texte a été reconnu automatiquement (OCR). Vérifiez chaque champ."
OCR_EN = "This PDF is an image: its text was recognised automatically (OCR). Check every field."

UNREADABLE_FR = ("Lecture impossible : ce PDF demande trop de mémoire ou de temps pour être lu. "
                 "Saisissez les informations manuellement.")
UNREADABLE_EN = "Could not read this PDF: it needs too much memory or time. Type the information in by hand."


def unreadable() -> ExtractionResult:
    """What the form gets for a PDF over the reading's limits (reading_pool): no fields, typed by hand."""
    return ExtractionResult(kind="unreadable", message_fr=UNREADABLE_FR, message_en=UNREADABLE_EN)


# Text ------------------------------------------------------------------------------------------

def _plumber_pages(pdf) -> list[Page]:
    """The words of the first pages with their boxes, by pdfplumber (pure-Python pdfminer): the fallback for
    a PDF pdfium refuses (and the judge of why it is unreadable) or finds no text in."""
    pages = []
    for number, page in enumerate(pdf.pages[:MAX_PAGES], start=1):
        words = tuple(Word(w["text"], float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]))
                      for w in page.extract_words(x_tolerance=X_TOLERANCE, y_tolerance=Y_TOLERANCE))
        pages.append(Page(number, float(page.width), float(page.height), words))
    return pages


def _pdfium_pages(pdf) -> list[Page]:
    """The words of the first pages by pdfium's characters, grouped as pdfplumber groups them (reading/words.py):
    ≈10× faster than pdfplumber. A page shown turned (/Rotate) is read as written, its lines level (pdfplumber
    turned them, and read a landscape invoice's lines as vertical words); its fields' boxes are turned after."""
    pages = []
    for index in range(min(len(pdf), MAX_PAGES)):
        page = pdf[index]
        try:
            rotation = page.get_rotation() % 360
            left, bottom, right, top = page.get_mediabox()
            text = page.get_textpage()
            try:
                chars = _pdfium_chars(text.raw, left, top)
            finally:
                text.close()
        finally:
            page.close()
        pages.append(Page(index + 1, float(right - left), float(top - bottom), tuple(words_of(chars)), rotation))
    return pages


def _pdfium_chars(text, left: float, top: float) -> list[Char]:
    """A text page's characters in pdfplumber's terms: from the media box's top-left corner, an upright
    character as tall as its font size (pdfminer's box; pdfium's loose box adds the font's ascent)."""
    import ctypes

    import pypdfium2.raw as pdfium

    box, matrix = pdfium.FS_RECTF(), pdfium.FS_MATRIX()
    box_ref, matrix_ref = ctypes.byref(box), ctypes.byref(matrix)
    unicode, generated, loose_box = pdfium.FPDFText_GetUnicode, pdfium.FPDFText_IsGenerated, pdfium.FPDFText_GetLooseCharBox
    char_matrix, font_size = pdfium.FPDFText_GetMatrix, pdfium.FPDFText_GetFontSize
    chars: list[Char] = []
    for index in range(pdfium.FPDFText_CountChars(text)):
        code = unicode(text, index)
        if generated(text, index):
            # pdfium writes the content's own space between two runs as one it generated, and adds line
            # breaks: a space is kept (it ends a word, as the content's space does in pdfplumber), where the
            # previous character ends and on its line, so that it sorts right after it
            if code == 0x20 and chars:
                previous = chars[-1]
                chars.append(Char(" ", previous.x1, previous.top, previous.x1, previous.bottom, previous.upright))
            continue
        loose_box(text, index, box_ref)
        char_matrix(text, index, matrix_ref)
        upright = matrix.a * matrix.d > 0 and matrix.b * matrix.c <= 0  # pdfminer's « upright »
        char_bottom = top - box.bottom
        char_top = char_bottom - font_size(text, index) * math.hypot(matrix.c, matrix.d) if upright else top - box.top
        chars.append(Char(_pdfium_text(code), box.left - left, char_top, box.right - left, char_bottom, upright))
    return chars


# pdfium's marks: 0x02 a hyphen ending a line (pdfminer keeps « - »), 0 or 0xFFFE a glyph without Unicode
_PDFIUM_MARKS = {0x02: "-", 0: "", 0xFFFE: ""}


def _pdfium_text(code: int) -> str:
    if code in _PDFIUM_MARKS:
        return _PDFIUM_MARKS[code]
    # pdfium counts in UTF-16: a character past U+FFFF (an emoji, a symbol) comes as half of a surrogate pair
    return "" if 0xD800 <= code < 0xE000 else chr(code)


def _fields_of(pages: list[Page], source: str, cap: float = 1.0) -> tuple[dict[str, ExtractedField], list[ExtractedField]]:
    found, sirets = find_fields(pages)
    rotations = {page.number: page.rotation for page in pages}

    def convert(item) -> ExtractedField:
        box = shown_box(item.box, rotations.get(item.page, 0)) if item.box is not None else None
        return ExtractedField(item.name, item.value, item.page, source, item.snippet[:120], min(item.confidence, cap) if cap < 1 else item.confidence,
                              box, item.role)

    return {name: convert(item) for name, item in found.items()}, [convert(item) for item in sirets]


# Factur-X --------------------------------------------------------------------------------------

# The embedded XML's fields, named as the text scan names them (see extracted.py).
_FROM_XML = {"invoice_number": "number", "invoice_date": "invoice_date", "engagement_number": "engagement_number",
             "service_code": "service_code", "total_ht": "total_ht", "total_tva": "total_tva", "total_ttc": "total_ttc",
             "net_a_payer": "net_a_payer", "currency": "currency", "supplier_siret": "supplier_siret",
             "recipient_siret": "recipient_siret"}


def _facturx_fields(xml: bytes) -> dict[str, ExtractedField]:
    from backend.domain.einvoice.reading import read_invoice

    read = read_invoice(xml)
    found: dict[str, ExtractedField] = {}
    for name, attribute in _FROM_XML.items():
        value = getattr(read, attribute)
        if value is not None and value != "":
            text = value.isoformat() if name == "invoice_date" else str(value)
            found[name] = ExtractedField(name, text, None, "facturx", f"{attribute}: {text}"[:120], 1.0)
    return found


def _embedded_xml(path: Path) -> bytes | None:
    """The Factur-X XML of a PDF that has attachments (pdfium counted them: no scan of the whole file)."""
    from facturx import get_xml_from_pdf

    try:
        _, xml = get_xml_from_pdf(path.read_bytes(), check_xsd=False)
    except Exception:
        return None
    return xml or None


def _is_password_error(error: Exception, path: Path) -> bool:
    """pdfplumber wraps pdfminer's errors; an unreadable PDF with an /Encrypt dictionary needs a password."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    inner = error.args[0] if error.args and isinstance(error.args[0], Exception) else error
    if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)) or isinstance(error, (PDFPasswordIncorrect, PDFEncryptionError)):
        return True
    with path.open("rb") as handle:
        return b"/Encrypt" in handle.read()


def _reraise_out_of_memory(error: Exception) -> None:
    """pdfplumber wraps pdfminer's errors, a MemoryError included: a PDF over the reading's memory limit
    (reading_pool) is not a damaged one."""
    if isinstance(error, MemoryError) or (error.args and isinstance(error.args[0], MemoryError)):
        raise MemoryError() from None


# Reading the PDF -------------------------------------------------------------------------------

def _read_pdfium(path: Path, read_xml: bool) -> tuple[list[Page] | None, bytes | None]:
    """(the pages' words, the embedded Factur-X XML) by pdfium; no pages when pdfium refuses the file."""
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError:  # damaged or encrypted: pdfplumber judges which (_read_plumber)
        return None, None
    try:
        xml = _embedded_xml(path) if read_xml and pdf.count_attachments() else None
        try:
            return _pdfium_pages(pdf), xml  # an XML without fields leaves the text to read
        except pypdfium2.PdfiumError:
            return None, xml
    finally:
        pdf.close()


def _read_plumber(path: Path) -> list[Page]:
    """The pages' words by pdfplumber; ExtractionError for a PDF it cannot read either."""
    import pdfplumber

    try:
        with pdfplumber.open(path) as pdf:
            return _plumber_pages(pdf)
    except Exception as error:
        _reraise_out_of_memory(error)
        raise ExtractionError("encrypted" if _is_password_error(error, path) else "corrupt") from None


# Entry point -------------------------------------------------------------------------------------

def extract_invoice_fields(path: Path, on_step: Callable[[str], None] | None = None, *, read_xml: bool = True) -> ExtractionResult:
    """Fields of the invoice in `path`; raises ExtractionError for a file that is not a readable PDF.
    `read_xml=False` reads a Factur-X PDF's text as any other (the corpus uses their layouts).

    The words come from pdfium; pdfplumber reads what pdfium refuses (and says why it is unreadable) and a
    PDF in which pdfium finds no text, before it is taken for a scan."""
    step = on_step or (lambda _: None)
    path = Path(path)
    with path.open("rb") as handle:
        if sniff_type(handle.read(1024)) != "pdf":
            raise ExtractionError("not_pdf")
    pages, xml = _read_pdfium(path, read_xml)
    if xml is not None:
        try:
            fields = _facturx_fields(xml)
        except Exception:
            fields = {}
        if fields:
            for name in STEPS:
                step(name)
            return ExtractionResult(fields=fields, kind="facturx", pages_read=0)
    if not pages or not any(page.words for page in pages):
        try:
            pages = _read_plumber(path)
        except ExtractionError:
            if not pages:  # pdfium refused it or found no page: unreadable, and pdfplumber said why
                raise
            # pdfium read its pages and found no text where pdfplumber cannot read: a scan, for the OCR
    step("recu")
    step("texte_lu")
    kind = "text"
    if not any(page.words for page in pages):
        pages_read = len(pages)
        pages = ocr.read_pages(path, MAX_PAGES)
        fields, sirets = _fields_of(pages, "ocr", OCR_CONFIDENCE) if any(page.words for page in pages) else ({}, [])
        if not set(fields) - {"currency", "kind"}:  # nothing recognised (or no Tesseract): typed by hand
            step("champs_trouves")
            step("pret")
            return ExtractionResult(kind="scanned", pages_read=pages_read, message_fr=SCANNED_FR, message_en=SCANNED_EN)
        kind = "ocr"
    else:
        fields, sirets = _fields_of(pages, kind)
    step("champs_trouves")
    step("pret")
    return ExtractionResult(fields=fields, kind=kind, pages_read=len(pages), sirets=sirets,
                            message_fr=OCR_FR if kind == "ocr" else None, message_en=OCR_EN if kind == "ocr" else None)
