"""EN 16931 and French-reform validation with the official schematron rules (XSLT 2.0, run by SaxonC-HE).

Each stylesheet is compiled once per process (≈0.4 s) and reused; a lock keeps one transformation at a
time per executable, which SaxonC requires. A stylesheet that raises on a document (a value its XPath
cannot convert, e.g. « 12,5 » as an amount) gives a report whose `error` says why: « validation
impossible », which depositing again cannot fix, never a technical failure.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from backend.domain.einvoice.reading import UnreadableInvoice, parse_invoice_xml

XSLT_DIR = Path(__file__).parent / "xslt"
STYLESHEETS = {"CII": XSLT_DIR / "EN16931-CII-validation.xslt", "UBL": XSLT_DIR / "EN16931-UBL-validation.xslt"}
FR_STYLESHEETS = {"CII": XSLT_DIR / "fr-ctc" / "BR-FR-Flux2-Schematron-CII.xslt",
                  "UBL": XSLT_DIR / "fr-ctc" / "BR-FR-Flux2-Schematron-UBL.xslt"}
LAYER_STYLESHEETS = {"en16931": STYLESHEETS, "fr": FR_STYLESHEETS}
SVRL = "http://purl.oclc.org/dsdl/svrl"
_lock = threading.Lock()
_compiled: dict[str, object] = {}
_processor = None


@dataclass(frozen=True)
class Violation:
    rule_id: str
    flag: str
    location: str
    text: str


@dataclass
class ValidationReport:
    syntax: str
    violations: list[Violation] = field(default_factory=list)
    layer: str = "en16931"          # "en16931" or "fr" (the French reform rules)
    error: str | None = None        # why the stylesheet could not run on this document

    @property
    def valid(self) -> bool:
        return self.error is None and not any(v.flag == "fatal" for v in self.violations)

    @property
    def fatal_rules(self) -> list[str]:
        return sorted({v.rule_id for v in self.violations if v.flag == "fatal"})


# Saxon reads only files (the bundled stylesheets): never http(s), whatever a document or stylesheet names.
ALLOWED_PROTOCOLS = "file"


def detect_syntax(xml: bytes) -> str | None:
    try:
        root = parse_invoice_xml(xml)
    except UnreadableInvoice:
        return None
    namespace = etree.QName(root).namespace or ""
    if "CrossIndustryInvoice" in namespace:
        return "CII"
    if namespace.startswith("urn:oasis:names:specification:ubl:schema:xsd:"):
        return "UBL"
    return None


def _executable(syntax: str, layer: str = "en16931"):
    global _processor
    key = f"{layer}:{syntax}"
    if key not in _compiled:
        from saxonche import PySaxonProcessor

        if _processor is None:
            processor = PySaxonProcessor(license=False)
            processor.set_configuration_property("http://saxon.sf.net/feature/allowedProtocols", ALLOWED_PROTOCOLS)
            _processor = processor
        _compiled[key] = _processor.new_xslt30_processor().compile_stylesheet(
            stylesheet_file=str(LAYER_STYLESHEETS[layer][syntax]))
    return _compiled[key]


def stylesheet_error(error: Exception) -> str:
    """Saxon's reason, without its stack of template rules: the first line that says what failed."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    reason = next((line for line in lines if not line.startswith(("Error at", "In template", "invoked by"))), "")
    return reason or (lines[0] if lines else type(error).__name__)


def validate_en16931(xml: bytes, syntax: str | None = None) -> ValidationReport:
    return validate_layer(xml, syntax, "en16931")


def validate_fr(xml: bytes, syntax: str | None = None) -> ValidationReport:
    """The French reform rules (BR-FR-*, XP Z12-012), run in addition to EN 16931."""
    return validate_layer(xml, syntax, "fr")


def validate_layer(xml: bytes, syntax: str | None, layer: str) -> ValidationReport:
    syntax = syntax or detect_syntax(xml)
    if syntax not in STYLESHEETS:
        return ValidationReport(syntax=str(syntax), layer=layer, violations=[Violation("syntaxe", "fatal", "/", "Ni CII ni UBL")])
    return validate_layers(parse_invoice_xml(xml), syntax, (layer,), xml=xml)[layer]


def _saxon_text(root: etree._Element, xml: bytes | None) -> str:
    """The text Saxon parses: what lxml parsed (no DOCTYPE: refused there), never anything lxml did not see.
    A UTF-8 document is handed over as its own text; another declared encoding (ISO-8859-1…) is serialised
    by lxml into text once, which also drops the declaration that no longer applies."""
    encoding = (root.getroottree().docinfo.encoding or "").upper()
    if xml is not None and encoding in ("UTF-8", "UTF8", ""):
        try:
            return xml.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    return etree.tostring(root, encoding="unicode")


def validate_layers(root: etree._Element, syntax: str, layers: tuple[str, ...], *, xml: bytes | None = None
                    ) -> dict[str, ValidationReport]:
    """Each layer's report on one parsed document (`root`, from parse_invoice_xml; `xml` its bytes, when at
    hand): Saxon parses it once and every layer's stylesheet runs on that one tree (issue 17's speed: the
    product's overhead over bare saxonche is the reading, not parsing and serialising again per layer)."""
    from saxonche import PySaxonApiError

    text = _saxon_text(root, xml)
    reports: dict[str, ValidationReport] = {}
    with _lock:
        try:
            executables = [(layer, _executable(syntax, layer)) for layer in layers]
            node = _processor.parse_xml(xml_text=text)
        except PySaxonApiError as error:
            return {layer: ValidationReport(syntax=syntax, layer=layer, error=stylesheet_error(error)) for layer in layers}
        outputs: dict[str, str | PySaxonApiError] = {}
        for layer, executable in executables:
            try:
                outputs[layer] = executable.transform_to_string(xdm_node=node)
            except PySaxonApiError as error:
                outputs[layer] = error
    for layer, output in outputs.items():
        if isinstance(output, PySaxonApiError):
            reports[layer] = ValidationReport(syntax=syntax, layer=layer, error=stylesheet_error(output))
            continue
        report = etree.fromstring(output.encode())
        violations = [
            Violation(rule_id=e.get("id", ""), flag=e.get("flag", "fatal"), location=e.get("location", ""),
                      text=" ".join("".join(e.itertext()).split()))
            for e in report.iter(f"{{{SVRL}}}failed-assert")]
        reports[layer] = ValidationReport(syntax=syntax, layer=layer, violations=violations)
    return reports
