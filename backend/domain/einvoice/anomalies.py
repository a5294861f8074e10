"""Readable anomalies: a validation report turned into what a supplier can act on.

Every failed rule once, with the catalogue's French and English explanation, the business terms and the
form's field; each place it failed (a readable path and the line in the file), the value found there
and, for the sums EN 16931 checks and the decimals it limits, the value expected. Duplicates collapse
into one group with their count; no violation is dropped (only the listed places stop at
MAX_PLACES, the count stays exact). Pure: the document's bytes and the report in, dicts out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from lxml import etree

from backend.domain.einvoice.business_terms import form_field, term_label
from backend.domain.einvoice.cii import safe_parser
from backend.domain.einvoice.reading import NS
from backend.domain.einvoice.rule_catalogue import explain
from backend.domain.einvoice.rule_skeleton import FR_PREFIX
from backend.domain.einvoice.validation import ValidationReport, Violation
import shared.i18n_reports  # noqa: F401  (registers the anomaly texts)
from shared.i18n import pick, t

MAX_PLACES = 20
CENT = Decimal("0.01")
_STEP = re.compile(r"\*:([\w.-]+)\[namespace-uri\(\)='([^']*)'\](\[\d+\])?|@([\w:.-]+)|([\w.-]+:)?([\w.-]+)(\[\d+\])?")

# The amounts the computed rules compare, per syntax (relative to the root).
_U, _C = "cac:LegalMonetaryTotal/cbc:", "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement/"
_CS = f"{_C}ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:"
AMOUNT_PATHS: dict[str, dict[str, str]] = {
    "UBL": {"BT-106": f"{_U}LineExtensionAmount", "BT-107": f"{_U}AllowanceTotalAmount", "BT-108": f"{_U}ChargeTotalAmount",
            "BT-109": f"{_U}TaxExclusiveAmount", "BT-110": "cac:TaxTotal[cac:TaxSubtotal]/cbc:TaxAmount",
            "BT-112": f"{_U}TaxInclusiveAmount", "BT-113": f"{_U}PrepaidAmount", "BT-114": f"{_U}PayableRoundingAmount",
            "BT-115": f"{_U}PayableAmount", "BT-131": "cac:InvoiceLine/cbc:LineExtensionAmount | cac:CreditNoteLine/cbc:LineExtensionAmount",
            "BT-117": "cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount"},
    "CII": {"BT-106": f"{_CS}LineTotalAmount", "BT-107": f"{_CS}AllowanceTotalAmount", "BT-108": f"{_CS}ChargeTotalAmount",
            "BT-109": f"{_CS}TaxBasisTotalAmount", "BT-110": f"{_CS}TaxTotalAmount[1]", "BT-112": f"{_CS}GrandTotalAmount",
            "BT-113": f"{_CS}TotalPrepaidAmount", "BT-114": f"{_CS}RoundingAmount", "BT-115": f"{_CS}DuePayableAmount",
            "BT-131": "rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeSettlement/"
                      "ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
            "BT-117": f"{_C}ram:ApplicableTradeTax/ram:CalculatedAmount"},
}


def _sum(root: etree._Element, syntax: str, term: str) -> Decimal:
    total = Decimal("0")
    for element in root.xpath(AMOUNT_PATHS[syntax][term], namespaces=NS):
        try:
            total += Decimal((element.text or "0").strip())
        except InvalidOperation:
            pass
    return total


# rule -> (the term checked, how its expected value is computed from the others)
COMPUTED: dict[str, tuple[str, Callable[[Callable[[str], Decimal]], Decimal]]] = {
    "BR-CO-10": ("BT-106", lambda v: v("BT-131")),
    "BR-CO-13": ("BT-109", lambda v: v("BT-131") - v("BT-107") + v("BT-108")),
    "BR-CO-14": ("BT-110", lambda v: v("BT-117")),
    "BR-CO-15": ("BT-112", lambda v: v("BT-109") + v("BT-110")),
    "BR-CO-16": ("BT-115", lambda v: v("BT-112") - v("BT-113") + v("BT-114")),
}


def readable_path(location: str) -> str:
    """`/*:Invoice[namespace-uri()='…'][1]/*:LegalMonetaryTotal[…][1]` -> `Invoice/LegalMonetaryTotal`
    (positions kept only past the first: `InvoiceLine[2]`)."""
    steps = []
    for match in _STEP.finditer(location):
        name, position = (match.group(1), match.group(3)) if match.group(1) else (match.group(6), match.group(7))
        if match.group(4):
            steps.append(f"@{match.group(4)}")
        elif name:
            steps.append(name + (position if position and position != "[1]" else ""))
    return "/".join(steps) or "/"


def _lxml_xpath(location: str) -> str:
    """The SVRL location (XPath 2.0 `*:name` steps) as XPath 1.0 lxml can evaluate."""
    return re.sub(r"\*:([\w.-]+)\[namespace-uri\(\)='([^']*)'\]", r"*[local-name()='\1'][namespace-uri()='\2']", location)


def _place(root: etree._Element | None, location: str) -> dict[str, Any]:
    place: dict[str, Any] = {"path": readable_path(location), "line": None, "found": None}
    if root is None or not location.startswith("/"):
        return place
    try:
        found = root.getroottree().xpath(_lxml_xpath(location))
    except etree.XPathError:
        return place
    node = found[0] if found else None
    if isinstance(node, etree._Element):
        place["line"] = node.sourceline
        if len(node) == 0 and (node.text or "").strip():
            place["found"] = node.text.strip()[:200]
    elif node is not None:  # an attribute: its value, the line of its element
        place["found"] = str(node)[:200]
        parent = node.getparent()
        place["line"] = parent.sourceline if parent is not None else None
    return place


def _expected(rule_id: str, root: etree._Element | None, syntax: str, place: dict[str, Any]) -> str | None:
    if rule_id.startswith(("BR-DEC-", "BR-FR-DEC-01")) and place.get("found"):
        try:
            return str(Decimal(place["found"]).quantize(CENT, ROUND_HALF_UP))
        except InvalidOperation:
            return None
    if rule_id in COMPUTED and root is not None and syntax in AMOUNT_PATHS:
        term, compute = COMPUTED[rule_id]
        expected = compute(lambda t: _sum(root, syntax, t))
        place["term"] = term
        # The rule fires on an ancestor (the invoice, the totals): point at the amount it checks.
        checked = root.xpath(AMOUNT_PATHS[syntax][term], namespaces=NS)
        if checked:
            place.update(path=element_path(checked[0]), line=checked[0].sourceline, found=(checked[0].text or "").strip())
        elif place.get("found") is None:
            place["found"] = str(_sum(root, syntax, term))
        return str(expected)
    return None


def element_path(element: etree._Element) -> str:
    """The element's readable path (local names, a position only among same-named siblings past the first)."""
    steps = []
    while element is not None:
        name = etree.QName(element).localname
        parent = element.getparent()
        position = [e for e in parent if e.tag == element.tag].index(element) + 1 if parent is not None else 1
        steps.append(name + (f"[{position}]" if position > 1 else ""))
        element = parent
    return "/".join(reversed(steps))


