"""Reading an invoice PDF's fields for the deposit form, as the guide promises: the first three pages.

A Factur-X PDF carries its own XML, which is read instead of the text. Otherwise the text of the first
three pages is scanned for each field's keywords (a table, FIELD_RULES, easy to extend); a value on the
keyword's line right after it is surer than one further on, which is surer than one on the next line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from stdnum import iban as stdnum_iban
from stdnum.fr import siret as stdnum_siret

from backend.infra.files import sniff_type

MAX_PAGES = 3
STEPS = ("recu", "texte_lu", "champs_trouves", "pret")


@dataclass(frozen=True)
class ExtractedField:
    name: str
    value: str
    page: int | None
    source: str           # "facturx" | "text"
    snippet: str
    confidence: float

    def to_dict(self) -> dict:
        return {"value": self.value, "page": self.page, "source": self.source, "snippet": self.snippet,
                "confidence": round(self.confidence, 2)}


@dataclass
class ExtractionResult:
    fields: dict[str, ExtractedField] = field(default_factory=dict)
    kind: str = "text"    # "text" | "facturx" | "scanned"
    pages_read: int = 0
    message_fr: str | None = None
    message_en: str | None = None

    def value(self, name: str) -> str | None:
        found = self.fields.get(name)
        return found.value if found else None

    def to_dict(self) -> dict:
        return {"kind": self.kind, "pages_read": self.pages_read, "message": self.message_fr, "message_en": self.message_en,
                "fields": {name: f.to_dict() for name, f in self.fields.items()}}


class ExtractionError(Exception):
    MESSAGES = {
        "not_pdf": ("Le fichier n'est pas un PDF valide.", "The file is not a valid PDF."),
        "encrypted": ("Ce PDF est protégé par un mot de passe : déposez une version non chiffrée.",
                      "This PDF is password-protected: deposit an unencrypted version."),
        "corrupt": ("Ce PDF est endommagé et ne peut pas être lu.", "This PDF is damaged and cannot be read."),
    }

    def __init__(self, code: str) -> None:
        self.code = code
        self.message_fr, self.message_en = self.MESSAGES[code]
        super().__init__(self.message_fr)


SCANNED_FR = "Ce PDF ne contient pas de texte lisible (document numérisé ?) : saisissez les informations manuellement."
SCANNED_EN = "This PDF has no readable text (a scan?): type the information in by hand."

# Values --------------------------------------------------------------------------------------------

_AMOUNT = r"(-?\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?:,\d{2})|-?\d{1,3}(?:[ \u00a0\u202f,]\d{3})+(?:\.\d{2})|-?\d+[,.]\d{2})"
_DATE = (r"(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}(?:er)? (?:janvier|février|fevrier|mars|avril|mai|juin|"
         r"juillet|août|aout|septembre|octobre|novembre|décembre|decembre) \d{4})")
_MONTHS = {"janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "août": 8,
           "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12}


def parse_amount(raw: str) -> str | None:
    text = raw.replace("\u00a0", " ").replace("\u202f", " ").strip()
    if re.search(r",\d{2}$", text):          # French: 1 234,56 or 1.234,56
        text = text.replace(" ", "").replace(".", "").replace(",", ".")
    else:                                     # 1,234.56 or 1234.56
        text = text.replace(" ", "").replace(",", "")
    try:
        return str(Decimal(text).quantize(Decimal("0.01")))
    except InvalidOperation:
        return None


def parse_date(raw: str) -> str | None:
    raw = raw.strip().lower()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            return date.fromisoformat(raw).isoformat()
        found = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", raw)
        if found:
            return date(int(found[3]), int(found[2]), int(found[1])).isoformat()
        found = re.fullmatch(r"(\d{1,2})(?:er)? (\S+) (\d{4})", raw)
        if found and found[2] in _MONTHS:
            return date(int(found[3]), _MONTHS[found[2]], int(found[1])).isoformat()
    except ValueError:
        return None
    return None


def parse_siret(raw: str) -> str | None:
    digits = re.sub(r"\D", "", raw)
    return digits if len(digits) == 14 and stdnum_siret.is_valid(digits) else None


def parse_iban(raw: str) -> str | None:
    compact = re.sub(r"\s", "", raw).upper()
    return compact if stdnum_iban.is_valid(compact) else None


def parse_reference(raw: str) -> str | None:
    value = raw.strip().strip(":").strip()
    return value if 1 <= len(value) <= 50 and re.search(r"\d", value) else None


def parse_code(raw: str) -> str | None:
    value = raw.strip().strip(":").strip()
    return value or None


@dataclass(frozen=True)
class FieldRule:
    name: str
    keywords: str                      # a regex of the labels announcing the value
    value: str                         # a regex capturing the value
    parse: Callable[[str], str | None]


_SIRET_VALUE = r"(\d{3}[ \u00a0]?\d{3}[ \u00a0]?\d{3}[ \u00a0]?\d{5})"
_REF_VALUE = r"([A-Za-z0-9][A-Za-z0-9\-_/.]{1,49})"
FIELD_RULES: tuple[FieldRule, ...] = (
    FieldRule("recipient_siret", r"siret\s+(?:du\s+)?(?:client|destinataire)|destinataire|client|minist[eè]re|mairie|commune",
              _SIRET_VALUE, parse_siret),
    FieldRule("supplier_siret", r"siret(?:\s+(?:fournisseur|[ée]metteur))?|fournisseur|[ée]metteur", _SIRET_VALUE, parse_siret),
    FieldRule("invoice_number", r"facture\s*n[°o]|n[°o]\s*(?:de\s+)?facture|num[ée]ro\s+de\s+facture|invoice\s+(?:number|no)",
              _REF_VALUE, parse_reference),
    FieldRule("invoice_date", r"date\s+(?:de\s+(?:la\s+)?)?facture|date\s+d'[ée]mission|invoice\s+date|date|du\b", _DATE, parse_date),
    FieldRule("engagement_number", r"n[°o]\s*(?:d')?engagement|engagement|n[°o]\s*ej|\bej\b(?![-\w])|bon\s+de\s+commande|commande",
              _REF_VALUE, parse_reference),
    FieldRule("service_code", r"code\s+service", r"([A-Za-z0-9][A-Za-z0-9\-_]{0,99})", parse_code),
    FieldRule("total_ht", r"total\s+h\.?t\.?|montant\s+h\.?t\.?|total\s+hors\s+taxes|total\s+net|subtotal", _AMOUNT, parse_amount),
    FieldRule("total_tva", r"total\s+t\.?v\.?a\.?|montant\s+t\.?v\.?a\.?|t\.?v\.?a\.?(?:\s+\d+[,.]?\d*\s*%)?|vat", _AMOUNT, parse_amount),
    FieldRule("total_ttc", r"total\s+t\.?t\.?c\.?|montant\s+t\.?t\.?c\.?|total\s+toutes\s+taxes|total\s+due", _AMOUNT, parse_amount),
    FieldRule("net_a_payer", r"net\s+[àa]\s+payer|reste\s+[àa]\s+payer|amount\s+due", _AMOUNT, parse_amount),
    FieldRule("iban", r"iban", r"([A-Z]{2}\d{2}(?:[ \u00a0]?[A-Z0-9]){11,30})", parse_iban),
)
_COMPILED = [(rule, re.compile(rule.keywords, re.IGNORECASE), re.compile(rule.value)) for rule in FIELD_RULES]


def _scan(pages: list[str]) -> dict[str, ExtractedField]:
    found: dict[str, ExtractedField] = {}
    for rule, keyword, value_pattern in _COMPILED:
        best: ExtractedField | None = None
        for page_number, text in enumerate(pages, start=1):
            lines = text.splitlines()
            for index, line in enumerate(lines):
                for match in keyword.finditer(line):
                    candidates = []
                    rest = line[match.end():]
                    value = value_pattern.search(rest)
                    if value:
                        gap = rest[: value.start()].strip(" :\t-—#")
                        candidates.append((value, 0.9 if not gap else 0.7))
                    if index + 1 < len(lines):
                        # In columns, the value under a label is the one nearest its position.
                        below = sorted(value_pattern.finditer(lines[index + 1]), key=lambda m: abs(m.start() - match.start()))
                        candidates += [(m, 0.5) for m in below]
                    for candidate, confidence in candidates:
                        parsed = rule.parse(candidate.group(1))
                        if parsed is None or (rule.name == "supplier_siret" and found.get("recipient_siret")
                                              and parsed == found["recipient_siret"].value):
                            continue
                        if best is None or confidence > best.confidence:
                            best = ExtractedField(rule.name, parsed, page_number, "text", line.strip()[:120], confidence)
                        break
        if best is not None:
            found[rule.name] = best
    return found


def _cross_check(fields: dict[str, ExtractedField]) -> None:
    """When HT + TVA = TTC the three amounts back each other up."""
    try:
        ht, tva, ttc = (Decimal(fields[n].value) for n in ("total_ht", "total_tva", "total_ttc"))
    except (KeyError, InvalidOperation):
        return
    if ht + tva == ttc:
        for name in ("total_ht", "total_tva", "total_ttc"):
            f = fields[name]
            fields[name] = ExtractedField(f.name, f.value, f.page, f.source, f.snippet, min(1.0, f.confidence + 0.1))


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
    raw = path.read_bytes()
    # Cheap pre-check: a plain PDF has no embedded file, and then the Factur-X library is not needed.
    if b"/EmbeddedFile" not in raw and b"/EmbeddedFiles" not in raw:
        return None
    from facturx import get_xml_from_pdf

    try:
        _, xml = get_xml_from_pdf(raw, check_xsd=False)
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


# Entry point -------------------------------------------------------------------------------------

def extract_invoice_fields(path: Path, on_step: Callable[[str], None] | None = None) -> ExtractionResult:
    """Fields of the invoice in `path`; raises ExtractionError for a file that is not a readable PDF."""
    import pdfplumber

    step = on_step or (lambda _: None)
    path = Path(path)
    with path.open("rb") as handle:
        if sniff_type(handle.read(1024)) != "pdf":
            raise ExtractionError("not_pdf")
    xml = _embedded_xml(path)
    try:
        pdf = pdfplumber.open(path)
    except Exception as error:
        raise ExtractionError("encrypted" if _is_password_error(error, path) else "corrupt") from None
    with pdf:
        step("recu")
        if xml is not None:
            try:
                fields = _facturx_fields(xml)
            except Exception:
                fields = {}
            if fields:
                step("texte_lu")
                step("champs_trouves")
                step("pret")
                return ExtractionResult(fields=fields, kind="facturx", pages_read=0)
        try:
            pages = [page.extract_text() or "" for page in pdf.pages[:MAX_PAGES]]
        except Exception as error:
            raise ExtractionError("encrypted" if _is_password_error(error, path) else "corrupt") from None
    step("texte_lu")
    if not any(text.strip() for text in pages):
        step("champs_trouves")
        step("pret")
        return ExtractionResult(kind="scanned", pages_read=len(pages), message_fr=SCANNED_FR, message_en=SCANNED_EN)
    fields = _scan(pages)
    _cross_check(fields)
    if "€" in "".join(pages) or re.search(r"\bEUR\b", "".join(pages)):
        fields.setdefault("currency", ExtractedField("currency", "EUR", None, "text", "€", 0.8))
    step("champs_trouves")
    step("pret")
    return ExtractionResult(fields=fields, kind="text", pages_read=len(pages))
