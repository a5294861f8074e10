"""The extraction corpus (tests/data/extraction: 66 generated invoices in eight layouts and six languages, nine
real ones): an accuracy floor per field and per language, and never a wrong value shown as sure."""

from __future__ import annotations

import pytest

from backend.domain.invoices.extraction import THRESHOLD, extract_invoice_fields
from tests.data.extraction.corpus import invoices, score

FLOOR = 0.95          # per field and per language; the corpus reads 100 % today
FIELD_MINIMUM = 3     # fields the truth lists fewer times are scored overall only


@pytest.fixture(scope="module")
def scores():
    corpus = invoices()
    assert len(corpus) >= 60 and len({i.layout for i in corpus}) >= 9 and len({i.lang for i in corpus}) == 6
    return score({invoice: extract_invoice_fields(invoice.path, read_xml=False).to_dict() for invoice in corpus}, THRESHOLD)


def test_no_field_shown_as_sure_is_wrong(scores):
    by_field, _ = scores
    assert [wrong for s in by_field.values() for wrong in s.wrong] == []


def test_every_field_reaches_the_floor(scores):
    by_field, _ = scores
    low = {name: f"{s.accuracy:.0%}" for name, s in by_field.items() if s.total >= FIELD_MINIMUM and s.accuracy < FLOOR}
    assert low == {}


def test_every_language_reaches_the_floor(scores):
    _, by_lang = scores
    assert {lang: f"{s.accuracy:.0%}" for lang, s in by_lang.items() if s.accuracy < FLOOR} == {}
