"""The three validation layers of an e-invoice, each reported on its own, and the Factur-X profile.

1. **XSD** of the syntax: UBL 2.1 (Invoice, CreditNote), or the CII schema of the document's Factur-X
   profile (the schemas shipped by the `factur-x` package);
2. **EN 16931**: the official schematron (CEN/TC 434);
3. **French rules** (BR-FR-*, XP Z12-012): warnings by default, blocking for a structure that opts in.

The profile is read from the XML's specification identifier (BT-24) and, for a PDF, from its XMP
(`fx:ConformanceLevel`); both are reported and a disagreement is an anomaly. MINIMUM and BASIC WL are not
EN 16931 invoices by design: reported as such, with what they lack, instead of a list of EN 16931 rules.
Blocking (lxml, Saxon): call from a thread.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

from backend.domain.einvoice.anomalies import grouped, validation_impossible
from backend.domain.einvoice.reading import NS, ROOTS, UnreadableInvoice, parse_invoice_xml, xml_from_facturx
from backend.domain.einvoice.validation import validate_layers

XSD_DIR = Path(__import__("facturx").__file__).parent / "xsd_and_schematron"
XSD = {"UBL:Invoice": "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd", "UBL:CreditNote": "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd",
       "MINIMUM": "facturx-minimum/Factur-X_MINIMUM.xsd", "BASIC WL": "facturx-basicwl/Factur-X_BASICWL.xsd",
       "BASIC": "facturx-basic/Factur-X_BASIC.xsd", "EN 16931": "facturx-en16931/Factur-X_EN16931.xsd",
       "EXTENDED": "facturx-extended/Factur-X_EXTENDED.xsd"}
BELOW_EN16931 = {"MINIMUM": ("il ne porte ni les lignes de facture (BG-25) ni la ventilation de TVA complète (BG-23) : "
                             "c'est un justificatif, pas une facture EN 16931",
                             "it carries neither invoice lines (BG-25) nor a complete VAT breakdown (BG-23): a receipt, "
                             "not an EN 16931 invoice"),
                 "BASIC WL": ("il ne porte pas les lignes de facture (BG-25) qu'exige la norme EN 16931",
                              "it carries no invoice lines (BG-25), which EN 16931 requires")}
XMP_NAMESPACES = ("urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#", "urn:zugferd:pdfa:CrossIndustryDocument:invoice:2p0#")
XMP_LEVELS = {"MINIMUM": "MINIMUM", "BASIC WL": "BASIC WL", "BASICWL": "BASIC WL", "BASIC": "BASIC", "EN 16931": "EN 16931",
              "EN16931": "EN 16931", "COMFORT": "EN 16931", "EXTENDED": "EXTENDED", "XRECHNUNG": "EN 16931"}


@dataclass
class Layer:
    name: str                       # "xsd", "en16931", "fr"
    status: str                     # "conforme", "non_conforme", "impossible", "non_applicable"
    blocking: bool
    anomalies: list[dict[str, Any]] = field(default_factory=list)

    def view(self) -> dict[str, Any]:
        return {"layer": self.name, "status": self.status, "blocking": self.blocking, "anomalies": self.anomalies}


@dataclass
class DocumentReport:
    syntax: str | None
    profile: str | None
    profile_xmp: str | None
    layers: list[Layer]
    anomalies: list[dict[str, Any]] = field(default_factory=list)  # about the file itself (unreadable, profile)

    @property
    def accepted(self) -> bool:
        refusing = [a for a in self.anomalies if a.get("severity") == "erreur"]
        return not refusing and not any(layer.blocking and layer.status in ("non_conforme", "impossible") for layer in self.layers)

    def errors(self) -> list[dict[str, Any]]:
        """What refuses the document: its own anomalies, then each blocking layer's errors."""
        found = [a for a in self.anomalies if a.get("severity") == "erreur"]
        for layer in self.layers:
            if layer.blocking:
                found += [a for a in layer.anomalies if a.get("severity") == "erreur"]
        return found

    def warnings(self) -> list[dict[str, Any]]:
        return [a for layer in self.layers for a in layer.anomalies if a.get("severity") != "erreur"] + [
            a for a in self.anomalies if a.get("severity") != "erreur"]

    def view(self) -> dict[str, Any]:
        return {"syntax": self.syntax, "profile": self.profile, "profile_xmp": self.profile_xmp, "accepted": self.accepted,
                "anomalies": self.anomalies, "layers": [layer.view() for layer in self.layers]}


