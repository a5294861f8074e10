"""Invoices unlike the ones the reading was built on (tests/data/extraction/generate_heldout.py: layouts of
other invoicing software, in four sets — `tune`, which the reading was improved on; `check`, read once
(93.3 %, 7 values wrong and shown as sure) before it was tuned on too; `fresh`, written after, read once
(92.7 %, 1 wrong) and then tuned on as well; `last`, written after that and never tuned on (95.7 %, none
wrong)): an accuracy floor per field, per language and per set, and never a wrong value shown as sure.
The first three guard what was learnt; the measure of generalisation is a set the project has never read
(issue 18). The PDFs are generated once into pytest's cache."""

from __future__ import annotations

import pytest

from backend.domain.invoices.extraction import THRESHOLD, extract_invoice_fields
from tests.data.extraction.corpus import heldout, score

FIELD_FLOOR = 0.75     # every field scored at least FIELD_MINIMUM times, over the sets
# Xero-like layouts print both parties' VAT numbers without a party word: they stay hints
FIELD_FLOORS = {"recipient_vat_id": 0.6}
LANGUAGE_FLOOR = 0.90  # every language, over the sets
SET_FLOOR = {"tune": 0.97, "check": 0.97, "fresh": 0.97, "last": 0.95}
FIELD_MINIMUM = 5


@pytest.fixture(scope="module")
def sets(request, tmp_path_factory):
    # pytest's cache keeps the generated PDFs between runs; without it (-p no:cacheprovider) a temporary folder
    cache = getattr(request.config, "cache", None)
    found = heldout(cache.mkdir("extraction-heldout") if cache else tmp_path_factory.mktemp("extraction-heldout"))
    assert {name: len(invoices) for name, invoices in found.items()} == {"tune": 28, "check": 34, "fresh": 18, "last": 12}
    assert len({i.layout for invoices in found.values() for i in invoices}) >= 20
    return {name: {i: extract_invoice_fields(i.path, read_xml=False).to_dict() for i in invoices} for name, invoices in found.items()}


@pytest.fixture(scope="module")
def overall(sets):
    return score({invoice: result for results in sets.values() for invoice, result in results.items()}, THRESHOLD)


def test_no_field_shown_as_sure_is_wrong(overall):
    by_field, _ = overall
    assert [wrong for s in by_field.values() for wrong in s.wrong] == []


def test_each_set_reaches_its_floor(sets):
    accuracy = {name: score(results, THRESHOLD)[1]["all"].accuracy for name, results in sets.items()}
    assert {name: f"{value:.1%}" for name, value in accuracy.items() if value < SET_FLOOR[name]} == {}


def test_every_field_reaches_the_floor(overall):
    by_field, _ = overall
    low = {name: f"{s.accuracy:.0%}" for name, s in by_field.items() if s.total >= FIELD_MINIMUM and s.accuracy < FIELD_FLOORS.get(name, FIELD_FLOOR)}
    assert low == {}


def test_every_language_reaches_the_floor(overall):
    _, by_lang = overall
    assert {lang: f"{s.accuracy:.0%}" for lang, s in by_lang.items() if s.accuracy < LANGUAGE_FLOOR} == {}
