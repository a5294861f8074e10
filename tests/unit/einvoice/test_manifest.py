"""Every sample of the corpus gets the verdict and the failing rule ids its MANIFEST.tsv records
(EN 16931 v1.3.16 run by SaxonC-HE), through the product's own reading and validation."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from backend.domain.einvoice.reading import UnreadableInvoice, parse_invoice_xml, xml_from_facturx
from backend.domain.einvoice.validation import detect_syntax, validate_en16931

CORPUS = Path(__file__).parents[2] / "data" / "corpus"
ROWS = [row for row in csv.DictReader((CORPUS / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t")
        if row["kind"] not in ("validation-artefact", "licence-text")]


def test_the_copy_holds_every_sample_of_the_manifest():
    assert len(ROWS) >= 50 and all((CORPUS / row["path"]).is_file() for row in ROWS)


@pytest.mark.parametrize("row", ROWS, ids=[row["path"] for row in ROWS])
def test_verdict_agrees_with_the_manifest(row):
    data = (CORPUS / row["path"]).read_bytes()
    failing = set(re.search(r"FAIL: ([A-Z0-9,-]+)", row["notes"]).group(1).split(",")) if "FAIL:" in row["notes"] else set()
    try:
        xml = xml_from_facturx(data) if row["path"].endswith(".pdf") else data
        parse_invoice_xml(xml)
    except UnreadableInvoice as error:
        # Unreadable or legacy input (ZUGFeRD 1, a broken PDF or XML) and plain PDFs: never a valid invoice.
        assert row["expected_valid"] in ("no", "unknown") and not failing, error.code
        return
    if detect_syntax(xml) is None:  # ZUGFeRD 1 (CrossIndustryDocument): no EN 16931 syntax to validate
        assert row["expected_valid"] == "no" and not failing
        return
    report = validate_en16931(xml)
    assert report.error is None
    assert report.valid is (row["expected_valid"] == "yes"), report.fatal_rules
    assert set(report.fatal_rules) == failing


@pytest.mark.parametrize("row", ROWS, ids=[row["path"] for row in ROWS])
def test_the_three_layers_accept_exactly_the_valid_samples(row):
    """XSD, EN 16931 and French rules (warnings) together: accepted exactly when the MANIFEST says valid."""
    from backend.domain.einvoice.layers import check_document

    try:
        report = check_document((CORPUS / row["path"]).read_bytes(), is_pdf=row["path"].endswith(".pdf"))
    except UnreadableInvoice:
        assert row["expected_valid"] in ("no", "unknown")
        return
    assert report.accepted is (row["expected_valid"] == "yes"), report.errors()[:3]
