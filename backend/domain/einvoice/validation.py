"""EN 16931 validation with the official schematron rules (XSLT 2.0, run by SaxonC-HE).

Each stylesheet is compiled once per process (≈0.4 s) and reused; a lock keeps one transformation at a
time per executable, which SaxonC requires.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from backend.domain.einvoice.cii import safe_parser

XSLT_DIR = Path(__file__).parent / "xslt"
STYLESHEETS = {"CII": XSLT_DIR / "EN16931-CII-validation.xslt", "UBL": XSLT_DIR / "EN16931-UBL-validation.xslt"}
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

    @property
    def valid(self) -> bool:
        return not any(v.flag == "fatal" for v in self.violations)

    @property
    def fatal_rules(self) -> list[str]:
        return sorted({v.rule_id for v in self.violations if v.flag == "fatal"})


def detect_syntax(xml: bytes) -> str | None:
    try:
        root = etree.fromstring(xml, safe_parser())
    except etree.XMLSyntaxError:
        return None
    namespace = etree.QName(root).namespace or ""
    if "CrossIndustryInvoice" in namespace:
        return "CII"
    if namespace.startswith("urn:oasis:names:specification:ubl:schema:xsd:"):
        return "UBL"
    return None


def _executable(syntax: str):
    global _processor
    if syntax not in _compiled:
        from saxonche import PySaxonProcessor

        if _processor is None:
            _processor = PySaxonProcessor(license=False)
        _compiled[syntax] = _processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(STYLESHEETS[syntax]))
    return _compiled[syntax]


def validate_en16931(xml: bytes, syntax: str | None = None) -> ValidationReport:
    syntax = syntax or detect_syntax(xml)
    if syntax not in STYLESHEETS:
        return ValidationReport(syntax=str(syntax), violations=[Violation("syntaxe", "fatal", "/", "Ni CII ni UBL")])
    try:
        text = xml.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Another declared encoding (ISO-8859-1…): lxml reads the declaration, Saxon is given text.
        text = etree.tostring(etree.fromstring(xml, safe_parser()), encoding="unicode")
    with _lock:
        executable = _executable(syntax)
        node = _processor.parse_xml(xml_text=text)
        output = executable.transform_to_string(xdm_node=node)
    report = etree.fromstring(output.encode())
    violations = [
        Violation(rule_id=e.get("id", ""), flag=e.get("flag", "fatal"), location=e.get("location", ""),
                  text=" ".join("".join(e.itertext()).split()))
        for e in report.iter(f"{{{SVRL}}}failed-assert")]
    return ValidationReport(syntax=syntax, violations=violations)
