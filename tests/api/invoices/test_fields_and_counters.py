"""Form values and counter arithmetic, without the database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from backend.domain.invoices.counters import deltas
from backend.domain.invoices.fields import parse_changes, parse_money
from backend.infra.errors import DomainError


@pytest.mark.parametrize("typed, amount", [("1 234,56", "1234.56"), ("1.234,56", "1234.56"), ("1234.5", "1234.50"),
                                           ("12,345", "12.35"), ("\u202f99,9", "99.90"), (7, "7.00")])
def test_amounts_are_read_the_french_way_and_rounded_half_up_to_the_cent(typed, amount):
    assert parse_money("total_ht", typed) == Decimal(amount)


def test_a_word_where_an_amount_is_expected_is_refused_beside_its_field():
    with pytest.raises(DomainError) as refused:
        parse_changes({"total_tva": "vingt"})
    assert (refused.value.field, refused.value.message_fr) == ("total_tva", "Le montant TVA doit être un montant (par exemple 1250,00).")


def test_dates_are_accepted_in_french_or_iso_form_and_unknown_fields_are_refused():
    assert parse_changes({"invoice_date": "12/03/2026"})["invoice_date"] == date(2026, 3, 12)
    assert parse_changes({"invoice_date": "2026-03-12"})["invoice_date"] == date(2026, 3, 12)
    with pytest.raises(DomainError) as refused:
        parse_changes({"status": "MISE_EN_PAIEMENT"})
    assert refused.value.field == "status"


def _invoice(**overrides):
    base = {"supplier_structure_id": 1, "recipient_structure_id": 2, "status": "BROUILLON", "total_ttc": Decimal("120.00"),
            "created_at": datetime(2026, 3, 11, 23, 30, tzinfo=UTC), "deposited_at": None}
    return {**base, **overrides}


def test_a_draft_is_counted_on_its_paris_creation_day_on_both_sides():
    rows = deltas(None, _invoice())
    assert rows == [(("R", 2, "BROUILLON", date(2026, 3, 12)), 1, Decimal("120.00")),
                    (("S", 1, "BROUILLON", date(2026, 3, 12)), 1, Decimal("120.00"))]


def test_a_deposit_moves_the_invoice_to_its_deposit_day():
    before = _invoice()
    after = _invoice(status="DEPOSEE", deposited_at=datetime(2026, 3, 20, 9, 0, tzinfo=UTC))
    moved = {key: (count, amount) for key, count, amount in deltas(before, after)}
    assert moved[("S", 1, "BROUILLON", date(2026, 3, 12))] == (-1, Decimal("-120.00"))
    assert moved[("S", 1, "DEPOSEE", date(2026, 3, 20))] == (1, Decimal("120.00"))
    assert len(moved) == 4


def test_an_edit_that_changes_only_the_amount_moves_only_the_amount():
    assert deltas(_invoice(recipient_structure_id=None), _invoice(recipient_structure_id=None, total_ttc=Decimal("100"))) == [
        (("S", 1, "BROUILLON", date(2026, 3, 12)), 0, Decimal("-20.00"))]
