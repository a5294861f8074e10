"""Real Factur-X / ZUGFeRD sample invoices (tests/data/extraction/facturx, their licences in LICENCES.md) read
from their printed page (`read_xml=False`) and scored against the XML they embed (tests/data/extraction/
facturx.py: only the fields the page prints). Split by layout: `tune` was read and improved on; `held` was
read once before the fixes and once after, never tuned on. Before the fixes: tune 82.2 % (3 purchase orders
wrong and shown as sure), held 94.7 % (its 1.1 MB fourth file, kept out of the repository, included)."""

from __future__ import annotations

import pytest

from backend.domain.invoices.extraction import THRESHOLD, extract_invoice_fields
from tests.data.extraction.corpus import score
from tests.data.extraction.facturx import FILES, HERE, facturx_invoice, facturx_sets, xml_truth

FLOOR = {"tune": 0.95, "held": 0.93}  # after the fixes: 95.6 % and 93.1 % (27 of 29: the three files kept)


@pytest.fixture(scope="module")
def sets():
    found = facturx_sets()
    assert {half: len(invoices) for half, invoices in found.items()} == {"tune": 4, "held": 3}
    return {half: {i: extract_invoice_fields(i.path, read_xml=False).to_dict() for i in invoices} for half, invoices in found.items()}


def test_no_field_shown_as_sure_is_wrong(sets):
    assert [w for results in sets.values() for s in score(results, THRESHOLD)[0].values() for w in s.wrong] == []


def test_each_half_reaches_its_floor(sets):
    accuracy = {half: score(results, THRESHOLD)[1]["all"].accuracy for half, results in sets.items()}
    assert {half: f"{value:.1%}" for half, value in accuracy.items() if value < FLOOR[half]} == {}


def test_truth_comes_from_the_xml_and_only_what_the_page_prints():
    invoice, unprinted = facturx_invoice(HERE / "Facture_FR_EN16931.pdf", "fr", "fnfe")
    # the buyer's SIRET is in the XML, not on the page; the sample's SIRET 99999999800010 fails its check digits
    assert unprinted == {"recipient_siret": "78787878400035", "supplier_siret": "99999999800010"}
    assert invoice.truth["purchase_order"] == "PO445" and invoice.truth["net_a_payer"] == "470.15"
    # a corrective invoice of negative totals is a credit note, its amounts positive
    correction, _ = facturx_invoice(HERE / "zugferd_2p0_BASIC_Rechnungskorrektur.pdf", "de", "ferd-stylesheet")
    assert correction.truth["kind"] == "AVOIR" and correction.truth["total_ttc"] == "8.79"
    assert set(FILES) >= {path.name for path in HERE.glob("*.pdf")}


def test_xml_truth_reads_zugferd_1():
    from facturx import get_xml_from_pdf

    _, xml = get_xml_from_pdf((HERE / "ZUGFeRD_1p0_BASIC_Einfach.pdf").read_bytes(), check_xsd=False)
    truth = xml_truth(xml)
    assert (truth["total_ht"], truth["total_tva"], truth["total_ttc"]) == ("198.00", "37.62", "235.62")
