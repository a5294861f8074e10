"""Bounds of the editable fields (issue 20, item 8): each refusal is a French 422 naming its field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from backend.domain.invoices.fields import check_manual, parse_changes, parse_date, parse_id, parse_money
from backend.infra.errors import DomainError


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-Infinity", "1e999999999", "-1E+999999999", "1e12", float("inf")])
def test_amounts_that_are_not_finite_or_too_large_are_refused(value) -> None:
    with pytest.raises(DomainError) as refused:
        parse_money("total_ht", value)
    assert refused.value.field == "total_ht" and "hors des limites" in refused.value.message_fr or "montant" in refused.value.message_fr


def test_ordinary_amounts_still_parse() -> None:
    assert parse_money("total_ht", "1 234,50") == Decimal("1234.50") and parse_money("total_ht", "0") == Decimal("0.00")
    assert parse_money("total_ht", "-999999999999.99") == Decimal("-999999999999.99")


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01", date(1, 1, 1), "31/12/9999"])
def test_invoice_dates_outside_2000_2100_are_refused(value) -> None:
    with pytest.raises(DomainError) as refused:
        parse_date("invoice_date", value)
    assert refused.value.code == "date_hors_limites" and "comprise entre 01/01/2000 et 31/12/2100" in refused.value.message_fr


def test_ids_beyond_bigint_or_not_positive_are_refused() -> None:
    assert parse_id("recipient_service_id", "12") == 12
    for value in (2**63, 2**70, 0, -1):
        with pytest.raises(DomainError):
            parse_id("recipient_service_id", value)


@pytest.mark.parametrize("changes, field", [({"comment": "x" * 2001}, "comment"), ({"number": "A\x00"}, "number"),
                                             ({"currency": "XXX"}, "currency"), ({"currency": "XTS"}, "currency"),
                                             ({"recipient_service_code": "S" * 101}, "recipient_service_code")])
def test_texts_and_currencies_are_bounded(changes, field) -> None:
    with pytest.raises(DomainError) as refused:
        parse_changes(changes)
    assert refused.value.field == field and refused.value.message_fr


def test_real_currencies_are_accepted() -> None:
    assert parse_changes({"currency": "eur"})["currency"] == "EUR" and parse_changes({"currency": "XOF"})["currency"] == "XOF"


LINE = {"description": "Ramettes", "quantity": "1", "unit_price": "4.99", "vat_rate": "20"}


@pytest.mark.parametrize("header, lines, field", [
    ({"kind": "XYZ"}, [LINE], "kind"),
    ({"credit_note_of_id": 2**70}, [LINE], "credit_note_of_id"),
    ({}, [LINE] * 1001, "lines"),
    ({}, [{**LINE, "description": "x" * 1001}], "description"),
    ({}, [{**LINE, "unit_price": "NaN"}], "lines[0].unit_price"),
    ({}, [{**LINE, "quantity": "1e999999999"}], "lines[0].quantity"),
])
def test_a_typed_invoice_is_bounded(header, lines, field) -> None:
    with pytest.raises(DomainError) as refused:
        check_manual(header, lines)
    assert refused.value.field == field


def test_an_ordinary_typed_invoice_passes() -> None:
    check_manual({"kind": "AVOIR", "credit_note_of_id": 3}, [LINE] * 1000)


def test_the_currency_list_is_the_published_iso_4217_table_without_funds_metals_and_test_codes() -> None:
    iso4217 = pytest.importorskip("iso4217")  # comes with factur-x: the published table, used here only to check ours
    from backend.domain.invoices.fields import CURRENCIES

    published = {currency.code.upper() for currency in iso4217.Currency}
    assert CURRENCIES <= published and {"XXX", "XTS", "XAU"} & CURRENCIES == set()
    assert {code for code in published - CURRENCIES if not code.startswith("X")} == {"BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI", "UYW"}
