"""UN/CEFACT Cross Industry Invoice (D16B) for the Factur-X EN 16931 profile."""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from backend.domain.einvoice.model import InvoiceDocument, Party

NS = {"rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
      "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
      "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
      "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"}
GUIDELINE = "urn:cen.eu:en16931:2017"


def _el(parent, tag: str, text: str | None = None, **attrs) -> etree._Element:
    prefix, name = tag.split(":")
    element = etree.SubElement(parent, f"{{{NS[prefix]}}}{name}", **attrs)
    if text is not None:
        element.text = text
    return element


def _amount(value: Decimal) -> str:
    return f"{Decimal(value):.2f}"


def _quantity(value: Decimal) -> str:
    return format(Decimal(value).normalize(), "f")


def _party(parent, tag: str, party: Party) -> None:
    """A party as the French reform wants it: its SIRET as identifier (BT-29/46, scheme 0009), its SIREN as
    legal registration (BT-30/47, scheme 0002, BR-FR-10) and as electronic address (BT-34/49, scheme 0225,
    BR-FR-12/13)."""
    element = _el(parent, tag)
    siren = party.siret[:9] if party.siret else None
    if party.siret:
        _el(element, "ram:GlobalID", party.siret, schemeID="0009")
    _el(element, "ram:Name", party.name)
    if siren:
        _el(_el(element, "ram:SpecifiedLegalOrganization"), "ram:ID", siren, schemeID="0002")
    address = _el(element, "ram:PostalTradeAddress")
    if party.postcode:
        _el(address, "ram:PostcodeCode", party.postcode)
    if party.address:
        _el(address, "ram:LineOne", party.address)
    if party.city:
        _el(address, "ram:CityName", party.city)
    _el(address, "ram:CountryID", party.country_code)
    if siren:
        _el(_el(element, "ram:URIUniversalCommunication"), "ram:URIID", siren, schemeID="0225")
    if party.vat_id:
        _el(_el(element, "ram:SpecifiedTaxRegistration"), "ram:ID", party.vat_id, schemeID="VA")


