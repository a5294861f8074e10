"""Issue 20, item 1: an invoice naming an external DTD must not make the app or the worker fetch it.

Without the fix, `read_invoice` accepted a DOCTYPE with a SYSTEM identifier (only entities were refused)
and Saxon, parsing the document to validate it, fetched the DTD: the listener below received a request.
"""

from __future__ import annotations

import pytest

from backend.domain.einvoice import validation
from backend.domain.einvoice.reading import UnreadableInvoice, read_invoice
from tests.api.invoices.helpers import recipient
from tests.api.lots.test_lots import deposit, number, wait_processed
from tests.support.factories import random_siret, supplier_with_structure
from tests.support.lots import archive, cii_invoice, facturx_invoice


def with_doctype(xml: bytes, doctype: str) -> bytes:
    head, _, rest = xml.partition(b"?>")
    return head + b"?>\n" + doctype.encode() + rest


def doctypes(url: str) -> list[str]:
    return [f'<!DOCTYPE rsm:CrossIndustryInvoice SYSTEM "{url}/system.dtd">',
            f'<!DOCTYPE rsm:CrossIndustryInvoice PUBLIC "-//X//Y" "{url}/public.dtd">',
            f'<!DOCTYPE rsm:CrossIndustryInvoice [<!ENTITY % p SYSTEM "{url}/parameter.dtd"> %p;]>',
            "<!DOCTYPE rsm:CrossIndustryInvoice>"]


def test_the_reader_and_the_validator_refuse_any_doctype_before_saxon_sees_it(listener):
    plain = cii_invoice(random_siret(), random_siret(), number=number())
    for doctype in doctypes(listener.url):
        xml = with_doctype(plain, doctype)
        with pytest.raises(UnreadableInvoice) as refused:
            read_invoice(xml)
        assert refused.value.code == "xml_illisible" and "DOCTYPE" in refused.value.message_fr
        with pytest.raises(UnreadableInvoice):
            validation.validate_en16931(xml, "CII")
        assert validation.detect_syntax(xml) is None
    assert listener.requests(settle=0.3) == []
    assert validation.validate_en16931(plain).valid  # the guard refuses DOCTYPEs, not invoices


def test_saxon_itself_resolves_nothing_over_the_network(listener):
    """Defence in depth: even a document handed straight to Saxon (past the DOCTYPE guard) fetches nothing.

    Without `allowedProtocols = "file"` Saxon loads the external DTD: the listener logs `/system.dtd`.
    """
    validation._executable("CII")  # creates the process's one configured processor
    xml = with_doctype(cii_invoice(random_siret(), random_siret(), number=number()), doctypes(listener.url)[0])
    try:
        validation._processor.parse_xml(xml_text=xml.decode())
    except Exception as error:  # SaxonC raises a generic error: « Access to URI … has been prohibited »
        assert "prohibited" in str(error) or "not permitted" in str(error).lower(), error
    assert listener.requests(settle=0.3) == []


async def test_a_lot_member_with_a_doctype_is_rejected_with_a_french_anomaly_and_nothing_is_fetched(client, worker, listener):
    _, supplier = await supplier_with_structure(client)
    town = await recipient()
    xml = with_doctype(cii_invoice(supplier["identifier"], town["identifier"], number=number()), doctypes(listener.url)[0])
    response = await deposit(client, supplier["id"], archive({"ssrf.xml": xml}))
    assert response.status_code == 201, response.text
    report = await wait_processed(client, response.json()["id"])
    [entry] = report["entries"]
    assert entry["status"] == "REJETEE"
    [anomaly] = entry["anomalies"]
    assert anomaly["code"] == "xml_illisible" and "DOCTYPE" in anomaly["message"]
    assert listener.requests(settle=0.3) == []


def test_a_facturx_whose_embedded_xml_has_a_doctype_is_refused(listener):
    from backend.domain.einvoice.reading import xml_from_facturx

    pdf = facturx_invoice(random_siret(), random_siret(), number=number())
    xml = with_doctype(xml_from_facturx(pdf), doctypes(listener.url)[0])
    with pytest.raises(UnreadableInvoice):
        read_invoice(xml)
    assert listener.requests(settle=0.3) == []