def grouped(report: ValidationReport, xml: bytes | None, *, blocking: bool | None = None,
            root: etree._Element | None = None) -> list[dict[str, Any]]:
    """The report's violations grouped by rule, in order of first appearance.

    `blocking` says whether this layer's failures refuse the invoice (None: its fatal flags do); `root`: the
    document already parsed (else `xml` is parsed to find each place)."""
    if root is None and xml is not None:
        try:
            root = etree.fromstring(xml, safe_parser())
        except (etree.XMLSyntaxError, ValueError):
            root = None
    groups: dict[str, dict[str, Any]] = {}
    for violation in report.violations:
        group = groups.get(violation.rule_id)
        if group is None:
            group = groups[violation.rule_id] = _group(violation, report.layer, blocking)
        group["count"] += 1
        if len(group["places"]) < MAX_PLACES:
            place = _place(root, violation.location)
            expected = _expected(violation.rule_id, root, report.syntax, place)
            if expected is not None and expected != place.get("found"):
                place["expected"] = expected
            group["places"].append(place)
    return list(groups.values())


def _group(violation: Violation, layer: str, blocking: bool | None) -> dict[str, Any]:
    info = explain(violation.rule_id, violation.text)
    severity = ("erreur" if violation.flag == "fatal" else "avertissement") if blocking is None else (
        "erreur" if blocking and violation.flag == "fatal" else "avertissement")
    # A French rule's own message carries the value found: the first occurrence's text is the explanation.
    fr = violation.text if layer == "fr" and violation.text else info.fr
    if layer == "fr":
        fr = FR_PREFIX.sub("", " ".join(fr.split()))
    return {"code": f"regle_{layer}", "rule": violation.rule_id, "layer": layer, "severity": severity, "message": fr, "message_en": info.en,
            # Terms and field by their catalogue ids (the reader's language picks: `term_text`, `field_text`);
            # the texts beside them serve the readers of reports stored before, and the JSON download.
            "terms": [{"id": term, "label": term_label(term), "label_en": term_label(term, "en")} for term in info.terms],
            "field_term": info.field_term, "field": info.field_fr, "field_en": info.field_en, "hint": info.hint_fr, "hint_en": info.hint_en,
            "count": 0, "places": []}


def validation_impossible(reason: str) -> dict[str, Any]:
    """The anomaly of a document the official stylesheet itself cannot run on: depositing the same file
    again fails the same way, so the message says what to correct, never « try again »."""
    return {"code": "validation_impossible", "severity": "erreur", "reason": reason,
            "message": t("anomaly.validation_impossible", "fr", reason=reason),
            "message_en": t("anomaly.validation_impossible", "en", reason=reason)}


def field_text(anomaly: dict[str, Any], lang: str) -> str | None:
    """The form field an anomaly names, in `lang`: from the catalogue by its term, else as a report stored
    before the catalogue kept it (`field`, `field_en`)."""
    if anomaly.get("field_term"):
        return form_field([anomaly["field_term"]], lang)
    return pick((anomaly.get("field"), anomaly.get("field_en") or anomaly.get("field")), lang)
