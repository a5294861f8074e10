"""Reading the header of a received EN 16931 invoice: UBL 2.1 (Invoice, CreditNote) or UN/CEFACT CII D16B.

Pure: bytes in, values out. Each field is looked up through one XPath table per syntax (first path that
yields a non-empty text wins). A malformed date or amount reads as None so the caller can report the
field as missing; only a document that cannot be read at all raises UnreadableInvoice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from lxml import etree

from backend.domain.einvoice.cii import NS as CII_NS
from backend.domain.einvoice.cii import safe_parser
from backend.domain.einvoice.pdf_attachments import PdfXmlProblem, the_invoice_xml
from shared.errors import DomainError

UBL = "urn:oasis:names:specification:ubl:schema:xsd:"
NS = {**CII_NS, "cbc": f"{UBL}CommonBasicComponents-2", "cac": f"{UBL}CommonAggregateComponents-2"}
ROOTS = {"UBL": {f"{{{UBL}Invoice-2}}Invoice", f"{{{UBL}CreditNote-2}}CreditNote"},
         "CII": {f"{{{CII_NS['rsm']}}}CrossIndustryInvoice"}}
DATES = {"UBL": re.compile(r"(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})?"), "CII": re.compile(r"(\d{8})")}
AMOUNT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
SIRET = re.compile(r"\d{14}")
SIRET_SCHEME = "0009"
AMOUNTS = frozenset({"total_ht", "total_tva", "total_ttc", "net_a_payer"})

_SELLER, _BUYER = "cac:AccountingSupplierParty/cac:Party", "cac:AccountingCustomerParty/cac:Party"
_TOTALS = "cac:LegalMonetaryTotal"
_HEAD, _DEAL = "rsm:ExchangedDocument", "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement"
_SETTLE = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
_SUM = f"{_SETTLE}/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
# Field -> XPaths tried in order, relative to the root. For a *_siret field: (BT-30 legal id, BT-29/46 party id).
# $currency is BT-5, read before total_tva.
PATHS: dict[str, dict[str, tuple[str, ...]]] = {
    "UBL": {
        "type_code": ("cbc:InvoiceTypeCode", "cbc:CreditNoteTypeCode"),
        "number": ("cbc:ID",),
        "invoice_date": ("cbc:IssueDate",),
        "currency": ("cbc:DocumentCurrencyCode",),
        "supplier_name": (f"{_SELLER}/cac:PartyLegalEntity/cbc:RegistrationName",),
        "supplier_siret": (f"{_SELLER}/cac:PartyLegalEntity/cbc:CompanyID", f"{_SELLER}/cac:PartyIdentification/cbc:ID"),
        "recipient_name": (f"{_BUYER}/cac:PartyLegalEntity/cbc:RegistrationName",),
        "recipient_siret": (f"{_BUYER}/cac:PartyLegalEntity/cbc:CompanyID", f"{_BUYER}/cac:PartyIdentification/cbc:ID"),
        "service_code": ("cbc:BuyerReference",),
        "engagement_number": ("cac:OrderReference/cbc:ID",),
        "contract_reference": ("cac:ContractDocumentReference/cbc:ID",),
        "total_ht": (f"{_TOTALS}/cbc:TaxExclusiveAmount",),
        "total_tva": ("cac:TaxTotal/cbc:TaxAmount[@currencyID = $currency]", "cac:TaxTotal[cac:TaxSubtotal]/cbc:TaxAmount"),
        "total_ttc": (f"{_TOTALS}/cbc:TaxInclusiveAmount",),
        "net_a_payer": (f"{_TOTALS}/cbc:PayableAmount",),
    },
    "CII": {
        "type_code": (f"{_HEAD}/ram:TypeCode",),
        "number": (f"{_HEAD}/ram:ID",),
        "invoice_date": (f"{_HEAD}/ram:IssueDateTime/udt:DateTimeString[@format = '102']",),
        "currency": (f"{_SETTLE}/ram:InvoiceCurrencyCode",),
        "supplier_name": (f"{_DEAL}/ram:SellerTradeParty/ram:Name",),
        "supplier_siret": (f"{_DEAL}/ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID",
                           f"{_DEAL}/ram:SellerTradeParty/ram:ID | {_DEAL}/ram:SellerTradeParty/ram:GlobalID"),
        "recipient_name": (f"{_DEAL}/ram:BuyerTradeParty/ram:Name",),
        "recipient_siret": (f"{_DEAL}/ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID",
                            f"{_DEAL}/ram:BuyerTradeParty/ram:ID | {_DEAL}/ram:BuyerTradeParty/ram:GlobalID"),
        "service_code": (f"{_DEAL}/ram:BuyerReference",),
        "engagement_number": (f"{_DEAL}/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID",),
        "contract_reference": (f"{_DEAL}/ram:ContractReferencedDocument/ram:IssuerAssignedID",),
        "total_ht": (f"{_SUM}/ram:TaxBasisTotalAmount",),
        "total_tva": (f"{_SUM}/ram:TaxTotalAmount[@currencyID = $currency]", f"{_SUM}/ram:TaxTotalAmount[not(@currencyID)]"),
        "total_ttc": (f"{_SUM}/ram:GrandTotalAmount",),
        "net_a_payer": (f"{_SUM}/ram:DuePayableAmount",),
    },
}


class UnreadableInvoice(DomainError):
    """An XML (or Factur-X PDF) that cannot be read as an invoice."""


@dataclass(frozen=True)
class ReadInvoice:
    syntax: str                      # "UBL" or "CII"
    type_code: str                   # BT-3: 380 invoice, 381 credit note...
    number: str | None               # BT-1
    invoice_date: date | None        # BT-2
    currency: str | None             # BT-5
    supplier_name: str | None        # BT-27
    supplier_siret: str | None       # BT-30 / BT-29, 14 digits
    recipient_name: str | None       # BT-44
    recipient_siret: str | None      # BT-47 / BT-46, 14 digits
    service_code: str | None         # BT-10 buyer reference (Chorus Pro service code)
    engagement_number: str | None    # BT-13 purchase order reference (Chorus Pro "numéro d'engagement")
    contract_reference: str | None   # BT-12
    total_ht: Decimal | None         # BT-109
    total_tva: Decimal | None        # BT-110, in the document currency
    total_ttc: Decimal | None        # BT-112
    net_a_payer: Decimal | None      # BT-115


def _text(element: etree._Element) -> str | None:
    return element.xpath("string()").strip() or None


def _first(root: etree._Element, paths: tuple[str, ...], currency: str) -> str | None:
    for path in paths:
        for element in root.xpath(path, namespaces=NS, currency=currency):
            if (text := _text(element)) is not None:
                return text
    return None


def _siret(root: etree._Element, paths: tuple[str, ...]) -> str | None:
    """The scheme-0009 legal id, else the scheme-0009 party id, else any of them that is 14 digits."""
    ids = [(e.get("schemeID"), "".join((_text(e) or "").split())) for path in paths for e in root.xpath(path, namespaces=NS)]
    candidates = [value for scheme, value in ids if scheme == SIRET_SCHEME] + [value for _, value in ids]
    return next((value for value in candidates if SIRET.fullmatch(value)), None)


def _date(syntax: str, text: str | None) -> date | None:
    match = DATES[syntax].fullmatch(text or "")
    try:
        return date.fromisoformat(match.group(1)) if match else None
    except ValueError:
        return None


def _amount(text: str | None) -> Decimal | None:
    return Decimal(text) if text and AMOUNT.fullmatch(text) else None




def parse_invoice_xml(xml: bytes) -> etree._Element:
    """The document's root, parsed without loading anything, or UnreadableInvoice.

    Any DOCTYPE is refused, not only entities: a SYSTEM identifier is a URL that Saxon (the validator) would
    fetch from the worker (an SSRF), and internal entities would be expanded by XPath. No invoice needs one.
    """
    try:
        root = etree.fromstring(xml, safe_parser())
    except (etree.XMLSyntaxError, ValueError):
        raise UnreadableInvoice('xml_illisible') from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.system_url or docinfo.public_id:
        raise UnreadableInvoice("xml_illisible", variant="doctype")  # the code callers know, the reason in the text
    return root


def read_invoice(xml: bytes) -> ReadInvoice:
    return read_parsed(parse_invoice_xml(xml))


def read_parsed(root: etree._Element) -> ReadInvoice:
    """read_invoice on a document already parsed by parse_invoice_xml (parsed once, read and checked)."""
    # The root element says the syntax (parsing the bytes again to ask validation.detect_syntax would not).
    syntax = next((name for name, tags in ROOTS.items() if root.tag in tags), None)
    if syntax is None:
        raise UnreadableInvoice('syntaxe_inconnue')
    values: dict[str, object] = {"syntax": syntax}
    for name, paths in PATHS[syntax].items():
        if name.endswith("_siret"):
            values[name] = _siret(root, paths)
            continue
        text = _first(root, paths, str(values.get("currency") or ""))
        values[name] = _date(syntax, text) if name == "invoice_date" else _amount(text) if name in AMOUNTS else text
    values["type_code"] = values["type_code"] or ""  # BT-3 is mandatory; "" lets the caller report it
    return ReadInvoice(**values)  # type: ignore[arg-type]


def xml_from_facturx(pdf: bytes) -> bytes:
    """The PDF's one invoice XML; UnreadableInvoice says whether the PDF is unreadable, has none or two."""
    try:
        return the_invoice_xml(pdf)
    except PdfXmlProblem as problem:
        raise UnreadableInvoice(problem.code, **problem.params) from None
