"""Invoices as a supplier's software would send them in a lot: CII, UBL and Factur-X files for chosen
SIRETs (valid EN 16931), and the ZIP / TAR.GZ archives that carry them."""

from __future__ import annotations

import io
import tarfile
import zipfile
from datetime import date
from decimal import Decimal as D
from pathlib import Path

from lxml import etree

from backend.domain.einvoice.cii import to_cii_xml
from backend.domain.einvoice.facturx_pdf import make_facturx_pdf
from backend.domain.einvoice.model import DocumentLine, InvoiceDocument, Party, VatBreakdownLine, french_vat_id

DATA = Path(__file__).resolve().parents[1] / "data"
UBL = {"cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
       "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}


def document(seller_siret: str, buyer_siret: str, *, number: str, service_code: str | None = None,
             engagement: str | None = None, type_code: str = "380") -> InvoiceDocument:
    """One line of 10 × 12.50 at 20 %: 125.00 HT, 25.00 TVA, 150.00 TTC."""
    seller = Party("Atelier Démo Fournitures", siret=seller_siret, vat_id=french_vat_id(seller_siret[:9]),
                   address="12 rue des Artisans", postcode="67300", city="Schiltigheim")
    buyer = Party("Mairie de Démo", siret=buyer_siret, address="1 place de la Mairie", postcode="67000", city="Strasbourg")
    return InvoiceDocument(
        number=number, issue_date=date(2026, 3, 12), seller=seller, buyer=buyer,
        lines=(DocumentLine("1", "Fournitures", D("10"), D("12.50"), D("125.00"), "S", D("20")),),
        vat_breakdown=(VatBreakdownLine("S", D("20"), D("125.00"), D("25.00")),),
        total_ht=D("125.00"), total_tva=D("25.00"), total_ttc=D("150.00"), net_a_payer=D("150.00"), type_code=type_code,
        buyer_reference=service_code, purchase_order_reference=engagement,
        preceding_invoice_reference="F-PRECEDENTE" if type_code == "381" else None,
        preceding_invoice_date=date(2026, 2, 12) if type_code == "381" else None)


def cii_invoice(seller_siret: str, buyer_siret: str, **kwargs) -> bytes:
    return to_cii_xml(document(seller_siret, buyer_siret, **kwargs))


def facturx_invoice(seller_siret: str, buyer_siret: str, **kwargs) -> bytes:
    return make_facturx_pdf(document(seller_siret, buyer_siret, **kwargs))


def ubl_invoice(seller_siret: str, buyer_siret: str, *, number: str, service_code: str | None = None) -> bytes:
    """The EN 16931 UBL example (250.33 TTC) re-addressed: its number, and French SIRETs (scheme 0009)."""
    root = etree.parse(str(DATA / "ubl" / "ubl-tc434-example1.xml")).getroot()
    root.find("cbc:ID", UBL).text = number
    for party_path, siret in (("cac:AccountingSupplierParty", seller_siret), ("cac:AccountingCustomerParty", buyer_siret)):
        legal = root.find(f"{party_path}/cac:Party/cac:PartyLegalEntity", UBL)
        company = legal.find("cbc:CompanyID", UBL)
        if company is None:
            company = etree.SubElement(legal, f"{{{UBL['cbc']}}}CompanyID")
        company.text, company.attrib["schemeID"] = siret, "0009"
    if service_code:
        reference = etree.Element(f"{{{UBL['cbc']}}}BuyerReference")
        reference.text = service_code
        root.find("cac:AccountingSupplierParty", UBL).addprevious(reference)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def plain_pdf(text: str = "Facture sans XML") -> bytes:
    """A readable one-page PDF without any XML attached."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


CII_NS = {"rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
          "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"}


def mixed_invoice(seller_siret: str, buyer_siret: str, *, number: str, syntax: str = "UBL", pdf: bytes | None = None,
                  mime: str = "application/pdf", base64_text: str | None = None, filename: str = "facture.pdf") -> bytes:
    """An « XML mixte »: the invoice's UBL (or CII) XML carrying its PDF as an embedded attachment (BT-125).
    `pdf=b""` embeds nothing; `mime` and `base64_text` make the bad cases (not a PDF, unreadable)."""
    import base64

    xml = ubl_invoice(seller_siret, buyer_siret, number=number) if syntax == "UBL" else cii_invoice(seller_siret, buyer_siret, number=number)
    if pdf == b"":
        return xml
    content = base64_text if base64_text is not None else base64.b64encode(pdf or plain_pdf(f"Facture {number}")).decode()
    root = etree.fromstring(xml)
    if syntax == "UBL":
        reference = etree.Element(f"{{{UBL['cac']}}}AdditionalDocumentReference")
        etree.SubElement(reference, f"{{{UBL['cbc']}}}ID").text = f"{number}.pdf"
        etree.SubElement(reference, f"{{{UBL['cbc']}}}DocumentDescription").text = "Facture"
        binary = etree.SubElement(etree.SubElement(reference, f"{{{UBL['cac']}}}Attachment"),
                                  f"{{{UBL['cbc']}}}EmbeddedDocumentBinaryObject", mimeCode=mime, filename=filename)
        root.find("cac:AccountingSupplierParty", UBL).addprevious(reference)
    else:
        agreement = root.find("rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement", CII_NS)
        reference = etree.SubElement(agreement, f"{{{CII_NS['ram']}}}AdditionalReferencedDocument")
        etree.SubElement(reference, f"{{{CII_NS['ram']}}}IssuerAssignedID").text = f"{number}.pdf"
        etree.SubElement(reference, f"{{{CII_NS['ram']}}}TypeCode").text = "916"
        binary = etree.SubElement(reference, f"{{{CII_NS['ram']}}}AttachmentBinaryObject", mimeCode=mime, filename=filename)
    binary.text = content
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def archive(files: dict[str, bytes], kind: str = "zip") -> bytes:
    buffer = io.BytesIO()
    if kind == "zip":
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
            for name, content in files.items():
                bundle.writestr(name, content)
    else:
        with tarfile.open(fileobj=buffer, mode="w:gz") as bundle:
            for name, content in files.items():
                info = tarfile.TarInfo(name)
                info.size = len(content)
                bundle.addfile(info, io.BytesIO(content))
    return buffer.getvalue()
