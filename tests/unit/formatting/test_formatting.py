"""Numbers, amounts, dates shown the French and the English way, and amounts read back as typed."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from shared import formatting as f

NNBSP, NBSP = "\u202f", "\u00a0"


def test_amounts_group_thousands_with_a_narrow_no_break_space_in_french():
    assert f.amount(Decimal("1000")) == f"1{NNBSP}000,00"
    assert f.amount("-1234567.5", "en") == "-1,234,567.50"
    assert f.money("1000", "EUR") == f"1{NNBSP}000,00{NBSP}EUR"
    assert f.money("1000", "EUR", "fr", symbol=True) == f"1{NNBSP}000,00{NBSP}€"
    assert f.money(None) == f.amount("") == "—"


def test_numbers_and_percentages():
    assert f.number("2.5") == "2,5" and f.number("2.5", "en") == "2.5"
    assert f.number(1234, digits=0) == f"1{NNBSP}234"
    assert f.percent("5.5") == f"5,5{NBSP}%" and f.percent(20, "en") == "20%"


def test_moments_are_shown_in_paris_time():
    winter = datetime(2026, 12, 2, 23, 30, tzinfo=UTC)  # already the 3rd in Paris
    assert f.moment(winter) == "03/12/2026 00:30"
    assert f.date(winter) == "03/12/2026"
    assert f.moment("2026-07-01T10:00:00+00:00", "en", seconds=True) == "01/07/2026 12:00:00"
    assert f.time(winter) == "00:30"
    assert f.date(date(2026, 1, 5), "en") == "05/01/2026" and f.date("2026-01-05") == "05/01/2026"


@pytest.mark.parametrize("typed", ["1 000,50", "1000,50", "1000.50", f"1{NBSP}000,50", f"1{NNBSP}000,50", "1,000.50",
                                   "1.000,50", " 1000,5 ", "1 000,50 €", "1000.50EUR"])
def test_what_people_type_is_read_as_the_same_amount(typed):
    assert f.parse_amount(typed) == Decimal("1000.50")


@pytest.mark.parametrize("typed", ["abc", "1,2,3", "1.2.3,4", "12,34.5", "1e5", "--1", "1 000,50 $"])
def test_what_is_not_an_amount_is_refused(typed):
    with pytest.raises(ValueError):
        f.parse_amount(typed)


def test_empty_input_is_no_amount_and_grouped_thousands_alone_are_read():
    assert f.parse_amount("") is None and f.parse_amount("  ") is None and f.parse_amount(None) is None
    assert f.parse_amount("1.000.000") == Decimal("1000000") and f.parse_amount("-12") == Decimal("-12")


def test_form_fields_show_a_decimal_comma_without_grouping():
    assert f.amount_input(Decimal("1234.5")) == "1234,50"
    assert f.number_input(Decimal("2.500")) == "2,5" and f.number_input("20.00") == "20"
    assert f.parse_amount(f.amount_input("98765.43")) == Decimal("98765.43")


def test_a_file_size_is_in_kilobytes_with_the_languages_unit_and_never_zero():
    from shared.formatting import file_size

    assert file_size(2_000_000, "fr") == "1\u202f953\u00a0Ko"
    assert file_size(2_000_000, "en") == "1,953\u00a0KB"
    assert file_size(10, "en") == "1\u00a0KB"
    assert file_size(None, "fr") == "—"
