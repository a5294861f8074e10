"""Reading the header of received UBL / CII / Factur-X invoices, on the real sample files."""

from __future__ import annotations

import io
import time
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from lxml import etree
from reportlab.pdfgen import canvas

from backend.domain.einvoice.reading import NS, UnreadableInvoice, read_invoice, xml_from_facturx

DATA = Path(__file__).resolve().parents[2] / "data"
UBL_SIMPLE, UBL_FR, CII = DATA / "ubl" / "ubl-tc434-example1.xml", DATA / "ubl" / "ubl-21-en16931.xml", DATA / "cii" / "CII_example1.xml"
FACTURX = DATA / "facturx" / "Facture_FR_EN16931.pdf"
CII_DEAL = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement"


def edited(path: Path, edit) -> bytes:
    """A copy of a sample, changed through lxml."""
    root = etree.fromstring(path.read_bytes())
    edit(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def one(root: etree._Element, path: str) -> etree._Element:
    (element,) = root.xpath(path, namespaces=NS)
    return element


def sub(parent: etree._Element, tag: str, text: str | None = None, index: int | None = None, **attrs: str) -> etree._Element:
    prefix, name = tag.split(":")
    element = etree.Element(f"{{{NS[prefix]}}}{name}", **attrs)
    element.text = text
    parent.insert(len(parent) if index is None else index, element)
    return element


def test_ubl_tc434_example() -> None:
    read = read_invoice(UBL_SIMPLE.read_bytes())
    assert (read.syntax, read.type_code, read.number, read.invoice_date, read.currency) == ("UBL", "380", "12115118", date(2015, 1, 9), "EUR")
    assert (read.supplier_name, read.recipient_name) == ("De Koksmaat", "ODIN 59")
    assert (read.total_ht, read.total_tva, read.total_ttc, read.net_a_payer) == (D("229.60"), D("20.73"), D("250.33"), D("250.33"))
    assert str(read.total_ht) == "229.60"  # exactly as written
    # Dutch ids (KvK 57151520, party id 10202) are no SIRET; no buyer reference, order or contract.
    assert (read.supplier_siret, read.recipient_siret, read.service_code, read.engagement_number, read.contract_reference) == (None,) * 5


def test_ubl_french_example() -> None:
    read = read_invoice(UBL_FR.read_bytes())
    assert (read.number, read.invoice_date, read.currency, read.type_code) == ("F124212", date(2026, 6, 17), "EUR", "380")
    assert (read.service_code, read.engagement_number, read.contract_reference) == ("120943", "PO1242", "Contrat_du_siècle")
    assert (read.supplier_name, read.recipient_name) == ("Au bon moulin", "Ma jolie boutique SARL")
    # Legal ids are SIRENs (scheme 0002): the SIRETs come from the party identifiers with scheme 0009 (BT-29 / BT-46),
    # not from the delivery location's 0009 id.
    assert (read.supplier_siret, read.recipient_siret) == ("99999999800019", "78787878400018")
    # Two VAT subtotals (27.6 + 7.43); the TaxTotal amount is BT-110. Prepaid 100.00 is deducted from the payable amount.
    assert (read.total_ht, read.total_tva, read.total_ttc, read.net_a_payer) == (D("273.00"), D("35.03"), D("308.03"), D("208.03"))


def test_cii_example() -> None:
    read = read_invoice(CII.read_bytes())
    assert (read.syntax, read.type_code, read.number, read.invoice_date, read.currency) == ("CII", "380", "12115118", date(2015, 1, 9), "EUR")
    assert (read.supplier_name, read.recipient_name, read.supplier_siret, read.recipient_siret) == ("De Koksmaat", "ODIN 59", None, None)
    assert (read.total_ht, read.total_tva, read.total_ttc, read.net_a_payer) == (D("229.6"), D("20.73"), D("250.33"), D("250.33"))
    assert (read.service_code, read.engagement_number, read.contract_reference) == (None, None, None)


def test_facturx_pdf() -> None:
    xml = xml_from_facturx(FACTURX.read_bytes())
    assert xml.lstrip().startswith(b"<?xml")
    read = read_invoice(xml)
    assert (read.syntax, read.type_code, read.number, read.invoice_date, read.currency) == ("CII", "380", "FA-2017-0010", date(2017, 11, 13), "EUR")
    assert (read.engagement_number, read.contract_reference, read.service_code) == ("PO445", "MSPE2017", None)
    assert (read.total_ht, read.total_tva, read.total_ttc, read.net_a_payer) == (D("624.90"), D("46.25"), D("671.15"), D("470.15"))
    # The sample tags its 14-digit legal ids with scheme 0002: still taken, being exactly 14 digits.
    assert (read.supplier_name, read.supplier_siret) == ("Au bon moulin", "99999999800010")
    assert (read.recipient_name, read.recipient_siret) == ("Ma jolie boutique", "78787878400035")


def test_ubl_siret_scheme_0009() -> None:
    def edit(root: etree._Element) -> None:
        legal = one(root, "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID")
        legal.text, legal.attrib["schemeID"] = "73282932000074", "0009"
        buyer = one(root, "cac:AccountingCustomerParty/cac:Party")
        one(buyer, "cac:PartyIdentification/cbc:ID").set("schemeID", "0009")  # BT-46 "10202": not 14 digits
        sub(one(buyer, "cac:PartyLegalEntity"), "cbc:CompanyID", " 21670447800017 ", schemeID="0009")

    read = read_invoice(edited(UBL_SIMPLE, edit))
    assert (read.supplier_siret, read.recipient_siret) == ("73282932000074", "21670447800017")


def test_ubl_legal_id_wins_over_party_id() -> None:
    def edit(root: etree._Element) -> None:
        party = one(root, "cac:AccountingSupplierParty/cac:Party")
        sub(sub(party, "cac:PartyIdentification", index=0), "cbc:ID", "11111111100011", schemeID="0009")
        legal = one(party, "cac:PartyLegalEntity/cbc:CompanyID")
        legal.text, legal.attrib["schemeID"] = "73282932000074", "0009"

    assert read_invoice(edited(UBL_SIMPLE, edit)).supplier_siret == "73282932000074"


def test_ubl_siren_is_no_siret() -> None:
    def edit(root: etree._Element) -> None:
        legal = one(root, "cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID")
        legal.text, legal.attrib["schemeID"] = "732829320", "0002"

    assert read_invoice(edited(UBL_SIMPLE, edit)).supplier_siret is None


def test_cii_siret_scheme_0009() -> None:
    def edit(root: etree._Element) -> None:
        seller_id = one(root, f"{CII_DEAL}/ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID")
        seller_id.text, seller_id.attrib["schemeID"] = "73282932000074", "0009"
        sub(one(root, f"{CII_DEAL}/ram:BuyerTradeParty"), "ram:GlobalID", "21670447800017", index=1, schemeID="0009")

    read = read_invoice(edited(CII, edit))
    assert (read.supplier_siret, read.recipient_siret) == ("73282932000074", "21670447800017")


def test_cii_siren_is_no_siret() -> None:
    def edit(root: etree._Element) -> None:
        seller_id = one(root, f"{CII_DEAL}/ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID")
        seller_id.text, seller_id.attrib["schemeID"] = "732829320", "0002"

    assert read_invoice(edited(CII, edit)).supplier_siret is None


def test_credit_notes() -> None:
    ubl = f"""<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2" xmlns:cbc="{NS['cbc']}" xmlns:cac="{NS['cac']}">
      <cbc:ID>AV-7</cbc:ID><cbc:IssueDate>2026-03-02</cbc:IssueDate><cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>
      <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
      <cac:LegalMonetaryTotal><cbc:PayableAmount currencyID="EUR">-12.00</cbc:PayableAmount></cac:LegalMonetaryTotal>
    </CreditNote>""".encode()
    read = read_invoice(ubl)
    assert (read.syntax, read.type_code, read.number, read.invoice_date, read.net_a_payer) == ("UBL", "381", "AV-7", date(2026, 3, 2), D("-12.00"))
    cii = edited(CII, lambda root: setattr(one(root, "rsm:ExchangedDocument/ram:TypeCode"), "text", "381"))
    assert read_invoice(cii).type_code == "381"


def test_vat_total_in_document_currency() -> None:
    def edit(root: etree._Element) -> None:  # BT-6 = USD: a TaxTotal in USD (BT-111) placed before the EUR one
        sub(root, "cbc:TaxCurrencyCode", "USD", index=root.index(one(root, "cbc:DocumentCurrencyCode")) + 1)
        other = sub(root, "cac:TaxTotal", index=root.index(one(root, "cac:TaxTotal")))
        sub(other, "cbc:TaxAmount", "22.41", currencyID="USD")

    assert read_invoice(edited(UBL_SIMPLE, edit)).total_tva == D("20.73")


def test_malformed_values_read_as_none() -> None:
    def edit(root: etree._Element) -> None:
        one(root, "cbc:IssueDate").text = "09/01/2015"
        one(root, "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount").text = "1,229.60"
        one(root, "cac:LegalMonetaryTotal/cbc:PayableAmount").text = "NaN"
        one(root, "cbc:ID").text = "\n   12115118  \n"
        sub(root, "cbc:BuyerReference", "   ", index=root.index(one(root, "cbc:DocumentCurrencyCode")) + 1)

    read = read_invoice(edited(UBL_SIMPLE, edit))
    assert (read.invoice_date, read.total_ht, read.net_a_payer, read.service_code) == (None, None, None, None)
    assert (read.number, read.total_ttc) == ("12115118", D("250.33"))
    bad_cii = edited(CII, lambda root: setattr(one(root, "rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString"), "text", "20151301"))
    assert read_invoice(bad_cii).invoice_date is None


@pytest.mark.parametrize("data", [b"\x00\x01\x02 garbage", b"", b"<Invoice><cbc:ID>1</Invoice>", b"%PDF-1.4 not xml"])
def test_not_xml(data: bytes) -> None:
    with pytest.raises(UnreadableInvoice) as error:
        read_invoice(data)
    assert error.value.code == "xml_illisible" and error.value.message_fr and error.value.message_en


@pytest.mark.parametrize("data", [b"<a/>", b'<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>'])
def test_unknown_syntax(data: bytes) -> None:
    with pytest.raises(UnreadableInvoice) as error:
        read_invoice(data)
    assert error.value.code == "syntaxe_inconnue"


@pytest.mark.parametrize("entities, reference", [
    ('<!ENTITY x "boom">', "&x;"),
    ('<!ENTITY x SYSTEM "file:///etc/hostname">', "&x;"),
    ('<!ENTITY l0 "boom">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)), "&l9;"),
])
def test_entities_are_refused(entities: str, reference: str) -> None:
    xml = UBL_SIMPLE.read_bytes().replace(b"<Invoice ", f"<!DOCTYPE Invoice [{entities}]><Invoice ".encode(), 1)
    xml = xml.replace(b"<cbc:ID>12115118</cbc:ID>", f"<cbc:ID>{reference}</cbc:ID>".encode(), 1)
    started = time.monotonic()
    with pytest.raises(UnreadableInvoice) as error:
        read_invoice(xml)
    assert error.value.code == "xml_illisible" and time.monotonic() - started < 2


def test_pdf_without_xml() -> None:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Facture F-1 sans XML")
    page.save()
    with pytest.raises(UnreadableInvoice) as error:
        xml_from_facturx(buffer.getvalue())
    assert (error.value.code, error.value.message_fr) == ("facturx_sans_xml", "Ce PDF ne contient pas de XML Factur-X.")
    # Bytes that are no PDF at all are unreadable, which says more than « no Factur-X XML ».
    for pdf in (b"not a pdf at all", b""):
        with pytest.raises(UnreadableInvoice) as error:
            xml_from_facturx(pdf)
        assert error.value.code == "pdf_illisible"