def profile_of(root: etree._Element) -> str | None:
    """The Factur-X profile the specification identifier (BT-24) names; None for a document naming none."""
    ids = root.xpath("rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID/text() | "
                     "cbc:CustomizationID/text()", namespaces=NS)
    guideline = (ids[0] if ids else "").strip().lower()
    if not guideline:
        return None
    for marker, profile in ((":minimum", "MINIMUM"), (":basicwl", "BASIC WL"), (":extended", "EXTENDED"), (":basic", "BASIC")):
        if marker in guideline:
            return profile
    return "EN 16931"


def xmp_profile(pdf: bytes) -> str | None:
    """The profile the PDF's XMP declares (fx:ConformanceLevel), or None."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            meta = document.open_metadata()
            for namespace in XMP_NAMESPACES:
                level = meta.get(f"{{{namespace}}}ConformanceLevel")
                if level:
                    return XMP_LEVELS.get(str(level).strip().upper(), str(level).strip().upper())
    except Exception:  # an unreadable XMP is reported as none: the XML stays the reference
        return None
    return None


@cache
def _schema(key: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD_DIR / XSD[key])))


_XSD_PATTERNS = [
    (re.compile(r"Element '(?:\{[^}]*\})?([\w.-]+)': This element is not expected\. Expected is (?:one of )?\( ?(.+?) ?\)"),
     "L'élément {0} n'est pas attendu à cet endroit (attendu : {1}).", "Element {0} is not expected here (expected: {1})."),
    (re.compile(r"Element '(?:\{[^}]*\})?([\w.-]+)': This element is not expected\."),
     "L'élément {0} n'est pas attendu à cet endroit.", "Element {0} is not expected here."),
    (re.compile(r"Element '(?:\{[^}]*\})?([\w.-]+)': Missing child element\(s\)\. Expected is (?:one of )?\( ?(.+?) ?\)"),
     "Il manque dans {0} un élément obligatoire : {1}.", "{0} lacks a mandatory element: {1}."),
    (re.compile(r"Element '(?:\{[^}]*\})?([\w.-]+)': '(.*?)' is not a valid value"),
     "La valeur « {1} » de {0} n'a pas le type attendu.", "The value « {1} » of {0} is not of the expected type."),
    (re.compile(r"Element '(?:\{[^}]*\})?([\w.-]+)': No matching global declaration"),
     "L'élément racine {0} n'est pas celui d'une facture de cette syntaxe.", "The root element {0} is not an invoice's of this syntax."),
]


def _short(names: str) -> str:
    return ", ".join(re.sub(r"\{[^}]*\}", "", name).strip() for name in names.split(",")[:4])


def xsd_anomaly(message: str, line: int | None) -> dict[str, Any]:
    fr, en = f"Le fichier ne respecte pas le schéma XSD : {message}", f"The file does not follow the XSD: {message}"
    for pattern, fr_text, en_text in _XSD_PATTERNS:
        if match := pattern.search(message):
            values = [_short(v) for v in match.groups()]
            fr, en = fr_text.format(*values), en_text.format(*values)
            break
    return {"code": "schema_xsd", "rule": "XSD", "layer": "xsd", "severity": "erreur", "message": fr, "message_en": en,
            "terms": [], "field": None, "field_en": None, "hint": None, "hint_en": None, "count": 1,
            "places": [{"path": "", "line": line, "found": None}]}


def xsd_layer(root: etree._Element, syntax: str, profile: str | None) -> Layer:
    key = f"UBL:{etree.QName(root).localname}" if syntax == "UBL" else (profile or "EN 16931")
    schema = _schema(key)
    if schema.validate(root):
        return Layer("xsd", "conforme", True)
    groups: dict[str, dict[str, Any]] = {}
    for error in schema.error_log:
        anomaly = xsd_anomaly(error.message, error.line)
        if anomaly["message"] in groups:  # the same message on several lines: one group, its count and places
            group = groups[anomaly["message"]]
            group["count"] += 1
            if len(group["places"]) < 20:
                group["places"].append(anomaly["places"][0])
        else:
            groups[anomaly["message"]] = anomaly
    return Layer("xsd", "non_conforme", True, list(groups.values()))


def _layer_of(report, root: etree._Element, blocking: bool) -> Layer:
    if report.error is not None:
        return Layer(report.layer, "impossible", blocking, [validation_impossible(report.error)])
    groups = grouped(report, None, blocking=blocking, root=root)
    failed = any(v.flag == "fatal" for v in report.violations)
    return Layer(report.layer, "non_conforme" if failed else "conforme", blocking, groups)


def check_document(data: bytes, *, is_pdf: bool, french_blocking: bool = False) -> DocumentReport:
    """Every layer on one XML or Factur-X PDF. Raises UnreadableInvoice when there is no XML to check."""
    return check_xml(xml_from_facturx(data) if is_pdf else data, pdf=data if is_pdf else None, french_blocking=french_blocking)


def check_xml(xml: bytes, *, pdf: bytes | None = None, french_blocking: bool = False, minimum: bool = False,
              root: etree._Element | None = None) -> DocumentReport:
    """Every layer on an invoice XML (taken from `pdf` when it came in one, whose XMP is then checked).

    `minimum`: an « XML mixte », whose XML carries only the minimum data while its embedded PDF is the
    invoice (Chorus Pro's UBL Invoice Min / CII Min). Its XSD stays blocking (the data read from it must be
    where the syntax puts them); EN 16931 and the French rules are reported as warnings, and a MINIMUM profile
    is what such a file is expected to be, not a lack."""
    is_pdf = pdf is not None
    root = parse_invoice_xml(xml)
    syntax = next((name for name, tags in ROOTS.items() if root.tag in tags), None)
    if syntax is None:
        raise UnreadableInvoice("syntaxe_inconnue")
    profile = profile_of(root)
    declared = xmp_profile(pdf) if pdf is not None else None
    anomalies: list[dict[str, Any]] = []
    if is_pdf and declared and profile and declared != profile:
        anomalies.append({"code": "profil_incoherent", "severity": "erreur",
                          "message": f"Le profil Factur-X déclaré dans le PDF (XMP : {declared}) n'est pas celui du XML ({profile}).",
                          "message_en": f"The Factur-X profile the PDF declares (XMP: {declared}) is not the XML's ({profile})."})
    layers = [xsd_layer(root, syntax, profile if syntax == "CII" else None)]
    if profile in BELOW_EN16931 and minimum:
        layers += [Layer("en16931", "non_applicable", False), Layer("fr", "non_applicable", False)]
        return DocumentReport(syntax, profile, declared, layers, anomalies)
    if profile in BELOW_EN16931:
        fr, en = BELOW_EN16931[profile]
        anomalies.append({"code": "profil_insuffisant", "severity": "erreur", "profile": profile,
                          "message": f"Profil Factur-X {profile} : {fr}. Déposez la facture au profil EN 16931 (ou BASIC, EXTENDED).",
                          "message_en": f"Factur-X profile {profile}: {en}. Deposit the invoice in the EN 16931 profile (or BASIC, EXTENDED)."})
        layers += [Layer("en16931", "non_applicable", True), Layer("fr", "non_applicable", french_blocking)]
        return DocumentReport(syntax, profile, declared, layers, anomalies)
    reports = validate_layers(root, syntax, ("en16931", "fr"), xml=xml)
    layers.append(_layer_of(reports["en16931"], root, not minimum))
    layers.append(_layer_of(reports["fr"], root, french_blocking and not minimum))
    return DocumentReport(syntax, profile, declared, layers, anomalies)
