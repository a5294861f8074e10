"""« XML mixte »: the invoice's PDF found in its UBL or CII XML, and each way it can be missing or wrong."""

from __future__ import annotations

import base64

import pytest

from backend.domain.einvoice.layers import check_xml
from backend.domain.einvoice.mixed_xml import embedded_pdf
from backend.domain.einvoice.reading import UnreadableInvoice, parse_invoice_xml
from backend.domain.lots import rules
from backend.domain.lots.rules import DepositFormat, Syntax
from tests.support.lots import mixed_invoice, plain_pdf

SELLER, BUYER = "12345678901234", "98765432109876"


@pytest.mark.parametrize("syntax", ["UBL", "CII"])
def test_the_embedded_pdf_is_the_invoice_s_main_file(syntax):
    pdf = plain_pdf("Facture M-1")
    found = embedded_pdf(parse_invoice_xml(mixed_invoice(SELLER, BUYER, number="M-1", syntax=syntax, pdf=pdf,
                                                         filename="M-1.pdf")))
    assert found.data == pdf and found.filename == "M-1.pdf"


@pytest.mark.parametrize(("kwargs", "code", "said"), [
    ({"pdf": b""}, "mixte_sans_pdf", "aucune pièce jointe"),
    ({"mime": "image/png"}, "mixte_pas_un_pdf", "image/png"),
    ({"base64_text": base64.b64encode(b"<html>pas un pdf</html>").decode()}, "mixte_pas_un_pdf", "n'est pas un PDF"),
    ({"base64_text": "%%% pas du base64 %%%"}, "mixte_pdf_illisible", "ne peut pas être lu"),
    ({"base64_text": base64.b64encode(b"%PDF-1.4\ndamaged\n%%EOF").decode()}, "mixte_pdf_illisible", "ne peut pas être lu"),
])
@pytest.mark.parametrize("syntax", ["UBL", "CII"])
def test_a_mixed_xml_without_a_readable_pdf_says_why(syntax, kwargs, code, said):
    with pytest.raises(UnreadableInvoice) as refused:
        embedded_pdf(parse_invoice_xml(mixed_invoice(SELLER, BUYER, number="M-2", syntax=syntax, **kwargs)))
    assert refused.value.code == code and said in refused.value.message_fr and refused.value.message_en


def test_the_first_pdf_attachment_is_the_invoice_beside_other_attachments():
    xml = mixed_invoice(SELLER, BUYER, number="M-3", mime="text/csv", base64_text=base64.b64encode(b"a;b").decode())
    pdf = plain_pdf("Facture M-3")
    second = mixed_invoice(SELLER, BUYER, number="M-3", pdf=pdf)
    # Both references in one XML: the CSV first, the PDF after it.
    from lxml import etree

    root, other = etree.fromstring(xml), etree.fromstring(second)
    ns = {"cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"}
    root.find("cac:AdditionalDocumentReference", ns).addnext(other.find("cac:AdditionalDocumentReference", ns))
    assert embedded_pdf(root).data == pdf


def test_a_mixed_xml_is_refused_on_its_xsd_and_warned_on_en16931():
    """Its XML carries the minimum data, the PDF is the invoice: EN 16931 and the French rules only warn."""
    report = check_xml(mixed_invoice(SELLER, BUYER, number="M-4"), minimum=True, french_blocking=True)
    assert report.accepted and [(layer.name, layer.blocking) for layer in report.layers] == [
        ("xsd", True), ("en16931", False), ("fr", False)]
    assert report.warnings() and all(w["severity"] != "erreur" for w in report.warnings())
    broken = mixed_invoice(SELLER, BUYER, number="M-4").replace(b"<cbc:IssueDate>", b"<cbc:Inconnu/><cbc:IssueDate>")
    assert not check_xml(broken, minimum=True).accepted


def test_xml_mixte_is_a_third_format_with_its_min_syntaxes():
    assert rules.check_choice("XML_MIXTE", "UBL_MIN") == (DepositFormat.XML_MIXTE, Syntax.UBL_MIN)
    assert rules.label(DepositFormat.XML_MIXTE) == "XML mixte" and rules.label(Syntax.CII_MIN) == "CII Min"
    with pytest.raises(rules.LotRuleError):
        rules.check_choice("XML_MIXTE", "UBL")
    assert rules.entry_problem("a.pdf", 10, DepositFormat.XML_MIXTE).code == "extension_refusee"
    assert rules.invoice_problem("UBL", "380", SELLER, declared=Syntax.UBL_MIN, structure_siret=SELLER) is None
    assert rules.invoice_problem("CII", "380", SELLER, declared=Syntax.UBL_MIN, structure_siret=SELLER).code == "syntaxe_incoherente"