def to_cii_xml(doc: InvoiceDocument) -> bytes:
    doc.check()
    root = etree.Element(f"{{{NS['rsm']}}}CrossIndustryInvoice", nsmap=NS)
    context = _el(root, "rsm:ExchangedDocumentContext")
    _el(_el(context, "ram:BusinessProcessSpecifiedDocumentContextParameter"), "ram:ID", doc.business_process)
    _el(_el(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", GUIDELINE)
    header = _el(root, "rsm:ExchangedDocument")
    _el(header, "ram:ID", doc.number)
    _el(header, "ram:TypeCode", doc.type_code)
    _el(_el(header, "ram:IssueDateTime"), "udt:DateTimeString", doc.issue_date.strftime("%Y%m%d"), format="102")
    for note in doc.notes:
        _el(_el(header, "ram:IncludedNote"), "ram:Content", note)
    for subject, text in doc.legal_notes:
        legal = _el(header, "ram:IncludedNote")
        _el(legal, "ram:Content", text)
        _el(legal, "ram:SubjectCode", subject)

    transaction = _el(root, "rsm:SupplyChainTradeTransaction")
    for line in doc.lines:
        item = _el(transaction, "ram:IncludedSupplyChainTradeLineItem")
        _el(_el(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", line.line_id)
        _el(_el(item, "ram:SpecifiedTradeProduct"), "ram:Name", line.description)
        agreement = _el(item, "ram:SpecifiedLineTradeAgreement")
        _el(_el(agreement, "ram:NetPriceProductTradePrice"), "ram:ChargeAmount", _quantity(line.unit_price))
        _el(_el(item, "ram:SpecifiedLineTradeDelivery"), "ram:BilledQuantity", _quantity(line.quantity), unitCode=line.unit_code)
        settlement = _el(item, "ram:SpecifiedLineTradeSettlement")
        tax = _el(settlement, "ram:ApplicableTradeTax")
        _el(tax, "ram:TypeCode", "VAT")
        _el(tax, "ram:CategoryCode", line.vat_category)
        _el(tax, "ram:RateApplicablePercent", _quantity(line.vat_rate))
        if line.discount:
            allowance = _el(settlement, "ram:SpecifiedTradeAllowanceCharge")
            _el(_el(allowance, "ram:ChargeIndicator"), "udt:Indicator", "false")
            _el(allowance, "ram:ActualAmount", _amount(line.discount))
            _el(allowance, "ram:Reason", "Remise")
        _el(_el(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation"), "ram:LineTotalAmount", _amount(line.net_amount))

    agreement = _el(transaction, "ram:ApplicableHeaderTradeAgreement")
    if doc.buyer_reference:
        _el(agreement, "ram:BuyerReference", doc.buyer_reference)
    _party(agreement, "ram:SellerTradeParty", doc.seller)
    _party(agreement, "ram:BuyerTradeParty", doc.buyer)
    if doc.purchase_order_reference:
        _el(_el(agreement, "ram:BuyerOrderReferencedDocument"), "ram:IssuerAssignedID", doc.purchase_order_reference)
    _el(transaction, "ram:ApplicableHeaderTradeDelivery")

    settlement = _el(transaction, "ram:ApplicableHeaderTradeSettlement")
    _el(settlement, "ram:InvoiceCurrencyCode", doc.currency)
    if doc.iban:
        means = _el(settlement, "ram:SpecifiedTradeSettlementPaymentMeans")
        _el(means, "ram:TypeCode", "58")  # SEPA credit transfer
        _el(_el(means, "ram:PayeePartyCreditorFinancialAccount"), "ram:IBANID", doc.iban)
    for vat in doc.vat_breakdown:
        tax = _el(settlement, "ram:ApplicableTradeTax")
        _el(tax, "ram:CalculatedAmount", _amount(vat.amount))
        _el(tax, "ram:TypeCode", "VAT")
        if vat.exemption_reason:
            _el(tax, "ram:ExemptionReason", vat.exemption_reason)
        _el(tax, "ram:BasisAmount", _amount(vat.base))
        _el(tax, "ram:CategoryCode", vat.category)
        _el(tax, "ram:RateApplicablePercent", _quantity(vat.rate))
    terms = _el(settlement, "ram:SpecifiedTradePaymentTerms")
    _el(terms, "ram:Description", doc.payment_terms or "Paiement à 30 jours")
    if doc.due_date:
        _el(_el(terms, "ram:DueDateDateTime"), "udt:DateTimeString", doc.due_date.strftime("%Y%m%d"), format="102")
    totals = _el(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _el(totals, "ram:LineTotalAmount", _amount(doc.line_total))
    _el(totals, "ram:TaxBasisTotalAmount", _amount(doc.total_ht))
    _el(totals, "ram:TaxTotalAmount", _amount(doc.total_tva), currencyID=doc.currency)
    _el(totals, "ram:GrandTotalAmount", _amount(doc.total_ttc))
    if doc.prepaid:
        _el(totals, "ram:TotalPrepaidAmount", _amount(doc.prepaid))
    _el(totals, "ram:DuePayableAmount", _amount(doc.net_a_payer))
    if doc.preceding_invoice_reference:
        preceding = _el(settlement, "ram:InvoiceReferencedDocument")
        _el(preceding, "ram:IssuerAssignedID", doc.preceding_invoice_reference)
        if doc.preceding_invoice_date:  # BT-26: a credit note names the invoice and its date (BR-FR-CO-05)
            _el(_el(preceding, "ram:FormattedIssueDateTime"), "qdt:DateTimeString",
                doc.preceding_invoice_date.strftime("%Y%m%d"), format="102")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def safe_parser() -> etree.XMLParser:
    """XML from outside: no entities, no network, no huge trees."""
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
